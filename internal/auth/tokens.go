package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/store"
)

// A personal API token reads "apd_" + six lookup characters + "_" + 52
// secret characters, all from the lower-case base32 alphabet, for example
// apd_k3x9qa_2c4f…: 63 characters that a double click selects whole.
//
// The first ten characters, "apd_" and the lookup part, are the token's
// prefix: not secret, stored in clear and unique, so that the server finds
// the one row to check and its owner recognises the token in a list. The
// secret part carries 256 random bits. Only the SHA-256 hash of the whole
// value is stored, and it is compared in constant time.
const (
	// TokenMark starts every API token, so that scanners and people can
	// tell one from other secrets.
	TokenMark      = "apd_"
	tokenLookupLen = 6
	tokenSecretLen = 52 // 32 bytes in unpadded base32
	tokenPrefixLen = len(TokenMark) + tokenLookupLen
	tokenLen       = tokenPrefixLen + 1 + tokenSecretLen
	tokenAlphabet  = "abcdefghijklmnopqrstuvwxyz234567"
)

// TokenNameMax is the longest name a token may have, in characters.
const TokenNameMax = 100

// tokenRecord is what audit entries name a token by.
const tokenRecord = "api_token"

var tokenEncoding = base32.NewEncoding(tokenAlphabet).WithPadding(base32.NoPadding)

