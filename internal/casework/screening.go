package casework

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/deadlines"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// ScreeningAAD binds a sealed column of a screening, such as
// "answers_sealed", to its record.
func ScreeningAAD(column string, id int64) []byte {
	return []byte("screenings." + column + ":" + strconv.FormatInt(id, 10))
}

// ScreeningView is a screening as an actor may see it: the answers of
// indicators whose field group they may not see are left out and counted
// in Withheld.
type ScreeningView struct {
	cases.Screening
	ScreenedByName string
	Withheld       int
}

// indicatorGroups maps "set.code" to the field group of every indicator,
// active or not.
func indicatorGroups(sets []cases.IndicatorSet) map[string]string {
	out := map[string]string{}
	for _, s := range sets {
		for _, i := range s.Indicators {
			out[s.Code+"."+i.Code] = i.FieldGroup
		}
	}
	return out
}

// seesAnswer reports whether a may see an answer of field group g on a
// report addressed to orgID.
func seesAnswer(a *auth.Actor, g string, orgID int64) bool {
	return g == "" || auth.SeesField(a, access.FieldGroup(g), orgID)
}

// openAnswers opens the sealed answers of screening row.
func (s *Service) openAnswers(ctx context.Context, row *store.ScreeningRow) (map[string][]string, string, error) {
	answers := map[string][]string{}
	text, err := s.Vault.OpenString(ctx, row.AnswersSealed, ScreeningAAD("answers_sealed", row.ID))
	if err != nil {
		return nil, "", err
	}
	if text != "" {
		if err := json.Unmarshal([]byte(text), &answers); err != nil {
			return nil, "", err
		}
	}
	reasons, err := s.Vault.OpenString(ctx, row.ReasonsSealed, ScreeningAAD("reasons_sealed", row.ID))
	return answers, reasons, err
}

// openScreening returns the view of screening row of report r for a.
func (s *Service) openScreening(ctx context.Context, tx *store.Tx, a *auth.Actor, r *cases.Report, row *store.ScreeningRow, n *names) (*ScreeningView, error) {
	answers, reasons, err := s.openAnswers(ctx, row)
	if err != nil {
		return nil, err
	}
	sets, err := store.ListIndicatorSets(ctx, tx, false)
	if err != nil {
		return nil, err
	}
	groups := indicatorGroups(sets)
	v := &ScreeningView{Screening: row.Screening, ScreenedByName: n.users[row.ScreenedBy].DisplayName}
	v.Reasons, v.Answers = reasons, map[string][]string{}
	for set, codes := range answers {
		for _, c := range codes {
			if seesAnswer(a, groups[set+"."+c], r.AddressedOrgID) {
				v.Answers[set] = append(v.Answers[set], c)
			} else {
				v.Withheld++
			}
		}
	}
	return v, nil
}

// ScreeningPage is what the screening of a report shows: the report, the
// active checklists, which indicators' answers the actor may not see, the
// programmes of the report's area a case may join, and the screening so
// far.
type ScreeningPage struct {
	Report     *ReportView
	Sets       []cases.IndicatorSet
	Hidden     map[string]bool // "set.code" of indicators whose answers a may not see
	Programmes []network.Programme
}

