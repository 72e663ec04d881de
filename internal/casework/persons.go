package casework

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
	namematch "approdo/names"
	"approdo/referrals"
)

// The persons of a case. A person's sensitive fields are sealed by field
// group, each in its own column, and opened only for the groups the actor
// may see on the case they look through: identity (names, arrival place,
// CUI, codice fiscale, the guardian's name, the numbers of documents and the
// descriptions of relatives), judicial (the court that appointed the
// guardian and when), religion, and sexual life (gender). Every person
// write also replaces the person's blind indexes (person_keys), from which
// duplicates and names are found without names in clear.

// Visibility says which sensitive field groups of a person an actor sees.
type Visibility struct {
	Identity, Judicial, Religion, SexualLife bool
}

// visibility returns what a sees of the persons of case c.
func visibility(a *auth.Actor, c *cases.Case) Visibility {
	return Visibility{
		Identity:   auth.SeesField(a, access.Identity, c.OwnerOrgID),
		Judicial:   auth.SeesField(a, access.Judicial, c.OwnerOrgID),
		Religion:   auth.SeesField(a, access.Religion, c.OwnerOrgID),
		SexualLife: auth.SeesField(a, access.SexualLife, c.OwnerOrgID),
	}
}

// everything sees every group, for the service's own comparisons.
var everything = Visibility{Identity: true, Judicial: true, Religion: true, SexualLife: true}

// Hidden lists the groups not seen, by their access.FieldGroup names.
func (v Visibility) Hidden() []string {
	out := []string{}
	for _, g := range []struct {
		group access.FieldGroup
		seen  bool
	}{{access.Identity, v.Identity}, {access.Judicial, v.Judicial}, {access.Religion, v.Religion}, {access.SexualLife, v.SexualLife}} {
		if !g.seen {
			out = append(out, string(g.group))
		}
	}
	return out
}

// PersonView is a person as an actor sees them through one case: the
// groups the actor may not see are left empty, and Sees says which.
type PersonView struct {
	cases.Person
	CaseID  int64
	Role    cases.CaseRole
	AddedAt time.Time
	// MergedFrom is the person whose place in the case this was before a
	// merge, or 0.
	MergedFrom int64
	Sees       Visibility
	// LinkNames holds the names of the linked persons who have a file, by
	// ID, when the actor sees identity.
	LinkNames map[int64]string
	// Today is the day the view was made, for ages and presumed minority.
	Today time.Time
}

// PresumedMinor reports whether the person is to be treated as a minor
// today: while any possible birth date makes them younger than 18.
func (v *PersonView) PresumedMinor() bool { return v.Birth.PresumedMinor(v.Today) }

// AgeRange returns the youngest and oldest age the person may have today.
func (v *PersonView) AgeRange() (int, int) { return v.Birth.AgeRange(v.Today) }

// PersonInput is a person as an operator or a client typed them, with their
// role in the case.
type PersonInput struct {
	Person cases.Person
	Role   cases.CaseRole
	// ConfirmDistinct says that the actor compared the possible duplicates
	// and the person is someone else: without it, adding a person who may
	// be on file already is refused.
	ConfirmDistinct bool
}

// Candidate caps of the duplicate check: the persons read from the blind
// index, those holding the most keys first, and the most of them decrypted
// and compared.
const (
	MaxIndexCandidates = 1000
	MaxComparedPersons = 200
)

// identitySeal is the sealed value of the identity group.
type identitySeal struct {
	Names         []cases.Name `json:"names"`
	ArrivalPlace  string       `json:"arrival_place,omitempty"`
	CUI           string       `json:"cui,omitempty"`
	CodiceFiscale string       `json:"codice_fiscale,omitempty"`
	GuardianName  string       `json:"guardian_name,omitempty"`
}

// judicialSeal is the sealed value of the judicial group.
type judicialSeal struct {
	GuardianCourt       string `json:"guardian_court,omitempty"`
	GuardianAppointedOn string `json:"guardian_appointed_on,omitempty"`
}

// personAAD binds a sealed group to its person.
func personAAD(group string, id int64) []byte {
	return []byte("persons." + group + ":" + strconv.FormatInt(id, 10))
}

func rowAAD(what string, id int64) []byte {
	return []byte(what + ":" + strconv.FormatInt(id, 10))
}

