package casework

import (
	"context"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/projects"
)

// The catalogue of interventions that the actions of projects draw on is
// read by whoever drafts projects and edited by whoever the policy lets
// update interventions (the administrators). An edit names the version it
// was made from; one made from an old version is ECONFLICT
// ("error.stale_version") and writes nothing. Entries are retired, never
// deleted: see projects.CheckRetired for what that means for projects.

// interventionRecord is what audit entries name an entry of the catalogue by.
const interventionRecord = "intervention"

// interventionTarget is the entry of the catalogue as the policy sees it: a
// record of the whole network.
var interventionTarget = auth.Target{Resource: access.Interventions}

// editsInterventions reports whether a may edit the catalogue.
func editsInterventions(a *auth.Actor) bool {
	return auth.Allowed(a, access.Update, interventionTarget)
}

// Interventions returns the whole catalogue, retired entries included, in
// its order, to those who edit it and to those who may draft projects (who
// update cases somewhere); it is ENOTFOUND for anyone else.
func (s *Service) Interventions(ctx context.Context, a *auth.Actor) ([]projects.Intervention, error) {
	if !editsInterventions(a) && !auth.Can(a, access.Update, access.Cases) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	var out []projects.Intervention
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = store.ListInterventions(ctx, tx)
		return err
	})
	return out, err
}

// Intervention returns the entry of the catalogue with the given code to
// those who edit the catalogue; it is ENOTFOUND for others and for an
// unknown code.
func (s *Service) Intervention(ctx context.Context, a *auth.Actor, code string) (*projects.Intervention, error) {
	if !editsInterventions(a) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	var out *projects.Intervention
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = store.FindIntervention(ctx, tx, code)
		return err
	})
	return out, err
}

// CreateIntervention adds i to the catalogue, audited, and sets its
// version (and its position, last, when i has none). It returns ENOTFOUND
// to those who may not add entries, EINVALID naming each field at fault
// (see projects.Intervention.Validate), and ECONFLICT ("error.code_taken",
// on the field "code") for a code in use. Nothing is written on error.
func (s *Service) CreateIntervention(ctx context.Context, a *auth.Actor, i *projects.Intervention, client string) error {
	if !auth.Allowed(a, access.Create, interventionTarget) {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	i.Normalize()
	if err := i.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.InsertIntervention(ctx, tx, i); err != nil {
			return codeTakenOn(err, "code")
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: interventionRecord, RecordID: i.Code, Fields: (&projects.Intervention{}).Changes(i), Client: client})
	})
}

// UpdateIntervention saves the entry i.Code of the catalogue from i, edited
// from i.Version: its names, kinds, caps, budget line, position and whether
// it is still offered (retiring it or offering it again); a position of 0
// keeps the entry where it is. The change is
// audited with the names of the fields changed; an edit that changes
// nothing writes nothing. On success i holds the stored version. It
// returns ENOTFOUND to those who may not edit the catalogue and for an
// unknown code (before the input is judged), EINVALID naming each field at
// fault, and ECONFLICT ("error.stale_version") when the entry was edited
// since i.Version.
func (s *Service) UpdateIntervention(ctx context.Context, a *auth.Actor, i *projects.Intervention, client string) error {
	if !editsInterventions(a) {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	i.Normalize()
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := store.FindIntervention(ctx, tx, i.Code)
		if err != nil {
			return err
		}
		if err := i.Validate(); err != nil {
			return err
		}
		if i.Version != old.Version {
			return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
		}
		if i.Position == 0 {
			i.Position = old.Position
		}
		fields := old.Changes(i)
		if len(fields) == 0 {
			return nil
		}
		if err := store.UpdateIntervention(ctx, tx, i); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: interventionRecord, RecordID: i.Code, Fields: fields, Client: client})
	})
}

// codeTakenOn adds field to the ECONFLICT error of a code in use, so that a
// form shows it beside the field.
func codeTakenOn(err error, field string) error {
	key, args := approdo.ErrorMessage(err)
	if approdo.ErrorCode(err) != approdo.ECONFLICT || key != "error.code_taken" {
		return err
	}
	return &approdo.Error{Code: approdo.ECONFLICT, Message: key, Args: args,
		Fields: []approdo.FieldError{{Field: field, Message: "error.field.taken"}}}
}

// InterventionName returns the name in lang of the entry of the catalogue
// with the given code, retired or not, or the code itself when the
// catalogue does not know it.
func (v *ProjectView) InterventionName(code, lang string) string {
	for _, i := range v.Interventions {
		if i.Code == code {
			return i.Name(lang)
		}
	}
	return code
}