// ScreeningForm returns what the screening of report id shows to a, who
// must be one of the services that receive it; others get ENOTFOUND. The
// read is recorded.
func (s *Service) ScreeningForm(ctx context.Context, a *auth.Actor, id int64, client string) (*ScreeningPage, error) {
	p := &ScreeningPage{Hidden: map[string]bool{}}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		r, err := s.screenable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := s.openReport(ctx, r); err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		if p.Report, err = s.view(ctx, tx, a, r, n); err != nil {
			return err
		}
		if p.Sets, err = store.ListIndicatorSets(ctx, tx, true); err != nil {
			return err
		}
		for _, set := range p.Sets {
			for _, i := range set.Indicators {
				if !seesAnswer(a, i.FieldGroup, r.AddressedOrgID) {
					p.Hidden[set.Code+"."+i.Code] = true
				}
			}
		}
		p.Programmes = programmesOf(n, r.AreaID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, s.recordReportRead(ctx, a, &p.Report.Report, []string{"report", "screening"}, client)
}

// programmesOf returns the programmes working in area, by name.
func programmesOf(n *names, area int64) []network.Programme {
	var out []network.Programme
	for _, p := range n.programmes {
		if slices.Contains(p.AreaIDs, area) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ScreeningInput is a screening as the screener fills it in.
type ScreeningInput struct {
	// Version is the version of the screening the form was made from, 0
	// when the report had none yet.
	Version           int
	Answers           map[string][]string // set code -> indicator codes found
	TraffickingStatus cases.TraffickingStatus
	// Decide records the decision and ends the screening; without it the
	// screening is saved as a draft and the report stands "in screening".
	Decide   bool
	Decision cases.Decision
	Reasons  string
	// CaseKind, CaseProgrammeID and CaseStage open the case of a
	// take-charge decision.
	CaseKind        cases.Kind
	CaseProgrammeID int64
	CaseStage       cases.Stage
}

// ScreenResult is what a screening saved.
type ScreenResult struct {
	Report    cases.Report
	Screening cases.Screening
	Case      *cases.Case // the case opened by a take-charge decision
}

// checkAnswers reports the codes of answers that name no active indicator
// of an active set.
func checkAnswers(sets []cases.IndicatorSet, answers map[string][]string) []string {
	var unknown []string
	for set, codes := range answers {
		i := slices.IndexFunc(sets, func(s cases.IndicatorSet) bool { return s.Code == set })
		for _, c := range codes {
			if i < 0 || !slices.ContainsFunc(sets[i].Indicators, func(x cases.Indicator) bool { return x.Code == c }) {
				unknown = append(unknown, set+"."+c)
			}
		}
	}
	sort.Strings(unknown)
	return unknown
}

// Screen saves the screening of report id by a, one of the services that
// receive it: the indicators found, the trafficking status and, with
// in.Decide, the decision and its reasons. Taking charge opens a case held
// by the organisation the report is addressed to, with a as case worker
// and owner on its team, linked to the report, and records the screening
// on its timeline; every decision sets the report's outcome and tells the
// reporter, by the report's code. Answers a may not see are kept as they
// were, beside those a adds. Answers and reasons are sealed. It returns
// ENOTFOUND for a report a may not screen; EINVALID naming each field at
// fault (unknown indicators, a decision without reasons, taking charge
// without a kind of case); ECONFLICT error.stale_version when the
// screening changed since in.Version; and ECONFLICT error.report_decided
// once the report is decided. Nothing is written on error.
func (s *Service) Screen(ctx context.Context, a *auth.Actor, id int64, in ScreeningInput, client string) (*ScreenResult, error) {
	now := s.Now().UTC()
	var res ScreenResult
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		r, err := s.screenable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		sets, err := store.ListIndicatorSets(ctx, tx, true)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		sc := cases.Screening{ReportID: r.ID, ScreenedBy: a.User.ID, ScreenedAt: now, TraffickingStatus: in.TraffickingStatus,
			Decision: in.Decision, Reasons: strings.TrimSpace(in.Reasons)}
		if !in.Decide {
			sc.Decision = ""
		}
		var problems []approdo.FieldError
		if err := sc.Validate(in.Decide); err != nil {
			problems = approdo.ErrorFields(err)
		}
		if unknown := checkAnswers(sets, in.Answers); len(unknown) > 0 {
			problems = append(problems, approdo.FieldError{Field: "answers", Message: "error.field.unknown_indicator",
				Args: []any{strings.Join(unknown, ", ")}})
		}
		opening := in.Decide && in.Decision == cases.TakeCharge
		var c *cases.Case
		if opening {
			c = &cases.Case{Kind: in.CaseKind, ProgrammeID: in.CaseProgrammeID, AreaID: r.AreaID, OwnerOrgID: r.AddressedOrgID,
				CaseWorkerID: a.User.ID, Stage: in.CaseStage, Risk: riskOf(r.Urgency), OpenedAt: now,
				Team: []cases.Member{{UserID: a.User.ID, Role: cases.Owner, AddedAt: now, AddedBy: a.User.ID}}}
			problems = append(problems, checkOpening(a, c, n)...)
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		old, err := store.FindScreeningOf(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if old == nil && in.Version != 0 || old != nil && in.Version != old.Version {
			return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
		}
		if r.Status == cases.Decided {
			return approdo.Errorf(approdo.ECONFLICT, ReportDecided)
		}
		// Answers a may not see stay as they were; a may add to them.
		sc.Answers = map[string][]string{}
		if old != nil {
			previous, _, err := s.openAnswers(ctx, old)
			if err != nil {
				return err
			}
			all, err := store.ListIndicatorSets(ctx, tx, false)
			if err != nil {
				return err
			}
			groups := indicatorGroups(all)
			for set, codes := range previous {
				for _, code := range codes {
					if !seesAnswer(a, groups[set+"."+code], r.AddressedOrgID) {
						sc.Answers[set] = append(sc.Answers[set], code)
					}
				}
			}
		}
		for set, codes := range in.Answers {
			for _, code := range codes {
				if !slices.Contains(sc.Answers[set], code) {
					sc.Answers[set] = append(sc.Answers[set], code)
				}
			}
		}
		for set := range sc.Answers {
			slices.Sort(sc.Answers[set])
			if len(sc.Answers[set]) == 0 {
				delete(sc.Answers, set)
			}
		}
		row := &store.ScreeningRow{Screening: sc}
		fields := []string{"answers", "trafficking_status"}
		if sc.Reasons != "" || old != nil {
			fields = append(fields, "reasons")
		}
		if in.Decide {
			fields = append(fields, "decision")
		}
		if opening {
			if err := store.InsertCase(ctx, tx, c); err != nil {
				return err
			}
			if err := store.LinkCaseToReport(ctx, tx, c.ID, r.ID); err != nil {
				return err
			}
			row.CaseID, res.Case = c.ID, c
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
				Action: audit.Create, RecordType: "case", RecordID: strconv.FormatInt(c.ID, 10), CaseID: c.ID,
				Fields: []string{"case"}, Client: client}); err != nil {
				return err
			}
			if _, err := s.startClocks(ctx, tx, a, c, deadlines.ReportReceived, r.ReceivedAt, client); err != nil {
				return err
			}
		}
		action := audit.Update
		if old == nil {
			action = audit.Create
			if err := store.InsertScreening(ctx, tx, row); err != nil {
				return err
			}
		} else {
			row.ID, row.Version = old.ID, old.Version
		}
		if err := s.sealScreening(row); err != nil {
			return err
		}
		if old == nil {
			err = store.SetScreeningText(ctx, tx, row.ID, row.AnswersSealed, row.ReasonsSealed)
		} else {
			err = store.UpdateScreening(ctx, tx, row)
		}
		if err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: action,
			RecordType: "screening", RecordID: strconv.FormatInt(row.ID, 10), CaseID: row.CaseID, Fields: fields,
			Client: client}); err != nil {
			return err
		}
		if err := s.settle(ctx, tx, a, r, row, in.Decide, now, client); err != nil {
			return err
		}
		res.Report, res.Screening = *r, row.Screening
		res.Screening.Answers, res.Screening.Reasons = sc.Answers, sc.Reasons
		res.Report.Reporter, res.Report.Subject, res.Report.Observed = "", "", ""
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// sealScreening seals the answers and reasons of row, whose ID is known.
func (s *Service) sealScreening(row *store.ScreeningRow) error {
	row.AnswersSealed, row.ReasonsSealed = "", ""
	if len(row.Answers) > 0 {
		b, err := json.Marshal(row.Answers)
		if err != nil {
			return err
		}
		if row.AnswersSealed, err = s.Vault.SealString(string(b), ScreeningAAD("answers_sealed", row.ID)); err != nil {
			return err
		}
	}
	if row.Reasons != "" {
		var err error
		if row.ReasonsSealed, err = s.Vault.SealString(row.Reasons, ScreeningAAD("reasons_sealed", row.ID)); err != nil {
			return err
		}
	}
	row.Answers, row.Reasons = nil, ""
	return nil
}

// settle moves report r on after its screening row was saved: in screening
// after a draft; decided, with its outcome, its case and the reporter told,
// after a decision; and records the screening on the case's timeline.
func (s *Service) settle(ctx context.Context, tx *store.Tx, a *auth.Actor, r *cases.Report, row *store.ScreeningRow, decided bool, now time.Time, client string) error {
	var fields []string
	switch {
	case decided:
		r.Status, r.Outcome, r.OutcomeAt, r.CaseID = cases.Decided, row.Decision.Outcome(), now, row.CaseID
		fields = []string{"status", "outcome"}
		if row.CaseID != 0 {
			fields = append(fields, "case_id")
		}
	case r.Status == cases.Received:
		r.Status = cases.InScreening
		fields = []string{"status"}
	default:
		return nil
	}
	if err := store.UpdateReport(ctx, tx, r); err != nil {
		return err
	}
	if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
		RecordType: "report", RecordID: strconv.FormatInt(r.ID, 10), CaseID: r.CaseID, Fields: fields, Client: client}); err != nil {
		return err
	}
	if !decided {
		return nil
	}
	if r.CaseID != 0 {
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: r.CaseID, At: now, ActorID: a.User.ID,
			Kind: cases.Screened, RefID: row.ID, Detail: map[string]string{"decision": string(row.Decision), "report": r.Code}}); err != nil {
			return err
		}
	}
	if r.ReporterUserID == 0 || r.ReporterUserID == a.User.ID {
		return nil
	}
	// The reporter learns the outcome by the report's code, never by the
	// person's name, and without a link to the case.
	return store.InsertNotification(ctx, tx, &store.Notification{UserID: r.ReporterUserID, Kind: "report_outcome",
		CaseCode: r.Code, ActorID: a.User.ID, CreatedAt: now})
}

