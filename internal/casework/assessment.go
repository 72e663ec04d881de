package casework

import (
	"context"
	"encoding/json"
	"errors"
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
	"approdo/referrals"
)

// The assessment of a case follows the case's policy: whoever reads the
// case reads its assessment, whoever may update it saves a section. Within
// a section each field group is sealed on its own and opened only for the
// groups the reader may see on the case; a save keeps the stored values of
// the groups the actor may not see, so that nothing anyone saved is lost.

// SectionView is one section of an assessment as its reader sees it: the
// fields of the groups the reader may not see are empty, and Hidden names
// those groups.
type SectionView struct {
	Section cases.AssessmentSection
	Content cases.SectionContent
	// Version is the version of the saved section, 0 when never saved.
	Version   int
	UpdatedAt time.Time
	UpdatedBy string
	// Hidden lists the sensitive field groups of the section the reader may
	// not see, whether or not anything is written in them.
	Hidden []string
}

// Sees reports whether the reader of v sees the fields of group.
func (v *SectionView) Sees(group string) bool { return !slices.Contains(v.Hidden, group) }

// CaseAssessment is the assessment of a case as its reader sees it.
type CaseAssessment struct {
	Case     *cases.Case
	Sections []SectionView
	// CanChange says whether the reader saves sections.
	CanChange bool
	// Team lists the case worker and the team members, who may be
	// responsible for a step of the legal pathway.
	Team []MemberView
}

// Section returns the view of section s.
func (ca *CaseAssessment) Section(s cases.AssessmentSection) *SectionView {
	for i := range ca.Sections {
		if ca.Sections[i].Section == s {
			return &ca.Sections[i]
		}
	}
	return nil
}

// AssessmentInput is a section as its author wrote it, with the version of
// the section they saw (0 for one never saved, nil when not given).
type AssessmentInput struct {
	Content cases.SectionContent
	Version *int
	// Problems are those the caller met reading the input, such as a due
	// day it could not read; they are reported with the others.
	Problems []approdo.FieldError
}

// AssessmentStaleError is the error of a save made from an older version
// of a section. Current is the section as saved now, as the actor sees it,
// for them to compare with what they wrote and save again over it.
type AssessmentStaleError struct {
	Current SectionView
}

// Error describes the conflict.
func (e *AssessmentStaleError) Error() string {
	return fmt.Sprintf("casework: the %s was saved since (now version %d)", e.Current.Section, e.Current.Version)
}

// Unwrap makes the error an ECONFLICT.
func (e *AssessmentStaleError) Unwrap() error {
	return approdo.Errorf(approdo.ECONFLICT, "error.assessment.stale")
}

// AsAssessmentStale returns the *AssessmentStaleError in err's chain, or nil.
func AsAssessmentStale(err error) *AssessmentStaleError {
	var s *AssessmentStaleError
	if errors.As(err, &s) {
		return s
	}
	return nil
}

// assessmentAAD binds the seal of group of section to its case.
func assessmentAAD(group string, caseID int64, section cases.AssessmentSection) []byte {
	return []byte("case_assessments." + store.AssessmentColumn(group) + ":" + strconv.FormatInt(caseID, 10) + ":" + string(section))
}

// assessmentSees returns which groups a sees on case c.
func assessmentSees(a *auth.Actor, c *cases.Case) func(group string) bool {
	return func(group string) bool {
		return group == cases.GeneralGroup || auth.SeesField(a, access.FieldGroup(group), c.OwnerOrgID)
	}
}

// sealSection seals each group of content for section of case caseID.
func sealSection(v *vault.Vault, caseID int64, content cases.SectionContent) (store.AssessmentSeals, error) {
	var seals store.AssessmentSeals
	for _, g := range cases.SectionGroups(content) {
		doc := map[string]any{}
		for _, f := range content.Fields() {
			if f.Group == g {
				doc[f.Name] = f.Value
			}
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return seals, err
		}
		sealed, err := v.SealString(string(b), assessmentAAD(g, caseID, content.Section()))
		if err != nil {
			return seals, err
		}
		*seals.Of(g) = sealed
	}
	return seals, nil
}

