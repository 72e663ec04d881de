package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"

	"approdo/internal/server"
)

// runServe serves Approdo until ctx is cancelled.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("serve", "Serve Approdo's web interface and JSON API.", stderr)
	addr := fs.String("addr", ":8080", "`address` to listen on (APPRODO_ADDR)")
	dsn := fs.String("db", "", "SQLite file `path` or postgres:// URL; default DATA/approdo.db (APPRODO_DB)")
	data := fs.String("data", "approdo-data", "`folder` for keys and files (APPRODO_DATA)")
	trustProxy := fs.Bool("trust-proxy", false, "trust X-Forwarded-Proto from a reverse proxy that terminates TLS (APPRODO_TRUST_PROXY)")
	smtpAddr := fs.String("smtp-addr", "", "mail server `host:port` for notifications by e-mail; none: e-mails are skipped (APPRODO_SMTP_ADDR)")
	smtpFrom := fs.String("smtp-from", "", "sender `address` of the e-mails (APPRODO_SMTP_FROM)")
	smtpUser := fs.String("smtp-user", "", "`user` to authenticate with the mail server, optional (APPRODO_SMTP_USER)")
	smtpPassword := fs.String("smtp-password", "", "`password` to authenticate with the mail server (APPRODO_SMTP_PASSWORD)")
	baseURL := fs.String("base-url", "http://localhost:8080", "public `URL` of Approdo, for the links in e-mails (APPRODO_BASE_URL)")
	benchEndpoints := fs.Bool("bench-endpoints", false, "serve GET /bench/bare/{id}, a case read without session, policy or audit; "+
		"only for the load harness, never with real data (APPRODO_BENCH_ENDPOINTS)")
	memoryMiB := fs.Int("memory-mib", 200, "soft `limit` in MiB on the memory the Go runtime holds, near which it collects garbage sooner; "+
		"0: none; GOMEMLIMIT, when set, takes its place (APPRODO_MEMORY_MIB)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *memoryMiB < 0 {
		return usageError{fmt.Sprintf("--memory-mib must be a number of MiB, or 0 for no limit, not %d", *memoryMiB)}
	}
	limitMemory(*memoryMiB)
	sender, err := mailSender(*smtpAddr, *smtpFrom, *smtpUser, *smtpPassword)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("cannot create the data folder %s: %w", *data, err)
	}
	db, err := openDatabase(ctx, *dsn, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := openVault(ctx, db, *data)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	srv, err := server.New(server.Config{TrustProxy: *trustProxy, Logger: log, DataDir: *data, Vault: v, Mail: sender,
		BaseURL: *baseURL, BenchEndpoints: *benchEndpoints}, db)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *addr, err)
	}
	log.Info("serving", "addr", ln.Addr().String(), "database", db.Where())
	return srv.Serve(ctx, ln)
}

// limitMemory sets the Go runtime's soft memory limit to mib MiB, unless
// mib is 0 or GOMEMLIMIT sets one. Near the limit the collector runs sooner:
// each sign-in's password hash leaves 64 MiB of garbage, and without a
// limit a few sign-ins in a row grow the server by that much each before
// the next collection.
func limitMemory(mib int) {
	if mib > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(mib) << 20)
	}
}
