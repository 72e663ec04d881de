package server_test

import (
	"context"
	"strings"
	"testing"

	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

// TestTheDirectoryFollowsTheScopeOfItsGrant narrows the social workers'
// grant to read the directory to their own organisation and checks that the
// pages and the API show them only that.
func TestTheDirectoryFollowsTheScopeOfItsGrant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE role_permissions SET scope = 'organisation'
				WHERE role = 'social_worker' AND verb = 'read' AND resource = 'directory'`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, db)
		sw := e.client()
		sw.login("assistente.sociale")
		r := sw.get("/network/organisations")
		if r.status != 200 || !strings.Contains(r.body, "Società della Salute Area Pratese") || strings.Contains(r.body, "Questura di Prato") {
			t.Fatalf("organisations page with an organisation-wide grant: %d", r.status)
		}
		if r := sw.get("/api/v1/organisations"); !strings.Contains(r.body, `"total":1`) {
			t.Fatalf("organisations API with an organisation-wide grant: %s", r.body)
		}
		if r := sw.get("/network/programmes"); strings.Contains(r.body, "SATIS") {
			t.Fatal("the programmes page shows a programme outside the grant")
		}
		// Others keep the whole network.
		op := e.client()
		op.login("operatore")
		if r := op.get("/network/organisations"); !strings.Contains(r.body, "Questura di Prato") {
			t.Fatal("the educator lost the network")
		}
	})
}
