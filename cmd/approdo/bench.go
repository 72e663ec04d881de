package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"approdo/internal/bench"
)

const benchUsage = `Usage: approdo bench generate --db DB --persons N [--data DIR] [--seed S] [--force]
       approdo bench run --db DB [--data DIR] [--url URL] [--rate R] [--duration D] [--connections C]
                         [--warmup D] [--saturation D] [--mode both|open|saturation] [--json FILE]

Generate writes a synthetic region of N persons, for measuring only; run drives the
real server with it and reports each operation beside the limits of the machine.
Run "approdo bench generate -h" or "approdo bench run -h" for the flags.
`

// runBench runs the benchmark subcommands: "approdo bench generate" and
// "approdo bench run".
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "generate":
			return runBenchGenerate(ctx, args[1:], stdout, stderr)
		case "run":
			return runBenchRun(ctx, args[1:], stdout, stderr)
		case "-h", "-help", "--help", "help":
			fmt.Fprint(stderr, benchUsage)
			return nil
		}
	}
	fmt.Fprint(stderr, benchUsage)
	return usageError{"bench needs a subcommand: generate or run"}
}

// runBenchGenerate writes a synthetic region into an empty database.
func runBenchGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("bench generate", "Write a synthetic region of --persons persons, with its network, operators, cases,\n"+
		"notes and audit log, into an empty database, for the load harness. Every operator\n"+
		"signs in with the same password and second factor: never serve it as a real network.", stderr)
	dsn := fs.String("db", "", "SQLite file `path` or postgres:// URL to write the region into; required (APPRODO_DB)")
	data := fs.String("data", "approdo-data", "`folder` for the vault's keys, as for serve --data (APPRODO_DATA)")
	persons := fs.Int("persons", 0, "`number` of persons in the region; required, more than 0 (APPRODO_PERSONS)")
	seed := fs.Int64("seed", 1, "`seed` of the random draws: the same seed writes the same region (APPRODO_SEED)")
	force := fs.Bool("force", false, "replace a database that already holds data (APPRODO_FORCE)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dsn == "" {
		return usageError{"bench generate needs --db, the database to write the region into"}
	}
	if *persons <= 0 {
		return usageError{fmt.Sprintf("--persons must be a number of persons above 0, not %d", *persons)}
	}
	return bench.Generate(ctx, bench.GenerateConfig{DB: *dsn, Data: *data, Persons: *persons, Seed: *seed, Force: *force}, stdout)
}

// runBenchRun runs the load harness and prints its report.
func runBenchRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("bench run", "Drive Approdo with the region bench generate wrote: start the server (or use --url),\n"+
		"sign operators in, send a mix of operations at a fixed rate, then each operation alone\n"+
		"at saturation, and report them beside the bare handler and the raw commit rate.", stderr)
	dsn := fs.String("db", "", "SQLite file `path` or postgres:// URL of the generated region; required, read to pick operators and cases (APPRODO_DB)")
	data := fs.String("data", "approdo-data", "`folder` for the vault's keys, as for serve --data (APPRODO_DATA)")
	target := fs.String("url", "", "`URL` of a server already started with serve --bench-endpoints; none: start one (APPRODO_URL)")
	rate := fs.Float64("rate", 200, "open loop's arrival `rate` in requests per second (APPRODO_RATE)")
	duration := fs.Duration("duration", 30*time.Second, "`duration` of the open loop, measured after a warm-up at the same rate (APPRODO_DURATION)")
	warmup := fs.Duration("warmup", 10*time.Second, "`duration` of the open loop before anything is measured, which fills the server's caches (APPRODO_WARMUP)")
	connections := fs.Int("connections", 64, "`number` of clients at saturation and of writers of the raw commit rate (APPRODO_CONNECTIONS)")
	saturation := fs.Duration("saturation", 10*time.Second, "`duration` of each operation alone at saturation (APPRODO_SATURATION)")
	mode := fs.String("mode", bench.ModeBoth, "`what` to measure: both, open (the open loop) or saturation (saturation and limits) (APPRODO_MODE)")
	jsonFile := fs.String("json", "", "`file` to write the results to as JSON too (APPRODO_JSON)")
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, d := range []struct {
		name  string
		value time.Duration
	}{{"--duration", *duration}, {"--saturation", *saturation}} {
		if d.value <= 0 {
			return usageError{d.name + " must be a positive duration such as 30s"}
		}
	}
	if *rate <= 0 {
		return usageError{"--rate must be a positive number of requests per second"}
	}
	if *connections <= 0 {
		return usageError{"--connections must be a positive number"}
	}
	err := bench.Run(ctx, bench.RunConfig{DB: *dsn, Data: *data, URL: *target, Rate: *rate, Duration: *duration,
		Warmup: *warmup, Connections: *connections, Saturation: *saturation, JSON: *jsonFile, Mode: *mode}, stdout)
	var u bench.UsageError
	if errors.As(err, &u) {
		return usageError{u.Msg}
	}
	return err
}
