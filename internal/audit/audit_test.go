package audit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"approdo/internal/audit"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

func appendN(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		err := db.Write(ctx, func(tx *store.Tx) error {
			return audit.Append(ctx, tx, &audit.Entry{ActorID: int64(i%3 + 1), ActorOrgID: 7, Action: audit.Read,
				RecordType: "case", RecordID: fmt.Sprint(i), CaseID: int64(i), Fields: []string{"stage", "risk"}, Client: "127.0.0.1"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, db *store.DB, anchor *audit.Anchor) *audit.Report {
	t.Helper()
	r, err := audit.Verify(context.Background(), db, anchor)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tamper runs SQL against the log the way someone with direct access to the
// database would, with the append-only triggers out of the way.
func tamper(t *testing.T, db *store.DB, statements ...string) {
	t.Helper()
	ctx := context.Background()
	drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if db.Dialect == store.Postgres {
		drop = []string{`DROP TRIGGER audit_log_no_change ON audit_log`}
	}
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, s := range append(drop, statements...) {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAWholeChainVerifies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		appendN(t, db, 12)
		r := verify(t, db, nil)
		if !r.OK() || r.Entries != 12 || r.HeadSeq != 12 {
			t.Fatalf("report %+v", r)
		}
		if r := verify(t, storetest.Open(t, db.Dialect), nil); !r.OK() || r.Entries != 0 {
			t.Fatalf("empty log: %+v", r)
		}
	})
}

func TestTheLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		appendN(t, db, 2)
		ctx := context.Background()
		for _, s := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log WHERE seq = 1`} {
			err := db.Write(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, s); return err })
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", s, err)
			}
		}
	})
}

func TestTamperingIsDetected(t *testing.T) {
	cases := map[string][]string{
		"edited":    {`UPDATE audit_log SET actor_id = 99 WHERE seq = 5`},
		"rehashed":  {`UPDATE audit_log SET record_id = 'x', hash = prev_hash WHERE seq = 5`},
		"removed":   {`DELETE FROM audit_log WHERE seq = 5`},
		"reordered": {`UPDATE audit_log SET seq = -5 WHERE seq = 5`, `UPDATE audit_log SET seq = 5 WHERE seq = 6`, `UPDATE audit_log SET seq = 6 WHERE seq = -5`},
	}
	for name, statements := range cases {
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				appendN(t, db, 10)
				tamper(t, db, statements...)
				r := verify(t, db, nil)
				if r.OK() {
					t.Fatalf("tampering (%s) went unnoticed", name)
				}
				if r.Problems[0].Seq < 5 || r.Problems[0].Seq > 7 {
					t.Errorf("first problem at %d: %+v", r.Problems[0].Seq, r.Problems)
				}
			})
		})
	}
}

func TestRemovingTheNewestEntriesIsCaughtByTheAnchor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		appendN(t, db, 6)
		dir := t.TempDir()
		if _, err := audit.WriteAnchor(context.Background(), db, dir); err != nil {
			t.Fatal(err)
		}
		anchor, err := audit.ReadAnchor(dir)
		if err != nil || anchor.Seq != 6 {
			t.Fatalf("anchor %+v %v", anchor, err)
		}
		if r := verify(t, db, anchor); !r.OK() {
			t.Fatalf("a whole log fails its anchor: %+v", r.Problems)
		}
		tamper(t, db, `DELETE FROM audit_log WHERE seq >= 5`)
		if r := verify(t, db, nil); !r.OK() {
			t.Fatalf("a truncated chain is whole without the anchor: %+v", r.Problems)
		}
		if r := verify(t, db, anchor); r.OK() {
			t.Fatal("the anchor did not catch the removal of the newest entries")
		}
	})
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := context.Background()
				for i := 0; i < 15; i++ {
					if err := db.Write(ctx, func(tx *store.Tx) error {
						return audit.Append(ctx, tx, &audit.Entry{Action: audit.Update, RecordType: "user", RecordID: fmt.Sprint(w)})
					}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if r := verify(t, db, nil); !r.OK() || r.Entries != 120 {
			t.Fatalf("%d entries, problems %+v", r.Entries, r.Problems)
		}
	})
}