// sealPerson seals the sensitive groups of p, which has its ID.
func sealPerson(v *vault.Vault, p *cases.Person) (store.PersonSeals, error) {
	var s store.PersonSeals
	id, err := json.Marshal(identitySeal{Names: p.Identity.Names, ArrivalPlace: p.Identity.ArrivalPlace, CUI: p.Identity.CUI,
		CodiceFiscale: p.Identity.CodiceFiscale, GuardianName: p.Guardian.Name})
	if err != nil {
		return s, err
	}
	if s.Identity, err = v.SealString(string(id), personAAD("identity", p.ID)); err != nil {
		return s, err
	}
	if p.Guardian.Court != "" || !p.Guardian.AppointedOn.IsZero() {
		j := judicialSeal{GuardianCourt: p.Guardian.Court}
		if !p.Guardian.AppointedOn.IsZero() {
			j.GuardianAppointedOn = p.Guardian.AppointedOn.Format(time.DateOnly)
		}
		b, err := json.Marshal(j)
		if err != nil {
			return s, err
		}
		if s.Judicial, err = v.SealString(string(b), personAAD("judicial", p.ID)); err != nil {
			return s, err
		}
	}
	if p.Religion != "" {
		if s.Religion, err = v.SealString(p.Religion, personAAD("religion", p.ID)); err != nil {
			return s, err
		}
	}
	if p.Gender != "" {
		if s.SexualLife, err = v.SealString(p.Gender, personAAD("sexual_life", p.ID)); err != nil {
			return s, err
		}
	}
	return s, nil
}

// openPerson returns the person sp with the groups sees allows opened, and
// with its documents, permits and links from rows.
func openPerson(ctx context.Context, v *vault.Vault, sp *store.StoredPerson, rows *store.PersonRows, sees Visibility) (*cases.Person, error) {
	p := sp.Person
	p.Identity, p.Guardian, p.Gender, p.Religion = cases.Identity{}, cases.Guardian{}, "", ""
	if sees.Identity {
		if err := openIdentity(ctx, v, sp, &p); err != nil {
			return nil, err
		}
	}
	if sees.Judicial && sp.Seals.Judicial != "" {
		s, err := v.OpenString(ctx, sp.Seals.Judicial, personAAD("judicial", sp.ID))
		if err != nil {
			return nil, err
		}
		var j judicialSeal
		if err := json.Unmarshal([]byte(s), &j); err != nil {
			return nil, fmt.Errorf("casework: person %d has a malformed judicial group: %w", sp.ID, err)
		}
		p.Guardian.Court = j.GuardianCourt
		if j.GuardianAppointedOn != "" {
			p.Guardian.AppointedOn, _ = time.Parse(time.DateOnly, j.GuardianAppointedOn)
		}
	}
	var err error
	if sees.Religion {
		if p.Religion, err = v.OpenString(ctx, sp.Seals.Religion, personAAD("religion", sp.ID)); err != nil {
			return nil, err
		}
	}
	if sees.SexualLife {
		if p.Gender, err = v.OpenString(ctx, sp.Seals.SexualLife, personAAD("sexual_life", sp.ID)); err != nil {
			return nil, err
		}
	}
	p.Documents, p.Permits, p.Links = nil, nil, nil
	if rows == nil {
		return &p, nil
	}
	for _, d := range rows.Documents {
		sealed := d.Number
		d.Number = ""
		if sees.Identity && sealed != "" {
			if d.Number, err = v.OpenString(ctx, sealed, rowAAD("person_documents.number", d.ID)); err != nil {
				return nil, err
			}
		}
		p.Documents = append(p.Documents, d)
	}
	p.Permits = append(p.Permits, rows.Permits...)
	for _, l := range rows.Links {
		sealed := l.Note
		l.Note = ""
		if sees.Identity && sealed != "" {
			if l.Note, err = v.OpenString(ctx, sealed, rowAAD("person_links.note", l.ID)); err != nil {
				return nil, err
			}
		}
		p.Links = append(p.Links, l)
	}
	return &p, nil
}

