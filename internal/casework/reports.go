package casework

import (
	"context"
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
	"approdo/network"
)

// ReportTarget returns what the policy needs to know about a report: its
// reporter owns it, the organisation it is addressed to holds it, and it
// lies in its area.
func ReportTarget(r *cases.Report) auth.Target {
	return auth.Target{Resource: access.Reports, OwnerID: r.ReporterUserID, OrgID: r.AddressedOrgID, AreaID: r.AreaID}
}

// screenerTarget is the report's target without its reporter: the services
// that receive reports reach it through their organisation or area, while a
// reporter reaches only their own report, and only its outcome.
func screenerTarget(r *cases.Report) auth.Target {
	t := ReportTarget(r)
	t.OwnerID = 0
	return t
}

// readsInFull reports whether a reads report r as the services that receive
// it do (the screening, the case opened from it), rather than as its
// reporter, who sees only what they wrote and the outcome.
func readsInFull(a *auth.Actor, r *cases.Report) bool {
	return auth.Allowed(a, access.Read, screenerTarget(r))
}

// CanScreen reports whether a may screen and edit report r.
func CanScreen(a *auth.Actor, r *cases.Report) bool {
	return auth.Allowed(a, access.Update, screenerTarget(r))
}

// seesObserved reports whether a may read what report r says was observed:
// it belongs to the violence field group, and its author reads it too.
func seesObserved(a *auth.Actor, r *cases.Report) bool {
	return auth.SeesField(a, access.Violence, r.AddressedOrgID) || r.ReporterUserID != 0 && r.ReporterUserID == a.User.ID
}

// ReportAAD binds a sealed column of a report, such as "subject_sealed",
// to its record.
func ReportAAD(column string, id int64) []byte {
	return []byte("reports." + column + ":" + strconv.FormatInt(id, 10))
}

// ReportInput is a report as its author fills it in, or as a screener
// corrects it.
type ReportInput struct {
	// RecordedCall says that an operator records a report made by someone
	// else, by phone or in person, described in Reporter; otherwise the
	// signed-in user reports, and Reporter holds their contact if they wish.
	RecordedCall   bool
	Reporter       string
	Subject        string
	Observed       string
	ReceivedAt     time.Time // zero for now
	Channel        cases.Channel
	Urgency        cases.Urgency
	AreaID         int64
	AddressedOrgID int64 // 0 for the area's municipal social service
	// SubjectPersonID links the report to a person's file; only a
	// screener sets it.
	SubjectPersonID int64
	Version         int // the version an edit was made from
}

// ReportChoices are what a report form offers: the areas, and the
// municipal social services a report may be addressed to in each.
type ReportChoices struct {
	Areas    []network.Area
	Services []network.Organisation // municipal social services with an area
	// DefaultAreaID is the area of the actor's organisation, or 0.
	DefaultAreaID int64
	// DefaultChannel is how reports from the actor's organisation usually
	// arrive.
	DefaultChannel cases.Channel
	// MayRecordCalls says whether the actor may record a report made by
	// someone else.
	MayRecordCalls bool
}

// ServicesOf returns the municipal social services of area.
func (c *ReportChoices) ServicesOf(area int64) []network.Organisation {
	var out []network.Organisation
	for _, o := range c.Services {
		if o.AreaID == area {
			out = append(out, o)
		}
	}
	return out
}

// channelOf returns the channel reports from an organisation of kind k
// usually arrive by.
func channelOf(k network.Kind) cases.Channel {
	switch k {
	case network.School:
		return cases.FromSchool
	case network.HealthAuthority:
		return cases.FromHealth
	case network.Police:
		return cases.FromPolice
	case network.MunicipalSocialService:
		return cases.FromServices
	}
	return cases.FromPartner
}

// mayRecordCalls reports whether a may record reports made by others: a
// create permission on reports beyond their own.
func mayRecordCalls(a *auth.Actor) bool {
	for _, s := range auth.ScopesOf(a, access.Create, access.Reports) {
		if s != access.Own {
			return true
		}
	}
	return false
}