// riskOf is the first risk of a case opened from a report of urgency u,
// until the case worker assesses it.
func riskOf(u cases.Urgency) cases.Risk {
	switch u {
	case cases.Immediate:
		return cases.RiskCritical
	case cases.Urgent:
		return cases.RiskHigh
	case cases.Soon:
		return cases.RiskMedium
	}
	return cases.RiskLow
}

// OpeningStages are the stages a case opened by taking charge of a report
// may start at.
var OpeningStages = []cases.Stage{cases.StageTakenCharge, cases.StageAssessment}

// checkOpening validates the case a take-charge decision opens: a kind, a
// programme of the report's area if any, a stage among OpeningStages
// (taken charge when none), and a's right to open cases for the report's
// organisation.
func checkOpening(a *auth.Actor, c *cases.Case, n *names) []approdo.FieldError {
	var problems []approdo.FieldError
	switch {
	case c.Kind == "":
		problems = append(problems, approdo.FieldError{Field: "case_kind", Message: "error.field.required"})
	case !c.Kind.Valid():
		problems = append(problems, approdo.FieldError{Field: "case_kind", Message: "error.field.unknown_value"})
	}
	if c.ProgrammeID != 0 && !slices.ContainsFunc(programmesOf(n, c.AreaID), func(p network.Programme) bool { return p.ID == c.ProgrammeID }) {
		problems = append(problems, approdo.FieldError{Field: "case_programme_id", Message: "error.field.unknown_reference"})
	}
	if c.Stage == "" {
		c.Stage = cases.StageTakenCharge
	}
	if !slices.Contains(OpeningStages, c.Stage) {
		problems = append(problems, approdo.FieldError{Field: "case_stage", Message: "error.field.unknown_value"})
	}
	if !auth.Allowed(a, access.Create, auth.Target{Resource: access.Cases, OrgID: c.OwnerOrgID, AreaID: c.AreaID}) {
		problems = append(problems, approdo.FieldError{Field: "decision", Message: "error.field.cannot_take_charge"})
	}
	return problems
}

