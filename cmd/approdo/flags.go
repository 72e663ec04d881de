package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"approdo"
	"approdo/internal/i18n"
	"approdo/internal/store"
	"approdo/internal/vault"
)

// flagSet returns a flag set for a subcommand that prints its usage to
// stderr and reports errors instead of exiting.
func flagSet(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: approdo %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args after filling unset flags from their APPRODO_*
// environment variables (--db from APPRODO_DB and so on). Unknown flags and
// stray arguments are usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		env := "APPRODO_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok && envErr == nil {
			if err := f.Value.Set(v); err != nil {
				envErr = usageError{fmt.Sprintf("%s: %v", env, err)}
			}
		}
	})
	if envErr != nil {
		return envErr
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// openDatabase opens dsn, or DATA/approdo.db when dsn is empty, and applies
// any missing migrations.
func openDatabase(ctx context.Context, dsn, dataDir string) (*store.DB, error) {
	if dsn == "" {
		dsn = filepath.Join(dataDir, "approdo.db")
	}
	if !store.IsPostgresURL(dsn) {
		if err := os.MkdirAll(filepath.Dir(dsn), 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the folder of %s: %w", dsn, err)
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openVault opens the vault of db with the master key of APPRODO_MASTER_KEY
// or DATA/master.key, creating the key file for a database that has no data
// key yet.
func openVault(ctx context.Context, db *store.DB, dataDir string) (*vault.Vault, error) {
	return vault.Open(ctx, db, vault.NewKeyring(dataDir, os.Getenv("APPRODO_MASTER_KEY")))
}

// describe returns the one-line English text of err for the terminal.
func describe(err error) string {
	var e *approdo.Error
	if errors.As(err, &e) {
		key, args := approdo.ErrorMessage(err)
		return i18n.MustLoad().T("en", key, args...)
	}
	return strings.SplitN(err.Error(), "\n", 2)[0]
}
