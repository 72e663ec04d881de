package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"approdo"
	"approdo/internal/audit"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

// generated writes a region of n persons into a new database of dialect
// (a SQLite file in a temporary folder, or a PostgreSQL database the test
// creates and drops) and returns its dsn and data folder.
func generated(t *testing.T, dsn string, n int, seed int64) (string, string) {
	t.Helper()
	data := t.TempDir()
	var out bytes.Buffer
	if err := Generate(context.Background(), GenerateConfig{DB: dsn, Data: data, Persons: n, Seed: seed}, &out); err != nil {
		t.Fatalf("generate: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "persons written") {
		t.Errorf("the generator reported:\n%s", out.String())
	}
	return dsn, data
}

// eachDatabase runs fn on the address of a new, empty database of each
// dialect.
func eachDatabase(t *testing.T, fn func(t *testing.T, dsn string)) {
	storetest.EachDialect(t, func(t *testing.T, d store.Dialect) { fn(t, storetest.DSN(t, d)) })
}

func TestGenerateWritesAWholeRegion(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		generated(t, dsn, 400, 7)
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		counts := map[string]int{}
		err = db.Read(context.Background(), func(tx *store.Tx) error {
			for _, q := range []string{"persons", "cases", "case_notes", "person_keys", "audit_log", "case_tasks",
				"projects", "user_second_factors"} {
				var n int
				if err := tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+q).Scan(&n); err != nil {
					return err
				}
				counts[q] = n
			}
			var stages, kinds, egyptians, minors int
			if err := tx.QueryRow(context.Background(), `SELECT COUNT(DISTINCT stage), COUNT(DISTINCT kind) FROM cases`).Scan(&stages, &kinds); err != nil {
				return err
			}
			if stages != 8 || kinds != 5 {
				t.Errorf("%d stages and %d kinds of case, want every one", stages, kinds)
			}
			if err := tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM persons WHERE nationality = 'EG'`).Scan(&egyptians); err != nil {
				return err
			}
			if err := tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM persons WHERE unaccompanied`).Scan(&minors); err != nil {
				return err
			}
			if egyptians < minors/10 || minors < counts["persons"]/2 {
				t.Errorf("%d Egyptians among %d unaccompanied minors of %d persons", egyptians, minors, counts["persons"])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if counts["persons"] != 400 {
			t.Errorf("%d persons, want 400", counts["persons"])
		}
		notes := float64(counts["case_notes"]) / float64(counts["persons"])
		if notes < 7 || notes > 12 {
			t.Errorf("%.1f notes a person, want about ten", notes)
		}
		for _, table := range []string{"person_keys", "audit_log", "case_tasks", "projects", "user_second_factors"} {
			if counts[table] == 0 {
				t.Errorf("no rows in %s", table)
			}
		}
		report, err := audit.Verify(context.Background(), db, nil)
		if err != nil || !report.OK() {
			t.Errorf("the generated audit log does not verify: %v %+v", err, report)
		}
	})
}

func TestGenerateIsDeterministic(t *testing.T) {
	first := filepath.Join(t.TempDir(), "a.db")
	second := filepath.Join(t.TempDir(), "b.db")
	generated(t, first, 200, 3)
	generated(t, second, 200, 3)
	if a, b := fingerprint(t, first), fingerprint(t, second); a != b {
		t.Errorf("the same seed wrote different regions:\n%s\n%s", a, b)
	}
}

// fingerprint returns the clear columns of a region's cases and persons.
func fingerprint(t *testing.T, dsn string) string {
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	err = db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT c.code, c.kind, c.stage, p.nationality, p.sex, p.birth_min
			FROM cases c JOIN case_persons cp ON cp.case_id = c.id JOIN persons p ON p.id = cp.person_id ORDER BY c.id, p.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code, kind, stage, nat, sex string
			var born any
			if err := rows.Scan(&code, &kind, &stage, &nat, &sex, &born); err != nil {
				return err
			}
			b.WriteString(strings.Join([]string{code, kind, stage, nat, sex, fmt.Sprint(born)}, " "))
			b.WriteByte('\n')
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGenerateRefusesBadInputAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "none.db")
	err := Generate(context.Background(), GenerateConfig{DB: path, Data: dir, Persons: 0}, &bytes.Buffer{})
	if fields := approdo.ErrorFields(err); len(fields) != 1 || fields[0].Field != "persons" {
		t.Errorf("--persons 0 gave %v, want an error naming persons", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--persons 0 created the database: %v", err)
	}

	eachDatabase(t, func(t *testing.T, dsn string) {
		generated(t, dsn, 50, 1)
		before := fingerprint(t, dsn)
		err := Generate(context.Background(), GenerateConfig{DB: dsn, Data: t.TempDir(), Persons: 60, Seed: 2}, &bytes.Buffer{})
		if approdo.ErrorCode(err) != approdo.EINVALID || !strings.Contains(messageKey(err), "not_empty") {
			t.Errorf("a second region in the same database gave %v, want it refused", err)
		}
		if after := fingerprint(t, dsn); after != before {
			t.Error("a refused generation changed the database")
		}
		if err := Generate(context.Background(), GenerateConfig{DB: dsn, Data: t.TempDir(), Persons: 60, Seed: 2, Force: true}, &bytes.Buffer{}); err != nil {
			t.Fatalf("--force: %v", err)
		}
		if after := fingerprint(t, dsn); after == before || strings.Count(after, "\n") < 55 {
			t.Errorf("--force did not replace the region: %d rows", strings.Count(after, "\n"))
		}
	})
}