// Tokens issues, checks and revokes personal API tokens. A request that
// carries "Authorization: Bearer <token>" on the JSON API is authenticated
// as the token's owner, with the owner's roles as they are at that moment,
// exactly as a session is; a token never grants more than its owner holds.
//
// A token stops working at once when it expires, when it is revoked, when
// its owner is deactivated, and when its owner chooses "log out everywhere"
// (Sessions.LogoutEverywhere revokes every token of the user, so that a
// stolen session cannot leave a token behind to keep access). A token of a
// user who must set up a second factor before anything else
// (Actor.MustEnrol) does not work until they have.
type Tokens struct {
	DB    *store.DB
	Roles *RoleBook
	// Sessions holds token actors to the sessions' rule on second factors.
	Sessions *Sessions
	// MaxLifetime is the longest a token may live; there are no tokens
	// that never expire.
	MaxLifetime time.Duration
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// NewTokens returns a token service over the database and roles of
// sessions, whose tokens live at most 365 days.
func NewTokens(sessions *Sessions) *Tokens {
	return &Tokens{DB: sessions.DB, Roles: sessions.Roles, Sessions: sessions, MaxLifetime: 365 * 24 * time.Hour, Now: time.Now}
}

// TokenRequest is what a person asks for when creating a token: a name that
// says what it is for, and how long it lives.
type TokenRequest struct {
	Name     string
	Lifetime time.Duration
}

// validate trims the name and checks the request. It returns an EINVALID
// error naming the fields "name" and "expires_in_days".
func (t *Tokens) validate(req *TokenRequest) error {
	req.Name = strings.TrimSpace(req.Name)
	var problems []approdo.FieldError
	switch {
	case req.Name == "":
		problems = append(problems, approdo.FieldError{Field: "name", Message: "error.field.required"})
	case utf8.RuneCountInString(req.Name) > TokenNameMax || strings.ContainsFunc(req.Name, isControl):
		problems = append(problems, approdo.FieldError{Field: "name", Message: "error.token_name", Args: []any{TokenNameMax}})
	}
	if req.Lifetime <= 0 || req.Lifetime > t.MaxLifetime {
		problems = append(problems, approdo.FieldError{Field: "expires_in_days", Message: "error.token_lifetime",
			Args: []any{int(t.MaxLifetime / (24 * time.Hour))}})
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// Create issues a token to the actor's own user and returns it with its
// value, which is shown once and never stored. It returns EINVALID for a bad
// request, ENOTFOUND when the policy does not let the actor manage their own
// tokens, and EFORBIDDEN when the actor came with a token: a token cannot
// make another, so that a leaked token cannot outlive its expiry.
func (t *Tokens) Create(ctx context.Context, a *Actor, req TokenRequest) (*store.APIToken, string, error) {
	if a == nil {
		return nil, "", approdo.Errorf(approdo.EUNAUTHORIZED, "error.signin_required")
	}
	if !Allowed(a, access.Manage, Target{Resource: access.Tokens, OwnerID: a.User.ID}) {
		return nil, "", approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	if a.Token != nil {
		return nil, "", approdo.Errorf(approdo.EFORBIDDEN, "error.token_needs_session")
	}
	if err := t.validate(&req); err != nil {
		return nil, "", err
	}
	return t.issue(ctx, a.User.ID, req, audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Client: ClientFrom(ctx)})
}

// CreateAsOperator issues a token to the user with the given username for
// the operator at the command line, who is trusted with the database; the
// audit log records it as done by Approdo itself. It returns ENOTFOUND for
// an unknown username, EINVALID for a deactivated user or a bad request.
func (t *Tokens) CreateAsOperator(ctx context.Context, username string, req TokenRequest) (*store.APIToken, string, error) {
	if err := t.validate(&req); err != nil {
		return nil, "", err
	}
	var userID int64
	err := t.DB.Read(ctx, func(tx *store.Tx) error {
		u, _, err := store.FindUserCredentials(ctx, tx, username)
		if approdo.ErrorCode(err) == approdo.ENOTFOUND {
			return approdo.Errorf(approdo.ENOTFOUND, "error.token_unknown_user", username)
		} else if err != nil {
			return err
		}
		if !u.Active {
			return approdo.Errorf(approdo.EINVALID, "error.token_user_inactive", username)
		}
		userID = u.ID
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return t.issue(ctx, userID, req, audit.Entry{})
}

// issue makes a token for userID, stores its hash and appends the audit
// entry by in the same transaction. A prefix already taken, which happens
// about once in a billion tokens, is drawn again.
func (t *Tokens) issue(ctx context.Context, userID int64, req TokenRequest, by audit.Entry) (*store.APIToken, string, error) {
	now := t.Now().UTC().Truncate(time.Microsecond)
	for attempt := 0; ; attempt++ {
		value, err := newTokenValue()
		if err != nil {
			return nil, "", err
		}
		tok := &store.APIToken{UserID: userID, Name: req.Name, Prefix: value[:tokenPrefixLen],
			Hash: hashToken(value), CreatedAt: now, ExpiresAt: now.Add(req.Lifetime)}
		err = t.DB.Write(ctx, func(tx *store.Tx) error {
			if err := store.InsertAPIToken(ctx, tx, tok); err != nil {
				return err
			}
			e := by
			e.At, e.Action, e.RecordType, e.RecordID = now, audit.TokenCreate, tokenRecord, strconv.FormatInt(tok.ID, 10)
			e.Fields = []string{"name", "expires_at"}
			return audit.Append(ctx, tx, &e)
		})
		if approdo.ErrorCode(err) == approdo.ECONFLICT && attempt < 3 {
			continue
		} else if err != nil {
			return nil, "", err
		}
		return tok, value, nil
	}
}

// newTokenValue draws a new token value.
func newTokenValue() (string, error) {
	b := make([]byte, tokenLookupLen+32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: unable to make an API token: %w", err)
	}
	lookup := make([]byte, tokenLookupLen)
	for i := range lookup {
		lookup[i] = tokenAlphabet[b[i]%32]
	}
	return TokenMark + string(lookup) + "_" + tokenEncoding.EncodeToString(b[tokenLookupLen:]), nil
}

// tokenPrefix returns the prefix of a well-formed token value and whether
// it is one.
func tokenPrefix(value string) (string, bool) {
	if len(value) != tokenLen || !strings.HasPrefix(value, TokenMark) || value[tokenPrefixLen] != '_' {
		return "", false
	}
	for i := len(TokenMark); i < len(value); i++ {
		if i != tokenPrefixLen && strings.IndexByte(tokenAlphabet, value[i]) < 0 {
			return "", false
		}
	}
	return value[:tokenPrefixLen], true
}

// Authenticate returns the actor of a token value, with the grants of its
// owner's roles resolved as for a session, and records the token's use at
// most once a minute. A malformed or unknown token, and one whose owner was
// deactivated, is EUNAUTHORIZED "error.token_invalid"; an expired or revoked
// one, or one whose owner must first set up a second factor, is
// EUNAUTHORIZED with a message that says so.
func (t *Tokens) Authenticate(ctx context.Context, value string) (*Actor, error) {
	invalid := approdo.Errorf(approdo.EUNAUTHORIZED, "error.token_invalid")
	prefix, ok := tokenPrefix(value)
	if !ok {
		return nil, invalid
	}
	now := t.Now().UTC()
	var a Actor
	err := t.DB.Read(ctx, func(tx *store.Tx) error {
		tok, err := store.FindAPITokenByPrefix(ctx, tx, prefix)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare(hashToken(value), tok.Hash) != 1 {
			return invalid
		}
		switch tok.State(now) {
		case store.TokenRevoked:
			return approdo.Errorf(approdo.EUNAUTHORIZED, "error.token_revoked")
		case store.TokenExpired:
			return approdo.Errorf(approdo.EUNAUTHORIZED, "error.token_expired")
		}
		a.Token = tok
		u, err := store.FindUser(ctx, tx, tok.UserID)
		if err != nil {
			return err
		}
		if !u.Active {
			return invalid
		}
		a.User = *u
		org, err := store.FindOrganisation(ctx, tx, u.OrganisationID)
		if err != nil {
			return err
		}
		a.Organisation = *org
		if err := t.Roles.resolve(ctx, tx, &a); err != nil {
			return err
		}
		a.SecondFactor, err = store.HasSecondFactor(ctx, tx, u.ID)
		return err
	})
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	if t.Sessions.mustEnrol(&a) {
		return nil, approdo.Errorf(approdo.EUNAUTHORIZED, "error.token_second_factor")
	}
	if now.Sub(a.Token.LastUsedAt) >= touchEvery {
		err := t.DB.Write(ctx, func(tx *store.Tx) error {
			return store.TouchAPIToken(ctx, tx, a.Token.ID, now, touchEvery)
		})
		if err != nil {
			return nil, err
		}
		a.Token.LastUsedAt = now
	}
	return &a, nil
}

// List returns the tokens of the actor's own user, revoked and expired ones
// included, newest first.
func (t *Tokens) List(ctx context.Context, a *Actor) ([]store.APIToken, error) {
	var out []store.APIToken
	err := t.DB.Read(ctx, func(tx *store.Tx) error {
		all, err := store.ListUserAPITokens(ctx, tx, a.UserID())
		for _, tok := range all {
			if Allowed(a, access.Manage, Target{Resource: access.Tokens, OwnerID: tok.UserID}) {
				out = append(out, tok)
			}
		}
		return err
	})
	return out, err
}

// Find returns the token with the given id when the policy lets the actor
// manage it, and ENOTFOUND otherwise, whether or not it exists.
func (t *Tokens) Find(ctx context.Context, a *Actor, id int64) (*store.APIToken, error) {
	var tok *store.APIToken
	err := t.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		tok, err = findManaged(ctx, tx, a, id)
		return err
	})
	return tok, err
}

// findManaged loads a token the actor may manage, or returns ENOTFOUND.
func findManaged(ctx context.Context, tx *store.Tx, a *Actor, id int64) (*store.APIToken, error) {
	tok, err := store.FindAPIToken(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !Allowed(a, access.Manage, Target{Resource: access.Tokens, OwnerID: tok.UserID}) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return tok, nil
}

// Revoke revokes the token with the given id, which stops working at once,
// and returns it. It returns ENOTFOUND when there is no such token or the
// policy does not let the actor manage it. Revoking a revoked token changes
// nothing and writes no audit entry.
func (t *Tokens) Revoke(ctx context.Context, a *Actor, id int64) (*store.APIToken, error) {
	var tok *store.APIToken
	err := t.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if tok, err = findManaged(ctx, tx, a, id); err != nil {
			return err
		}
		return revokeToken(ctx, tx, tok, t.Now(), audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Client: ClientFrom(ctx)})
	})
	return tok, err
}

// RevokeAsOperator revokes the token with the given id for the operator at
// the command line; the audit log records it as done by Approdo itself. It
// returns ENOTFOUND when there is no such token.
func (t *Tokens) RevokeAsOperator(ctx context.Context, id int64) (*store.APIToken, error) {
	var tok *store.APIToken
	err := t.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if tok, err = store.FindAPIToken(ctx, tx, id); err != nil {
			return err
		}
		return revokeToken(ctx, tx, tok, t.Now(), audit.Entry{})
	})
	return tok, err
}

