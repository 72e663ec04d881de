package admin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// Invitation is a link by which a user chooses their own password:
// administrators never set or see one. Its token is shown once, to the
// administrator who hands it over, and only its hash is stored.
type Invitation struct {
	ID        int64
	UserID    int64
	Token     string
	ExpiresAt time.Time
}

// Path returns the path of the invitation's page.
func (i *Invitation) Path() string { return "/invitation/" + i.Token }

// invalidInvitation is the one answer to a token that is unknown, used,
// expired or whose user was deactivated, so that the page does not tell
// which.
func invalidInvitation() error {
	return approdo.Errorf(approdo.ENOTFOUND, "error.invitation_invalid")
}

// invite issues a new invitation to the user, withdrawing any earlier one,
// and audits it.
func (s *Service) invite(ctx context.Context, tx *store.Tx, a *auth.Actor, userID int64) (*Invitation, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("admin: unable to make an invitation token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.Now().UTC().Truncate(time.Microsecond)
	if err := store.WithdrawInvitations(ctx, tx, userID, now); err != nil {
		return nil, err
	}
	inv := &store.Invitation{TokenHash: hashToken(token), UserID: userID, CreatedBy: a.UserID(), CreatedAt: now,
		ExpiresAt: now.Add(s.InvitationTTL)}
	if err := store.InsertInvitation(ctx, tx, inv); err != nil {
		return nil, err
	}
	e := entry(ctx, a, audit.Invite, userRecord, userID, []string{"invitation"})
	if err := audit.Append(ctx, tx, e); err != nil {
		return nil, err
	}
	return &Invitation{ID: inv.ID, UserID: userID, Token: token, ExpiresAt: inv.ExpiresAt}, nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ReinviteUser issues a new invitation to the active user id, for someone
// whose link expired or who forgot their password; the earlier links stop
// working. It returns ENOTFOUND when a may not manage the user and EINVALID
// for a deactivated user, who must be reactivated first.
func (s *Service) ReinviteUser(ctx context.Context, a *auth.Actor, id int64) (*Invitation, error) {
	if !auth.Can(a, access.Update, access.Users) {
		return nil, notFound()
	}
	var inv *Invitation
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := store.FindUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if !MayManage(a, u) {
			return notFound()
		}
		if !u.Active {
			return approdo.Errorf(approdo.EINVALID, "error.invite_inactive")
		}
		inv, err = s.invite(ctx, tx, a, id)
		return err
	})
	return inv, err
}

// usableInvitation returns the invitation of token and its user while it
// may still be used, and the one invalid-invitation error otherwise.
func (s *Service) usableInvitation(ctx context.Context, tx *store.Tx, token string) (*store.Invitation, *network.User, error) {
	inv, err := store.FindInvitation(ctx, tx, hashToken(token))
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return nil, nil, invalidInvitation()
	} else if err != nil {
		return nil, nil, err
	}
	u, err := store.FindUser(ctx, tx, inv.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !inv.UsedAt.IsZero() || !s.Now().Before(inv.ExpiresAt) || !u.Active {
		return nil, nil, invalidInvitation()
	}
	return inv, u, nil
}

// Invitee returns the user an invitation token is for, for the page where
// they choose their password. A token that is unknown, used or expired, or
// whose user was deactivated, is ENOTFOUND ("error.invitation_invalid").
func (s *Service) Invitee(ctx context.Context, token string) (*network.User, error) {
	var u *network.User
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		_, u, err = s.usableInvitation(ctx, tx, token)
		return err
	})
	return u, err
}

// AcceptInvitation sets the password the invitee chose, if it passes
// auth.CheckPassword, and uses up the invitation, together with every other
// link of the user; any session the user had ends, since a new invitation
// also serves to replace a forgotten password. It returns the user, who may
// now sign in. A token that may not be used is ENOTFOUND
// ("error.invitation_invalid"); a password that breaks a rule is EINVALID on
// the field "password".
func (s *Service) AcceptInvitation(ctx context.Context, token, password string) (*network.User, error) {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if _, err := s.Invitee(ctx, token); err != nil {
		return nil, err
	}
	if err := auth.CheckPassword(password); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	var u *network.User
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		inv, user, err := s.usableInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		u = user
		now := s.Now().UTC().Truncate(time.Microsecond)
		if err := store.UseInvitation(ctx, tx, inv.ID, now); approdo.ErrorCode(err) == approdo.ENOTFOUND {
			return invalidInvitation()
		} else if err != nil {
			return err
		}
		if err := store.WithdrawInvitations(ctx, tx, u.ID, now); err != nil {
			return err
		}
		if err := store.SetUserPassword(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		if _, err := store.DeleteUserSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		u.Version++
		return audit.Append(ctx, tx, &audit.Entry{ActorID: u.ID, ActorOrgID: u.OrganisationID, Action: audit.InvitationAccept,
			RecordType: userRecord, RecordID: fmt.Sprint(u.ID), Fields: []string{"password"}, Client: auth.ClientFrom(ctx)})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
