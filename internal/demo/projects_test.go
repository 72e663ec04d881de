package demo_test

import (
	"context"
	"testing"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/internal/vault"
)

// TestDemoProjectsHaveTheirApprovers checks that every individual project
// of the demo can be approved by a demo user of its programme's lead
// entity, and by none of another programme's: the coordinator of RT for
// INCONTRO, the coordinator of the Comune di Viareggio for SATIS.
func TestDemoProjectsHaveTheirApprovers(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	v, err := vault.Open(ctx, db, vault.NewKeyring(t.TempDir(), ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, demo.WithVault(v)); err != nil {
		t.Fatal(err)
	}
	type project struct {
		caseID    int64
		programme string
	}
	var found []project
	err = db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT c.id, p.code FROM projects x JOIN cases c ON c.id = x.case_id
			JOIN programmes p ON p.id = c.programme_id ORDER BY c.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p project
			if err := rows.Scan(&p.caseID, &p.programme); err != nil {
				return err
			}
			found = append(found, p)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	programmes := map[string]bool{}
	for _, p := range found {
		programmes[p.programme] = true
	}
	if !programmes["INCONTRO"] || !programmes["SATIS"] {
		t.Fatalf("the demo's projects are in programmes %v, want INCONTRO and SATIS", programmes)
	}

	sessions := auth.NewSessions(db, auth.NewRoleBook(db))
	sessions.SecondFactorOptional = true
	approver := map[string]string{"INCONTRO": "capofila", "SATIS": "capofila.satis"}
	actors := map[string]*auth.Actor{}
	for _, username := range approver {
		res, err := sessions.Login(ctx, auth.Attempt{Username: username, Password: demo.Password})
		if err != nil {
			t.Fatalf("login as %s: %v", username, err)
		}
		actors[username] = res.Actor
	}
	for _, p := range found {
		err := db.Read(ctx, func(tx *store.Tx) error {
			k, err := store.FindCase(ctx, tx, p.caseID)
			if err != nil {
				return err
			}
			target := casework.Target(k, access.Projects)
			for programme, username := range approver {
				want := programme == p.programme
				if got := auth.Allowed(actors[username], access.Approve, target); got != want {
					t.Errorf("%s may approve the project of case %d in %s: %v, want %v", username, p.caseID, p.programme, got, want)
				}
			}
			prog, err := store.FindProgramme(ctx, tx, k.ProgrammeID)
			if err != nil {
				return err
			}
			users, err := store.UsersAllowedIn(ctx, tx, prog.LeadOrgID, string(access.Approve), string(access.Projects))
			if err != nil {
				return err
			}
			if len(users) != 1 || users[0].ID != actors[approver[p.programme]].User.ID {
				t.Errorf("the approvers told of the project of case %d in %s are %v, want %s alone", p.caseID, p.programme, users, approver[p.programme])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
