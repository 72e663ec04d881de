package demo_test

import (
	"context"
	"testing"

	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/internal/vault"
	"approdo/referrals"
)

// TestDemoReferralsAreInEveryState checks that the demo shows a referral
// in each state, each to another organisation than the sender's, with a
// sealed reason and, when declined, cancelled or completed, its answer.
func TestDemoReferralsAreInEveryState(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	v, err := vault.Open(ctx, db, vault.NewKeyring(t.TempDir(), ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, demo.WithVault(v)); err != nil {
		t.Fatal(err)
	}
	states := map[referrals.State]int{}
	err = db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT state, from_org_id = to_org_id, reason_sealed = '', answer_sealed = '' FROM referrals`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var state string
			var self, noReason, noAnswer bool
			if err := rows.Scan(&state, &self, &noReason, &noAnswer); err != nil {
				return err
			}
			s := referrals.State(state)
			states[s]++
			if self || noReason {
				t.Errorf("a %s referral goes to its sender or has no reason", s)
			}
			if noAnswer != (s == referrals.Sent || s == referrals.Accepted || s == referrals.Expired) {
				t.Errorf("a %s referral has answer %v", s, !noAnswer)
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range referrals.States {
		if states[s] == 0 {
			t.Errorf("the demo has no %s referral", s)
		}
	}
}
