package auth

import (
	"context"
	"strconv"
	"time"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/store"
)

// PasswordChange is a user's request to change their own password.
type PasswordChange struct {
	Current string
	New     string
	// Confirm, when not nil, is the new password typed a second time, as
	// forms ask; the API has no such field.
	Confirm *string
}

// ChangePassword changes the actor's own password. The current password
// must be right and the new one must pass CheckPassword. Every other session
// of the actor ends, and so does any sign-in half done, so that whoever
// knew the old password is out; the session the change was made in stays.
//
// Invalid input is EINVALID naming the fields "current_password",
// "new_password" and "new_password_confirm". A wrong current password counts
// as a failed sign-in and is audited as one, so that a session left open
// cannot be used to guess the password; a locked account is ETOOMANY.
func (s *Sessions) ChangePassword(ctx context.Context, a *Actor, c PasswordChange, client string) error {
	defer AccessChanged()
	if !Allowed(a, access.Update, Target{Resource: access.Users, OwnerID: a.User.ID, OrgID: a.Organisation.ID}) {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	var problems []approdo.FieldError
	if c.Current == "" {
		problems = append(problems, approdo.FieldError{Field: "current_password", Message: "error.field.required"})
	}
	if c.New == "" {
		problems = append(problems, approdo.FieldError{Field: "new_password", Message: "error.field.required"})
	} else if err := CheckPassword(c.New); err != nil {
		for _, f := range approdo.ErrorFields(err) {
			f.Field = "new_password"
			problems = append(problems, f)
		}
	}
	if c.Confirm != nil && *c.Confirm != c.New && c.New != "" {
		problems = append(problems, approdo.FieldError{Field: "new_password_confirm", Message: "error.field.password_mismatch"})
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}

	now := s.Now().UTC()
	account, address := accountSubject(a.User.Username), addressSubject(client)
	var hash string
	var locked time.Time
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if locked, err = store.LoginLockedUntil(ctx, tx, now, account, address); err != nil {
			return err
		}
		hash, err = store.FindPasswordHash(ctx, tx, a.User.ID)
		return err
	})
	if err != nil {
		return err
	}
	if !locked.IsZero() {
		return s.refuseLocked(ctx, &a.User, client, now, locked)
	}
	if !VerifyPassword(hash, c.Current) {
		err := s.failLogin(ctx, &a.User, client, account, address, now, "current_password")
		if approdo.ErrorCode(err) == approdo.ETOOMANY {
			return err
		}
		return approdo.Invalid(approdo.FieldError{Field: "current_password", Message: "error.field.password_current_wrong"})
	}
	if c.New == c.Current {
		return approdo.Invalid(approdo.FieldError{Field: "new_password", Message: "error.field.password_unchanged"})
	}
	newHash, err := HashPassword(c.New)
	if err != nil {
		return err
	}
	var keep []byte
	if a.Session != nil {
		keep = a.Session.TokenHash
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.SetUserPassword(ctx, tx, a.User.ID, newHash); err != nil {
			return err
		}
		if _, err := store.DeleteOtherSessions(ctx, tx, a.User.ID, keep); err != nil {
			return err
		}
		if err := store.DeleteUserPendingLogins(ctx, tx, a.User.ID); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{At: now, ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Update, RecordType: "user", RecordID: strconv.FormatInt(a.User.ID, 10),
			Fields: []string{"password"}, Client: client})
	})
}
