package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/audit"
	"approdo/internal/store"
	"approdo/network"
)

// Throttle limits failed sign-ins. Failures are counted per account (by the
// username typed, whether or not it exists, so that a lock does not tell
// which accounts exist) and per client address, within Window from the
// first failure; a subject that reaches its limit is locked for Lockout,
// even for the right password. The counts live in the database, so that
// every instance behind a load balancer applies the same locks. A wrong
// second-factor code, or a wrong current password when changing it, counts
// as a failure too.
type Throttle struct {
	AccountLimit int // failures of one account that lock it
	AddressLimit int // failures from one client address that lock it
	Window       time.Duration
	Lockout      time.Duration
}

// DefaultThrottle locks an account after 5 failures in 15 minutes, and a
// client address after 20 (an office behind one address has many people),
// for 15 minutes.
var DefaultThrottle = Throttle{AccountLimit: 5, AddressLimit: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute}

// PendingLoginTimeout is how long the second step of a sign-in may wait
// after the first.
const PendingLoginTimeout = 5 * time.Minute

// Attempt is one sign-in: what the person typed and the address of their
// client, for throttling and the audit log.
type Attempt struct {
	Username string
	Password string
	Client   string
}

// LoginResult is the outcome of a successful step of a sign-in: either a new
// session (Actor and Token), or, when the user has a second factor, a
// pending sign-in (PendingToken) that only CompleteLogin accepts.
type LoginResult struct {
	Actor          *Actor
	Token          string
	PendingToken   string
	PendingExpires time.Time
}

// Login checks a username and password. For a user without a second factor
// it opens a new session, with a token never seen before, so that a session
// planted in the browser is never promoted; for a user with one it returns a
// pending sign-in to complete with CompleteLogin. Every attempt is audited.
//
// A wrong password, an unknown user and a deactivated account are the same
// EUNAUTHORIZED error, so that the form does not tell which usernames exist.
// An account or address that failed too often is locked: the attempt that
// reaches the limit, and every attempt until the lock ends, is an ETOOMANY
// error whose argument is the minutes left.
func (s *Sessions) Login(ctx context.Context, at Attempt) (*LoginResult, error) {
	now := s.Now().UTC()
	account, address := accountSubject(at.Username), addressSubject(at.Client)
	var u *network.User
	var hash string
	var locked time.Time
	var hasFactor bool
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if locked, err = store.LoginLockedUntil(ctx, tx, now, account, address); err != nil {
			return err
		}
		u, hash, err = store.FindUserCredentials(ctx, tx, at.Username)
		if approdo.ErrorCode(err) == approdo.ENOTFOUND {
			u = nil
			return nil
		} else if err != nil {
			return err
		}
		hasFactor, err = store.HasSecondFactor(ctx, tx, u.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !locked.IsZero() {
		return nil, s.refuseLocked(ctx, u, at.Client, now, locked)
	}
	ok := false
	if u == nil {
		VerifyPassword(dummyHash(), at.Password)
	} else {
		ok = VerifyPassword(hash, at.Password) && u.Active
	}
	if !ok {
		return nil, s.failLogin(ctx, u, at.Client, account, address, now, "password")
	}
	if hasFactor {
		token, err := randomToken()
		if err != nil {
			return nil, err
		}
		p := &store.PendingLogin{TokenHash: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(PendingLoginTimeout)}
		if err := s.DB.Write(ctx, func(tx *store.Tx) error { return store.InsertPendingLogin(ctx, tx, p) }); err != nil {
			return nil, err
		}
		return &LoginResult{PendingToken: token, PendingExpires: p.ExpiresAt}, nil
	}
	var res *LoginResult
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		res, err = s.openSession(ctx, tx, u.ID, at.Client, now, "password")
		return err
	})
	var lock *lockedError
	if errors.As(err, &lock) {
		return nil, s.refuseLocked(ctx, u, at.Client, now, lock.until)
	}
	return res, err
}

