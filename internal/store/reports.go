package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
)

// Reports of concern, their screenings and the screening checklists.
//
// The free text of a report (who reports, about whom, what was observed) and
// the answers and reasons of a screening are sealed by the caller: the
// functions here read and write the sealed text as it is, in the Reporter,
// Subject and Observed fields of a cases.Report and in the sealed fields of
// a ScreeningRow.

// reportStale is the ECONFLICT of an update made from an old version.
func reportStale() error { return approdo.Errorf(approdo.ECONFLICT, "error.stale_version") }

// InsertReport stores a new report with its text still empty, sets its ID
// and gives it its code from the year it was received and its ID. The
// caller then seals the text, which needs the ID, and stores it with
// SetReportText in the same transaction.
func InsertReport(ctx context.Context, tx *Tx, r *cases.Report) error {
	now := time.Now().UTC()
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	r.UpdatedAt, r.Version = r.CreatedAt, 1
	if r.Status == "" {
		r.Status = cases.Received
	}
	placeholder := fmt.Sprintf("new-%d-%d", time.Now().UnixNano(), r.AreaID)
	err := tx.QueryRow(ctx, `INSERT INTO reports (code, received_at, channel, urgency, area_id, addressed_org_id,
		reporter_user_id, reporter_org_id, subject_person_id, status, outcome, outcome_at, case_id, created_at,
		updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		placeholder, r.ReceivedAt.UTC(), string(r.Channel), string(r.Urgency), r.AreaID, r.AddressedOrgID,
		nullID(r.ReporterUserID), nullID(r.ReporterOrgID), nullID(r.SubjectPersonID), string(r.Status),
		string(r.Outcome), reportNullTime(r.OutcomeAt), nullID(r.CaseID), r.CreatedAt, r.UpdatedAt, r.Version).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: unable to create a report: %w", err)
	}
	r.Code = cases.ReportCodeFor(r.ReceivedAt.In(approdo.Rome), r.ID)
	if _, err := tx.Exec(ctx, `UPDATE reports SET code = ? WHERE id = ?`, r.Code, r.ID); err != nil {
		return fmt.Errorf("store: unable to set the code of report %d: %w", r.ID, err)
	}
	return nil
}

// SetReportText stores the sealed text of report id: who reports, about
// whom, and what was observed.
func SetReportText(ctx context.Context, tx *Tx, id int64, reporter, subject, observed string) error {
	_, err := tx.Exec(ctx, `UPDATE reports SET reporter_sealed = ?, subject_sealed = ?, observed_sealed = ? WHERE id = ?`,
		reporter, subject, observed, id)
	if err != nil {
		return fmt.Errorf("store: unable to store the text of report %d: %w", id, err)
	}
	return nil
}

const reportColumns = `id, code, received_at, channel, urgency, area_id, addressed_org_id, COALESCE(reporter_user_id, 0),
	COALESCE(reporter_org_id, 0), reporter_sealed, subject_sealed, observed_sealed, COALESCE(subject_person_id, 0),
	status, outcome, outcome_at, COALESCE(case_id, 0), created_at, updated_at, version`

func scanReport(row interface{ Scan(...any) error }, r *cases.Report) error {
	var channel, urgency, status, outcome string
	var outcomeAt sql.NullTime
	if err := row.Scan(&r.ID, &r.Code, &r.ReceivedAt, &channel, &urgency, &r.AreaID, &r.AddressedOrgID,
		&r.ReporterUserID, &r.ReporterOrgID, &r.Reporter, &r.Subject, &r.Observed, &r.SubjectPersonID,
		&status, &outcome, &outcomeAt, &r.CaseID, &r.CreatedAt, &r.UpdatedAt, &r.Version); err != nil {
		return err
	}
	r.Channel, r.Urgency = cases.Channel(channel), cases.Urgency(urgency)
	r.Status, r.Outcome = cases.ReportStatus(status), cases.Outcome(outcome)
	r.OutcomeAt = time.Time{}
	if outcomeAt.Valid {
		r.OutcomeAt = outcomeAt.Time
	}
	return nil
}

// FindReport returns report id with its sealed text, or ENOTFOUND.
func FindReport(ctx context.Context, tx *Tx, id int64) (*cases.Report, error) {
	var r cases.Report
	err := scanReport(tx.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = ?`, id), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find report %d: %w", id, err)
	}
	return &r, nil
}