// ReportChoices returns what a report form offers a.
func (s *Service) ReportChoices(ctx context.Context, a *auth.Actor) (*ReportChoices, error) {
	c := &ReportChoices{DefaultAreaID: a.Organisation.AreaID, DefaultChannel: channelOf(a.Organisation.Kind),
		MayRecordCalls: mayRecordCalls(a)}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if c.Areas, err = store.ListAreas(ctx, tx); err != nil {
			return err
		}
		orgs, err := store.ListOrganisations(ctx, tx)
		for _, o := range orgs {
			if o.Kind == network.MunicipalSocialService && o.AreaID != 0 {
				c.Services = append(c.Services, o)
			}
		}
		return err
	})
	return c, err
}

// checkAddress validates the area and the addressed organisation of r,
// choosing the area's first municipal social service when none is named.
func checkAddress(ctx context.Context, tx *store.Tx, r *cases.Report) ([]approdo.FieldError, error) {
	var problems []approdo.FieldError
	if r.AreaID == 0 {
		return nil, nil // Validate names it
	}
	areas, err := store.ListAreas(ctx, tx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(areas, func(x network.Area) bool { return x.ID == r.AreaID }) {
		return []approdo.FieldError{{Field: "area_id", Message: "error.field.unknown_reference"}}, nil
	}
	orgs, err := store.ListOrganisations(ctx, tx)
	if err != nil {
		return nil, err
	}
	var services []int64
	for _, o := range orgs {
		if o.Kind == network.MunicipalSocialService && o.AreaID == r.AreaID {
			services = append(services, o.ID)
		}
	}
	switch {
	case r.AddressedOrgID == 0 && len(services) == 0:
		problems = append(problems, approdo.FieldError{Field: "area_id", Message: "error.field.no_social_service"})
	case r.AddressedOrgID == 0:
		r.AddressedOrgID = services[0]
	case !slices.Contains(services, r.AddressedOrgID):
		problems = append(problems, approdo.FieldError{Field: "addressed_org_id", Message: "error.field.not_social_service_of_area"})
	}
	return problems, nil
}

// validateReport checks r at now, and its references in the database.
func validateReport(ctx context.Context, tx *store.Tx, r *cases.Report, now time.Time) error {
	problems, err := checkAddress(ctx, tx, r)
	if err != nil {
		return err
	}
	if r.SubjectPersonID != 0 {
		ok := false
		if r.SubjectPersonID > 0 {
			if ok, err = store.PersonExists(ctx, tx, r.SubjectPersonID); err != nil {
				return err
			}
		}
		if !ok {
			problems = append(problems, approdo.FieldError{Field: "subject_person_id", Message: "error.field.unknown_reference"})
		}
	}
	if err := r.Validate(now); err != nil {
		problems = append(approdo.ErrorFields(err), problems...)
	}
	if r.AreaID < 0 {
		problems = append(problems, approdo.FieldError{Field: "area_id", Message: "error.field.unknown_reference"})
	}
	if len(problems) > 0 {
		return approdo.Invalid(dedupe(problems)...)
	}
	return nil
}

// dedupe keeps the first problem of each field.
func dedupe(problems []approdo.FieldError) []approdo.FieldError {
	seen := map[string]bool{}
	var out []approdo.FieldError
	for _, p := range problems {
		if !seen[p.Field] {
			seen[p.Field] = true
			out = append(out, p)
		}
	}
	return out
}

// sealedText seals the text of r, whose ID is known: who reports, about
// whom and what was observed.
func (s *Service) sealedText(r *cases.Report) (reporter, subject, observed string, err error) {
	var sealed [3]string
	for i, f := range []struct{ column, value string }{
		{"reporter_sealed", r.Reporter}, {"subject_sealed", r.Subject}, {"observed_sealed", r.Observed},
	} {
		if f.value == "" {
			continue
		}
		if sealed[i], err = s.Vault.SealString(f.value, ReportAAD(f.column, r.ID)); err != nil {
			return "", "", "", err
		}
	}
	return sealed[0], sealed[1], sealed[2], nil
}

// openReport opens the sealed text of r in place.
func (s *Service) openReport(ctx context.Context, r *cases.Report) error {
	for _, f := range []struct {
		column string
		value  *string
	}{{"reporter_sealed", &r.Reporter}, {"subject_sealed", &r.Subject}, {"observed_sealed", &r.Observed}} {
		v, err := s.Vault.OpenString(ctx, *f.value, ReportAAD(f.column, r.ID))
		if err != nil {
			return err
		}
		*f.value = v
	}
	return nil
}

// FileReport records a new report of concern by a: their own, or, when
// in.RecordedCall, one made by someone else that a records, which their
// create permission must reach (their organisation's, by default). The
// text is sealed and the filing audited. It returns EINVALID naming each
// field at fault (an unknown channel, urgency, area or organisation, an
// empty subject or observation, over-long text, a time in the future), and
// writes nothing then.
func (s *Service) FileReport(ctx context.Context, a *auth.Actor, in ReportInput, client string) (*cases.Report, error) {
	now := s.Now().UTC()
	r := &cases.Report{ReceivedAt: in.ReceivedAt, Channel: in.Channel, Urgency: in.Urgency, AreaID: in.AreaID,
		AddressedOrgID: in.AddressedOrgID, Reporter: strings.TrimSpace(in.Reporter), Subject: strings.TrimSpace(in.Subject),
		Observed: strings.TrimSpace(in.Observed), Status: cases.Received, CreatedAt: now}
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = now
	}
	if !in.RecordedCall {
		r.ReporterUserID, r.ReporterOrgID = a.User.ID, a.Organisation.ID
		if r.Channel == "" {
			r.Channel = channelOf(a.Organisation.Kind)
		}
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if in.RecordedCall && !mayRecordCalls(a) {
			return approdo.Invalid(approdo.FieldError{Field: "recorded_call", Message: "error.field.cannot_record_calls"})
		}
		if err := validateReport(ctx, tx, r, now); err != nil {
			return err
		}
		if !auth.Allowed(a, access.Create, ReportTarget(r)) {
			// Only a call recorded for another organisation gets here: a
			// reporter's own report is always within their own scope.
			return approdo.Invalid(approdo.FieldError{Field: "addressed_org_id", Message: "error.field.not_your_service"})
		}
		if err := store.InsertReport(ctx, tx, r); err != nil {
			return err
		}
		reporter, subject, observed, err := s.sealedText(r)
		if err != nil {
			return err
		}
		if err := store.SetReportText(ctx, tx, r.ID, reporter, subject, observed); err != nil {
			return err
		}
		fields := []string{"received_at", "channel", "urgency", "area_id", "addressed_org_id", "subject", "observed"}
		if r.Reporter != "" {
			fields = append(fields, "reporter")
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "report", RecordID: strconv.FormatInt(r.ID, 10), Fields: fields, Client: client})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ReportView is a report as an actor may see it. Its reporter (Full false)
// sees what they wrote and the outcome, never the screening nor the case;
// the services that receive it see everything, but what was observed only
// with the violence field group.
type ReportView struct {
	Report cases.Report
	Full   bool
	// ObservedWithheld says that Report.Observed was left out: the actor
	// may not see the violence field group.
	ObservedWithheld bool
	CanScreen        bool
	Area             network.Area
	Addressed        network.Organisation
	// ReportedBy names the user who filed the report and their
	// organisation; empty for a recorded call.
	ReportedBy, ReportedByOrg string
	// CaseCode is the code of the case opened from the report, for Full
	// views.
	CaseCode  string
	Screening *ScreeningView
}

// view builds the view of r, whose text is open, for a.
func (s *Service) view(ctx context.Context, tx *store.Tx, a *auth.Actor, r *cases.Report, n *names) (*ReportView, error) {
	v := &ReportView{Report: *r, Full: readsInFull(a, r), CanScreen: CanScreen(a, r), Area: n.areas[r.AreaID],
		Addressed: n.orgs[r.AddressedOrgID]}
	if r.ReporterUserID != 0 {
		u := n.users[r.ReporterUserID]
		v.ReportedBy, v.ReportedByOrg = u.DisplayName, n.orgs[r.ReporterOrgID].Name
	}
	if !seesObserved(a, r) {
		v.Report.Observed, v.ObservedWithheld = "", true
	}
	if !v.Full {
		v.Report.CaseID, v.Report.SubjectPersonID = 0, 0
		return v, nil
	}
	if r.CaseID != 0 {
		if err := tx.QueryRow(ctx, `SELECT code FROM cases WHERE id = ?`, r.CaseID).Scan(&v.CaseCode); err != nil {
			return nil, err
		}
	}
	row, err := store.FindScreeningOf(ctx, tx, r.ID)
	if err != nil || row == nil {
		return v, err
	}
	v.Screening, err = s.openScreening(ctx, tx, a, r, row, n)
	return v, err
}

// OpenReport returns report id as a may see it and records the read in the
// audit log. A report outside a's scope is ENOTFOUND, like one that does not
// exist.
func (s *Service) OpenReport(ctx context.Context, a *auth.Actor, id int64, client string) (*ReportView, error) {
	var v *ReportView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		r, err := s.readableReport(ctx, tx, a, id)
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
		v, err = s.view(ctx, tx, a, r, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	fields := []string{"report"}
	if !v.Full {
		fields = []string{"report", "outcome"}
	}
	if v.Screening != nil {
		fields = append(fields, "screening")
	}
	return v, s.recordReportRead(ctx, a, &v.Report, fields, client)
}

// readableReport loads report id when a may read it, and answers ENOTFOUND
// otherwise.
func (s *Service) readableReport(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64) (*cases.Report, error) {
	r, err := store.FindReport(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !auth.Allowed(a, access.Read, ReportTarget(r)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return r, nil
}

// recordReadReport writes the audit entry of a read of report r. The read
// is tied to the case opened from the report only when the reader may see
// that case.
func (s *Service) recordReportRead(ctx context.Context, a *auth.Actor, r *cases.Report, fields []string, client string) error {
	return s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: "report", RecordID: strconv.FormatInt(r.ID, 10), CaseID: r.CaseID,
		Fields: fields, Client: client})
}

// ReportRow is one line of a list of reports: no text, only the facts and
// the names of the area and the organisations.
type ReportRow struct {
	cases.Report
	Area      string
	Addressed string
	// Full says whether the reader is one of the services that receive the
	// report, who may open its screening.
	Full bool
}

// ReportScope turns a's scopes for v on reports into the bounds of a list.
func ReportScope(a *auth.Actor, v access.Verb) store.ReportScope {
	var sc store.ReportScope
	for _, s := range auth.ScopesOf(a, v, access.Reports) {
		switch s {
		case access.Network:
			sc.All = true
		case access.OwnOrg:
			sc.OrgID = a.Organisation.ID
		case access.OwnArea:
			sc.AreaIDs = a.User.AreaIDs
		case access.Own:
			sc.ReporterID = a.User.ID
		}
	}
	return sc
}

// Reports returns a page of the reports a may list, passing f, with the
// total: those addressed to their organisation or area, and those they
// filed. The rows carry no text. The listing is recorded in the audit log.
func (s *Service) Reports(ctx context.Context, a *auth.Actor, f store.ReportFilter, client string) ([]ReportRow, int, error) {
	rows, total, err := s.listReports(ctx, a, ReportScope(a, access.List), f)
	if err != nil {
		return nil, 0, err
	}
	err = s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: "report_list", Client: client})
	return rows, total, err
}

