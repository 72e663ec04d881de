package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/network"
)

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %04d_%s, postgres %04d_%s", i, lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
	}
}

func TestMigrateIsRecordedAndIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != db.LatestVersion() || v == 0 {
			t.Fatalf("schema version %d, want %d", v, db.LatestVersion())
		}
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, err %v; want 0, nil", n, err)
		}
	})
}

func TestNewerDatabaseIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		future := db.LatestVersion() + 1
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				future, "from_the_future", time.Now().UTC())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		_, err := db.Migrate(ctx)
		if approdo.ErrorCode(err) != approdo.EINVALID {
			t.Fatalf("migrate on a newer database: %v, want EINVALID", err)
		}
		if key, _ := approdo.ErrorMessage(err); key != "error.database_newer" {
			t.Fatalf("message %q, want error.database_newer", key)
		}
	})
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := store.InsertArea(ctx, tx, &network.Area{Code: "X1", Name: "Half", Region: "Toscana"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want boom", err)
		}
		var areas []network.Area
		if err := db.Read(ctx, func(tx *store.Tx) error {
			areas, err = store.ListAreas(ctx, tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(areas) != 0 {
			t.Fatalf("rolled-back area is visible: %+v", areas)
		}
	})
}

func TestDuplicateCodeIsConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		insert := func() error {
			return db.Write(ctx, func(tx *store.Tx) error {
				return store.InsertArea(ctx, tx, &network.Area{Code: "FI-PO", Name: "Piana", Region: "Toscana"})
			})
		}
		if err := insert(); err != nil {
			t.Fatal(err)
		}
		if err := insert(); approdo.ErrorCode(err) != approdo.ECONFLICT {
			t.Fatalf("second insert: %v, want ECONFLICT", err)
		}
	})
}

func TestRebindLeavesQuotedQuestionMarks(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	if got := db.Rebind("SELECT '?' WHERE a = ?"); got != "SELECT '?' WHERE a = ?" {
		t.Fatalf("sqlite rebind changed the query: %q", got)
	}
	pg := storetest.Open(t, store.Postgres)
	if got, want := pg.Rebind(`SELECT '?', "a?" FROM t WHERE a = ? AND b = ?`), `SELECT '?', "a?" FROM t WHERE a = $1 AND b = $2`; got != want {
		t.Fatalf("rebind = %q, want %q", got, want)
	}
}

func TestUnreachablePostgresIsClear(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err := store.Open(ctx, "postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if approdo.ErrorCode(err) != approdo.EUNAVAILABLE {
		t.Fatalf("got %v, want EUNAVAILABLE", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Fatalf("the error reveals the password: %v", err)
	}
}

func TestMissingFolderIsClear(t *testing.T) {
	_, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "approdo.db"))
	if approdo.ErrorCode(err) != approdo.EUNAVAILABLE {
		t.Fatalf("got %v, want EUNAVAILABLE", err)
	}
}

func TestReadOnlyDatabaseIsClear(t *testing.T) {
	// Root ignores file permissions, so the test opens the file in SQLite's
	// read-only mode, which fails writes the same way a read-only disk does.
	dir := t.TempDir()
	path := filepath.Join(dir, "approdo.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := store.Open(ctx, path+"?mode=ro")
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	defer ro.Close()
	err = ro.Write(ctx, func(tx *store.Tx) error {
		return store.InsertArea(ctx, tx, &network.Area{Code: "RO", Name: "ro", Region: "ro"})
	})
	if key, _ := approdo.ErrorMessage(err); key != "error.database_readonly" {
		t.Fatalf("write to a read-only database: %v, want error.database_readonly", err)
	}
}

func TestFullDatabaseIsClearAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "approdo.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// max_page_count caps the file at its current size, which SQLite then
	// reports exactly as it reports a full disk.
	full, err := store.Open(ctx, path+"?_pragma=max_page_count(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	err = full.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 2000; i++ {
			a := &network.Area{Code: fmt.Sprintf("A%05d", i), Name: strings.Repeat("n", 500), Region: "r"}
			if err := store.InsertArea(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if key, _ := approdo.ErrorMessage(err); key != "error.database_full" {
		t.Fatalf("write to a full database: %v, want error.database_full", err)
	}
	var areas []network.Area
	if err := full.Read(ctx, func(tx *store.Tx) error {
		areas, err = store.ListAreas(ctx, tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(areas) != 0 {
		t.Fatalf("%d areas were half-written", len(areas))
	}
}

// TestPostgresRunsWithoutJIT checks that Approdo's PostgreSQL connections
// do not compile plans, unless the address of the database asks for it.
func TestPostgresRunsWithoutJIT(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect != store.Postgres {
			return
		}
		ctx := context.Background()
		var jit string
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SHOW jit`).Scan(&jit)
		}); err != nil {
			t.Fatal(err)
		}
		if jit != "off" {
			t.Errorf("jit is %q on Approdo's connections, want off", jit)
		}
	})
}