// openIdentity opens the identity group of sp into p.
func openIdentity(ctx context.Context, v *vault.Vault, sp *store.StoredPerson, p *cases.Person) error {
	if sp.Seals.Identity == "" {
		return nil
	}
	s, err := v.OpenString(ctx, sp.Seals.Identity, personAAD("identity", sp.ID))
	if err != nil {
		return err
	}
	var id identitySeal
	if err := json.Unmarshal([]byte(s), &id); err != nil {
		return fmt.Errorf("casework: person %d has a malformed identity group: %w", sp.ID, err)
	}
	p.Identity = cases.Identity{Names: id.Names, ArrivalPlace: id.ArrivalPlace, CUI: id.CUI, CodiceFiscale: id.CodiceFiscale}
	p.Guardian.Name = id.GuardianName
	return nil
}

// nameKeys returns the blind indexes of a person as stored in person_keys:
// the keys of their names for search (names.Keys), those of the duplicate
// check (duplicateKeys), and their codice fiscale and CUI.
func nameKeys(v *vault.Vault, p *cases.Person) [][]byte {
	var out [][]byte
	for _, n := range p.Identity.Names {
		for _, k := range namematch.Keys(n.Text) {
			out = append(out, v.BlindIndex("name", k.String()))
		}
	}
	for _, k := range duplicateKeys(p.Identity.Texts(), p.Birth) {
		out = append(out, v.BlindIndex("name", k))
	}
	return append(out, identifierKeys(v, p.Identity.CodiceFiscale, p.Identity.CUI)...)
}

// identifierKeys returns the blind indexes of a codice fiscale and a CUI.
func identifierKeys(v *vault.Vault, cf, cui string) [][]byte {
	var out [][]byte
	if cf != "" {
		out = append(out, v.BlindIndex("codice_fiscale", cf))
	}
	if cui != "" {
		out = append(out, v.BlindIndex("cui", cui))
	}
	return out
}