// UpdateReport saves every field of r but its code and creation, made from
// version r.Version, and moves r to the next version. The text fields must
// hold sealed text. A report changed since is ECONFLICT error.stale_version.
func UpdateReport(ctx context.Context, tx *Tx, r *cases.Report) error {
	r.UpdatedAt = time.Now().UTC()
	res, err := tx.Exec(ctx, `UPDATE reports SET received_at = ?, channel = ?, urgency = ?, area_id = ?,
		addressed_org_id = ?, reporter_sealed = ?, subject_sealed = ?, observed_sealed = ?, subject_person_id = ?,
		status = ?, outcome = ?, outcome_at = ?, case_id = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		r.ReceivedAt.UTC(), string(r.Channel), string(r.Urgency), r.AreaID, r.AddressedOrgID, r.Reporter, r.Subject,
		r.Observed, nullID(r.SubjectPersonID), string(r.Status), string(r.Outcome), reportNullTime(r.OutcomeAt),
		nullID(r.CaseID), r.UpdatedAt, r.ID, r.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update report %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return reportStale()
	}
	r.Version++
	return nil
}

// ReportScope bounds a list of reports to what an actor may reach; the
// policy builds it from the actor's scopes. A report is listed when any
// bound lets it through.
type ReportScope struct {
	All        bool    // network scope
	OrgID      int64   // reports addressed to the organisation
	AreaIDs    []int64 // reports in these areas
	ReporterID int64   // reports this user filed
}

// Empty reports whether the scope lets no report through.
func (s ReportScope) Empty() bool {
	return !s.All && s.OrgID == 0 && len(s.AreaIDs) == 0 && s.ReporterID == 0
}

func (s ReportScope) where() (string, []any) {
	var bounds []string
	var args []any
	if s.All {
		bounds = append(bounds, "TRUE")
	}
	if s.OrgID != 0 {
		bounds = append(bounds, "addressed_org_id = ?")
		args = append(args, s.OrgID)
	}
	if len(s.AreaIDs) > 0 {
		bounds = append(bounds, "area_id IN ("+placeholders(len(s.AreaIDs))+")")
		for _, id := range s.AreaIDs {
			args = append(args, id)
		}
	}
	if s.ReporterID != 0 {
		bounds = append(bounds, "reporter_user_id = ?")
		args = append(args, s.ReporterID)
	}
	if len(bounds) == 0 {
		return "", nil
	}
	return "(" + strings.Join(bounds, " OR ") + ")", args
}

// ReportFilter narrows a list of reports; zero values do not filter.
type ReportFilter struct {
	Status  cases.ReportStatus
	Urgency cases.Urgency
	Channel cases.Channel
	// Newest orders by the time received alone, newest first, instead of
	// the inbox's order: undecided first, most urgent first, then newest.
	Newest bool
	Limit  int
	Offset int
}

// inboxOrder puts undecided reports first, the most urgent first among
// them, and then the newest.
const inboxOrder = `CASE WHEN status = 'decided' THEN 1 ELSE 0 END,
	CASE urgency WHEN 'immediate' THEN 0 WHEN 'urgent' THEN 1 WHEN 'soon' THEN 2 ELSE 3 END,
	received_at DESC, id DESC`

// ListReports returns a page of the reports within scope that pass the
// filter, with their sealed text, and how many there are in all.
func ListReports(ctx context.Context, tx *Tx, scope ReportScope, f ReportFilter) ([]cases.Report, int, error) {
	where, args := scope.where()
	if where == "" {
		return nil, 0, nil // an empty scope lists nothing, never everything
	}
	for _, c := range []struct {
		column, value string
	}{{"status", string(f.Status)}, {"urgency", string(f.Urgency)}, {"channel", string(f.Channel)}} {
		if c.value != "" {
			where += " AND " + c.column + " = ?"
			args = append(args, c.value)
		}
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM reports WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: unable to count reports: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	order := inboxOrder
	if f.Newest {
		order = `received_at DESC, id DESC`
	}
	rows, err := tx.Query(ctx, `SELECT `+reportColumns+` FROM reports WHERE `+where+` ORDER BY `+order+
		` LIMIT ? OFFSET ?`, append(args, f.Limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list reports: %w", err)
	}
	defer rows.Close()
	var out []cases.Report
	for rows.Next() {
		var r cases.Report
		if err := scanReport(rows, &r); err != nil {
			return nil, 0, fmt.Errorf("store: unable to read a report: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// CountUndecidedReports returns how many reports within scope wait for a
// decision.
func CountUndecidedReports(ctx context.Context, tx *Tx, scope ReportScope) (int, error) {
	where, args := scope.where()
	if where == "" {
		return 0, nil
	}
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM reports WHERE `+where+` AND status <> 'decided'`, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unable to count reports: %w", err)
	}
	return n, nil
}