// revokeToken revokes tok at now inside tx and appends the audit entry by,
// unless tok was revoked already.
func revokeToken(ctx context.Context, tx *store.Tx, tok *store.APIToken, now time.Time, by audit.Entry) error {
	now = now.UTC().Truncate(time.Microsecond)
	changed, err := store.RevokeAPIToken(ctx, tx, tok.ID, now)
	if err != nil || !changed {
		return err
	}
	tok.RevokedAt = now
	by.At, by.Action, by.RecordType, by.RecordID = now, audit.TokenRevoke, tokenRecord, strconv.FormatInt(tok.ID, 10)
	return audit.Append(ctx, tx, &by)
}

// revokeUserTokens revokes, inside tx, every token of a user that is still
// active at now, with one audit entry each, as done by the user themselves.
func revokeUserTokens(ctx context.Context, tx *store.Tx, userID int64, now time.Time) error {
	tokens, err := store.ListUserAPITokens(ctx, tx, userID)
	if err != nil {
		return err
	}
	var orgID int64
	for i := range tokens {
		if tokens[i].State(now) != store.TokenActive {
			continue
		}
		if orgID == 0 {
			u, err := store.FindUser(ctx, tx, userID)
			if err != nil {
				return err
			}
			orgID = u.OrganisationID
		}
		if err := revokeToken(ctx, tx, &tokens[i], now, audit.Entry{ActorID: userID, ActorOrgID: orgID, Client: ClientFrom(ctx)}); err != nil {
			return err
		}
	}
	return nil
}
