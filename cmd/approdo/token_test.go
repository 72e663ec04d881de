package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"approdo/internal/demo"
	"approdo/internal/server"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

var tokenLine = regexp.MustCompile(`^apd_[a-z2-7]{6}_[a-z2-7]{52}\n$`)

// demoDatabase returns the address of a new database holding the demo
// network, and its data folder.
func demoDatabase(t *testing.T, d store.Dialect) (string, string) {
	t.Helper()
	dsn, data := storetest.DSN(t, d), t.TempDir()
	ctx := context.Background()
	db, err := openDatabase(ctx, dsn, data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	return dsn, data
}

// callAPI answers GET path on a server over dsn and data with a bearer
// token.
func callAPI(t *testing.T, dsn, data, path, token string) (int, string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := openVault(ctx, db, data)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Logger: slog.New(slog.DiscardHandler), Vault: v, DataDir: data, SecondFactorOptional: true}, db)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestTokenCreateThenUseThenRevoke(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn, data := demoDatabase(t, d)
			code, out, errOut := runCLI(t, "token", "create", "--user", "sanitario", "--expires", "30d",
				"--name", "Script notturno", "--db", dsn, "--data", data)
			if code != 0 || !tokenLine.MatchString(out) || !strings.Contains(errOut, "shown only this once") {
				t.Fatalf("token create: %d %q %q", code, out, errOut)
			}
			token := strings.TrimSpace(out)
			m := regexp.MustCompile(`^token (\d+) \(` + token[:10] + `\) created`).FindStringSubmatch(errOut)
			if m == nil {
				t.Fatalf("stderr does not name the token: %q", errOut)
			}
			id := m[1]
			if strings.Contains(errOut, token[11:]) {
				t.Fatal("the token's secret is on stderr too")
			}
			status, body := callAPI(t, dsn, data, "/api/v1/tokens", token)
			if status != 200 || !strings.Contains(body, `"name":"Script notturno"`) || !strings.Contains(body, `"prefix":"`+token[:10]+`"`) {
				t.Fatalf("the token on the API: %d %s", status, body)
			}

			// The environment fills the flags, as for every command.
			t.Setenv("APPRODO_USER", "mediatore")
			t.Setenv("APPRODO_EXPIRES", "720h")
			t.Setenv("APPRODO_DB", dsn)
			code, out, errOut = runCLI(t, "token", "create", "--data", data)
			if code != 0 || !tokenLine.MatchString(out) {
				t.Fatalf("token create from the environment: %d %q %q", code, out, errOut)
			}
			if status, body := callAPI(t, dsn, data, "/api/v1/me", strings.TrimSpace(out)); status != 200 || !strings.Contains(body, `"username":"mediatore"`) {
				t.Fatalf("the environment's token: %d %s", status, body)
			}

			// Revoked from the command line, the first token stops.
			code, out, errOut = runCLI(t, "token", "revoke", "--id", id, "--db", dsn, "--data", data)
			if code != 0 || !strings.Contains(out, "token "+id+" ("+token[:10]+") revoked") {
				t.Fatalf("token revoke: %d %q %q", code, out, errOut)
			}
			if status, _ := callAPI(t, dsn, data, "/api/v1/me", token); status != http.StatusUnauthorized {
				t.Fatalf("a revoked token: %d", status)
			}
			code, _, errOut = runCLI(t, "token", "revoke", "--id", "99999", "--db", dsn, "--data", data)
			if code != 1 || strings.TrimSpace(errOut) != "approdo: no API token has the id 99999" {
				t.Fatalf("unknown id: %d %q", code, errOut)
			}

			// The audit log stays whole.
			if code, out, errOut := runCLI(t, "audit", "verify", "--db", dsn, "--data", data); code != 0 || !strings.Contains(out, "whole") {
				t.Fatalf("audit verify: %d %q %q", code, out, errOut)
			}
		})
	}
}

func TestTokenCommandLineMistakes(t *testing.T) {
	dsn, data := demoDatabase(t, store.SQLite)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--user", "nessuno"}, 1, `approdo: there is no user named "nessuno"`},
		{[]string{}, 2, "approdo: token create needs --user USERNAME"},
		{[]string{"--user", "admin", "--expires", "0"}, 2, `approdo: --expires "0" must be positive: tokens expire`},
		{[]string{"--user", "admin", "--expires", "-5d"}, 2, `approdo: --expires "-5d" must be positive: tokens expire`},
		{[]string{"--user", "admin", "--expires", "400d"}, 2, `approdo: --expires "400d" is too long: a token lives at most 365d`},
		{[]string{"--user", "admin", "--expires", "100000000000d"}, 2, `approdo: --expires "100000000000d" is too long: a token lives at most 365d`},
		{[]string{"--user", "admin", "--expires", "9000h"}, 2, `approdo: --expires "9000h" is too long: a token lives at most 365d`},
		{[]string{"--user", "admin", "--expires", "1ns"}, 2, `approdo: --expires "1ns" is too short: a token lives at least one minute`},
		{[]string{"--user", "admin", "--expires", "soon"}, 2, `approdo: --expires "soon" is not a lifetime: give days such as 90d or a duration such as 720h`},
		{[]string{"--user", "admin", "--name", "  "}, 2, "approdo: --name must hold 1 to 100 characters"},
	} {
		args := append([]string{"token", "create", "--db", dsn, "--data", data}, c.args...)
		code, out, errOut := runCLI(t, args...)
		if code != c.code || strings.TrimSpace(errOut) != c.want || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d %q", c.args, code, out, errOut, c.code, c.want)
		}
	}
	for _, args := range [][]string{{"token"}, {"token", "frobnicate"}, {"token", "create", "--no-such-flag"},
		{"token", "create", "--user", "admin", "extra"}, {"token", "revoke"}, {"token", "revoke", "--id", "0"}, {"token", "revoke", "--id", "x"}} {
		code, out, errOut := runCLI(t, args...)
		if last := lastLine(errOut); code != 2 || !strings.HasPrefix(last, "approdo: ") || out != "" {
			t.Errorf("%v: exit %d, last line %q", args, code, last)
		}
	}
	for _, args := range [][]string{{"token", "create", "-h"}, {"token", "revoke", "-h"}, {"token", "-h"}} {
		code, _, errOut := runCLI(t, args...)
		if code != 0 || !strings.Contains(errOut, "Usage: approdo token") {
			t.Errorf("%v: %d %q", args, code, errOut)
		}
	}
	// Nothing was written by the refused commands.
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM api_tokens`).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d tokens after refused commands", n)
	}
}