// LinkCaseToReport records on case caseID the report it was opened from.
func LinkCaseToReport(ctx context.Context, tx *Tx, caseID, reportID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE cases SET report_id = ? WHERE id = ?`, reportID, caseID); err != nil {
		return fmt.Errorf("store: unable to link case %d to report %d: %w", caseID, reportID, err)
	}
	return nil
}

// PersonExists reports whether a person with the given id exists and was
// not merged into another.
func PersonExists(ctx context.Context, tx *Tx, id int64) (bool, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM persons WHERE id = ? AND merged_into IS NULL`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store: unable to look for person %d: %w", id, err)
	}
	return n > 0, nil
}

// ScreeningRow is a screening as stored: its answers and reasons sealed.
// The Answers and Reasons of the embedded Screening are left empty.
type ScreeningRow struct {
	cases.Screening
	AnswersSealed string
	ReasonsSealed string
}

// InsertScreening stores a new screening and sets its ID. Its sealed
// fields may be set afterwards with UpdateScreening, once the ID is known.
func InsertScreening(ctx context.Context, tx *Tx, s *ScreeningRow) error {
	if s.ScreenedAt.IsZero() {
		s.ScreenedAt = time.Now().UTC()
	}
	s.Version = 1
	err := tx.QueryRow(ctx, `INSERT INTO screenings (report_id, case_id, screened_by, screened_at, answers_sealed,
		trafficking_status, decision, reasons_sealed, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.ReportID, nullID(s.CaseID), s.ScreenedBy, s.ScreenedAt, s.AnswersSealed, string(s.TraffickingStatus),
		string(s.Decision), s.ReasonsSealed, s.Version).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("store: unable to create a screening of report %d: %w", s.ReportID, err)
	}
	return nil
}

// UpdateScreening saves screening s made from version s.Version and moves it
// to the next version. A screening changed since is ECONFLICT
// error.stale_version.
func UpdateScreening(ctx context.Context, tx *Tx, s *ScreeningRow) error {
	res, err := tx.Exec(ctx, `UPDATE screenings SET case_id = ?, screened_by = ?, screened_at = ?, answers_sealed = ?,
		trafficking_status = ?, decision = ?, reasons_sealed = ?, version = version + 1 WHERE id = ? AND version = ?`,
		nullID(s.CaseID), s.ScreenedBy, s.ScreenedAt, s.AnswersSealed, string(s.TraffickingStatus),
		string(s.Decision), s.ReasonsSealed, s.ID, s.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update screening %d: %w", s.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return reportStale()
	}
	s.Version++
	return nil
}

// FindScreeningOf returns the screening of report reportID, or nil when it
// has none yet.
func FindScreeningOf(ctx context.Context, tx *Tx, reportID int64) (*ScreeningRow, error) {
	var s ScreeningRow
	var status, decision string
	err := tx.QueryRow(ctx, `SELECT id, report_id, COALESCE(case_id, 0), screened_by, screened_at, answers_sealed,
		trafficking_status, decision, reasons_sealed, version FROM screenings WHERE report_id = ? ORDER BY id DESC LIMIT 1`,
		reportID).Scan(&s.ID, &s.ReportID, &s.CaseID, &s.ScreenedBy, &s.ScreenedAt, &s.AnswersSealed, &status,
		&decision, &s.ReasonsSealed, &s.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find the screening of report %d: %w", reportID, err)
	}
	s.TraffickingStatus, s.Decision = cases.TraffickingStatus(status), cases.Decision(decision)
	return &s, nil
}

// ListIndicatorSets returns the screening checklists in position order,
// each with its indicators in position order; with activeOnly, only the
// active sets and indicators.
func ListIndicatorSets(ctx context.Context, tx *Tx, activeOnly bool) ([]cases.IndicatorSet, error) {
	q := `SELECT code, name_it, name_en, source, position, active FROM indicator_sets`
	if activeOnly {
		q += ` WHERE active = TRUE`
	}
	rows, err := tx.Query(ctx, q+` ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list indicator sets: %w", err)
	}
	var sets []cases.IndicatorSet
	index := map[string]int{}
	for rows.Next() {
		var s cases.IndicatorSet
		if err := rows.Scan(&s.Code, &s.NameIT, &s.NameEN, &s.Source, &s.Position, &s.Active); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read an indicator set: %w", err)
		}
		index[s.Code] = len(sets)
		sets = append(sets, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	q = `SELECT set_code, code, label_it, label_en, field_group, position, active FROM indicators`
	if activeOnly {
		q += ` WHERE active = TRUE`
	}
	rows, err = tx.Query(ctx, q+` ORDER BY set_code, position, code`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list indicators: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i cases.Indicator
		if err := rows.Scan(&i.SetCode, &i.Code, &i.LabelIT, &i.LabelEN, &i.FieldGroup, &i.Position, &i.Active); err != nil {
			return nil, fmt.Errorf("store: unable to read an indicator: %w", err)
		}
		if n, ok := index[i.SetCode]; ok {
			sets[n].Indicators = append(sets[n].Indicators, i)
		}
	}
	return sets, rows.Err()
}

// FindIndicatorSet returns the checklist with the given code and all its
// indicators, active or not, or ENOTFOUND.
func FindIndicatorSet(ctx context.Context, tx *Tx, code string) (*cases.IndicatorSet, error) {
	sets, err := ListIndicatorSets(ctx, tx, false)
	if err != nil {
		return nil, err
	}
	for i := range sets {
		if sets[i].Code == code {
			return &sets[i], nil
		}
	}
	return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
}

// InsertIndicatorSet stores a new checklist with its indicators. A code in
// use is ECONFLICT error.code_taken.
func InsertIndicatorSet(ctx context.Context, tx *Tx, s *cases.IndicatorSet) error {
	_, err := tx.Exec(ctx, `INSERT INTO indicator_sets (code, name_it, name_en, source, position, active)
		VALUES (?, ?, ?, ?, ?, ?)`, s.Code, s.NameIT, s.NameEN, s.Source, s.Position, s.Active)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", s.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to create indicator set %q: %w", s.Code, err)
	}
	for i := range s.Indicators {
		if err := insertIndicator(ctx, tx, s.Code, &s.Indicators[i]); err != nil {
			return err
		}
	}
	return nil
}

