package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"approdo/internal/store"
)

// runMigrate brings a database's schema up to date and reports its version.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("migrate", "Apply the schema migrations a database lacks, each in its own transaction, and exit.", stderr)
	dsn := fs.String("db", "", "SQLite file `path` or postgres:// URL; default DATA/approdo.db (APPRODO_DB)")
	data := fs.String("data", "approdo-data", "`folder` for keys and files (APPRODO_DATA)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dsn == "" {
		*dsn = filepath.Join(*data, "approdo.db")
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: schema at version %d (%d migrations applied now)\n", db.Where(), v, n)
	return nil
}