// lockedError is what openSession returns when the account or the address
// was locked after the sign-in first looked: the lock wins, even over the
// right credentials, however the attempts raced.
type lockedError struct{ until time.Time }

func (e *lockedError) Error() string { return "auth: sign-ins are locked" }

// errWrongCode is a second-factor code that turned out, inside the
// transaction, to be used already.
var errWrongCode = errors.New("auth: the code is not valid")

// CompleteLogin checks the second factor of a pending sign-in, a code from
// the authenticator app or a recovery code (which is then used up), and
// opens a new session with a new token. The pending sign-in is used up too.
//
// An unknown or expired pending sign-in is EUNAUTHORIZED
// ("error.login_pending_expired"); a wrong code is EUNAUTHORIZED naming the
// field "otp_code"; a locked account or address is ETOOMANY, as for Login.
func (s *Sessions) CompleteLogin(ctx context.Context, pendingToken, code, client string) (*LoginResult, error) {
	now := s.Now().UTC()
	h := hashToken(pendingToken)
	var p *store.PendingLogin
	var u *network.User
	var f *store.SecondFactor
	var locked time.Time
	address := addressSubject(client)
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = store.FindPendingLogin(ctx, tx, h); err != nil {
			return err
		}
		if u, err = store.FindUser(ctx, tx, p.UserID); err != nil {
			return err
		}
		if f, err = store.FindSecondFactor(ctx, tx, u.ID); err != nil {
			return err
		}
		locked, err = store.LoginLockedUntil(ctx, tx, now, accountSubject(u.Username), address)
		return err
	})
	expired := approdo.Errorf(approdo.EUNAUTHORIZED, "error.login_pending_expired")
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		if p != nil {
			s.dropPending(ctx, h)
		}
		return nil, expired
	} else if err != nil {
		return nil, err
	}
	if now.After(p.ExpiresAt) || !u.Active || !f.Enabled() {
		s.dropPending(ctx, h)
		return nil, expired
	}
	if !locked.IsZero() {
		s.dropPending(ctx, h)
		return nil, s.refuseLocked(ctx, u, client, now, locked)
	}
	account := accountSubject(u.Username)
	step, recoveryHash, err := s.checkCode(ctx, f, code, now)
	if err != nil {
		return nil, err
	}
	var res *LoginResult
	if step != 0 || recoveryHash != nil {
		err = s.DB.Write(ctx, func(tx *store.Tx) error {
			var used bool
			var err error
			if recoveryHash != nil {
				used, err = store.UseRecoveryCode(ctx, tx, u.ID, recoveryHash)
			} else {
				used, err = store.UseSecondFactorStep(ctx, tx, u.ID, step)
			}
			if err != nil {
				return err
			} else if !used {
				return errWrongCode
			}
			if gone, err := store.DeletePendingLogin(ctx, tx, h); err != nil {
				return err
			} else if !gone {
				return expired
			}
			how := "second_factor"
			if recoveryHash != nil {
				how = "recovery_code"
			}
			res, err = s.openSession(ctx, tx, u.ID, client, now, how)
			return err
		})
		var lock *lockedError
		switch {
		case err == nil:
			return res, nil
		case errors.As(err, &lock):
			s.dropPending(ctx, h)
			return nil, s.refuseLocked(ctx, u, client, now, lock.until)
		case !errors.Is(err, errWrongCode):
			return nil, err
		}
	}
	err = s.failLogin(ctx, u, client, account, address, now, "second_factor")
	if approdo.ErrorCode(err) == approdo.ETOOMANY {
		s.dropPending(ctx, h)
		return nil, err
	}
	return nil, &approdo.Error{Code: approdo.EUNAUTHORIZED, Message: "error.second_factor_wrong",
		Fields: []approdo.FieldError{{Field: "otp_code", Message: "error.field.otp_code_wrong"}}}
}