// MyReports returns the newest reports a filed, at most limit, for their
// home page. The rows carry no text and name no case, so the read is not
// recorded.
func (s *Service) MyReports(ctx context.Context, a *auth.Actor, limit int) ([]ReportRow, int, error) {
	if !slices.Contains(auth.ScopesOf(a, access.List, access.Reports), access.Own) {
		return nil, 0, nil
	}
	return s.listReports(ctx, a, store.ReportScope{ReporterID: a.User.ID}, store.ReportFilter{Newest: true, Limit: limit})
}

func (s *Service) listReports(ctx context.Context, a *auth.Actor, scope store.ReportScope, f store.ReportFilter) ([]ReportRow, int, error) {
	var out []ReportRow
	var total int
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		list, n, err := store.ListReports(ctx, tx, scope, f)
		if err != nil {
			return err
		}
		total = n
		names, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range list {
			r.Reporter, r.Subject, r.Observed = "", "", ""
			full := readsInFull(a, &r)
			if !full {
				r.CaseID, r.SubjectPersonID = 0, 0
			}
			out = append(out, ReportRow{Report: r, Area: names.areas[r.AreaID].Name,
				Addressed: names.orgs[r.AddressedOrgID].Name, Full: full})
		}
		return nil
	})
	return out, total, err
}

