package casework

import (
	"context"
	"slices"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/projects"
)

// ProjectDocument is an approved version of a case's project with what its
// printed documents name: the programme, the person as the reader may see
// them, the organisations and people who signed it.
type ProjectDocument struct {
	Case      *cases.Case
	Programme string
	// Person and Birth are the main person's name and birth date, empty
	// when the reader may not see identities or the case has no main
	// person.
	Person string
	Birth  cases.BirthDate
	// Number is the version's number, ApprovedAt when it was approved.
	Number     int
	ApprovedAt time.Time
	Content    projects.Content
	// Interventions is the catalogue, which names the actions' codes.
	Interventions []projects.Intervention
	// Organisations and People hold the organisations and the people the
	// version names, by ID.
	Organisations map[int64]string
	People        map[int64]string
	// The signatories of the version: who drafted, co-signed and approved
	// it, with their organisations. Drafter and co-signer are known only
	// for the last approved version, until a new draft replaces them.
	DraftedBy, DraftedOrg   string
	CoSignedBy, CoSignedOrg string
	ApprovedBy, ApproverOrg string
	// NextReview is when the version's first review falls due.
	NextReview time.Time
}

// ProjectDocument returns version number of the approved project of case
// id (its last approved version when number is 0), for the documents
// printed from it, and records the read as part. It is ENOTFOUND when a may
// not read the project or the version does not exist, and ECONFLICT
// ("error.project.nothing_to_print") before the first approval. Problems are
// those the caller met reading the request, reported as EINVALID once the
// policy has let a through.
func (s *Service) ProjectDocument(ctx context.Context, a *auth.Actor, id int64, number int, part string, problems []approdo.FieldError, client string) (*ProjectDocument, error) {
	d := &ProjectDocument{Organisations: map[int64]string{}, People: map[int64]string{}}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.projectCase(ctx, tx, a, id, access.Read)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		d.Case = c
		stored, err := store.FindProject(ctx, tx, id)
		if err != nil {
			return err
		}
		if stored == nil || stored.Number == 0 {
			return approdo.Errorf(approdo.ECONFLICT, "error.project.nothing_to_print")
		}
		versions, err := store.ListProjectVersions(ctx, tx, stored.ID)
		if err != nil {
			return err
		}
		if number == 0 {
			number = stored.Number
		}
		i := slices.IndexFunc(versions, func(v store.StoredVersion) bool { return v.Number == number })
		if i < 0 {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		version := versions[i]
		p, err := s.openProject(ctx, &store.StoredProject{Project: projects.Project{CaseID: id}, ContentSealed: version.ContentSealed})
		if err != nil {
			return err
		}
		d.Number, d.ApprovedAt, d.Content = version.Number, version.ApprovedAt, p.Content
		d.NextReview = firstReview(&d.Content)
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		if prog, ok := n.programmes[c.ProgrammeID]; ok {
			d.Programme = prog.Name
		}
		if d.Interventions, _, err = catalogue(ctx, tx); err != nil {
			return err
		}
		for _, g := range d.Content.Goals {
			for _, x := range g.Actions {
				d.Organisations[x.ResponsibleOrgID] = n.orgs[x.ResponsibleOrgID].Name
				if x.ResponsibleUserID != 0 {
					d.People[x.ResponsibleUserID] = n.users[x.ResponsibleUserID].DisplayName
				}
			}
		}
		signatory := func(id int64) (string, string) {
			u, ok := n.users[id]
			if !ok {
				return "", ""
			}
			return u.DisplayName, n.orgs[u.OrganisationID].Name
		}
		d.ApprovedBy, d.ApproverOrg = signatory(version.ApprovedBy)
		if stored.Status == projects.Approved && stored.Number == number {
			d.DraftedBy, d.DraftedOrg = signatory(stored.DraftedBy)
			d.CoSignedBy, d.CoSignedOrg = signatory(stored.CoSignedBy)
		}
		return s.documentPerson(ctx, tx, a, c, d)
	})
	if err != nil {
		return nil, err
	}
	return d, s.recordRead(ctx, a, id, part, client)
}

// documentPerson names the main person of case c in d when a may see
// identities and read the case itself; a lead entity that reads only the
// project prints the case's code alone.
func (s *Service) documentPerson(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, d *ProjectDocument) error {
	if !auth.Allowed(a, access.Read, Target(c, access.Cases)) || !visibility(a, c).Identity {
		return nil
	}
	places, err := store.ListCasePersons(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(places, func(cp store.CasePerson) bool { return cp.Role == cases.MainPerson })
	if i < 0 {
		return nil
	}
	views, err := s.views(ctx, tx, a, c, places[i:i+1])
	if err != nil {
		return err
	}
	d.Person, d.Birth = views[0].Identity.PrimaryName(), views[0].Birth
	return nil
}

// OrganisationName returns the name of organisation id as the document
// prints it.
func (d *ProjectDocument) OrganisationName(id int64) string { return d.Organisations[id] }