// writeRows writes the documents, permits and links of p anew (fresh for a
// new person, who has none yet), sealing document numbers and descriptions
// of relatives.
func writeRows(ctx context.Context, tx *store.Tx, v *vault.Vault, p *cases.Person, fresh bool) error {
	if !fresh {
		if err := store.DeletePersonRows(ctx, tx, p.ID); err != nil {
			return err
		}
	}
	for i := range p.Documents {
		d := &p.Documents[i]
		if err := store.InsertPersonDocument(ctx, tx, p.ID, d); err != nil {
			return err
		}
		if d.Number != "" {
			sealed, err := v.SealString(d.Number, rowAAD("person_documents.number", d.ID))
			if err != nil {
				return err
			}
			if err := store.SetDocumentNumber(ctx, tx, d.ID, sealed); err != nil {
				return err
			}
		}
	}
	for i := range p.Permits {
		if err := store.InsertPersonPermit(ctx, tx, p.ID, &p.Permits[i]); err != nil {
			return err
		}
	}
	for i := range p.Links {
		l := &p.Links[i]
		if err := store.InsertPersonLink(ctx, tx, p.ID, l); err != nil {
			return err
		}
		if l.Note != "" {
			sealed, err := v.SealString(l.Note, rowAAD("person_links.note", l.ID))
			if err != nil {
				return err
			}
			if err := store.SetLinkNote(ctx, tx, l.ID, sealed); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertPerson stores p as a new person of case caseID with role: its
// clear fields, sealed groups, rows and blind indexes, its place in the
// case, and the timeline event.
func insertPerson(ctx context.Context, tx *store.Tx, v *vault.Vault, caseID int64, role cases.CaseRole, p *cases.Person,
	actorID int64, now time.Time) error {
	if err := store.InsertPerson(ctx, tx, p, keysVersion, now); err != nil {
		return err
	}
	seals, err := sealPerson(v, p)
	if err != nil {
		return err
	}
	if err := store.SetPersonSeals(ctx, tx, p.ID, seals); err != nil {
		return err
	}
	if err := writeRows(ctx, tx, v, p, true); err != nil {
		return err
	}
	if err := store.AddPersonKeys(ctx, tx, p.ID, nameKeys(v, p)); err != nil {
		return err
	}
	if err := store.InsertCasePerson(ctx, tx, &store.CasePerson{CaseID: caseID, PersonID: p.ID, Role: role, AddedAt: now}); err != nil {
		return err
	}
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: caseID, At: now, ActorID: actorID, Kind: cases.PersonAdded,
		RefID: p.ID, Detail: map[string]string{"role": string(role)}})
}

// ImportPerson stores p as a new person of case caseID with role, sealed and
// indexed exactly as AddPerson stores one, with its timeline event, but
// without asking the policy or writing the audit log: it loads data that
// no actor typed, such as the demo network. p must be valid.
func ImportPerson(ctx context.Context, tx *store.Tx, v *vault.Vault, caseID int64, role cases.CaseRole, p *cases.Person, at time.Time) error {
	p.Normalize()
	return insertPerson(ctx, tx, v, caseID, role, p, 0, at.UTC())
}

// PersonRecord returns what stores person p, which has its id, as AddPerson
// stores one: its sealed groups and the blind indexes of its names and
// identifiers, for loaders of data that no actor typed. p must be valid and
// hold no documents, permits or links, which are rows of their own.
func PersonRecord(v *vault.Vault, p *cases.Person) (store.PersonSeals, [][]byte, int, error) {
	p.Normalize()
	seals, err := sealPerson(v, p)
	return seals, nameKeys(v, p), keysVersion, err
}

// updatable loads case id when a may read it in full and update it, and
// answers ENOTFOUND otherwise.
func (s *Service) updatable(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64) (*cases.Case, error) {
	c, err := s.readable(ctx, tx, a, id, referrals.Persons)
	if err != nil {
		return nil, err
	}
	if !auth.Allowed(a, access.Update, Target(c, access.Cases)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return c, nil
}

// UpdatableCase returns case id, for a form that adds or changes its
// persons, with what a sees of them. It returns ENOTFOUND when a may not
// update the case or see the identities of its persons. Nothing of the
// persons is read.
func (s *Service) UpdatableCase(ctx context.Context, a *auth.Actor, id int64) (*cases.Case, Visibility, error) {
	var c *cases.Case
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		c, err = s.updatable(ctx, tx, a, id)
		return err
	})
	if err != nil {
		return nil, Visibility{}, err
	}
	sees := visibility(a, c)
	if !sees.Identity {
		return nil, Visibility{}, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return c, sees, nil
}

// CasePersons returns the persons of case id as a sees them, the main
// person first, and records the read. A case a may not read in full is
// ENOTFOUND.
func (s *Service) CasePersons(ctx context.Context, a *auth.Actor, id int64, client string) (*cases.Case, []PersonView, error) {
	var c *cases.Case
	var out []PersonView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = s.readable(ctx, tx, a, id, referrals.Persons); err != nil {
			return err
		}
		places, err := store.ListCasePersons(ctx, tx, id)
		if err != nil {
			return err
		}
		out, err = s.views(ctx, tx, a, c, places)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return c, out, s.recordRead(ctx, a, id, "persons", client)
}

// CasePerson returns person personID of case id as a sees them, and records
// the read. A case a may not read in full, or a person not in it, is
// ENOTFOUND.
func (s *Service) CasePerson(ctx context.Context, a *auth.Actor, id, personID int64, client string) (*cases.Case, *PersonView, error) {
	var c *cases.Case
	var out []PersonView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = s.readable(ctx, tx, a, id, referrals.Persons); err != nil {
			return err
		}
		place, err := store.FindCasePerson(ctx, tx, id, personID)
		if err != nil {
			return err
		}
		out, err = s.views(ctx, tx, a, c, []store.CasePerson{*place})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return c, &out[0], s.recordRead(ctx, a, id, "persons", client)
}

// PersonOnFile returns person id as a sees them through the first case of
// theirs that a may read in full, and records the read. A person in no case
// a may read, or merged into another, is ENOTFOUND.
func (s *Service) PersonOnFile(ctx context.Context, a *auth.Actor, id int64, client string) (*PersonView, error) {
	var out []PersonView
	var caseID int64
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		places, byID, err := store.CasesOfPersons(ctx, tx, []int64{id})
		if err != nil {
			return err
		}
		for _, cp := range places[id] {
			c := byID[cp.CaseID]
			if auth.Allowed(a, access.Read, Target(c, access.Cases)) {
				caseID = c.ID
				out, err = s.views(ctx, tx, a, c, []store.CasePerson{cp})
				return err
			}
		}
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	})
	if err != nil {
		return nil, err
	}
	return &out[0], s.recordRead(ctx, a, caseID, "persons", client)
}

