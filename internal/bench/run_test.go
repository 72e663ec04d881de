package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/bench"
	"approdo/internal/server"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/internal/vault"
)

func TestRunNeedsADatabase(t *testing.T) {
	var out bytes.Buffer
	err := bench.Run(context.Background(), bench.RunConfig{URL: "http://127.0.0.1:1"}, &out)
	var u bench.UsageError
	if !errors.As(err, &u) || !strings.Contains(u.Msg, "--db") || out.Len() != 0 {
		t.Fatalf("no --db: %v, %q", err, out.String())
	}
	for _, cfg := range []bench.RunConfig{
		{DB: "x.db", Mode: "closed"},
		{DB: "x.db", Rate: -1},
		{DB: "x.db", Connections: -4},
		{DB: "x.db", URL: "ftp://example.org"},
	} {
		if err := bench.Run(context.Background(), cfg, &out); !errors.As(err, &u) {
			t.Errorf("%+v: %v, not a usage error", cfg, err)
		}
	}
}

func TestRunRefusesAServerThatDoesNotAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	dbPath, jsonPath := filepath.Join(dir, "region.db"), filepath.Join(dir, "report.json")
	var out bytes.Buffer
	started := time.Now()
	err = bench.Run(context.Background(), bench.RunConfig{DB: dbPath, URL: closed, JSON: jsonPath}, &out)
	if err == nil || !strings.Contains(err.Error(), "no server answers at "+closed) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("closed port: %v", err)
	}
	if took := time.Since(started); took > 5*time.Second {
		t.Errorf("a closed port took %s to report", took)
	}
	if out.Len() != 0 {
		t.Errorf("a run that did not start wrote %q", out.String())
	}
	for _, p := range []string{dbPath, jsonPath} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a run that did not start made %s: %v", p, err)
		}
	}
}

// TestRunMeasuresEveryOperation generates a small region, serves it in
// process and runs both modes briefly: every operation must be measured
// without an error, and the report must show it beside both limits.
func TestRunMeasuresEveryOperation(t *testing.T) {
	// The region's operators sign in with a cheap password hash; the real
	// cost is the business of internal/auth's tests.
	auth.SetHashCost(auth.TestHashCost)
	storetest.EachDialect(t, func(t *testing.T, d store.Dialect) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		dsn, data := storetest.DSN(t, d), t.TempDir()
		if err := bench.Generate(ctx, bench.GenerateConfig{DB: dsn, Data: data, Persons: 300, Seed: 7}, io.Discard); err != nil {
			t.Fatalf("generate: %v", err)
		}
		jsonPath := filepath.Join(t.TempDir(), "report.json")
		var out bytes.Buffer
		err := bench.Run(ctx, bench.RunConfig{DB: dsn, Data: data, Rate: 40, Duration: time.Second, Warmup: 200 * time.Millisecond,
			Connections: 4, Saturation: 250 * time.Millisecond, JSON: jsonPath, Start: inProcess(t, dsn, data)}, &out)
		report := out.String()
		if err != nil {
			t.Fatalf("run: %v\n%s", err, report)
		}
		ops := []string{bench.OpCasePage, bench.OpCaseJSON, bench.OpCaseList, bench.OpNameSearch, bench.OpDuplicateCheck,
			bench.OpAddNote, bench.OpDashboard}
		for _, want := range append(ops, bench.OpBare, "raw_commits", "Open loop", "Saturation", "Limits", "server memory") {
			if !strings.Contains(report, want) {
				t.Errorf("the report does not show %s:\n%s", want, report)
			}
		}

		b, err := os.ReadFile(jsonPath)
		if err != nil {
			t.Fatal(err)
		}
		var rep bench.Report
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("JSON report: %v\n%s", err, b)
		}
		if len(rep.OpenLoop) != len(ops) || len(rep.Saturation) != len(ops)+1 {
			t.Fatalf("%d operations in the open loop, %d at saturation:\n%s", len(rep.OpenLoop), len(rep.Saturation), report)
		}
		for i, row := range rep.OpenLoop {
			if row.Operation != ops[i] || row.Count == 0 || row.Errors != 0 || row.P50 <= 0 {
				t.Errorf("open loop: %+v", row)
			}
		}
		for _, row := range rep.Saturation {
			if row.Count == 0 || row.Errors != 0 || row.PerSecond <= 0 || row.Ratio <= 0 {
				t.Errorf("saturation: %+v", row)
			}
		}
		if l := rep.Limits; l == nil || l.BareHandler <= 0 || l.RawCommits <= 0 || l.RawCommitsFailed != 0 {
			t.Errorf("limits: %+v", rep.Limits)
		}
		if rep.Database.Dialect != string(d) || rep.Database.Rows["persons"] < 300 || rep.Operators.SocialWorkers == 0 ||
			rep.Operators.LeadCoordinators == 0 || rep.Machine.CPUs == 0 {
			t.Errorf("setting: %+v %+v %+v", rep.Database, rep.Operators, rep.Machine)
		}

		// The harness cleans up after itself: its table of commits is
		// gone, and its notes are in the case files.
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = db.Read(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `SELECT COUNT(*) FROM bench_commits`)
			return err
		})
		if err == nil {
			t.Error("the table bench_commits is left behind")
		}
	})
}

// inProcess starts the server over the region in this process, as "approdo
// serve --bench-endpoints" would, since the test binary is not approdo.
func inProcess(t *testing.T, dsn, data string) func(ctx context.Context, addr string) (func(), int, error) {
	return func(ctx context.Context, addr string) (func(), int, error) {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			return nil, 0, err
		}
		v, err := vault.Open(ctx, db, vault.NewKeyring(data, os.Getenv("APPRODO_MASTER_KEY")))
		if err != nil {
			db.Close()
			return nil, 0, err
		}
		srv, err := server.New(server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: data, Vault: v,
			BenchEndpoints: true}, db)
		if err != nil {
			db.Close()
			return nil, 0, err
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			db.Close()
			return nil, 0, err
		}
		serveCtx, stopServing := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Serve(serveCtx, ln) }()
		return func() {
			stopServing()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
			db.Close()
		}, 0, nil
	}
}

// TestBenchEndpointsServeOnlyAGeneratedRegion: the bare handler reads cases
// with no session, policy or audit, so a server refuses to start with it on
// a database that approdo bench generate did not write.
func TestBenchEndpointsServeOnlyAGeneratedRegion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		data := t.TempDir()
		v, err := vault.Open(ctx, db, vault.NewKeyring(data, ""))
		if err != nil {
			t.Fatal(err)
		}
		_, err = server.New(server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: data, Vault: v,
			BenchEndpoints: true}, db)
		if key, _ := approdo.ErrorMessage(err); key != "error.bench.not_a_region" {
			t.Fatalf("bench endpoints on a database of no region: %v, want it refused", err)
		}
		if generated, err := store.IsBenchRegion(ctx, db); err != nil || generated {
			t.Errorf("IsBenchRegion on a database of no region: %v %v", generated, err)
		}
	})
}
