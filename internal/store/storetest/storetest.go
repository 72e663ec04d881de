// Package storetest gives each test a fresh, migrated Approdo database on
// SQLite and, when a server is configured, on PostgreSQL.
//
// APPRODO_TEST_POSTGRES holds the URL of a PostgreSQL server on which tests
// may create and drop databases, for example
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. Without it the
// PostgreSQL half of a test is skipped, unless APPRODO_TEST_REQUIRE contains
// "postgres", in which case it fails.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"approdo/internal/store"
)

// Dialects lists the dialects every storage test runs on: SQLite and
// PostgreSQL, or SQLite alone in a -short run, such as CI's second pass
// under the race detector, which the full pass on both databases precedes.
func Dialects() []store.Dialect {
	if testing.Short() {
		return []store.Dialect{store.SQLite}
	}
	return []store.Dialect{store.SQLite, store.Postgres}
}

// Each runs fn as one subtest per dialect, each with its own fresh, migrated
// database that is dropped when the subtest ends.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// EachDialect runs fn as one subtest per dialect, for tests that make their
// database themselves, for example from a seeded template.
func EachDialect(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}

// Open returns a fresh, migrated database of dialect d, closed and removed at
// the end of the test. For PostgreSQL it skips the test when no server is
// configured, or fails it when APPRODO_TEST_REQUIRE asks for PostgreSQL.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	dsn := DSN(t, d)
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate %s: %v", d, err)
	}
	return db
}

// DSN returns the address of a new, empty database of dialect d that is
// removed at the end of the test: a file in the test's temporary folder for
// SQLite, a new database on the configured server for PostgreSQL.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return filepath.Join(t.TempDir(), "approdo.db")
	}
	server := PostgresServer(t)
	name := "approdo_test_" + randomSuffix()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("storetest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", server)
		if err != nil {
			t.Errorf("storetest: %v", err)
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	dsn, err := databaseURL(server, name)
	if err != nil {
		t.Fatalf("storetest: APPRODO_TEST_POSTGRES: %v", err)
	}
	return dsn
}

// databaseURL is the address of the database name on server. Test databases
// are thrown away, so their commits need not wait for the disk.
func databaseURL(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// PostgresServer returns the URL in APPRODO_TEST_POSTGRES after checking that
// the server answers. It skips the test when the variable is empty or the
// server is unreachable, and fails it instead when APPRODO_TEST_REQUIRE
// contains "postgres".
func PostgresServer(t testing.TB) string {
	t.Helper()
	server := os.Getenv("APPRODO_TEST_POSTGRES")
	required := Required("postgres")
	if server == "" {
		if required {
			t.Fatal("storetest: APPRODO_TEST_REQUIRE contains postgres but APPRODO_TEST_POSTGRES is empty")
		}
		t.Skip("storetest: APPRODO_TEST_POSTGRES is not set; skipping the PostgreSQL run")
	}
	db, err := sql.Open("pgx", server)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = db.PingContext(ctx)
		cancel()
		db.Close()
	}
	if err != nil {
		if required {
			t.Fatalf("storetest: PostgreSQL at APPRODO_TEST_POSTGRES is unreachable: %v", err)
		}
		t.Skipf("storetest: PostgreSQL is unreachable, skipping: %v", err)
	}
	return server
}

