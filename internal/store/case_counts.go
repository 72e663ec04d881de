package store

import (
	"context"
	"fmt"
	"strings"

	"approdo/cases"
)

// counted splits scope into the bounds case_counts can add up (every case,
// an organisation's, areas', programmes') and those it cannot (a team's, a
// case worker's, cases reached by break-glass), which are counted case by
// case.
func (scope CaseScope) counted() (sums, direct CaseScope) {
	sums = CaseScope{All: scope.All, OrgID: scope.OrgID, AreaIDs: scope.AreaIDs, ProgrammeIDs: scope.ProgrammeIDs}
	direct = CaseScope{TeamUserID: scope.TeamUserID, WorkerID: scope.WorkerID, CaseIDs: scope.CaseIDs,
		teamOutside: scope.OrgID}
	return sums, direct
}

// countable reports whether case_counts can add up the cases passing f:
// filters of stage, kind, area and owner only.
func (f CaseFilter) countable() bool {
	return f.Risk == "" && f.WorkerID == 0 && f.CodePrefix == "" && f.OverdueAt.IsZero()
}

// countFilters returns the conditions of the filters countable allows, on
// the columns of cases and of case_counts alike.
func (f CaseFilter) countFilters() (string, []any) {
	var where string
	var args []any
	for _, c := range []struct {
		column string
		value  any
		set    bool
	}{
		{"stage", string(f.Stage), f.Stage != ""}, {"kind", string(f.Kind), f.Kind != ""},
		{"area_id", f.AreaID, f.AreaID != 0}, {"owner_org_id", f.OwnerOrgID, f.OwnerOrgID != 0},
	} {
		if c.set {
			where += " AND " + c.column + " = ?"
			args = append(args, c.value)
		}
	}
	return where, args
}

// countByStage returns how many cases within scope pass f at each stage.
// Where the scope and the filter allow, it adds up case_counts, and counts
// case by case only the cases of the other bounds that those sums leave
// out; otherwise it counts the cases.
func countByStage(ctx context.Context, tx *Tx, scope CaseScope, f CaseFilter) (map[cases.Stage]int, error) {
	out := map[cases.Stage]int{}
	add := func(query string, args ...any) error {
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("store: unable to count cases: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var stage string
			var n int
			if err := rows.Scan(&stage, &n); err != nil {
				return err
			}
			out[cases.Stage(stage)] += n
		}
		return rows.Err()
	}
	if !f.countable() {
		where, args := scope.where()
		if where == "" {
			return out, nil
		}
		filters, fargs := f.allFilters()
		return out, add(`SELECT stage, COUNT(*) FROM cases WHERE `+where+filters+` GROUP BY stage`, append(args, fargs...)...)
	}
	filters, fargs := f.countFilters()
	sums, direct := scope.counted()
	sumsWhere, sumsArgs := sums.where()
	if sumsWhere != "" {
		if err := add(`SELECT stage, SUM(n) FROM case_counts WHERE `+sumsWhere+filters+` GROUP BY stage`,
			append(append([]any{}, sumsArgs...), fargs...)...); err != nil {
			return nil, err
		}
		if sums.All {
			return out, nil
		}
	}
	directWhere, directArgs := direct.where()
	if directWhere == "" {
		return out, nil
	}
	query := `SELECT stage, COUNT(*) FROM cases WHERE ` + directWhere + filters
	args := append(append([]any{}, directArgs...), fargs...)
	if sumsWhere != "" {
		// Cases the sums counted already; programme_id is NULL for a case
		// of no programme, which no bound of programmes takes.
		query += ` AND NOT COALESCE(` + sumsWhere + `, FALSE)`
		args = append(args, sumsArgs...)
	}
	return out, add(query+` GROUP BY stage`, args...)
}

// allFilters returns the conditions of every filter of f on the columns of
// cases.
func (f CaseFilter) allFilters() (string, []any) {
	where, args := f.countFilters()
	if f.Risk != "" {
		where += " AND risk = ?"
		args = append(args, string(f.Risk))
	}
	if f.WorkerID != 0 {
		where += " AND case_worker_id = ?"
		args = append(args, f.WorkerID)
	}
	if f.CodePrefix != "" {
		// The prefix holds no wildcard (ListCases checks it), so LIKE
		// 'PREFIX%' is a range scan of cases_code_prefix.
		where += " AND code LIKE ?"
		args = append(args, f.CodePrefix+"%")
	}
	if !f.OverdueAt.IsZero() {
		where += " AND EXISTS (SELECT 1 FROM case_tasks t WHERE t.case_id = cases.id AND t.state = 'open' AND t.due_at < ?)"
		args = append(args, f.OverdueAt.UTC())
	}
	return where, args
}

// bounds returns each bound of the scope as a scope of its own, for a list
// that reads each in order and merges them.
func (scope CaseScope) bounds() []CaseScope {
	var out []CaseScope
	if scope.All {
		return []CaseScope{{All: true}}
	}
	if scope.OrgID != 0 {
		out = append(out, CaseScope{OrgID: scope.OrgID})
	}
	if scope.TeamUserID != 0 {
		out = append(out, CaseScope{TeamUserID: scope.TeamUserID, teamOutside: scope.OrgID})
	}
	if scope.WorkerID != 0 {
		out = append(out, CaseScope{WorkerID: scope.WorkerID})
	}
	if len(scope.CaseIDs) > 0 {
		out = append(out, CaseScope{CaseIDs: scope.CaseIDs})
	}
	if len(scope.AreaIDs) > 0 {
		out = append(out, CaseScope{AreaIDs: scope.AreaIDs})
	}
	if len(scope.ProgrammeIDs) > 0 {
		out = append(out, CaseScope{ProgrammeIDs: scope.ProgrammeIDs})
	}
	return out
}

// pageQuery returns the query of one page of the cases within scope passing
// the conditions filters, in order: the first offset+limit cases of each
// bound of the scope, each read in order from its index, merged and cut to
// the page, so that no bound is read further than the page needs.
func pageQuery(scope CaseScope, filters string, fargs []any, order string, limit, offset int) (string, []any) {
	var parts []string
	var args []any
	for i, b := range scope.bounds() {
		where, bargs := b.where()
		parts = append(parts, fmt.Sprintf(`SELECT id FROM (SELECT id FROM cases WHERE %s%s ORDER BY %s LIMIT ?) AS b%d`,
			where, filters, order, i))
		args = append(append(append(args, bargs...), fargs...), limit+offset)
	}
	query := `SELECT ` + caseColumns + ` FROM cases WHERE id IN (` + strings.Join(parts, " UNION ") + `) ORDER BY ` +
		order + ` LIMIT ? OFFSET ?`
	return query, append(args, limit, offset)
}
