package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"

	"approdo/internal/audit"
)

// runAudit runs the audit subcommands: "approdo audit verify".
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(stderr, "Usage: approdo audit verify [flags]\n")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return usageError{"audit needs a subcommand: verify"}
	}
	fs := flagSet("audit verify", "Check that no entry of the audit log was edited, removed or reordered.\n"+
		"Exits with 1 when the chain is broken.", stderr)
	dsn := fs.String("db", "", "SQLite file `path` or postgres:// URL; default DATA/approdo.db (APPRODO_DB)")
	data := fs.String("data", "approdo-data", "`folder` for keys, files and the audit anchor (APPRODO_DATA)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := openDatabase(ctx, *dsn, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	anchor, err := audit.ReadAnchor(*data)
	if err != nil {
		return err
	}
	report, err := audit.Verify(ctx, db, anchor)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d entries, head %d %s\n", report.Entries, report.HeadSeq, hex.EncodeToString(report.HeadHash))
	if anchor != nil {
		fmt.Fprintf(stdout, "anchor: entry %d\n", anchor.Seq)
	}
	for _, p := range report.Problems {
		fmt.Fprintf(stdout, "entry %d: %s\n", p.Seq, p.Reason)
	}
	if !report.OK() {
		return fmt.Errorf("the audit log is broken: %d problems", len(report.Problems))
	}
	fmt.Fprintln(stdout, "the audit log is whole")
	return nil
}