func messageKey(err error) string {
	key, _ := approdo.ErrorMessage(err)
	return key
}

// TestGenerateLeavesTheSchemaWhole checks that a region is left as the
// server expects it: on SQLite the indexes and triggers set aside during
// the load are back, as in a database just migrated, and nothing of the
// load is left; on both databases the kept counts of cases add up to the
// cases, and a case opened afterwards is counted.
func TestGenerateLeavesTheSchemaWhole(t *testing.T) {
	ctx := context.Background()
	eachDatabase(t, func(t *testing.T, dsn string) {
		generated(t, dsn, 300, 5)
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		got, want := schemaOf(t, db), schemaOf(t, storetest.Open(t, db.Dialect))
		if got != want+"table bench_region\n" {
			t.Errorf("the region's schema differs from a migrated database's:\n%s\nwant:\n%s", got, want)
		}
		if db.Dialect == store.Postgres {
			// The region is vacuumed and analyzed, as a database in use is.
			var settled int
			err := db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname IN ('cases', 'case_team')
					AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL`).Scan(&settled)
			})
			if err != nil || settled != 2 {
				t.Errorf("%d of cases and case_team vacuumed and analyzed (%v)", settled, err)
			}
		}
		const uncounted = `SELECT COUNT(*) FROM (
			SELECT owner_org_id, area_id, COALESCE(programme_id, 0) AS programme_id, stage, kind, COUNT(*) AS n FROM cases
			GROUP BY owner_org_id, area_id, COALESCE(programme_id, 0), stage, kind
			EXCEPT SELECT owner_org_id, area_id, programme_id, stage, kind, n FROM case_counts WHERE n > 0) AS missing`
		err = db.Write(ctx, func(tx *store.Tx) error {
			var missing, cases int
			if err := tx.QueryRow(ctx, uncounted).Scan(&missing); err != nil {
				return err
			}
			if missing != 0 {
				t.Errorf("%d groups of cases are not counted as they are", missing)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO cases (code, kind, area_id, owner_org_id, stage, risk, concerns,
				closure_reason, outcomes, opened_at, updated_at, version)
				SELECT 'TEST-1', kind, area_id, owner_org_id, stage, risk, '', '', '', opened_at, updated_at, 1
				FROM cases WHERE id = (SELECT MIN(id) FROM cases)`); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, uncounted).Scan(&missing); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM cases`).Scan(&cases); err != nil {
				return err
			}
			if missing != 0 {
				t.Errorf("a case opened after the load is not counted (%d groups of %d cases differ)", missing, cases)
			}
			return errors.New("rolled back")
		})
		if err == nil || err.Error() != "rolled back" {
			t.Fatal(err)
		}
	})
}

// schemaOf lists the tables, indexes and triggers of a database, one a
// line, with the definition of each index on PostgreSQL, and the table
// bench_region last.
func schemaOf(t *testing.T, db *store.DB) string {
	t.Helper()
	query := `SELECT type, name FROM sqlite_master
		WHERE type IN ('table', 'index', 'trigger') ORDER BY type = 'table' AND name = 'bench_region', type, name`
	if db.Dialect == store.Postgres {
		query = `SELECT type, name FROM (
			SELECT 'table' AS type, tablename::text AS name FROM pg_tables WHERE schemaname = current_schema()
			UNION ALL SELECT 'index', indexname || ' ' || regexp_replace(indexdef, ' INDEX \S+ ON ', ' ON ')
				FROM pg_indexes WHERE schemaname = current_schema()
			UNION ALL SELECT 'trigger', tgname::text FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
				WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace) AS s
			ORDER BY type = 'table' AND name = 'bench_region', type, name`
	}
	var b strings.Builder
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(context.Background(), query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind, name string
			if err := rows.Scan(&kind, &name); err != nil {
				return err
			}
			fmt.Fprintf(&b, "%s %s\n", kind, name)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// cancelOnNetwork cancels a generation once it reports its network, when
// the cases begin.
type cancelOnNetwork struct{ cancel context.CancelFunc }

func (c cancelOnNetwork) Write(p []byte) (int, error) {
	if strings.HasPrefix(string(p), "network:") {
		c.cancel()
	}
	return len(p), nil
}

// TestGenerateStoppedIsNotARegion checks that a generation cancelled while
// it writes cases returns the cancellation and does not mark the database
// as a region the harness may serve.
func TestGenerateStoppedIsNotARegion(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "stopped.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := Generate(ctx, GenerateConfig{DB: dsn, Data: t.TempDir(), Persons: 20000, Seed: 1}, cancelOnNetwork{cancel})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled generation returned %v", err)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ok, err := store.IsBenchRegion(context.Background(), db); err != nil || ok {
		t.Errorf("a cancelled generation left a region: %v %v", ok, err)
	}
}
