package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"approdo/internal/store"
)

// How many operators of each role the harness signs in, and how many cases
// of each social worker's organisation it works on.
const (
	maxWorkers      = 16
	maxCoordinators = 4
	casesPerWorker  = 32
)

// operator is a signed-in user of the generated region and the cases the
// harness works on as them.
type operator struct {
	username string
	orgID    int64
	// cases are open cases of a social worker's organisation.
	cases []int64
	// sees is how many cases of the programmes a lead coordinator's
	// organisation leads their dashboard counts.
	sees int
	// listStage is the stage that holds most of the cases of a social
	// worker's organisation, the filter of their case list.
	listStage string
	// lastStep is the time step of the last second-factor code the server
	// accepted from the operator: it accepts none of that step or before.
	lastStep int64
	session  *session
}

// population is what the harness works with: the operators by role, the
// cases the bare handler reads, and the names it searches for.
type population struct {
	workers      []*operator
	coordinators []*operator
	bareIDs      []int64
	names        []string
}

// choose opens the region in dsn, picks the operators and cases the
// harness works with and records the database's figures in rep. It changes
// nothing in the database, and refuses a database that does not exist or
// holds no generated region.
func choose(ctx context.Context, dsn string, rep *Report) (*population, error) {
	if !store.IsPostgresURL(dsn) && !fileExists(strings.TrimPrefix(dsn, "file:")) {
		return nil, fmt.Errorf("bench: there is no database at %s: write one with approdo bench generate", dsn)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rep.Database = DatabaseInfo{Dialect: string(db.Dialect), Where: db.Where(), Rows: map[string]int64{}}
	if db.Dialect == store.SQLite {
		path := strings.TrimPrefix(dsn, "file:")
		path, _, _ = strings.Cut(path, "?")
		var size int64
		for _, p := range []string{path, path + "-wal"} {
			if st, err := os.Stat(p); err == nil {
				size += st.Size()
			}
		}
		rep.Database.SizeMB = float64(size) / (1 << 20)
	}
	pop := &population{}
	err = db.Read(ctx, func(tx *store.Tx) error {
		for _, table := range countedTables {
			var n int64
			// The table names are the constants of countedTables.
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				return fmt.Errorf("bench: cannot count the rows of %s: %w", table, err)
			}
			rep.Database.Rows[table] = n
		}
		if pop.workers, err = chooseWorkers(ctx, tx); err != nil {
			return err
		}
		pop.coordinators, err = chooseCoordinators(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(pop.workers) == 0 {
		return nil, fmt.Errorf("bench: %s holds no social worker named %sNNNN whose organisation has open cases: "+
			"write a region with approdo bench generate", db.Where(), SocialWorkerPrefix)
	}
	if len(pop.coordinators) == 0 {
		return nil, fmt.Errorf("bench: %s holds no lead coordinator named %sNNNN whose programmes have cases: "+
			"write a region with approdo bench generate", db.Where(), LeadCoordinatorPrefix)
	}
	for _, w := range pop.workers {
		pop.bareIDs = append(pop.bareIDs, w.cases...)
	}
	slices.Sort(pop.bareIDs)
	pop.bareIDs = slices.Compact(pop.bareIDs)
	pop.names = searchNames()
	rep.Operators = OperatorsInfo{SocialWorkers: len(pop.workers), LeadCoordinators: len(pop.coordinators),
		Cases: len(pop.bareIDs), SearchNames: len(pop.names)}
	for _, c := range pop.coordinators {
		rep.Operators.ProgrammeCases += c.sees
	}
	return pop, nil
}

// countedTables are the tables whose rows the report counts.
var countedTables = []string{"persons", "cases", "case_notes", "audit_log"}

// chooseWorkers picks up to maxWorkers active social workers, taking one
// organisation after another so that the load spreads over the region, each
// with the open cases of their organisation it last updated.
func chooseWorkers(ctx context.Context, tx *store.Tx) ([]*operator, error) {
	rows, err := tx.Query(ctx, `SELECT u.username, u.organisation_id, COALESCE(f.last_step, 0) FROM users u
		LEFT JOIN user_second_factors f ON f.user_id = u.id
		WHERE u.username LIKE ? AND u.active = TRUE
		  AND EXISTS (SELECT 1 FROM cases c WHERE c.owner_org_id = u.organisation_id AND c.closed_at IS NULL)
		ORDER BY u.organisation_id, u.username`, SocialWorkerPrefix+"%")
	if err != nil {
		return nil, fmt.Errorf("bench: cannot read the social workers: %w", err)
	}
	byOrg := map[int64][]*operator{}
	var orgs []int64
	for rows.Next() {
		o := &operator{}
		if err := rows.Scan(&o.username, &o.orgID, &o.lastStep); err != nil {
			rows.Close()
			return nil, fmt.Errorf("bench: cannot read a social worker: %w", err)
		}
		if byOrg[o.orgID] == nil {
			orgs = append(orgs, o.orgID)
		}
		byOrg[o.orgID] = append(byOrg[o.orgID], o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bench: cannot read the social workers: %w", err)
	}
	var chosen []*operator
	for round := 0; len(chosen) < maxWorkers; round++ {
		added := false
		for _, org := range orgs {
			if round < len(byOrg[org]) && len(chosen) < maxWorkers {
				chosen = append(chosen, byOrg[org][round])
				added = true
			}
		}
		if !added {
			break
		}
	}
	for _, o := range chosen {
		if o.cases, err = queryIDs(ctx, tx, `SELECT id FROM cases WHERE owner_org_id = ? AND closed_at IS NULL
			ORDER BY updated_at DESC, id LIMIT ?`, o.orgID, casesPerWorker); err != nil {
			return nil, fmt.Errorf("bench: cannot read the cases of %s: %w", o.username, err)
		}
		err := tx.QueryRow(ctx, `SELECT stage FROM cases WHERE owner_org_id = ?
			GROUP BY stage ORDER BY COUNT(*) DESC, stage LIMIT 1`, o.orgID).Scan(&o.listStage)
		if err != nil {
			return nil, fmt.Errorf("bench: cannot read the stages of the cases of %s: %w", o.username, err)
		}
	}
	return chosen, nil
}

// chooseCoordinators picks up to maxCoordinators active lead coordinators
// whose organisation leads programmes with cases, those who see the most
// cases first, with how many they see.
func chooseCoordinators(ctx context.Context, tx *store.Tx) ([]*operator, error) {
	rows, err := tx.Query(ctx, `SELECT u.username, u.organisation_id, COALESCE(f.last_step, 0) FROM users u
		JOIN programmes p ON p.lead_org_id = u.organisation_id
		JOIN cases c ON c.programme_id = p.id
		LEFT JOIN user_second_factors f ON f.user_id = u.id
		WHERE u.username LIKE ? AND u.active = TRUE
		GROUP BY u.username, u.organisation_id, f.last_step
		ORDER BY COUNT(c.id) DESC, u.username LIMIT ?`, LeadCoordinatorPrefix+"%", maxCoordinators)
	if err != nil {
		return nil, fmt.Errorf("bench: cannot read the lead coordinators: %w", err)
	}
	var chosen []*operator
	for rows.Next() {
		o := &operator{}
		if err := rows.Scan(&o.username, &o.orgID, &o.lastStep); err != nil {
			rows.Close()
			return nil, fmt.Errorf("bench: cannot read a lead coordinator: %w", err)
		}
		chosen = append(chosen, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bench: cannot read the lead coordinators: %w", err)
	}
	for _, o := range chosen {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM cases c JOIN programmes p ON p.id = c.programme_id
			WHERE p.lead_org_id = ?`, o.orgID).Scan(&o.sees); err != nil {
			return nil, fmt.Errorf("bench: cannot count the programme cases of %s: %w", o.username, err)
		}
	}
	return chosen, nil
}

// queryIDs returns the ids a query selects.
func queryIDs(ctx context.Context, tx *store.Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// searchNames returns the names the harness searches for and checks for
// duplicates: names that occur in the region, SearchNames.
func searchNames() []string { return SearchNames() }
