package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/network"
)

// InsertCase stores a new case with its team, sets its ID, and gives it its
// code from the area's code, the year it opened and its ID.
func InsertCase(ctx context.Context, tx *Tx, c *cases.Case) error {
	if c.OpenedAt.IsZero() {
		c.OpenedAt = time.Now().UTC()
	}
	c.UpdatedAt, c.Version = c.OpenedAt, 1
	var areaCode string
	if err := tx.QueryRow(ctx, `SELECT code FROM areas WHERE id = ?`, c.AreaID).Scan(&areaCode); err != nil {
		return fmt.Errorf("store: unable to find area %d for a new case: %w", c.AreaID, err)
	}
	// The code needs the id, which the insert gives: insert with a
	// placeholder code unique to this transaction, then set it.
	placeholder := fmt.Sprintf("new-%d-%d", time.Now().UnixNano(), c.AreaID)
	err := tx.QueryRow(ctx, `INSERT INTO cases (code, kind, programme_id, area_id, owner_org_id, case_worker_id, stage,
		risk, concerns, closure_reason, outcomes, report_id, opened_at, closed_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		placeholder, string(c.Kind), nullID(c.ProgrammeID), c.AreaID, c.OwnerOrgID, nullID(c.CaseWorkerID),
		string(c.Stage), string(c.Risk), strings.Join(c.Concerns, ","), c.ClosureReason, strings.Join(c.Outcomes, ","),
		nullID(c.ReportID), c.OpenedAt, timeOrNull(c.ClosedAt), c.UpdatedAt, c.Version).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("store: unable to create case: %w", err)
	}
	c.Code = cases.CodeFor(areaCode, c.OpenedAt, c.ID)
	if _, err := tx.Exec(ctx, `UPDATE cases SET code = ? WHERE id = ?`, c.Code, c.ID); err != nil {
		return fmt.Errorf("store: unable to set the code of case %d: %w", c.ID, err)
	}
	for i := range c.Team {
		if err := InsertTeamMember(ctx, tx, c.ID, &c.Team[i]); err != nil {
			return err
		}
	}
	return InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: c.OpenedAt, ActorID: c.CaseWorkerID, Kind: cases.Opened,
		Detail: map[string]string{"kind": string(c.Kind)}})
}

// InsertTeamMember adds a member to a case's team.
func InsertTeamMember(ctx context.Context, tx *Tx, caseID int64, m *cases.Member) error {
	if m.AddedAt.IsZero() {
		m.AddedAt = time.Now().UTC()
	}
	_, err := tx.Exec(ctx, `INSERT INTO case_team (case_id, user_id, role, added_at, added_by) VALUES (?, ?, ?, ?, ?)`,
		caseID, m.UserID, string(m.Role), m.AddedAt, nullID(m.AddedBy))
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.already_on_team")
	} else if err != nil {
		return fmt.Errorf("store: unable to add user %d to the team of case %d: %w", m.UserID, caseID, err)
	}
	return nil
}

const caseColumns = `id, code, kind, COALESCE(programme_id, 0), area_id, owner_org_id, COALESCE(case_worker_id, 0),
	stage, risk, concerns, closure_reason, outcomes, COALESCE(report_id, 0), opened_at, closed_at, updated_at, version`

func scanCase(row interface{ Scan(...any) error }, c *cases.Case) error {
	var kind, stage, risk, concerns, outcomes string
	var closed sql.NullTime
	if err := row.Scan(&c.ID, &c.Code, &kind, &c.ProgrammeID, &c.AreaID, &c.OwnerOrgID, &c.CaseWorkerID,
		&stage, &risk, &concerns, &c.ClosureReason, &outcomes, &c.ReportID, &c.OpenedAt, &closed, &c.UpdatedAt,
		&c.Version); err != nil {
		return err
	}
	c.Kind, c.Stage, c.Risk = cases.Kind(kind), cases.Stage(stage), cases.Risk(risk)
	c.Concerns, c.Outcomes = splitCodes(concerns), splitCodes(outcomes)
	c.ClosedAt = time.Time{}
	if closed.Valid {
		c.ClosedAt = closed.Time
	}
	return nil
}

// splitCodes reads a list of codes stored joined by commas.
func splitCodes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// timeOrNull writes an optional time: NULL for the zero time.
func timeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// FindCase returns the case with the given ID and its team, or ENOTFOUND.
// One query reads both: the case's columns come on each row of a member,
// or on a row of none for a case without a team.
func FindCase(ctx context.Context, tx *Tx, id int64) (*cases.Case, error) {
	rows, err := tx.Query(ctx, `SELECT c.*, t.user_id, t.role, t.added_at, COALESCE(t.added_by, 0)
		FROM (SELECT `+caseColumns+` FROM cases WHERE id = ?) AS c LEFT JOIN case_team t ON t.case_id = c.id
		ORDER BY t.added_at, t.user_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: unable to find case %d: %w", id, err)
	}
	defer rows.Close()
	var c *cases.Case
	for rows.Next() {
		var m memberRow
		if c == nil {
			c = &cases.Case{}
		}
		if err := scanCase(caseAndMember{rows, &m}, c); err != nil {
			return nil, fmt.Errorf("store: unable to read case %d: %w", id, err)
		}
		if m.userID.Valid {
			c.Team = append(c.Team, cases.Member{UserID: m.userID.Int64, Role: cases.TeamRole(m.role.String),
				AddedAt: m.addedAt.Time, AddedBy: m.addedBy})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to find case %d: %w", id, err)
	}
	if c == nil {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return c, nil
}

// memberRow is the member of a case's team that a row of FindCase holds,
// if any.
type memberRow struct {
	userID  sql.NullInt64
	role    sql.NullString
	addedAt sql.NullTime
	addedBy int64
}

// caseAndMember scans a row of FindCase: scanCase's columns, then the member's.
type caseAndMember struct {
	rows *sql.Rows
	m    *memberRow
}

func (c caseAndMember) Scan(dest ...any) error {
	return c.rows.Scan(append(dest, &c.m.userID, &c.m.role, &c.m.addedAt, &c.m.addedBy)...)
}

// FindCaseByCode returns the case with the given code and its team, or
// ENOTFOUND.
func FindCaseByCode(ctx context.Context, tx *Tx, code string) (*cases.Case, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM cases WHERE code = ?`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find a case by code: %w", err)
	}
	return FindCase(ctx, tx, id)
}

// CaseScope bounds a list of cases to what an actor may reach; the policy
// builds it from the actor's scopes. A case is listed when any bound lets
// it through.
type CaseScope struct {
	All          bool    // network scope
	OrgID        int64   // cases the organisation holds
	TeamUserID   int64   // cases whose team the user is on
	CaseIDs      []int64 // cases reached otherwise (break-glass)
	AreaIDs      []int64 // cases in these areas
	ProgrammeIDs []int64 // cases of these programmes
	WorkerID     int64   // cases this user is case worker of
	// teamOutside, when set, narrows the team's cases to those other
	// organisations than this one own: a bound split from a scope whose
	// own organisation's bound takes the rest.
	teamOutside int64
}

// Empty reports whether the scope lets no case through.
func (s CaseScope) Empty() bool {
	return !s.All && s.OrgID == 0 && s.TeamUserID == 0 && s.WorkerID == 0 &&
		len(s.CaseIDs) == 0 && len(s.AreaIDs) == 0 && len(s.ProgrammeIDs) == 0
}

// where returns the SQL condition of the scope and its arguments, or "" for
// an empty scope.
func (scope CaseScope) where() (string, []any) { return scope.whereOn("") }

// whereOn returns the condition of where on the columns of table, a name
// or alias of cases in the query, or on bare columns when it is "".
func (scope CaseScope) whereOn(table string) (string, []any) {
	col := func(c string) string {
		if table == "" {
			return c
		}
		return table + "." + c
	}
	var bounds []string
	var args []any
	if scope.All {
		bounds = append(bounds, "TRUE")
	}
	if scope.OrgID != 0 {
		bounds = append(bounds, col("owner_org_id")+" = ?")
		args = append(args, scope.OrgID)
	}
	switch {
	case scope.TeamUserID != 0 && scope.teamOutside != 0:
		// The bound of the organisation takes its own cases.
		bounds = append(bounds, col("id")+" IN (SELECT case_id FROM case_team WHERE user_id = ? AND owner_org_id <> ?)")
		args = append(args, scope.TeamUserID, scope.teamOutside)
	case scope.TeamUserID != 0:
		bounds = append(bounds, col("id")+" IN (SELECT case_id FROM case_team WHERE user_id = ?)")
		args = append(args, scope.TeamUserID)
	}
	if scope.WorkerID != 0 {
		bounds = append(bounds, col("case_worker_id")+" = ?")
		args = append(args, scope.WorkerID)
	}
	for _, b := range []struct {
		column string
		ids    []int64
	}{{"id", scope.CaseIDs}, {"area_id", scope.AreaIDs}, {"programme_id", scope.ProgrammeIDs}} {
		if len(b.ids) > 0 {
			bounds = append(bounds, col(b.column)+" IN ("+placeholders(len(b.ids))+")")
			for _, id := range b.ids {
				args = append(args, id)
			}
		}
	}
	if len(bounds) == 0 {
		return "", nil
	}
	return "(" + strings.Join(bounds, " OR ") + ")", args
}

// CountCasesByStage returns how many cases within scope stand at each stage.
func CountCasesByStage(ctx context.Context, tx *Tx, scope CaseScope) (map[cases.Stage]int, error) {
	return countByStage(ctx, tx, scope, CaseFilter{})
}

// CaseFilter narrows a list of cases; zero values do not filter.
type CaseFilter struct {
	Stage  cases.Stage
	Kind   cases.Kind
	Risk   cases.Risk
	AreaID int64
	// OwnerOrgID keeps the cases the organisation holds; WorkerID those of
	// one case worker.
	OwnerOrgID int64
	WorkerID   int64
	// CodePrefix keeps the cases whose code starts with it, in any case
	// ("fi-po" finds "FI-PO-2026-00042"). Codes are made of letters,
	// digits and hyphens, so a prefix with any other character finds none.
	CodePrefix string
	// OverdueAt, when set, keeps the cases with a task still open that was
	// due before it.
	OverdueAt time.Time
	// Sort orders the list by one of SortColumns, most recently updated
	// first by default; Ascending reverses the order.
	Sort      string
	Ascending bool
	Limit     int
	Offset    int
}

// The columns a list of cases sorts by.
const (
	SortUpdated = "updated"
	SortOpened  = "opened"
	SortCode    = "code"
	SortRisk    = "risk"
)

// SortColumns lists the columns a list of cases sorts by.
var SortColumns = []string{SortUpdated, SortOpened, SortCode, SortRisk}

// caseOrder is the ORDER BY of each sort column, descending; the case id
// breaks ties so that paging is stable.
var caseOrder = map[string]string{
	SortUpdated: "updated_at %[1]s, id %[1]s",
	SortOpened:  "opened_at %[1]s, id %[1]s",
	SortCode:    "code %[1]s",
	SortRisk:    "CASE risk WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END %[1]s, updated_at DESC, id DESC",
}

// casePrefix is the shape of a code prefix: letters, digits and hyphens.
func casePrefix(q string) (string, bool) {
	q = strings.ToUpper(strings.TrimSpace(q))
	for _, r := range q {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return "", false
		}
	}
	return q, true
}

// ListCases returns a page of the cases within scope that pass the filter,
// in the filter's order, and how many there are in all.
func ListCases(ctx context.Context, tx *Tx, scope CaseScope, f CaseFilter) ([]cases.Case, int, error) {
	if scope.Empty() {
		return nil, 0, nil // an empty scope lists nothing, never everything
	}
	if f.CodePrefix != "" {
		prefix, ok := casePrefix(f.CodePrefix)
		if !ok {
			return nil, 0, nil
		}
		f.CodePrefix = prefix
	}
	counts, err := countByStage(ctx, tx, scope, f)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	order, ok := caseOrder[f.Sort]
	if !ok {
		order = caseOrder[SortUpdated]
	}
	dir := "DESC"
	if f.Ascending {
		dir = "ASC"
	}
	filters, fargs := f.allFilters()
	query, args := pageQuery(scope, filters, fargs, fmt.Sprintf(order, dir), f.Limit, f.Offset)
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list cases: %w", err)
	}
	defer rows.Close()
	var out []cases.Case
	for rows.Next() {
		var c cases.Case
		if err := scanCase(rows, &c); err != nil {
			return nil, 0, fmt.Errorf("store: unable to read case: %w", err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// UpdateCase saves the workflow fields of after (stage, risk, concerns,
// programme, case worker, owner organisation, closure) over before, the case
// as it was loaded in the same transaction, provided nobody saved it since:
// it bumps the version, sets updated_at to at and records the revision with
// the fields that changed. It returns the changes, none when nothing
// changed (and then writes nothing), or ECONFLICT ("error.stale_version")
// when the case's version is no longer before.Version.
func UpdateCase(ctx context.Context, tx *Tx, before, after *cases.Case, actorID int64, at time.Time) ([]cases.Change, error) {
	changes := cases.Diff(before, after)
	if len(changes) == 0 {
		return nil, nil
	}
	at = at.UTC()
	res, err := tx.Exec(ctx, `UPDATE cases SET stage = ?, risk = ?, concerns = ?, programme_id = ?, case_worker_id = ?,
		owner_org_id = ?, closure_reason = ?, outcomes = ?, closed_at = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		string(after.Stage), string(after.Risk), strings.Join(after.Concerns, ","), nullID(after.ProgrammeID),
		nullID(after.CaseWorkerID), after.OwnerOrgID, after.ClosureReason, strings.Join(after.Outcomes, ","),
		timeOrNull(after.ClosedAt), at, before.ID, before.Version)
	if err != nil {
		return nil, fmt.Errorf("store: unable to update case %d: %w", before.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("store: unable to update case %d: %w", before.ID, err)
	} else if n == 0 {
		return nil, approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	}
	after.Version, after.UpdatedAt = before.Version+1, at
	b, err := json.Marshal(changes)
	if err != nil {
		return nil, fmt.Errorf("store: unable to encode the changes of case %d: %w", before.ID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO case_revisions (case_id, version, at, actor_id, changes) VALUES (?, ?, ?, ?, ?)`,
		before.ID, after.Version, at, nullID(actorID), string(b)); err != nil {
		return nil, fmt.Errorf("store: unable to record revision %d of case %d: %w", after.Version, before.ID, err)
	}
	return changes, nil
}

// ListRevisions returns the revisions of a case made after version since,
// oldest first.
func ListRevisions(ctx context.Context, tx *Tx, caseID int64, since int) ([]cases.Revision, error) {
	rows, err := tx.Query(ctx, `SELECT case_id, version, at, COALESCE(actor_id, 0), changes FROM case_revisions
		WHERE case_id = ? AND version > ? ORDER BY version`, caseID, since)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the revisions of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []cases.Revision
	for rows.Next() {
		var r cases.Revision
		var changes string
		if err := rows.Scan(&r.CaseID, &r.Version, &r.At, &r.ActorID, &changes); err != nil {
			return nil, fmt.Errorf("store: unable to read a revision: %w", err)
		}
		if err := json.Unmarshal([]byte(changes), &r.Changes); err != nil {
			return nil, fmt.Errorf("store: revision %d of case %d is malformed: %w", r.Version, caseID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetTeamRole gives a member of a case's team another role, or adds the
// user to the team with it.
func SetTeamRole(ctx context.Context, tx *Tx, caseID int64, m *cases.Member) error {
	res, err := tx.Exec(ctx, `UPDATE case_team SET role = ? WHERE case_id = ? AND user_id = ?`, string(m.Role), caseID, m.UserID)
	if err != nil {
		return fmt.Errorf("store: unable to change the role of user %d on case %d: %w", m.UserID, caseID, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	return InsertTeamMember(ctx, tx, caseID, m)
}

// RemoveTeamMember takes a user off a case's team.
func RemoveTeamMember(ctx context.Context, tx *Tx, caseID, userID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM case_team WHERE case_id = ? AND user_id = ?`, caseID, userID); err != nil {
		return fmt.Errorf("store: unable to remove user %d from the team of case %d: %w", userID, caseID, err)
	}
	return nil
}

// InsertStageChange records a change of stage and sets its ID. The reason
// must already be sealed.
func InsertStageChange(ctx context.Context, tx *Tx, sc *cases.StageChange) error {
	err := tx.QueryRow(ctx, `INSERT INTO case_stage_changes (case_id, at, actor_id, from_stage, to_stage, kind, reason_sealed)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, sc.CaseID, sc.At.UTC(), nullID(sc.ActorID), string(sc.From),
		string(sc.To), string(sc.Kind), sc.Reason).Scan(&sc.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a change of stage of case %d: %w", sc.CaseID, err)
	}
	return nil
}

// LastStageChange returns the latest change of stage of a case, with its
// sealed reason, or nil when none was recorded.
func LastStageChange(ctx context.Context, tx *Tx, caseID int64) (*cases.StageChange, error) {
	var sc cases.StageChange
	var from, to, kind string
	err := tx.QueryRow(ctx, `SELECT id, case_id, at, COALESCE(actor_id, 0), from_stage, to_stage, kind, reason_sealed
		FROM case_stage_changes WHERE case_id = ? ORDER BY at DESC, id DESC LIMIT 1`, caseID).Scan(
		&sc.ID, &sc.CaseID, &sc.At, &sc.ActorID, &from, &to, &kind, &sc.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to read the last change of stage of case %d: %w", caseID, err)
	}
	sc.From, sc.To, sc.Kind = cases.Stage(from), cases.Stage(to), cases.MoveKind(kind)
	return &sc, nil
}

// UsersAllowedIn returns the active users of an organisation who hold a
// role that lets them take verb on resource within their organisation, the
// programmes it leads, or wider: for example those who may hold cases
// (manage case), decide transfers (approve case_transfer) or approve
// projects (approve project). It reads the roles as data, so a role
// an administrator changes changes the answer.
func UsersAllowedIn(ctx context.Context, tx *Tx, orgID int64, verb, resource string) ([]network.User, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT u.id, u.display_name FROM users u
		JOIN user_roles r ON r.user_id = u.id
		JOIN role_permissions p ON p.role = r.role
		WHERE u.organisation_id = ? AND u.active = TRUE AND p.verb = ? AND p.resource = ?
		AND p.scope IN ('organisation', 'area', 'programme', 'network') ORDER BY u.display_name, u.id`, orgID, verb, resource)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the users of organisation %d allowed to %s %s: %w", orgID, verb, resource, err)
	}
	defer rows.Close()
	var out []network.User
	for rows.Next() {
		u := network.User{OrganisationID: orgID, Active: true}
		if err := rows.Scan(&u.ID, &u.DisplayName); err != nil {
			return nil, fmt.Errorf("store: unable to read a user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// InsertBreakGlass records a break-glass access and sets its ID. The reason
// must already be sealed.
func InsertBreakGlass(ctx context.Context, tx *Tx, b *cases.BreakGlass) error {
	err := tx.QueryRow(ctx, `INSERT INTO break_glass (case_id, user_id, reason, granted_at, expires_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, b.CaseID, b.UserID, b.Reason, b.GrantedAt, b.ExpiresAt).Scan(&b.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record break-glass on case %d: %w", b.CaseID, err)
	}
	return nil
}

// ActiveBreakGlassCaseIDs returns the cases the user holds a break-glass
// access to at time now.
func ActiveBreakGlassCaseIDs(ctx context.Context, tx *Tx, userID int64, now time.Time) ([]int64, error) {
	return queryIDs(ctx, tx, `SELECT DISTINCT case_id FROM break_glass WHERE user_id = ? AND expires_at > ?
		ORDER BY case_id`, userID, now)
}

// FindBreakGlass returns the break-glass accesses to a case, newest first,
// with their sealed reasons.
func FindBreakGlass(ctx context.Context, tx *Tx, caseID int64) ([]cases.BreakGlass, error) {
	rows, err := tx.Query(ctx, `SELECT id, case_id, user_id, reason, granted_at, expires_at FROM break_glass
		WHERE case_id = ? ORDER BY granted_at DESC, id DESC`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read break-glass accesses of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []cases.BreakGlass
	for rows.Next() {
		var b cases.BreakGlass
		if err := rows.Scan(&b.ID, &b.CaseID, &b.UserID, &b.Reason, &b.GrantedAt, &b.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
