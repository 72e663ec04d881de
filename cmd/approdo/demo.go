package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"text/tabwriter"

	"approdo/internal/demo"
	"approdo/internal/server"
)

// runDemo serves a fresh SQLite database filled with the demo network until
// ctx is cancelled.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("demo", "Serve a fresh demo network with synthetic data at DATA/approdo.db.", stderr)
	addr := fs.String("addr", "localhost:8080", "`address` to listen on (APPRODO_ADDR)")
	data := fs.String("data", "", "`folder` for the demo database, keys and files; default a new temporary folder (APPRODO_DATA)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *data == "" {
		dir, err := os.MkdirTemp("", "approdo-demo-")
		if err != nil {
			return fmt.Errorf("cannot create a temporary folder: %w", err)
		}
		*data = dir
	} else if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("cannot create the data folder %s: %w", *data, err)
	}
	path := filepath.Join(*data, "approdo.db")
	if _, err := os.Stat(path); err == nil {
		return usageError{fmt.Sprintf("%s already exists: the demo needs a fresh folder", path)}
	}
	// Listen first, so that a busy port fails before anything is written.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	db, err := openDatabase(ctx, path, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := openVault(ctx, db, *data)
	if err != nil {
		return err
	}
	logins, err := demo.Seed(ctx, db, demo.WithVault(v), demo.WithCaseload())
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// Demo users share one printed password and have no authenticator app:
	// the second factor is offered, not required, and every page says so.
	srv, err := server.New(server.Config{Demo: true, SecondFactorOptional: true, Logger: log, DataDir: *data, Vault: v}, db)
	if err != nil {
		return err
	}
	printDemo(stdout, "http://"+displayAddr(ln.Addr()), path, logins)
	return srv.Serve(ctx, ln)
}

// printDemo tells the operator where the demo is and how to sign in.
func printDemo(w io.Writer, url, path string, logins []demo.Login) {
	fmt.Fprintf(w, "Approdo demo: all data is synthetic.\n\n")
	fmt.Fprintf(w, "Open %s\n", url)
	fmt.Fprintf(w, "Database: %s\n\n", path)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tPASSWORD\tROLE\tORGANISATION")
	for _, l := range logins {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Username, l.Password, l.Role, l.Organisation)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nPress Ctrl+C to stop.")
}

// displayAddr turns a listener's address into a host:port a browser can
// open, replacing an unspecified host with localhost.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