// Required reports whether APPRODO_TEST_REQUIRE names the given dependency
// ("postgres" or "chromium"), so that its absence fails the run.
func Required(what string) bool {
	for _, w := range strings.Split(os.Getenv("APPRODO_TEST_REQUIRE"), ",") {
		if strings.TrimSpace(w) == what {
			return true
		}
	}
	return false
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Seeder fills a fresh, migrated database for a template. dir is the
// template's data folder, for keys the seeding makes.
type Seeder func(ctx context.Context, db *store.DB, dir string) error

// template is a database built once per test binary and copied for each
// test that asks for it.
type template struct {
	once sync.Once
	err  error
	dsn  string // the SQLite file or the PostgreSQL template database's name
	dir  string // its data folder
}

var (
	templatesMu sync.Mutex
	templates   = map[string]*template{}
	cleanups    []func()
)

// Seeded returns a fresh database of dialect d holding what seed put in it,
// and a fresh copy of the seeding's data folder. The seeding runs once per
// test binary, dialect and key; each caller gets a copy (a file copy on
// SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), which costs a fraction
// of seeding again. Call Cleanup from TestMain to remove the templates.
func Seeded(t testing.TB, d store.Dialect, key string, seed Seeder) (*store.DB, string) {
	t.Helper()
	if d == store.Postgres {
		PostgresServer(t) // skips or fails before anything is built
	}
	templatesMu.Lock()
	tpl, ok := templates[string(d)+"/"+key]
	if !ok {
		tpl = &template{}
		templates[string(d)+"/"+key] = tpl
	}
	templatesMu.Unlock()
	tpl.once.Do(func() { tpl.err = tpl.build(d, seed) })
	if tpl.err != nil {
		t.Fatalf("storetest: seed the %s template %q: %v", d, key, tpl.err)
	}
	dir := t.TempDir()
	if err := copyDir(tpl.dir, dir); err != nil {
		t.Fatal(err)
	}
	var dsn string
	if d == store.SQLite {
		dsn = filepath.Join(t.TempDir(), "approdo.db")
		// Closing the template folded its write-ahead log into the file;
		// copy the log too should one remain.
		for _, suffix := range []string{"", "-wal"} {
			if err := copyFile(tpl.dsn+suffix, dsn+suffix); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
	} else {
		dsn = postgresCopy(t, tpl.dsn)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("storetest: open the copy of %q: %v", key, err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

// build makes the template: a database migrated and seeded, then closed so
// that it can be copied.
func (tpl *template) build(d store.Dialect, seed Seeder) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "approdo-template-")
	if err != nil {
		return err
	}
	tpl.dir = filepath.Join(dir, "data")
	if err := os.Mkdir(tpl.dir, 0o700); err != nil {
		return err
	}
	var dsn string
	if d == store.SQLite {
		tpl.dsn = filepath.Join(dir, "approdo.db")
		dsn = tpl.dsn
	} else {
		server := os.Getenv("APPRODO_TEST_POSTGRES")
		tpl.dsn = "approdo_tpl_" + randomSuffix()
		if err := adminExec(server, "CREATE DATABASE "+tpl.dsn); err != nil {
			return err
		}
		if dsn, err = databaseURL(server, tpl.dsn); err != nil {
			return err
		}
	}
	name := tpl.dsn
	templatesMu.Lock()
	cleanups = append(cleanups, func() {
		os.RemoveAll(dir)
		if d == store.Postgres {
			adminExec(os.Getenv("APPRODO_TEST_POSTGRES"), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		}
	})
	templatesMu.Unlock()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	return seed(ctx, db, tpl.dir)
}

// postgresCopy creates a database from the template and returns its URL;
// the copy is dropped at the end of the test.
func postgresCopy(t testing.TB, template string) string {
	t.Helper()
	server := PostgresServer(t)
	name := "approdo_test_" + randomSuffix()
	// CREATE DATABASE … TEMPLATE needs the template free of connections,
	// and fails while another copy is being made: retry briefly.
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		if err = adminExec(server, "CREATE DATABASE "+name+" TEMPLATE "+template); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("storetest: copy the template: %v", err)
	}
	t.Cleanup(func() {
		if err := adminExec(server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	dsn, err := databaseURL(server, name)
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Cleanup removes the templates Seeded built. Call it from TestMain after
// the tests ran.
func Cleanup() {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	for _, c := range cleanups {
		c()
	}
	cleanups = nil
}

func adminExec(server, statement string) error {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err = admin.ExecContext(ctx, statement)
	return err
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

func copyDir(from, to string) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if err := copyFile(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