func insertIndicator(ctx context.Context, tx *Tx, set string, i *cases.Indicator) error {
	i.SetCode = set
	_, err := tx.Exec(ctx, `INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position, active)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, set, i.Code, i.LabelIT, i.LabelEN, i.FieldGroup, i.Position, i.Active)
	if err != nil {
		return fmt.Errorf("store: unable to add indicator %q to set %q: %w", i.Code, set, err)
	}
	return nil
}

// UpdateIndicatorSet saves checklist s: its names, source, position and
// whether it is active, and each of its indicators, adding those it did not
// have. Indicators are never removed, only deactivated, so that past
// answers keep their meaning.
func UpdateIndicatorSet(ctx context.Context, tx *Tx, s *cases.IndicatorSet) error {
	res, err := tx.Exec(ctx, `UPDATE indicator_sets SET name_it = ?, name_en = ?, source = ?, position = ?, active = ?
		WHERE code = ?`, s.NameIT, s.NameEN, s.Source, s.Position, s.Active, s.Code)
	if err != nil {
		return fmt.Errorf("store: unable to update indicator set %q: %w", s.Code, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		res, err := tx.Exec(ctx, `UPDATE indicators SET label_it = ?, label_en = ?, field_group = ?, position = ?,
			active = ? WHERE set_code = ? AND code = ?`, ind.LabelIT, ind.LabelEN, ind.FieldGroup, ind.Position,
			ind.Active, s.Code, ind.Code)
		if err != nil {
			return fmt.Errorf("store: unable to update indicator %q of set %q: %w", ind.Code, s.Code, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if err := insertIndicator(ctx, tx, s.Code, ind); err != nil {
				return err
			}
		}
	}
	return nil
}

// CountIndicatorSets returns how many checklists there are, active or not.
func CountIndicatorSets(ctx context.Context, tx *Tx) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM indicator_sets`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unable to count indicator sets: %w", err)
	}
	return n, nil
}

// reportNullTime stores the zero time as NULL.
func reportNullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// SetScreeningText stores the sealed answers and reasons of screening id,
// sealed once its ID is known, without changing its version.
func SetScreeningText(ctx context.Context, tx *Tx, id int64, answers, reasons string) error {
	_, err := tx.Exec(ctx, `UPDATE screenings SET answers_sealed = ?, reasons_sealed = ? WHERE id = ?`, answers, reasons, id)
	if err != nil {
		return fmt.Errorf("store: unable to store the text of screening %d: %w", id, err)
	}
	return nil
}

// ListCaseIDsOf returns the ids of the cases organisation orgID holds,
// oldest first.
func ListCaseIDsOf(ctx context.Context, tx *Tx, orgID int64) ([]int64, error) {
	return queryIDs(ctx, tx, `SELECT id FROM cases WHERE owner_org_id = ? ORDER BY id`, orgID)
}