// dropPending removes a pending sign-in that can no longer be completed.
// Failing to remove it is harmless: it expires.
func (s *Sessions) dropPending(ctx context.Context, tokenHash []byte) {
	_ = s.DB.Write(ctx, func(tx *store.Tx) error {
		_, err := store.DeletePendingLogin(ctx, tx, tokenHash)
		return err
	})
}

// openSession opens a new session for a user inside tx, forgets the
// failures of their account and audits the sign-in; how names the last
// credential checked ("password", "second_factor" or "recovery_code"). The
// locks are read again in tx, so that a lock set by an attempt that raced
// this one refuses it (a *lockedError).
func (s *Sessions) openSession(ctx context.Context, tx *store.Tx, userID int64, client string, now time.Time, how string) (*LoginResult, error) {
	u, err := store.FindUser(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	locked, err := store.LoginLockedUntil(ctx, tx, now, accountSubject(u.Username), addressSubject(client))
	if err != nil {
		return nil, err
	}
	if !locked.IsZero() {
		return nil, &lockedError{until: locked}
	}
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return nil, err
	}
	sess := &store.Session{TokenHash: hashToken(token), UserID: u.ID, CSRFToken: csrf,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.AbsoluteTimeout)}
	if err := store.InsertSession(ctx, tx, sess); err != nil {
		return nil, err
	}
	if err := store.ClearLoginFailures(ctx, tx, accountSubject(u.Username)); err != nil {
		return nil, err
	}
	a := &Actor{User: *u, Session: sess}
	org, err := store.FindOrganisation(ctx, tx, u.OrganisationID)
	if err != nil {
		return nil, err
	}
	a.Organisation = *org
	if err := s.Roles.resolve(ctx, tx, a); err != nil {
		return nil, err
	}
	if a.SecondFactor, err = store.HasSecondFactor(ctx, tx, u.ID); err != nil {
		return nil, err
	}
	a.MustEnrol = s.mustEnrol(a)
	err = audit.Append(ctx, tx, &audit.Entry{At: now, ActorID: u.ID, ActorOrgID: u.OrganisationID, Action: audit.Login,
		RecordType: "user", RecordID: strconv.FormatInt(u.ID, 10), Fields: []string{how}, Client: client})
	if err != nil {
		return nil, err
	}
	return &LoginResult{Actor: a, Token: token}, nil
}

// mustEnrol reports whether a must set up a second factor before anything
// else: one of their roles asks for it, they have none, and the server does
// not relax the rule.
func (s *Sessions) mustEnrol(a *Actor) bool {
	return a.Grants.SecondFactor && !a.SecondFactor && !s.SecondFactorOptional
}

// failLogin counts a failed sign-in of u (nil for an unknown username) and
// audits it, naming the credential that was wrong but never what was typed.
// It returns EUNAUTHORIZED, or ETOOMANY when the failure locked the account
// or the address.
func (s *Sessions) failLogin(ctx context.Context, u *network.User, client, account, address string, now time.Time, credential string) error {
	var locked time.Time
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if locked, err = s.countFailure(ctx, tx, now, account, address); err != nil {
			return err
		}
		e := loginEntry(u, audit.LoginFailed, client, now)
		e.Fields = []string{credential}
		if err := audit.Append(ctx, tx, e); err != nil {
			return err
		}
		if !locked.IsZero() {
			return audit.Append(ctx, tx, loginEntry(u, audit.LoginLocked, client, now))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !locked.IsZero() {
		return tooMany(now, locked)
	}
	return approdo.Errorf(approdo.EUNAUTHORIZED, "error.login_failed")
}

// refuseLocked audits an attempt on a locked account or address and returns
// the ETOOMANY error to show.
func (s *Sessions) refuseLocked(ctx context.Context, u *network.User, client string, now, until time.Time) error {
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		return audit.Append(ctx, tx, loginEntry(u, audit.LoginLocked, client, now))
	})
	if err != nil {
		return err
	}
	return tooMany(now, until)
}