// openSection returns the content of stored with the groups sees allows
// opened; the others stay empty. A nil stored is a section never saved.
func openSection(ctx context.Context, v *vault.Vault, section cases.AssessmentSection, stored *store.StoredAssessment,
	sees func(string) bool) (cases.SectionContent, error) {
	content := cases.NewSectionContent(section)
	if stored == nil {
		return content, nil
	}
	for _, g := range cases.SectionGroups(content) {
		sealed := *stored.Seals.Of(g)
		if !sees(g) || sealed == "" {
			continue
		}
		text, err := v.OpenString(ctx, sealed, assessmentAAD(g, stored.CaseID, section))
		if err != nil {
			return nil, err
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &doc); err != nil {
			return nil, fmt.Errorf("casework: the %s of case %d has a malformed %q group: %w", section, stored.CaseID, g, err)
		}
		for _, f := range content.Fields() {
			if raw, ok := doc[f.Name]; ok && f.Group == g {
				if err := json.Unmarshal(raw, f.Value); err != nil {
					return nil, fmt.Errorf("casework: the %s of case %d has a malformed field %s: %w", section, stored.CaseID, f.Name, err)
				}
			}
		}
	}
	return content, nil
}

// sectionView makes the view of section from stored for a reader who sees
// what sees allows.
func (s *Service) sectionView(ctx context.Context, n *names, section cases.AssessmentSection, stored *store.StoredAssessment,
	sees func(string) bool) (SectionView, error) {
	content, err := openSection(ctx, s.Vault, section, stored, sees)
	if err != nil {
		return SectionView{}, err
	}
	v := SectionView{Section: section, Content: content, Hidden: []string{}}
	for _, g := range cases.SectionGroups(content) {
		if !sees(g) {
			v.Hidden = append(v.Hidden, g)
		}
	}
	if stored != nil {
		v.Version, v.UpdatedAt, v.UpdatedBy = stored.Version, stored.UpdatedAt, n.users[stored.UpdatedBy].DisplayName
	}
	return v, nil
}

// Assessment returns the three sections of case id's assessment as a sees
// them, to those who read the case in full, and records the read. A case a
// may not read is ENOTFOUND.
func (s *Service) Assessment(ctx context.Context, a *auth.Actor, id int64, client string) (*CaseAssessment, error) {
	out, err := s.assessment(ctx, a, id, access.Read)
	if err != nil {
		return nil, err
	}
	return out, s.recordRead(ctx, a, id, "assessment", client)
}

// AssessmentForChange returns case id's assessment as a sees it, for the
// form that saves one of its sections, and records the read. A case a may
// not read and update is ENOTFOUND.
func (s *Service) AssessmentForChange(ctx context.Context, a *auth.Actor, id int64, client string) (*CaseAssessment, error) {
	out, err := s.assessment(ctx, a, id, access.Update)
	if err != nil {
		return nil, err
	}
	return out, s.recordRead(ctx, a, id, "assessment", client)
}

