package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"approdo"
	"approdo/internal/store"
)

// runVersion prints the version, the Go release and the schema version this
// build brings.
func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("version", "Print the version of Approdo.", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	ms, err := store.Migrations(store.SQLite)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "approdo %s (%s, schema %d)\n", approdo.Version, runtime.Version(), len(ms))
	return nil
}