// countFailure adds one failure to the account and the address, locks
// those that reach their limit and returns until when, or the zero time.
// Counts too old to matter are removed on the way.
func (s *Sessions) countFailure(ctx context.Context, tx *store.Tx, now time.Time, account, address string) (time.Time, error) {
	t := s.Throttle
	if err := store.DeleteStaleLoginThrottles(ctx, tx, now.Add(-t.Window), now); err != nil {
		return time.Time{}, err
	}
	var locked time.Time
	for _, sub := range []struct {
		subject string
		limit   int
	}{{account, t.AccountLimit}, {address, t.AddressLimit}} {
		if sub.subject == "" || sub.limit <= 0 {
			continue
		}
		n, err := store.AddLoginFailure(ctx, tx, sub.subject, now, now.Add(-t.Window))
		if err != nil {
			return time.Time{}, err
		}
		if n >= sub.limit {
			locked = now.Add(t.Lockout)
			if err := store.LockLogin(ctx, tx, sub.subject, locked); err != nil {
				return time.Time{}, err
			}
		}
	}
	return locked, nil
}

// loginEntry is an audit entry about a sign-in of u: the user is named only
// by id, and an unknown username not at all.
func loginEntry(u *network.User, action audit.Action, client string, now time.Time) *audit.Entry {
	e := &audit.Entry{At: now, Action: action, RecordType: "user", Client: client}
	if u != nil {
		e.ActorID, e.ActorOrgID, e.RecordID = u.ID, u.OrganisationID, strconv.FormatInt(u.ID, 10)
	}
	return e
}

// tooMany is the ETOOMANY error of a lock that ends at until, with the
// minutes left, rounded up.
func tooMany(now, until time.Time) error {
	minutes := int((until.Sub(now) + time.Minute - 1) / time.Minute)
	return approdo.Errorf(approdo.ETOOMANY, "error.login_locked", max(minutes, 1))
}

// LockedFor returns how long a sign-in refused with ETOOMANY by a lock
// should wait before trying again, rounded up to the minute, or 0 for any
// other error. Handlers send it as Retry-After.
func LockedFor(err error) time.Duration {
	if approdo.ErrorCode(err) != approdo.ETOOMANY {
		return 0
	}
	if key, args := approdo.ErrorMessage(err); key == "error.login_locked" && len(args) == 1 {
		if m, ok := args[0].(int); ok {
			return time.Duration(m) * time.Minute
		}
	}
	return 0
}

// accountSubject names the throttle count of a username, whether or not an
// account has it, without storing the username.
func accountSubject(username string) string {
	h := sha256.Sum256([]byte("approdo login account\x00" + strings.ToLower(strings.TrimSpace(username))))
	return "account:" + hex.EncodeToString(h[:16])
}

// addressSubject names the throttle count of a client address, without
// storing the address. IPv6 addresses count by their /64 network, which one
// client usually holds whole. An empty address has no count.
func addressSubject(client string) string {
	client = strings.TrimSpace(client)
	if client == "" {
		return ""
	}
	if ip := net.ParseIP(client); ip != nil {
		if ip.To4() == nil {
			ip = ip.Mask(net.CIDRMask(64, 128))
		}
		client = ip.String()
	}
	h := sha256.Sum256([]byte("approdo login address\x00" + client))
	return "address:" + hex.EncodeToString(h[:16])
}

// SignOut ends the session a signed in with and audits it. An actor who
// came with an API token has no session to end.
func (s *Sessions) SignOut(ctx context.Context, a *Actor, client string) error {
	if a == nil || a.Session == nil {
		return nil
	}
	defer AccessChanged()
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.DeleteSession(ctx, tx, a.Session.TokenHash); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{At: s.Now(), ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Logout, RecordType: "user", RecordID: strconv.FormatInt(a.User.ID, 10), Client: client})
	})
}