// assessment loads case id's assessment for a, who must read the case and,
// when v is access.Update, update it.
func (s *Service) assessment(ctx context.Context, a *auth.Actor, id int64, v access.Verb) (*CaseAssessment, error) {
	out := &CaseAssessment{}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, id, referrals.Assessment)
		if err != nil {
			return err
		}
		out.Case = c
		out.CanChange = auth.Allowed(a, access.Update, Target(c, access.Cases))
		if v == access.Update && !out.CanChange {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		stored, err := store.ListAssessments(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		sees := assessmentSees(a, c)
		for _, section := range cases.AssessmentSections {
			var st *store.StoredAssessment
			if i := slices.IndexFunc(stored, func(x store.StoredAssessment) bool { return x.Section == section }); i >= 0 {
				st = &stored[i]
			}
			sv, err := s.sectionView(ctx, n, section, st, sees)
			if err != nil {
				return err
			}
			out.Sections = append(out.Sections, sv)
		}
		out.Team = taskTeam(n, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SaveAssessment saves in.Content as its section of case id's assessment,
// made from in.Version, and returns the section as saved. The fields of the
// groups a may not see keep their stored values, whatever in holds. A save
// that changes nothing writes nothing. It returns ENOTFOUND when a may not
// update the case; EINVALID naming each field at fault, among them
// "version" when it is not given and "legal_steps.N.responsible_id" for
// someone not on the case's team; and an *AssessmentStaleError (ECONFLICT)
// when the section was saved since in.Version. The save is audited, naming
// the fields changed, and recorded on the timeline.
func (s *Service) SaveAssessment(ctx context.Context, a *auth.Actor, id int64, in AssessmentInput, client string) (*SectionView, error) {
	var out SectionView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ch, err := s.begin(ctx, tx, a, id, access.Update, client)
		if err != nil {
			return err
		}
		if in.Content == nil || !in.Content.Section().Valid() {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		section := in.Content.Section()
		stored, err := store.FindAssessment(ctx, tx, id, section)
		if err != nil {
			return err
		}
		saved, err := openSection(ctx, s.Vault, section, stored, func(string) bool { return true })
		if err != nil {
			return err
		}
		sees := assessmentSees(a, ch.before)
		cases.CopyGroups(in.Content, saved, func(g string) bool { return !sees(g) })
		cases.NormalizeSection(in.Content)
		problems := approdo.ErrorFields(in.Content.Validate(ch.now))
		for _, p := range in.Problems {
			problems = slices.DeleteFunc(problems, func(q approdo.FieldError) bool { return q.Field == p.Field })
			problems = append(problems, p)
		}
		if p, ok := in.Content.(*cases.LegalPathway); ok {
			// Someone on the team, or someone the saved section names
			// already, who may have left the team since.
			team := responsibleIDs(ch.before)
			for _, step := range saved.(*cases.LegalPathway).Steps {
				team = append(team, step.ResponsibleID)
			}
			for i, step := range p.Steps {
				if step.ResponsibleID > 0 && !slices.Contains(team, step.ResponsibleID) {
					problems = append(problems, approdo.FieldError{Field: "legal_steps." + strconv.Itoa(i) + ".responsible_id",
						Message: "error.field.not_on_team"})
				}
			}
		}
		version := 0
		if stored != nil {
			version = stored.Version
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		stale := func() error {
			current, err := s.sectionView(ctx, n, section, stored, sees)
			if err != nil {
				return err
			}
			return &AssessmentStaleError{Current: current}
		}
		switch {
		case in.Version == nil:
			if !slices.ContainsFunc(problems, func(p approdo.FieldError) bool { return p.Field == "version" }) {
				problems = append(problems, approdo.FieldError{Field: "version", Message: "error.field.required"})
			}
			return approdo.Invalid(problems...)
		case *in.Version != version:
			return stale()
		case len(problems) > 0:
			return approdo.Invalid(problems...)
		}
		fields := cases.ChangedFields(saved, in.Content)
		if len(fields) == 0 {
			out, err = s.sectionView(ctx, n, section, stored, sees)
			return err
		}
		seals, err := sealSection(s.Vault, id, in.Content)
		if err != nil {
			return err
		}
		row := &store.StoredAssessment{CaseID: id, Section: section, Seals: seals, UpdatedBy: a.User.ID, UpdatedAt: ch.now}
		if err := store.SaveAssessment(ctx, tx, row, version); err != nil {
			if approdo.ErrorCode(err) == approdo.ECONFLICT {
				return stale()
			}
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: "case_assessment", RecordID: strconv.FormatInt(id, 10) + ":" + string(section), CaseID: id,
			Fields: fields, Client: client}); err != nil {
			return err
		}
		if err := ch.event(cases.AssessmentUpdated, 0, map[string]string{"section": string(section),
			"fields": strings.Join(fields, ",")}); err != nil {
			return err
		}
		out, err = s.sectionView(ctx, n, section, row, sees)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// RecordAssessment stores content, in clear, as its section of case
// caseID's assessment, saved by by at at, sealed exactly as SaveAssessment
// seals it, with its event on the case's timeline, in tx and with no policy
// check: it is for seeders and importers writing a case's history, not for
// users. The section must not have been saved yet, and content must be
// valid.
func RecordAssessment(ctx context.Context, tx *store.Tx, v *vault.Vault, caseID int64, content cases.SectionContent,
	by int64, at time.Time) error {
	cases.NormalizeSection(content)
	seals, err := sealSection(v, caseID, content)
	if err != nil {
		return err
	}
	row := &store.StoredAssessment{CaseID: caseID, Section: content.Section(), Seals: seals, UpdatedBy: by, UpdatedAt: at.UTC()}
	if err := store.SaveAssessment(ctx, tx, row, 0); err != nil {
		return err
	}
	var fields []string
	for _, f := range content.Fields() {
		fields = append(fields, f.Name)
	}
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: caseID, At: at.UTC(), ActorID: by, Kind: cases.AssessmentUpdated,
		Detail: map[string]string{"section": string(content.Section()), "fields": strings.Join(fields, ",")}})
}
