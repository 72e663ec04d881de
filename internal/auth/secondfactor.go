package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"approdo"
	"approdo/internal/audit"
	"approdo/internal/store"
)

// The second factor is a time-based one-time password (TOTP, RFC 6238): six
// digits from an authenticator app, a new one every 30 seconds, made with
// HMAC-SHA1 as every app supports. A code of the step before or after the
// current one is accepted, for clocks that drift, and no step is accepted
// twice. The secret is sealed by the vault.
const (
	totpIssuer = "Approdo"
	totpPeriod = 30
	totpSkew   = 1
)

var totpOptions = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// RecoveryCodeCount is how many one-time recovery codes an enrolment gives.
const RecoveryCodeCount = 10

// recoveryEncoding writes recovery codes: 10 random bytes (80 bits) as 16
// lower-case base32 characters, shown in four groups of four.
var recoveryEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// SecondFactorSetup is a second factor being set up: the secret to type into an
// authenticator app, in base32, and the otpauth:// URL its QR code holds.
type SecondFactorSetup struct {
	Secret string
	URL    string
}

// SecondFactorStatus says where a user stands with their second factor.
type SecondFactorStatus struct {
	Enabled           bool
	EnabledAt         time.Time
	RecoveryCodesLeft int
	// Required reports whether one of the user's roles asks for a second
	// factor.
	Required bool
}

// secretAAD names, for the vault, where the secret of a user's second
// factor lives.
func secretAAD(userID int64) []byte {
	return []byte("users.totp_secret:" + strconv.FormatInt(userID, 10))
}

// pendingSecretAAD names, for the vault, where the secret of a user's
// enrolment not yet confirmed lives.
func pendingSecretAAD(userID int64) []byte {
	return []byte("users.totp_pending_secret:" + strconv.FormatInt(userID, 10))
}

// needVault returns an EUNAVAILABLE error when the server has no vault to
// seal secrets with.
func (s *Sessions) needVault() error {
	if s.Vault == nil {
		return approdo.Errorf(approdo.EUNAVAILABLE, "error.second_factor_no_vault")
	}
	return nil
}

// secondFactorOf returns the second factor of a user, or nil when they
// never began an enrolment.
func secondFactorOf(ctx context.Context, tx *store.Tx, userID int64) (*store.SecondFactor, error) {
	f, err := store.FindSecondFactor(ctx, tx, userID)
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return nil, nil
	}
	return f, err
}

// SecondFactorStatus returns where the actor stands with their second
// factor.
func (s *Sessions) SecondFactorStatus(ctx context.Context, a *Actor) (*SecondFactorStatus, error) {
	st := &SecondFactorStatus{Required: a.Grants.SecondFactor}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		f, err := secondFactorOf(ctx, tx, a.User.ID)
		if f == nil || err != nil {
			return err
		}
		if st.Enabled = f.Enabled(); st.Enabled {
			st.EnabledAt = f.EnabledAt
			st.RecoveryCodesLeft, err = store.CountRecoveryCodes(ctx, tx, a.User.ID)
		}
		return err
	})
	return st, err
}

// BeginEnrolment starts, or takes up again, the set-up of the actor's second
// factor: it returns the secret to show, kept sealed until ConfirmEnrolment.
// It returns ECONFLICT when the actor has a second factor already, and
// EUNAVAILABLE when the server has no vault.
func (s *Sessions) BeginEnrolment(ctx context.Context, a *Actor) (*SecondFactorSetup, error) {
	if err := s.needVault(); err != nil {
		return nil, err
	}
	var pending string
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		f, err := secondFactorOf(ctx, tx, a.User.ID)
		if f == nil || err != nil {
			return err
		}
		if f.Enabled() {
			return approdo.Errorf(approdo.ECONFLICT, "error.second_factor_already")
		}
		pending = f.PendingSecret
		return nil
	})
	if err != nil {
		return nil, err
	}
	var secret []byte
	if pending != "" {
		if s32, err := s.Vault.OpenString(ctx, pending, pendingSecretAAD(a.User.ID)); err == nil {
			secret, _ = base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s32)
		}
	}
	if len(secret) == 0 {
		secret = make([]byte, 20)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("auth: unable to make a second-factor secret: %w", err)
		}
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: a.User.Username, Period: totpPeriod,
		Secret: secret, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, fmt.Errorf("auth: unable to make the second-factor key of user %d: %w", a.User.ID, err)
	}
	if pending == "" {
		sealed, err := s.Vault.SealString(key.Secret(), pendingSecretAAD(a.User.ID))
		if err != nil {
			return nil, fmt.Errorf("auth: unable to seal the second-factor secret of user %d: %w", a.User.ID, err)
		}
		now := s.Now().UTC()
		if err := s.DB.Write(ctx, func(tx *store.Tx) error {
			return store.SetPendingSecondFactor(ctx, tx, a.User.ID, sealed, now)
		}); err != nil {
			return nil, err
		}
	}
	return &SecondFactorSetup{Secret: key.Secret(), URL: key.URL()}, nil
}

