package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"approdo/cases"
	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

// demoCases returns one line per demo case, in order: its code, owner,
// kind, stage, risk, concerns and closure.
func demoCases(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT c.code, o.code, c.kind, c.stage, c.risk, c.concerns, c.closure_reason, c.outcomes
			FROM cases c JOIN organisations o ON o.id = c.owner_org_id ORDER BY c.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f [8]string
			if err := rows.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
				return err
			}
			out = append(out, strings.Join(f[:], "|"))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDemoWithoutCaseloadKeepsTransfersAndLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		if n := len(demoCases(t, db)); n != 37 {
			t.Errorf("the demo without its caseload holds %d cases, want the 37 of the sets", n)
		}
		for _, table := range []string{"case_transfers", "saved_lists"} {
			var n int
			if err := db.Read(ctx, func(tx *store.Tx) error { return tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n) }); err != nil {
				t.Fatal(err)
			}
			if n < 3 {
				t.Errorf("the demo without its caseload has %d rows in %s", n, table)
			}
		}
	})
}

func TestDemoCaseloadIsPlausibleAndRepeatable(t *testing.T) {
	var seeded [][]string
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, db, demo.WithCaseload()); err != nil {
			t.Fatal(err)
		}
		all := demoCases(t, db)
		seeded = append(seeded, all)
		if len(all) < 280 || len(all) > 320 {
			t.Errorf("the demo holds %d cases, want about 300", len(all))
		}
		seen := map[string]int{}
		for _, line := range all {
			f := strings.Split(line, "|")
			seen["kind:"+f[2]]++
			seen["stage:"+f[3]]++
			seen["owner:"+f[1]]++
			closed := f[3] == string(cases.StageClosure) || f[3] == string(cases.StageFollowUp)
			if closed != (f[6] != "") || closed != (f[7] != "") {
				t.Errorf("case %s at %s has closure %q and outcomes %q", f[0], f[3], f[6], f[7])
			}
		}
		for _, k := range cases.Kinds {
			if seen["kind:"+string(k)] == 0 {
				t.Errorf("no demo case of kind %s", k)
			}
		}
		for _, s := range cases.Stages {
			if seen["stage:"+string(s)] == 0 {
				t.Errorf("no demo case at stage %s", s)
			}
		}
		if seen["kind:unaccompanied_minor"] < len(all)/3 {
			t.Errorf("only %d unaccompanied minors of %d cases", seen["kind:unaccompanied_minor"], len(all))
		}
		// The lists the tests and the browser walk count stay as they were.
		for owner, want := range map[string]int{"SDS-PRATO": 14} {
			if seen["owner:"+owner] != want {
				t.Errorf("%s holds %d cases, want %d", owner, seen["owner:"+owner], want)
			}
		}
		for query, want := range map[string]int{
			`SELECT COUNT(*) FROM case_transfers WHERE state = 'pending'`:                                                 5,
			`SELECT COUNT(*) FROM case_transfers WHERE state = 'accepted'`:                                                5,
			`SELECT COUNT(*) FROM case_transfers WHERE state = 'declined'`:                                                3,
			`SELECT COUNT(*) FROM cases c JOIN programmes p ON p.id = c.programme_id WHERE p.code = 'INCONTRO'`:           19,
			`SELECT COUNT(*) FROM case_team t JOIN users u ON u.id = t.user_id WHERE u.username = 'operatore'`:            14,
			`SELECT COUNT(DISTINCT case_id) FROM case_events WHERE kind = 'reopened'`:                                     -1,
			`SELECT COUNT(*) FROM saved_lists s JOIN users u ON u.id = s.user_id WHERE u.username = 'assistente.sociale'`: 2,
		} {
			var n int
			if err := db.Read(ctx, func(tx *store.Tx) error { return tx.QueryRow(ctx, query).Scan(&n) }); err != nil {
				t.Fatal(err)
			}
			if want < 0 && n == 0 || want >= 0 && n != want {
				t.Errorf("%s: %d, want %s", query, n, map[bool]string{true: "some", false: fmt.Sprint(want)}[want < 0])
			}
		}
	})
	if len(seeded) == 2 && strings.Join(seeded[0], "\n") != strings.Join(seeded[1], "\n") {
		t.Error("the demo differs between the two databases: it is not deterministic")
	}
}
