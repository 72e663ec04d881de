package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"approdo/internal/audit"
	"approdo/internal/store"
	"approdo/internal/vault"
)

// runKeys runs the key subcommands: "approdo keys rotate".
func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		fmt.Fprint(stderr, "Usage: approdo keys rotate [flags]\n")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return usageError{"keys needs a subcommand: rotate"}
	}
	fs := flagSet("keys rotate", "Replace the master key in DATA/master.key and re-wrap every data key with it,\n"+
		"while Approdo may be running. The old key is kept as DATA/master-ID.retired for older backups.", stderr)
	dsn := fs.String("db", "", "SQLite file `path` or postgres:// URL; default DATA/approdo.db (APPRODO_DB)")
	data := fs.String("data", "approdo-data", "`folder` for keys and files (APPRODO_DATA)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := openDatabase(ctx, *dsn, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	keyring := vault.NewKeyring(*data, os.Getenv("APPRODO_MASTER_KEY"))
	oldID, newID, n, err := vault.Rotate(ctx, db, keyring)
	if err != nil {
		return err
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		return audit.Append(ctx, tx, &audit.Entry{Action: audit.KeyRotate, RecordType: "master_key", RecordID: newID})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "master key %s replaced by %s; %d data keys re-wrapped\n", oldID, newID, n)
	return nil
}