// ReportsWaiting returns how many reports a may screen wait for a decision.
// A count names no report and is not recorded.
func (s *Service) ReportsWaiting(ctx context.Context, a *auth.Actor) (int, error) {
	scope := ReportScope(a, access.Update)
	scope.ReporterID = 0
	if scope.Empty() {
		return 0, nil
	}
	var n int
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		n, err = store.CountUndecidedReports(ctx, tx, scope)
		return err
	})
	return n, err
}

// ReportForEdit returns report id, its text open, for a screener to correct
// it. A report a may not screen is ENOTFOUND. The read is recorded.
func (s *Service) ReportForEdit(ctx context.Context, a *auth.Actor, id int64, client string) (*ReportView, error) {
	var v *ReportView
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
		v, err = s.view(ctx, tx, a, r, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, s.recordReportRead(ctx, a, &v.Report, []string{"report"}, client)
}

// screenable loads report id when a may screen it, and answers ENOTFOUND
// otherwise.
func (s *Service) screenable(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64) (*cases.Report, error) {
	r, err := store.FindReport(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !CanScreen(a, r) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return r, nil
}

// MayScreen returns nil when a may screen report id, and ENOTFOUND
// otherwise, like for a report that does not exist. It reads no text and
// is not recorded.
func (s *Service) MayScreen(ctx context.Context, a *auth.Actor, id int64) error {
	return s.DB.Read(ctx, func(tx *store.Tx) error {
		_, err := s.screenable(ctx, tx, a, id)
		return err
	})
}

// ReportDecided is the catalogue key of the ECONFLICT error of a change to a
// report whose outcome is already decided.
const ReportDecided = "error.report_decided"

// UpdateReport corrects report id as in, made from version in.Version, by
// one of the services that receive it, while no outcome is decided. What
// was observed is kept as it was when a may not see it. The change is
// audited with the names of the fields changed. It returns ENOTFOUND for a
// report a may not screen, EINVALID naming each field at fault, ECONFLICT
// error.stale_version when the report changed since in.Version, and
// ECONFLICT error.report_decided once it is decided.
func (s *Service) UpdateReport(ctx context.Context, a *auth.Actor, id int64, in ReportInput, client string) (*cases.Report, error) {
	now := s.Now().UTC()
	var out *cases.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		old, err := s.screenable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := s.openReport(ctx, old); err != nil {
			return err
		}
		r := *old
		r.ReceivedAt, r.Channel, r.Urgency, r.AreaID = in.ReceivedAt, in.Channel, in.Urgency, in.AreaID
		r.AddressedOrgID, r.SubjectPersonID = in.AddressedOrgID, in.SubjectPersonID
		r.Reporter, r.Subject = strings.TrimSpace(in.Reporter), strings.TrimSpace(in.Subject)
		if seesObserved(a, old) {
			r.Observed = strings.TrimSpace(in.Observed)
		}
		if r.ReceivedAt.IsZero() {
			r.ReceivedAt = old.ReceivedAt
		}
		if err := validateReport(ctx, tx, &r, now); err != nil {
			return err
		}
		if in.Version != old.Version {
			return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
		}
		if old.Status == cases.Decided {
			return approdo.Errorf(approdo.ECONFLICT, ReportDecided)
		}
		fields := old.Changes(&r)
		out = &r
		if len(fields) == 0 {
			return nil
		}
		saved := r
		if saved.Reporter, saved.Subject, saved.Observed, err = s.sealedText(&r); err != nil {
			return err
		}
		if err := store.UpdateReport(ctx, tx, &saved); err != nil {
			return err
		}
		r.Version, r.UpdatedAt = saved.Version, saved.UpdatedAt
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update,
			RecordType: "report", RecordID: strconv.FormatInt(r.ID, 10), CaseID: r.CaseID, Fields: fields, Client: client})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
