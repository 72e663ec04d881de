package demo_test

import (
	"context"
	"testing"

	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/network"
)

func TestDemoProgrammesHaveBudgets(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	var ps []network.Programme
	if err := db.Read(ctx, func(tx *store.Tx) (err error) {
		ps, err = store.ListProgrammes(ctx, tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if len(p.BudgetLines) < 2 || p.BudgetCents() <= 0 {
			t.Errorf("programme %s has %d budget lines worth %d cents", p.Code, len(p.BudgetLines), p.BudgetCents())
		}
		if err := p.Validate(); err != nil {
			t.Errorf("programme %s breaks the rules: %v", p.Code, err)
		}
	}
}
