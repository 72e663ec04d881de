// Package auth signs people in and out, keeps their server-side sessions and
// carries the signed-in actor through a request. The policy that decides what
// an actor may do is in policy.go.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"approdo"
	"approdo/internal/audit"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/network"
	"approdo/referrals"
)

// Actor is the person behind a request: the user, their organisation, the
// session or token they came with, and what the policy grants them.
type Actor struct {
	User         network.User
	Organisation network.Organisation
	Session      *store.Session
	// Token is the API token the request came with, instead of a session;
	// nil for a session. Exactly one of Session and Token is set.
	Token  *store.APIToken
	Grants Grants
	// LedProgrammeIDs are the programmes the actor's organisation leads.
	LedProgrammeIDs []int64
	// TeamCaseIDs are cases the actor reaches as if on their team without
	// being on it: an active break-glass access.
	TeamCaseIDs []int64
	// Referred holds, by case, the sections of cases that accepted
	// referrals to the actor's organisation share with it while the
	// person's consent stands. SharedSection says whether the actor may
	// read one.
	Referred map[int64][]referrals.Section
	// SecondFactor reports whether the user has a second factor in use.
	SecondFactor bool
	// MustEnrol reports whether a role of the user asks for a second factor
	// that they have not set up yet: until they do, only gates marked
	// Enrolling admit them, and the policy grants them nothing.
	MustEnrol bool
}

type actorKey struct{}

// WithActor returns a context that carries a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of the request, or nil when nobody is signed in.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Sessions signs users in and out and looks up sessions.
type Sessions struct {
	DB    *store.DB
	Roles *RoleBook
	// IdleTimeout ends a session not used for this long.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in, used or not.
	AbsoluteTimeout time.Duration
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Throttle limits failed sign-ins.
	Throttle Throttle
	// Vault seals the secrets of second factors; without it nobody can set
	// one up.
	Vault *vault.Vault
	// SecondFactorOptional relaxes the rule that users whose roles ask for
	// a second factor must set one up before anything else (for the demo).
	// Users who have one are still asked for it.
	SecondFactorOptional bool

	cache actorCache
}

// NewSessions returns a session service with an idle expiry of one hour, an
// absolute expiry of twelve hours, the length of a long working day, and the
// default throttle of failed sign-ins.
func NewSessions(db *store.DB, roles *RoleBook) *Sessions {
	return &Sessions{DB: db, Roles: roles, IdleTimeout: time.Hour, AbsoluteTimeout: 12 * time.Hour, Now: time.Now,
		Throttle: DefaultThrottle}
}

// touchEvery limits how often a session's last use is written, so that reads
// do not each cost a write.
const touchEvery = time.Minute

// Authenticate returns the actor of a session token. An unknown, expired or
// idle session, or one whose user was deactivated, is EUNAUTHORIZED; expired
// sessions are removed.
func (s *Sessions) Authenticate(ctx context.Context, token string) (*Actor, error) {
	if token == "" {
		return nil, approdo.Errorf(approdo.EUNAUTHORIZED, "error.signin_required")
	}
	h := hashToken(token)
	now := s.Now().UTC()
	a, err := s.load(ctx, h, now)
	if err != nil {
		return nil, err
	}
	if now.After(a.Session.ExpiresAt) || now.Sub(a.Session.LastSeenAt) > s.IdleTimeout || !a.User.Active {
		if err := s.Logout(ctx, token); err != nil {
			return nil, err
		}
		return nil, approdo.Errorf(approdo.EUNAUTHORIZED, "error.session_expired")
	}
	if now.Sub(a.Session.LastSeenAt) > touchEvery {
		if err := s.DB.Write(ctx, func(tx *store.Tx) error { return store.TouchSession(ctx, tx, h, now) }); err != nil {
			return nil, err
		}
		session := *a.Session
		session.LastSeenAt = now
		a.Session = &session
		s.cache.seen(h, now)
	}
	a.MustEnrol = s.mustEnrol(a)
	return a, nil
}

// load returns the actor of the session whose token hashes to h: from the
// cache when it was loaded less than ActorCacheFor ago and access has not
// changed since, otherwise from the database.
func (s *Sessions) load(ctx context.Context, h []byte, now time.Time) (*Actor, error) {
	if a, ok := s.cache.get(h, now, ActorCacheFor); ok {
		return a, nil
	}
	gen := accessGeneration.Load()
	var a Actor
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		sess, err := store.FindSession(ctx, tx, h)
		if err != nil {
			return err
		}
		a.Session = sess
		u, err := store.FindUser(ctx, tx, sess.UserID)
		if err != nil {
			return err
		}
		a.User = *u
		org, err := store.FindOrganisation(ctx, tx, u.OrganisationID)
		if err != nil {
			return err
		}
		a.Organisation = *org
		if a.SecondFactor, err = store.HasSecondFactor(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.Roles.resolve(ctx, tx, &a)
	})
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return nil, approdo.Errorf(approdo.EUNAUTHORIZED, "error.signin_required")
	} else if err != nil {
		return nil, err
	}
	s.cache.put(h, &a, now, gen)
	return &a, nil
}

// Logout ends the session of token. Ending an unknown session is not an
// error.
func (s *Sessions) Logout(ctx context.Context, token string) error {
	defer AccessChanged()
	return s.DB.Write(ctx, func(tx *store.Tx) error { return store.DeleteSession(ctx, tx, hashToken(token)) })
}

// LogoutEverywhere ends every session of a user and revokes every API token
// they hold, with an audit entry for each token, so that someone who took
// over a session cannot keep access through a token they made with it. It
// is audited, with the client of ctx (WithClient).
func (s *Sessions) LogoutEverywhere(ctx context.Context, userID int64) error {
	defer AccessChanged()
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if _, err := store.DeleteUserSessions(ctx, tx, userID); err != nil {
			return err
		}
		if err := store.DeleteUserPendingLogins(ctx, tx, userID); err != nil {
			return err
		}
		if err := revokeUserTokens(ctx, tx, userID, s.Now()); err != nil {
			return err
		}
		u, err := store.FindUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{At: s.Now(), ActorID: u.ID, ActorOrgID: u.OrganisationID,
			Action: audit.LogoutEverywhere, RecordType: "user", RecordID: strconv.FormatInt(u.ID, 10), Client: ClientFrom(ctx)})
	})
}

// randomToken returns 256 random bits, base64url-encoded.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: unable to make a token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

type csrfKey struct{}

// WithCSRF returns a context that carries the request's anti-forgery token,
// for forms to embed.
func WithCSRF(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey{}, token)
}

// CSRFFrom returns the request's anti-forgery token, or "".
func CSRFFrom(ctx context.Context) string {
	t, _ := ctx.Value(csrfKey{}).(string)
	return t
}

// NewCSRFToken returns a fresh anti-forgery token for a visitor who is not
// signed in.
func NewCSRFToken() (string, error) { return randomToken() }

// UserID returns the id of the actor's user, or 0 for nobody.
func (a *Actor) UserID() int64 {
	if a == nil {
		return 0
	}
	return a.User.ID
}
