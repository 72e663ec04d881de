package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

// runCLI runs the command line and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := run(ctx, args, &stdout, &stderr)
	code := exitCode(err, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "approdo ") || !strings.Contains(out, "schema ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestEverySubcommandHasHelp(t *testing.T) {
	for _, cmd := range []string{"serve", "demo", "migrate", "version"} {
		code, _, errOut := runCLI(t, cmd, "-h")
		if code != 0 || !strings.Contains(errOut, "Usage: approdo "+cmd) {
			t.Errorf("%s -h: %d %q", cmd, code, errOut)
		}
	}
	if code, out, _ := runCLI(t, "-h"); code != 0 || !strings.Contains(out, "approdo serve") {
		t.Errorf("-h: %d %q", code, out)
	}
}

func TestBadCommandLinesExitTwoWithOneLine(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"serve", "--no-such-flag"}, {"migrate", "extra"},
		{"bench"}, {"bench", "generate", "--db", "region.db", "--persons", "0"}, {"bench", "run"}, {"serve", "--memory-mib", "-1"}} {
		code, _, errOut := runCLI(t, args...)
		last := lastLine(errOut)
		if code != 2 || !strings.HasPrefix(last, "approdo: ") {
			t.Errorf("%v: exit %d, last line %q", args, code, last)
		}
	}
}

func TestUnreachableDatabaseIsOneClearLine(t *testing.T) {
	code, _, errOut := runCLI(t, "migrate", "--db", "postgres://approdo:secret@127.0.0.1:1/approdo?sslmode=disable&connect_timeout=2")
	if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 ||
		!strings.HasPrefix(errOut, "approdo: cannot reach the database postgres://127.0.0.1:1/approdo") || strings.Contains(errOut, "secret") {
		t.Fatalf("exit %d: %q", code, errOut)
	}
}

// TestBenchRefusesBadInputAndWritesNothing: a harness aimed at a server
// that does not answer says so on one line and creates no database.
func TestBenchRefusesBadInputAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "region.db")
	code, _, errOut := runCLI(t, "bench", "run", "--db", db, "--url", "http://127.0.0.1:1")
	if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "127.0.0.1:1") {
		t.Errorf("unreachable --url: exit %d: %q", code, errOut)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the harness created %s: %v", db, err)
	}
}

func TestEnvironmentFillsFlags(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("APPRODO_DATA", dir)
	code, out, errOut := runCLI(t, "migrate")
	if code != 0 || !strings.Contains(out, filepath.Join(dir, "approdo.db")) {
		t.Fatalf("migrate with APPRODO_DATA: %d %q %q", code, out, errOut)
	}
}

func TestMigrateOnBothDatabases(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			code, out, errOut := runCLI(t, "migrate", "--db", dsn)
			if code != 0 || !strings.Contains(out, "migrations applied now") {
				t.Fatalf("first migrate: %d %q %q", code, out, errOut)
			}
			code, out, _ = runCLI(t, "migrate", "--db", dsn)
			if code != 0 || !strings.Contains(out, "(0 migrations applied now)") {
				t.Fatalf("second migrate: %d %q", code, out)
			}
		})
	}
}

func TestNewerDatabaseIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "approdo.db")
	if code, _, errOut := runCLI(t, "migrate", "--db", path); code != 0 {
		t.Fatal(errOut)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', ?)`, time.Now().UTC())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, _, errOut := runCLI(t, "serve", "--db", path, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "newer than this build of Approdo knows") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("serve on a newer database: %d %q", code, errOut)
	}
}

// lineWriter hands the lines written to it to a channel.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line)
			return len(p), nil
		}
		select {
		case w.lines <- strings.TrimRight(line, "\n"):
		default:
		}
	}
}

func TestDemoServesAndStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	out := &lineWriter{lines: make(chan string, 100)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--data", dir}, out, io.Discard) }()
	var url string
	var printed []string
	deadline := time.After(60 * time.Second)
	for url == "" {
		select {
		case line := <-out.lines:
			printed = append(printed, line)
			if u, ok := strings.CutPrefix(line, "Open "); ok {
				url = u
			}
		case err := <-done:
			t.Fatalf("demo ended early: %v", err)
		case <-deadline:
			t.Fatal("demo did not print its address")
		}
	}
	// The logins follow the address.
	time.Sleep(100 * time.Millisecond)
	for len(out.lines) > 0 {
		printed = append(printed, <-out.lines)
	}
	all := strings.Join(printed, "\n")
	for _, want := range []string{"assistente.sociale", "admin", "approdo-demo-2026", "social_worker", "mediator", filepath.Join(dir, "approdo.db")} {
		if !strings.Contains(all, want) {
			t.Errorf("demo output lacks %q:\n%s", want, all)
		}
	}
	res, err := http.Get(url + "/readyz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo did not stop cleanly: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop after cancellation")
	}
	// A second demo in the same folder refuses to overwrite it.
	code, _, errOut := runCLI(t, "demo", "--addr", "127.0.0.1:0", "--data", dir)
	if code != 2 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("demo over an existing database: %d %q", code, errOut)
	}
}

func lastLine(s string) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	var last string
	for sc.Scan() {
		last = sc.Text()
	}
	return last
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			data := t.TempDir()
			ctx := context.Background()
			// The first start of a server makes the master key and the first
			// data key.
			db, err := openDatabase(ctx, dsn, data)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := openVault(ctx, db, data); err != nil {
				t.Fatal(err)
			}
			db.Close()
			// Two rotations write two audit entries and prove rotation works
			// from the command line.
			for i := 0; i < 2; i++ {
				if code, out, errOut := runCLI(t, "keys", "rotate", "--db", dsn, "--data", data); code != 0 || !strings.Contains(out, "re-wrapped") {
					t.Fatalf("keys rotate: %d %q %q", code, out, errOut)
				}
			}
			code, out, errOut := runCLI(t, "audit", "verify", "--db", dsn, "--data", data)
			if code != 0 || !strings.Contains(out, "2 entries") || !strings.Contains(out, "whole") {
				t.Fatalf("verify on a whole log: %d %q %q", code, out, errOut)
			}
			db, err = store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			drop := `DROP TRIGGER audit_log_no_update`
			if d == store.Postgres {
				drop = `DROP TRIGGER audit_log_no_change ON audit_log`
			}
			if err := db.Write(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, drop); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `UPDATE audit_log SET record_id = 'forged' WHERE seq = 1`)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			code, out, errOut = runCLI(t, "audit", "verify", "--db", dsn, "--data", data)
			if code != 1 || !strings.Contains(out, "entry 1: was changed") || !strings.Contains(errOut, "broken") {
				t.Fatalf("verify after tampering: %d %q %q", code, out, errOut)
			}
		})
	}
}

// TestServeLimitsMemoryUnlessGOMEMLIMITDoes checks the soft memory limit
// serve sets: --memory-mib's, unless it is 0 or GOMEMLIMIT gives one.
func TestServeLimitsMemoryUnlessGOMEMLIMITDoes(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	for _, c := range []struct {
		env  string
		mib  int
		want int64
	}{{"", 150, 150 << 20}, {"", 0, before}, {"1GiB", 150, before}} {
		debug.SetMemoryLimit(before)
		t.Setenv("GOMEMLIMIT", c.env)
		limitMemory(c.mib)
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("GOMEMLIMIT=%q, --memory-mib %d: limit %d, want %d", c.env, c.mib, got, c.want)
		}
	}
}
