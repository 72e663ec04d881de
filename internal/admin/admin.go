// Package admin administers the network: its territorial areas,
// organisations, programmes, users and roles. It is the one place where a
// change to them is authorised, checked, stored and audited, all in one
// transaction, so that the web UI and the JSON API, which both call it, only
// translate requests and answers and can never disagree.
//
// Every method takes the acting user. A record the actor may not manage is
// reported as ENOTFOUND, never as forbidden, so that its existence does not
// leak. Bad input is EINVALID naming each field at fault; an edit made from a
// version of the record that is no longer current is ECONFLICT with the
// message "error.stale_version", and nothing is written.
package admin

import (
	"context"
	"strconv"
	"time"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
)

// StaleVersion is the catalogue key of the ECONFLICT error of an edit made
// from an old version of a record.
const StaleVersion = "error.stale_version"

// IsStale reports whether err refuses an edit made from an old version.
func IsStale(err error) bool {
	key, _ := approdo.ErrorMessage(err)
	return approdo.ErrorCode(err) == approdo.ECONFLICT && key == StaleVersion
}

// Service administers the network.
type Service struct {
	DB *store.DB
	// RoleBook is told to forget its cached roles after a change, so that
	// the change applies at once on this instance.
	RoleBook *auth.RoleBook
	// InvitationTTL is how long an invitation link works.
	InvitationTTL time.Duration
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// New returns the administration service over db, whose invitations work
// for seven days.
func New(db *store.DB, roles *auth.RoleBook) *Service {
	return &Service{DB: db, RoleBook: roles, InvitationTTL: 7 * 24 * time.Hour, Now: time.Now}
}

// notFound is the answer to a record the actor may not manage.
func notFound() error { return approdo.Errorf(approdo.ENOTFOUND, "error.not_found") }

// allow returns nil when a may take v on t, and ENOTFOUND otherwise.
func allow(a *auth.Actor, v access.Verb, t auth.Target) error {
	if !auth.Allowed(a, v, t) {
		return notFound()
	}
	return nil
}

// entry returns an audit entry of a's action on a record, naming the
// fields, never their values.
func entry(ctx context.Context, a *auth.Actor, action audit.Action, recordType string, id int64, fields []string) *audit.Entry {
	return &audit.Entry{ActorID: a.UserID(), ActorOrgID: a.Organisation.ID, Action: action, RecordType: recordType,
		RecordID: strconv.FormatInt(id, 10), Fields: fields, Client: auth.ClientFrom(ctx)}
}

// codeTaken adds the field "code" to the ECONFLICT error of a duplicate
// code, so that a form shows it beside the field.
func codeTaken(err error, field string) error {
	key, args := approdo.ErrorMessage(err)
	if approdo.ErrorCode(err) != approdo.ECONFLICT || key != "error.code_taken" {
		return err
	}
	return &approdo.Error{Code: approdo.ECONFLICT, Message: key, Args: args,
		Fields: []approdo.FieldError{{Field: field, Message: "error.field.taken"}}}
}

// refs collects references to records that do not exist.
type refs []approdo.FieldError

func (r *refs) check(field string, err error) error {
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		*r = append(*r, approdo.FieldError{Field: field, Message: "error.field.unknown_reference"})
		return nil
	}
	return err
}

func (r refs) err() error {
	if len(r) == 0 {
		return nil
	}
	return approdo.Invalid(r...)
}

// area records a problem on field unless area id exists.
func (r *refs) area(ctx context.Context, tx *store.Tx, field string, id int64) error {
	_, err := store.FindArea(ctx, tx, id)
	return r.check(field, err)
}

// organisation records a problem on field unless organisation id exists.
func (r *refs) organisation(ctx context.Context, tx *store.Tx, field string, id int64) error {
	_, err := store.FindOrganisation(ctx, tx, id)
	return r.check(field, err)
}

// stale returns the ECONFLICT error of an edit made from version when the
// record is at current.
func stale(version, current int) error {
	if version != current {
		return approdo.Errorf(approdo.ECONFLICT, StaleVersion)
	}
	return nil
}

// keepOnFailure remembers *version and returns a function that puts it back
// when *err is not nil, so that a caller whose edit was refused, and whose
// transaction rolled back, still holds the version it edited from. Use it
// as defer keepOnFailure(&x.Version)(&err).
func keepOnFailure(version *int) func(err *error) {
	was := *version
	return func(err *error) {
		if *err != nil {
			*version = was
		}
	}
}
