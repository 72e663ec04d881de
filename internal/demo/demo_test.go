package demo_test

import (
	"context"
	"testing"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/network"
)

func TestSeedBuildsTheDemoNetwork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		logins, err := demo.Seed(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[network.Role]bool{}
		for _, l := range logins {
			roles[l.Role] = true
		}
		for _, r := range network.Roles {
			if !roles[r] {
				t.Errorf("no demo user has role %s", r)
			}
		}
		var orgs []network.Organisation
		var progs []network.Programme
		if err := db.Read(ctx, func(tx *store.Tx) error {
			if orgs, err = store.ListOrganisations(ctx, tx); err != nil {
				return err
			}
			progs, err = store.ListProgrammes(ctx, tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		byCode := map[string]bool{}
		for _, p := range progs {
			byCode[p.Code] = true
			if len(p.PartnerIDs) == 0 || len(p.AreaIDs) == 0 {
				t.Errorf("programme %s has no partners or areas", p.Code)
			}
		}
		for _, code := range []string{"INCONTRO", "CORE", "RM-UO-MSNA", "BS-INTERCULTURA", "SATIS"} {
			if !byCode[code] {
				t.Errorf("programme %s is missing", code)
			}
		}
		kinds := map[network.Kind]bool{}
		for _, o := range orgs {
			kinds[o.Kind] = true
		}
		for _, k := range network.Kinds {
			if !kinds[k] {
				t.Errorf("no demo organisation of kind %s", k)
			}
		}
		// Every demo user can sign in with the printed password.
		sessions := auth.NewSessions(db, auth.NewRoleBook(db))
		for _, l := range logins {
			if _, err := sessions.Login(ctx, auth.Attempt{Username: l.Username, Password: l.Password}); err != nil {
				t.Errorf("login as %s: %v", l.Username, err)
			}
		}
	})
}

func TestSeedRefusesADatabaseInUse(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db); approdo.ErrorCode(err) != approdo.ECONFLICT {
		t.Fatalf("second seed: %v, want ECONFLICT", err)
	}
}
