package admin

import (
	"context"
	"fmt"
	"slices"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// programmeRecord is what audit entries name a programme by.
const programmeRecord = "programme"

// programmeAllowed reports whether a may take v on the programme: the
// programme itself, its lead entity, or one of its areas must be within the
// actor's scopes.
func programmeAllowed(a *auth.Actor, v access.Verb, p *network.Programme) bool {
	t := auth.Target{Resource: access.Programmes, ProgrammeID: p.ID, OrgID: p.LeadOrgID}
	if auth.Allowed(a, v, t) {
		return true
	}
	for _, area := range p.AreaIDs {
		t.AreaID = area
		if auth.Allowed(a, v, t) {
			return true
		}
	}
	return false
}

// Programmes returns every programme the actor may update, with its
// partners, areas and budget lines.
func (s *Service) Programmes(ctx context.Context, a *auth.Actor) ([]network.Programme, error) {
	if !auth.Can(a, access.Update, access.Programmes) {
		return nil, notFound()
	}
	var out []network.Programme
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		all, err := store.ListProgrammes(ctx, tx)
		for _, p := range all {
			if programmeAllowed(a, access.Update, &p) {
				out = append(out, p)
			}
		}
		return err
	})
	return out, err
}

// Programme returns the programme with the given ID for an actor who may
// update it, or ENOTFOUND.
func (s *Service) Programme(ctx context.Context, a *auth.Actor, id int64) (*network.Programme, error) {
	if !auth.Can(a, access.Update, access.Programmes) {
		return nil, notFound()
	}
	var out *network.Programme
	err := s.DB.Read(ctx, func(tx *store.Tx) (err error) {
		if out, err = store.FindProgramme(ctx, tx, id); err != nil {
			return err
		}
		if !programmeAllowed(a, access.Update, out) {
			return notFound()
		}
		return nil
	})
	return out, err
}

// CreateProgramme checks and stores a new programme with its partners,
// areas and budget lines and sets its ID and version. It returns ENOTFOUND
// when a may not create it, EINVALID for bad input or a reference to an
// organisation or area that does not exist, and ECONFLICT on the field
// "code" when the code is taken.
func (s *Service) CreateProgramme(ctx context.Context, a *auth.Actor, p *network.Programme) error {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if !auth.Can(a, access.Create, access.Programmes) {
		return notFound()
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	for i := range p.BudgetLines {
		p.BudgetLines[i].ID = 0
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := checkProgrammeRefs(ctx, tx, p); err != nil {
			return err
		}
		if err := store.InsertProgramme(ctx, tx, p); err != nil {
			return err
		}
		if !programmeAllowed(a, access.Create, p) {
			return notFound()
		}
		return audit.Append(ctx, tx, entry(ctx, a, audit.Create, programmeRecord, p.ID, p.Changes(&network.Programme{})))
	})
	return codeTaken(err, "code")
}

// checkProgrammeRefs returns EINVALID naming each field that refers to an
// organisation or area that does not exist.
func checkProgrammeRefs(ctx context.Context, tx *store.Tx, p *network.Programme) error {
	var r refs
	if err := r.organisation(ctx, tx, "lead_organisation_id", p.LeadOrgID); err != nil {
		return err
	}
	for _, id := range p.PartnerIDs {
		if err := r.organisation(ctx, tx, "partner_ids", id); err != nil {
			return err
		}
	}
	for _, id := range p.AreaIDs {
		if err := r.area(ctx, tx, "area_ids", id); err != nil {
			return err
		}
	}
	for i, l := range p.BudgetLines {
		if l.OrganisationID != 0 {
			if err := r.organisation(ctx, tx, fmt.Sprintf("budget_lines.%d.organisation_id", i), l.OrganisationID); err != nil {
				return err
			}
		}
	}
	return r.err()
}

// UpdateProgramme stores the new fields, partners, areas and budget lines
// of the programme p.ID, edited from p.Version, and moves p to the stored
// version. Budget lines with the ID of a stored line update it, lines
// without an ID are added, and stored lines p no longer holds are removed.
// An edit that changes nothing writes nothing. It returns ENOTFOUND,
// EINVALID, ECONFLICT ("error.stale_version") when the programme was edited
// since p.Version, and ECONFLICT on the field "code" when the code is taken.
func (s *Service) UpdateProgramme(ctx context.Context, a *auth.Actor, p *network.Programme) (err error) {
	// Actors loaded before the change may hold what it changed.
	defer auth.AccessChanged()
	if !auth.Can(a, access.Update, access.Programmes) {
		return notFound()
	}
	p.Normalize()
	lines := slices.Clone(p.BudgetLines)
	defer keepOnFailure(&p.Version)(&err)
	defer func() {
		if err != nil {
			p.BudgetLines = lines
		}
	}()
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := store.FindProgramme(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if !programmeAllowed(a, access.Update, old) {
			return notFound()
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if !programmeAllowed(a, access.Update, p) {
			return notFound()
		}
		if err := stale(p.Version, old.Version); err != nil {
			return err
		}
		if err := checkProgrammeRefs(ctx, tx, p); err != nil {
			return err
		}
		if err := checkLineIDs(old, p); err != nil {
			return err
		}
		p.CreatedAt = old.CreatedAt
		fields := old.Changes(p)
		if len(fields) == 0 {
			p.BudgetLines = old.BudgetLines
			return nil
		}
		if err := store.UpdateProgramme(ctx, tx, p); err != nil {
			return err
		}
		return audit.Append(ctx, tx, entry(ctx, a, audit.Update, programmeRecord, p.ID, fields))
	})
	return codeTaken(err, "code")
}

// checkLineIDs returns EINVALID when a budget line of p names an ID that is
// not one of old's lines, or names one twice.
func checkLineIDs(old, p *network.Programme) error {
	var r refs
	known := map[int64]bool{}
	for _, l := range old.BudgetLines {
		known[l.ID] = true
	}
	for i, l := range p.BudgetLines {
		if l.ID == 0 {
			continue
		}
		if !known[l.ID] {
			r = append(r, approdo.FieldError{Field: fmt.Sprintf("budget_lines.%d.id", i), Message: "error.field.unknown_reference"})
		}
		known[l.ID] = false
	}
	return r.err()
}