// views opens the persons at places of case c for a.
func (s *Service) views(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, places []store.CasePerson) ([]PersonView, error) {
	ids := make([]int64, len(places))
	for i, cp := range places {
		ids[i] = cp.PersonID
	}
	stored, err := store.FindPersons(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	rows, err := store.ListPersonRows(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	sees := visibility(a, c)
	today := s.Now().UTC()
	out := make([]PersonView, 0, len(stored))
	var linked []int64
	for i := range stored {
		p, err := openPerson(ctx, s.Vault, &stored[i], rows[stored[i].ID], sees)
		if err != nil {
			return nil, err
		}
		place := places[slices.IndexFunc(places, func(cp store.CasePerson) bool { return cp.PersonID == p.ID })]
		out = append(out, PersonView{Person: *p, CaseID: c.ID, Role: place.Role, AddedAt: place.AddedAt,
			MergedFrom: place.MergedFrom, Sees: sees, Today: today})
		for _, l := range p.Links {
			if l.OtherPersonID != 0 {
				linked = append(linked, l.OtherPersonID)
			}
		}
	}
	if sees.Identity && len(linked) > 0 {
		others, err := store.FindPersons(ctx, tx, linked)
		if err != nil {
			return nil, err
		}
		linkNames := map[int64]string{}
		for i := range others {
			var p cases.Person
			if err := openIdentity(ctx, s.Vault, &others[i], &p); err != nil {
				return nil, err
			}
			linkNames[others[i].ID] = p.Identity.DisplayName()
		}
		for i := range out {
			out[i].LinkNames = linkNames
		}
	}
	return out, nil
}

// AddPerson adds the person in to case caseID, with its role, and returns
// the possible duplicates that stopped it. The person is checked against
// every person on file in the network, whoever holds them: when any may be
// the same and in.ConfirmDistinct is false, nothing is written and the
// error is ECONFLICT on the field "confirm_distinct", with the matches
// returned. It returns ENOTFOUND when a may not update the case or see
// identities on it, and EINVALID naming each field at fault. The new person
// is audited, naming its fields, and recorded on the timeline.
func (s *Service) AddPerson(ctx context.Context, a *auth.Actor, caseID int64, in *PersonInput, client string) (*Duplicates, error) {
	in.Person.ID, in.Person.MergedInto = 0, 0
	now := s.Now().UTC()
	var dups *Duplicates
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.updatable(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		sees := visibility(a, c)
		if !sees.Identity {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		keepHidden(&in.Person, &cases.Person{}, sees)
		if err := s.check(ctx, tx, c, in, now); err != nil {
			return err
		}
		if in.ConfirmDistinct {
			return nil
		}
		dups, err = s.findDuplicates(ctx, tx, a, ProbeOf(&in.Person))
		return err
	})
	if err != nil {
		return nil, err
	}
	if !dups.Empty() {
		if err := s.recordMatches(ctx, a, dups, client); err != nil {
			return nil, err
		}
		return dups, &approdo.Error{Code: approdo.ECONFLICT, Message: "error.person.possible_duplicates",
			Fields: []approdo.FieldError{{Field: "confirm_distinct", Message: "error.field.possible_duplicates"}}}
	}
	return nil, s.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := s.updatable(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		if err := s.check(ctx, tx, c, in, now); err != nil {
			return err
		}
		if err := insertPerson(ctx, tx, s.Vault, caseID, in.Role, &in.Person, a.User.ID, now); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "person", RecordID: strconv.FormatInt(in.Person.ID, 10), CaseID: caseID,
			Fields: append(in.Person.SetFields(), "case_role"), Client: client}); err != nil {
			return err
		}
		return s.birthdayClocks(ctx, tx, a, c, client)
	})
}