// CurrentScreening returns the screening of report id as a sees it now, to
// show what changed after a stale save, or nil when it has none.
func (s *Service) CurrentScreening(ctx context.Context, a *auth.Actor, id int64) (*ScreeningView, error) {
	var v *ScreeningView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		r, err := s.screenable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		row, err := store.FindScreeningOf(ctx, tx, r.ID)
		if err != nil || row == nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		v, err = s.openScreening(ctx, tx, a, r, row, n)
		return err
	})
	return v, err
}

// The checklists.

// editsChecklists reports whether a may edit the screening checklists.
func editsChecklists(a *auth.Actor) bool {
	return auth.Allowed(a, access.Update, auth.Target{Resource: access.Indicators})
}

// IndicatorSets returns the screening checklists in position order: every
// one, active or not, to those who edit them, and the active ones with
// their active indicators to others.
func (s *Service) IndicatorSets(ctx context.Context, a *auth.Actor) ([]cases.IndicatorSet, error) {
	var sets []cases.IndicatorSet
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		sets, err = store.ListIndicatorSets(ctx, tx, !editsChecklists(a))
		return err
	})
	return sets, err
}

// IndicatorSet returns the checklist with the given code, with all its
// indicators, to those who edit checklists; it is ENOTFOUND for others and
// for an unknown code.
func (s *Service) IndicatorSet(ctx context.Context, a *auth.Actor, code string) (*cases.IndicatorSet, error) {
	if !editsChecklists(a) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	var set *cases.IndicatorSet
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		set, err = store.FindIndicatorSet(ctx, tx, code)
		return err
	})
	return set, err
}