// ConfirmEnrolment checks a code made with the secret of BeginEnrolment and
// puts the second factor in use. It returns the recovery codes, each usable
// once instead of a code; they are shown now and never again, as only their
// hashes are kept. A wrong code is an EINVALID error on the field
// "otp_code"; an enrolment never begun is ECONFLICT.
func (s *Sessions) ConfirmEnrolment(ctx context.Context, a *Actor, code, client string) ([]string, error) {
	defer AccessChanged()
	if err := s.needVault(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(code) == "" {
		return nil, approdo.Invalid(approdo.FieldError{Field: "otp_code", Message: "error.field.required"})
	}
	var f *store.SecondFactor
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		f, err = secondFactorOf(ctx, tx, a.User.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if f == nil || f.PendingSecret == "" {
		return nil, approdo.Errorf(approdo.ECONFLICT, "error.second_factor_not_begun")
	}
	if f.Enabled() {
		return nil, approdo.Errorf(approdo.ECONFLICT, "error.second_factor_already")
	}
	secret, err := s.Vault.OpenString(ctx, f.PendingSecret, pendingSecretAAD(a.User.ID))
	if err != nil {
		return nil, fmt.Errorf("auth: unable to open the pending second-factor secret of user %d: %w", a.User.ID, err)
	}
	now := s.Now().UTC()
	step := matchTOTP(secret, code, now, 0)
	if step == 0 {
		return nil, approdo.Invalid(approdo.FieldError{Field: "otp_code", Message: "error.field.otp_code_wrong"})
	}
	sealed, err := s.Vault.SealString(secret, secretAAD(a.User.ID))
	if err != nil {
		return nil, fmt.Errorf("auth: unable to seal the second-factor secret of user %d: %w", a.User.ID, err)
	}
	codes, hashes, err := newRecoveryCodes(a.User.ID)
	if err != nil {
		return nil, err
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.EnableSecondFactor(ctx, tx, a.User.ID, f.PendingSecret, sealed, step, now); err != nil {
			return err
		}
		if err := store.ReplaceRecoveryCodes(ctx, tx, a.User.ID, hashes); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{At: now, ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.SecondFactor, RecordType: "user", RecordID: strconv.FormatInt(a.User.ID, 10),
			Fields: []string{"totp_secret", "recovery_codes"}, Client: client})
	})
	if err != nil {
		return nil, err
	}
	a.SecondFactor, a.MustEnrol = true, false
	return codes, nil
}

// ResetSecondFactor removes the second factor and recovery codes of the
// user userID, on behalf of actor a, and ends the user's sessions, so that
// they sign in again and, if a role of theirs asks for one, set up a new
// second factor. It is audited. It needs a permission to update users of
// an organisation, an area or the network: updating one's own profile is
// not enough. A user a may not reset is ENOTFOUND, as is one who does not
// exist.
func (s *Sessions) ResetSecondFactor(ctx context.Context, a *Actor, userID int64, client string) error {
	defer AccessChanged()
	now := s.Now().UTC()
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := store.FindUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !ManagesAccount(a, u) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		if _, err := store.ResetSecondFactor(ctx, tx, u.ID); err != nil {
			return err
		}
		if _, err := store.DeleteUserSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		if err := store.DeleteUserPendingLogins(ctx, tx, u.ID); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{At: now, ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.SecondFactor, RecordType: "user", RecordID: strconv.FormatInt(u.ID, 10),
			Fields: []string{"totp_secret", "recovery_codes", "sessions"}, Client: client})
	})
}

// checkCode reads a code given at the second step of a sign-in: six digits
// are checked against the secret and give the time step to use up; anything
// else is taken for a recovery code and gives the hash to use up. Both zero
// mean the code is wrong.
func (s *Sessions) checkCode(ctx context.Context, f *store.SecondFactor, code string, now time.Time) (int64, []byte, error) {
	code = strings.Join(strings.Fields(code), "")
	if code == "" {
		return 0, nil, approdo.Invalid(approdo.FieldError{Field: "otp_code", Message: "error.field.required"})
	}
	if len(code) == 6 && strings.Trim(code, "0123456789") == "" {
		if err := s.needVault(); err != nil {
			return 0, nil, err
		}
		secret, err := s.Vault.OpenString(ctx, f.Secret, secretAAD(f.UserID))
		if err != nil {
			return 0, nil, fmt.Errorf("auth: unable to open the second-factor secret of user %d: %w", f.UserID, err)
		}
		return matchTOTP(secret, code, now, f.LastStep), nil, nil
	}
	normal := strings.ToLower(strings.ReplaceAll(code, "-", ""))
	if len(normal) != recoveryEncoding.EncodedLen(10) {
		return 0, nil, nil
	}
	return 0, recoveryCodeHash(f.UserID, normal), nil
}

// matchTOTP returns the time step, after last, whose code is code, or 0.
func matchTOTP(secret, code string, now time.Time, last int64) int64 {
	code = strings.Join(strings.Fields(code), "")
	current := now.Unix() / totpPeriod
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		if step <= last {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOptions)
		if err != nil {
			return 0
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step
		}
	}
	return 0
}

// newRecoveryCodes returns RecoveryCodeCount fresh codes, as shown to the
// user, and their hashes, as stored.
func newRecoveryCodes(userID int64) ([]string, [][]byte, error) {
	codes := make([]string, RecoveryCodeCount)
	hashes := make([][]byte, RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, fmt.Errorf("auth: unable to make recovery codes: %w", err)
		}
		c := recoveryEncoding.EncodeToString(b)
		codes[i] = c[0:4] + "-" + c[4:8] + "-" + c[8:12] + "-" + c[12:16]
		hashes[i] = recoveryCodeHash(userID, c)
	}
	return codes, hashes, nil
}

// recoveryCodeHash is the stored form of a recovery code: a SHA-256 bound
// to its user. The codes carry 80 random bits, so a fast hash is enough.
func recoveryCodeHash(userID int64, normal string) []byte {
	h := sha256.Sum256([]byte("approdo recovery code\x00" + strconv.FormatInt(userID, 10) + "\x00" + normal))
	return h[:]
}