// check normalises and validates in for case c: the person's own rules,
// its role (one main person per case) and the persons its links name, who
// must be in the same case.
func (s *Service) check(ctx context.Context, tx *store.Tx, c *cases.Case, in *PersonInput, now time.Time) error {
	in.Person.Normalize()
	var problems []approdo.FieldError
	if err := in.Person.Validate(now); err != nil {
		problems = append(problems, approdo.ErrorFields(err)...)
	}
	places, err := store.ListCasePersons(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	switch {
	case in.Role == "":
		problems = append(problems, approdo.FieldError{Field: "case_role", Message: "error.field.required"})
	case !in.Role.Valid():
		problems = append(problems, approdo.FieldError{Field: "case_role", Message: "error.field.unknown_value"})
	case in.Role == cases.MainPerson:
		for _, cp := range places {
			if cp.Role == cases.MainPerson && cp.PersonID != in.Person.ID {
				problems = append(problems, approdo.FieldError{Field: "case_role", Message: "error.field.main_person_taken"})
			}
		}
	}
	for i, l := range in.Person.Links {
		if l.OtherPersonID == 0 || l.OtherPersonID == in.Person.ID {
			continue
		}
		if !slices.ContainsFunc(places, func(cp store.CasePerson) bool { return cp.PersonID == l.OtherPersonID }) {
			problems = append(problems, approdo.FieldError{Field: "links." + strconv.Itoa(i) + ".other_person_id",
				Message: "error.field.unknown_reference"})
		}
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// keepHidden gives p the stored values of the groups sees hides: an actor
// can neither read nor change what they may not see.
func keepHidden(p, stored *cases.Person, sees Visibility) {
	if !sees.Identity {
		p.Identity = stored.Identity
		p.Guardian.Name = stored.Guardian.Name
		p.Documents = stored.Documents
		p.Links = stored.Links
	}
	if !sees.Judicial {
		p.Guardian.Court, p.Guardian.AppointedOn = stored.Guardian.Court, stored.Guardian.AppointedOn
	}
	if !sees.Religion {
		p.Religion = stored.Religion
	}
	if !sees.SexualLife {
		p.Gender = stored.Gender
	}
}

// UpdatePerson stores the person in.Person of case caseID, edited from
// in.Person.Version, with its role in the case, and moves it to the stored
// version. The groups a may not see keep their stored values. An edit that
// changes nothing writes nothing. It returns ENOTFOUND when a may not
// update the case or the person is not in it, EINVALID naming each field
// at fault, and ECONFLICT ("error.stale_version") when the person was
// changed since in.Person.Version. The change is audited, naming the
// fields, and recorded on the timeline.
func (s *Service) UpdatePerson(ctx context.Context, a *auth.Actor, caseID int64, in *PersonInput, client string) error {
	now := s.Now().UTC()
	var old *cases.Person
	var fields []string
	var oldRole cases.CaseRole
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.updatable(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		place, err := store.FindCasePerson(ctx, tx, caseID, in.Person.ID)
		if err != nil {
			return err
		}
		oldRole = place.Role
		if old, err = s.openFull(ctx, tx, in.Person.ID); err != nil {
			return err
		}
		keepHidden(&in.Person, old, visibility(a, c))
		in.Person.MergedInto = 0
		if err := s.check(ctx, tx, c, in, now); err != nil {
			return err
		}
		if in.Person.Version != old.Version {
			return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
		}
		fields = old.Changes(&in.Person)
		if in.Role != oldRole {
			fields = append(fields, "case_role")
		}
		return nil
	})
	if err != nil || len(fields) == 0 {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := s.updatable(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		if _, err := store.FindCasePerson(ctx, tx, caseID, in.Person.ID); err != nil {
			return err
		}
		if err := store.UpdatePerson(ctx, tx, &in.Person, now); err != nil {
			return err
		}
		seals, err := sealPerson(s.Vault, &in.Person)
		if err != nil {
			return err
		}
		if err := store.SetPersonSeals(ctx, tx, in.Person.ID, seals); err != nil {
			return err
		}
		if slices.ContainsFunc(fields, func(f string) bool { return f == "documents" || f == "permits" || f == "links" }) {
			if err := writeRows(ctx, tx, s.Vault, &in.Person, false); err != nil {
				return err
			}
		} else {
			in.Person.Documents, in.Person.Permits, in.Person.Links = old.Documents, old.Permits, old.Links
		}
		if slices.ContainsFunc(fields, func(f string) bool { return f == "names" || f == "birth" || f == "codice_fiscale" || f == "cui" }) {
			if err := store.ReplacePersonKeys(ctx, tx, in.Person.ID, nameKeys(s.Vault, &in.Person), keysVersion); err != nil {
				return err
			}
		}
		if in.Role != oldRole {
			if err := store.SetCasePersonRole(ctx, tx, caseID, in.Person.ID, in.Role); err != nil {
				return err
			}
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: "person", RecordID: strconv.FormatInt(in.Person.ID, 10), CaseID: caseID, Fields: fields,
			Client: client}); err != nil {
			return err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: caseID, At: now, ActorID: a.User.ID,
			Kind: cases.PersonChanged, RefID: in.Person.ID, Detail: map[string]string{"fields": strings.Join(fields, ",")}}); err != nil {
			return err
		}
		if slices.Contains(fields, "birth") || slices.Contains(fields, "case_role") {
			return s.birthdayClocks(ctx, tx, a, c, client)
		}
		return nil
	})
}