// fieldGroupNames lists the field groups an indicator may belong to.
func fieldGroupNames() []string {
	var out []string
	for _, g := range access.FieldGroups {
		out = append(out, string(g))
	}
	return out
}

// CreateIndicatorSet adds a checklist with its indicators, audited. It
// returns ENOTFOUND to those who may not edit checklists, EINVALID naming
// each field at fault and ECONFLICT error.code_taken for a code in use.
func (s *Service) CreateIndicatorSet(ctx context.Context, a *auth.Actor, set *cases.IndicatorSet, client string) error {
	if !editsChecklists(a) {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	normalizeSet(set)
	if err := set.Validate(fieldGroupNames()); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := store.InsertIndicatorSet(ctx, tx, set); err != nil {
			if approdo.ErrorCode(err) == approdo.ECONFLICT {
				key, args := approdo.ErrorMessage(err)
				return &approdo.Error{Code: approdo.ECONFLICT, Message: key, Args: args,
					Fields: []approdo.FieldError{{Field: "code", Message: "error.field.taken"}}}
			}
			return err
		}
		fields := []string{"code", "name_it", "name_en", "source", "position", "active"}
		for _, i := range set.Indicators {
			fields = append(fields, "indicators."+i.Code)
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "indicator_set", RecordID: set.Code, Fields: fields, Client: client})
	})
}

// UpdateIndicatorSet saves checklist set: its names, source, position and
// whether it is active, its indicators (added, relabelled, moved,
// deactivated; indicators it does not list stay as they were, and none is
// ever removed, so that past answers keep their meaning). The change is
// audited with the names of the fields changed. It returns ENOTFOUND to
// those who may not edit checklists and for an unknown code, and EINVALID
// naming each field at fault.
func (s *Service) UpdateIndicatorSet(ctx context.Context, a *auth.Actor, set *cases.IndicatorSet, client string) error {
	if !editsChecklists(a) {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	normalizeSet(set)
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := store.FindIndicatorSet(ctx, tx, set.Code)
		if err != nil {
			return err
		}
		if err := set.Validate(fieldGroupNames()); err != nil {
			return err
		}
		fields := setChanges(old, set)
		if len(fields) == 0 {
			return nil
		}
		if err := store.UpdateIndicatorSet(ctx, tx, set); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: "indicator_set", RecordID: set.Code, Fields: fields, Client: client})
	})
}

// normalizeSet trims the text of a checklist.
func normalizeSet(set *cases.IndicatorSet) {
	set.Code, set.NameIT, set.NameEN = strings.TrimSpace(set.Code), strings.TrimSpace(set.NameIT), strings.TrimSpace(set.NameEN)
	set.Source = strings.TrimSpace(set.Source)
	for i := range set.Indicators {
		ind := &set.Indicators[i]
		ind.SetCode = set.Code
		ind.Code, ind.LabelIT, ind.LabelEN = strings.TrimSpace(ind.Code), strings.TrimSpace(ind.LabelIT), strings.TrimSpace(ind.LabelEN)
		ind.FieldGroup = strings.TrimSpace(ind.FieldGroup)
	}
}

// setChanges names what b changes in checklist a: its own fields, and
// "indicators.CODE.FIELD" for each indicator changed ("indicators.CODE"
// for one added).
func setChanges(a, b *cases.IndicatorSet) []string {
	var out []string
	for _, f := range []struct {
		name    string
		changed bool
	}{{"name_it", a.NameIT != b.NameIT}, {"name_en", a.NameEN != b.NameEN}, {"source", a.Source != b.Source},
		{"position", a.Position != b.Position}, {"active", a.Active != b.Active}} {
		if f.changed {
			out = append(out, f.name)
		}
	}
	for _, n := range b.Indicators {
		i := slices.IndexFunc(a.Indicators, func(x cases.Indicator) bool { return x.Code == n.Code })
		if i < 0 {
			out = append(out, "indicators."+n.Code)
			continue
		}
		o := a.Indicators[i]
		for _, f := range []struct {
			name    string
			changed bool
		}{{"label_it", o.LabelIT != n.LabelIT}, {"label_en", o.LabelEN != n.LabelEN}, {"field_group", o.FieldGroup != n.FieldGroup},
			{"position", o.Position != n.Position}, {"active", o.Active != n.Active}} {
			if f.changed {
				out = append(out, "indicators."+n.Code+"."+f.name)
			}
		}
	}
	return out
}
