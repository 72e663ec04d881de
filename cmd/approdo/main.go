// Command approdo runs Approdo, the shared case file and coordination hub of
// Italian networks that protect foreign minors and victims of violence and
// trafficking.
//
//	approdo serve     serve Approdo on a SQLite file or a PostgreSQL database
//	approdo demo      serve a fresh demo network on a temporary SQLite file
//	approdo migrate   bring a database's schema up to date and exit
//	approdo audit     verify the audit log's chain
//	approdo keys      rotate the master key
//	approdo token     create or revoke a personal API token
//	approdo bench     generate a synthetic region and measure Approdo under load
//	approdo version   print the version
//
// Every subcommand takes -h. Flags have APPRODO_* environment equivalents.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// usageError marks a mistake in the command line, which exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitCode prints err, if any, on one line and returns the process's exit
// status: 0 on success, 2 for a bad command line, 1 for anything else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "approdo: %s\n", describe(err))
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

const usage = `Approdo — shared case file and coordination for protection networks.

Usage:
  approdo serve     [flags]   serve Approdo
  approdo demo      [flags]   serve a fresh demo network with synthetic data
  approdo migrate   [flags]   bring the database schema up to date and exit
  approdo audit verify        check that the audit log was not tampered with
  approdo keys rotate         replace the master key while Approdo runs
  approdo token create        issue a personal API token to a user and print it once
  approdo token revoke        revoke a personal API token
  approdo bench generate      write a synthetic region for measuring
  approdo bench run           measure the server under load with a generated region
  approdo version             print the version

Run "approdo COMMAND -h" for the flags of a command.
`

// run executes the command line args and returns when the command ends or
// ctx is cancelled.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "demo":
		return runDemo(ctx, args[1:], stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], stdout, stderr)
	case "version":
		return runVersion(ctx, args[1:], stdout, stderr)
	case "audit":
		return runAudit(ctx, args[1:], stdout, stderr)
	case "keys":
		return runKeys(ctx, args[1:], stdout, stderr)
	case "token":
		return runToken(ctx, args[1:], stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}