// openFull returns person id with every group opened, for the service's
// own comparisons, or ENOTFOUND.
func (s *Service) openFull(ctx context.Context, tx *store.Tx, id int64) (*cases.Person, error) {
	sp, err := store.FindPerson(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	rows, err := store.ListPersonRows(ctx, tx, []int64{id})
	if err != nil {
		return nil, err
	}
	return openPerson(ctx, s.Vault, sp, rows[id], everything)
}

// MergeInput names the two persons found to be the same: Keep, in the case
// the merge is made from, who stays, and Gone, whose records move to Keep,
// each with the version the actor compared.
type MergeInput struct {
	KeepID, GoneID           int64
	KeepVersion, GoneVersion int
}

// MergePersons records that person in.GoneID is person in.KeepID of case
// caseID. Keep gains Gone's names (Gone's primary names as aliases), the
// fields Keep lacks, its languages, documents, permits and links, and its
// places in cases, each naming Gone as where it came from; Gone keeps its
// sealed record, marked merged into Keep, and disappears from duplicate
// checks and searches. Both histories stay: the merge is audited on both
// persons and recorded on the timeline of every case of either. a must see
// identities and be able to read and update every case of both persons. It
// returns ENOTFOUND when a may not update the case or Keep is not in it,
// EINVALID on "other_person_id" when Gone is missing, merged already, the
// same as Keep or out of a's reach, and ECONFLICT ("error.stale_version")
// when either changed since the versions given.
func (s *Service) MergePersons(ctx context.Context, a *auth.Actor, caseID int64, in MergeInput, client string) error {
	now := s.Now().UTC()
	var keep, gone, merged *cases.Person
	var caseIDs []int64
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.updatable(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		if _, err := store.FindCasePerson(ctx, tx, caseID, in.KeepID); err != nil {
			return err
		}
		if !visibility(a, c).Identity {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		unknown := approdo.Invalid(approdo.FieldError{Field: "other_person_id", Message: "error.field.unknown_reference"})
		switch {
		case in.GoneID == 0:
			return approdo.Invalid(approdo.FieldError{Field: "other_person_id", Message: "error.field.required"})
		case in.GoneID < 0 || in.GoneID == in.KeepID:
			return unknown
		}
		places, byID, err := store.CasesOfPersons(ctx, tx, []int64{in.KeepID, in.GoneID})
		if err != nil {
			return err
		}
		if len(places[in.GoneID]) == 0 {
			return unknown // merged already, or no such person
		}
		for _, id := range []int64{in.KeepID, in.GoneID} {
			for _, cp := range places[id] {
				cc := byID[cp.CaseID]
				if !auth.Allowed(a, access.Read, Target(cc, access.Cases)) || !auth.Allowed(a, access.Update, Target(cc, access.Cases)) {
					if id == in.GoneID {
						return unknown
					}
					return approdo.Invalid(approdo.FieldError{Field: "other_person_id", Message: "error.field.merge_out_of_reach"})
				}
				if !slices.Contains(caseIDs, cp.CaseID) {
					caseIDs = append(caseIDs, cp.CaseID)
				}
			}
		}
		if keep, err = s.openFull(ctx, tx, in.KeepID); err != nil {
			return err
		}
		if gone, err = s.openFull(ctx, tx, in.GoneID); err != nil {
			return err
		}
		if keep.Version != in.KeepVersion || gone.Version != in.GoneVersion {
			return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
		}
		merged = combine(keep, gone)
		return nil
	})
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if _, err := s.updatable(ctx, tx, a, caseID); err != nil {
			return err
		}
		if err := store.UpdatePerson(ctx, tx, merged, now); err != nil {
			return err
		}
		if err := store.SetPersonMergedInto(ctx, tx, in.GoneID, in.KeepID, in.GoneVersion, now); err != nil {
			return err
		}
		seals, err := sealPerson(s.Vault, merged)
		if err != nil {
			return err
		}
		if err := store.SetPersonSeals(ctx, tx, merged.ID, seals); err != nil {
			return err
		}
		if err := store.MovePersonRecords(ctx, tx, in.KeepID, in.GoneID); err != nil {
			return err
		}
		if err := store.ReplacePersonKeys(ctx, tx, in.KeepID, nameKeys(s.Vault, merged), keysVersion); err != nil {
			return err
		}
		keepFields := append(keep.Changes(merged), "cases")
		for _, f := range []struct {
			name string
			has  bool
		}{{"documents", len(gone.Documents) > 0}, {"permits", len(gone.Permits) > 0}, {"links", len(gone.Links) > 0}} {
			if f.has && !slices.Contains(keepFields, f.name) {
				keepFields = append(keepFields, f.name)
			}
		}
		for _, e := range []struct {
			id     int64
			fields []string
		}{{in.KeepID, keepFields}, {in.GoneID, []string{"merged_into"}}} {
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
				Action: audit.Update, RecordType: "person", RecordID: strconv.FormatInt(e.id, 10), CaseID: caseID,
				Fields: e.fields, Client: client}); err != nil {
				return err
			}
		}
		for _, id := range caseIDs {
			if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: id, At: now, ActorID: a.User.ID,
				Kind: cases.PersonsMerged, RefID: in.KeepID, Detail: map[string]string{
					"kept": strconv.FormatInt(in.KeepID, 10), "merged": strconv.FormatInt(in.GoneID, 10)}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// combine returns keep completed with what gone knows: gone's names that
// keep lacks (primary ones as aliases), the fields keep leaves empty, the
// narrower of two overlapping birth dates, and both sets of languages.
// Documents, permits and links move in the database.
func combine(keep, gone *cases.Person) *cases.Person {
	m := *keep
	m.Identity.Names = slices.Clone(keep.Identity.Names)
	for _, n := range gone.Identity.Names {
		if slices.ContainsFunc(m.Identity.Names, func(k cases.Name) bool { return namematch.Fold(k.Text) == namematch.Fold(n.Text) }) {
			continue
		}
		if n.Kind == cases.PrimaryName {
			n.Kind = cases.Alias
		}
		m.Identity.Names = append(m.Identity.Names, n)
	}
	if len(m.Identity.Names) > cases.MaxNames {
		m.Identity.Names = m.Identity.Names[:cases.MaxNames]
	}
	or := func(a, b string) string {
		if a == "" {
			return b
		}
		return a
	}
	orDate := func(a, b time.Time) time.Time {
		if a.IsZero() {
			return b
		}
		return a
	}
	if m.Sex == cases.UnknownSex {
		m.Sex = gone.Sex
	}
	switch {
	case !keep.Birth.Known():
		m.Birth = gone.Birth
	case gone.Birth.Known() && !gone.Birth.Max.Before(keep.Birth.Min) && !gone.Birth.Min.After(keep.Birth.Max) &&
		gone.Birth.Max.Sub(gone.Birth.Min) < keep.Birth.Max.Sub(keep.Birth.Min):
		m.Birth = gone.Birth
	}
	m.Nationality = or(keep.Nationality, gone.Nationality)
	m.Languages = slices.Clone(keep.Languages)
	for _, l := range gone.Languages {
		if !slices.Contains(m.Languages, l) && len(m.Languages) < cases.MaxLanguages {
			m.Languages = append(m.Languages, l)
		}
	}
	m.ArrivedOn = orDate(keep.ArrivedOn, gone.ArrivedOn)
	m.Unaccompanied = keep.Unaccompanied || gone.Unaccompanied
	m.Identity.ArrivalPlace = or(keep.Identity.ArrivalPlace, gone.Identity.ArrivalPlace)
	m.Identity.CUI = or(keep.Identity.CUI, gone.Identity.CUI)
	m.Identity.CodiceFiscale = or(keep.Identity.CodiceFiscale, gone.Identity.CodiceFiscale)
	m.Guardian.Name = or(keep.Guardian.Name, gone.Guardian.Name)
	m.Guardian.Court = or(keep.Guardian.Court, gone.Guardian.Court)
	m.Guardian.AppointedOn = orDate(keep.Guardian.AppointedOn, gone.Guardian.AppointedOn)
	m.Gender = or(keep.Gender, gone.Gender)
	m.Religion = or(keep.Religion, gone.Religion)
	return &m
}
