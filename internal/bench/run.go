package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// RunConfig says what the load harness measures and how.
type RunConfig struct {
	// DB is the generated region, a SQLite file path or a postgres:// URL.
	// The harness reads it to pick operators and cases, and measures the
	// raw commit rate on it in a table of its own that it drops at the end.
	// Required.
	DB string
	// Data is the folder of the vault's keys, as for "approdo serve";
	// empty means "approdo-data".
	Data string
	// URL is the address of a server already started with
	// --bench-endpoints; empty means that the harness starts one.
	URL string
	// Rate is the open loop's arrival rate in requests per second; 0
	// means 200.
	Rate float64
	// Duration is how long the open loop is measured; 0 means 30 s.
	Duration time.Duration
	// Warmup is how long the open loop runs, unreported, before anything
	// is measured, in every mode, so that the server's caches hold what a
	// server that has been running holds; 0 means 10 s, negative means none.
	Warmup time.Duration
	// Connections is how many clients the saturation runs and the raw
	// commit rate use, each back to back; 0 means 64.
	Connections int
	// Saturation is how long each operation runs alone at saturation; 0
	// means 10 s.
	Saturation time.Duration
	// JSON, when set, names a file that receives the results as JSON too.
	JSON string
	// Mode is "both" (the default when empty), "open" (the open loop
	// alone) or "saturation" (the saturation runs and the limits alone).
	Mode string
	// Start starts the server to measure on addr (host:port) and returns
	// a function that stops it and waits for it, and the server's process
	// id for its memory, or 0 when it has no process of its own; nil means
	// the running executable as a child process: "serve --db DB --data DATA
	// --addr ADDR --bench-endpoints". Tests start the server in process.
	// Unused with URL.
	Start func(ctx context.Context, addr string) (stop func(), pid int, err error)
}

// The modes of a run.
const (
	ModeBoth       = "both"
	ModeOpen       = "open"
	ModeSaturation = "saturation"
)

// UsageError is a mistake in a RunConfig, such as a missing database or a
// rate that is not positive; the command line reports it as a usage error.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// withDefaults returns cfg with its zero values filled in, or a UsageError
// naming the first setting that cannot be used.
func (cfg RunConfig) withDefaults() (RunConfig, error) {
	if strings.TrimSpace(cfg.DB) == "" {
		return cfg, UsageError{"bench run needs --db, the database bench generate wrote"}
	}
	if cfg.Data == "" {
		cfg.Data = "approdo-data"
	}
	if cfg.Mode == "" {
		cfg.Mode = ModeBoth
	}
	switch cfg.Mode {
	case ModeBoth, ModeOpen, ModeSaturation:
	default:
		return cfg, UsageError{fmt.Sprintf("--mode %q is not a mode: give both, open or saturation", cfg.Mode)}
	}
	for _, d := range []struct {
		value *time.Duration
		def   time.Duration
		flag  string
	}{{&cfg.Duration, 30 * time.Second, "--duration"}, {&cfg.Saturation, 10 * time.Second, "--saturation"}} {
		if *d.value == 0 {
			*d.value = d.def
		}
		if *d.value < 0 {
			return cfg, UsageError{fmt.Sprintf("%s must be a positive duration", d.flag)}
		}
	}
	switch {
	case cfg.Warmup == 0:
		cfg.Warmup = 10 * time.Second
	case cfg.Warmup < 0:
		cfg.Warmup = 0
	}
	if cfg.Rate == 0 {
		cfg.Rate = 200
	}
	if cfg.Rate < 0 || cfg.Rate > 100000 {
		return cfg, UsageError{"--rate must be a number of requests per second between 0 and 100000"}
	}
	if cfg.Connections == 0 {
		cfg.Connections = 64
	}
	if cfg.Connections < 0 || cfg.Connections > 4096 {
		return cfg, UsageError{"--connections must be between 1 and 4096"}
	}
	if cfg.URL != "" {
		u, err := url.Parse(cfg.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, UsageError{fmt.Sprintf("--url %q is not an http:// or https:// address", cfg.URL)}
		}
		cfg.URL = strings.TrimRight(u.String(), "/")
	}
	return cfg, nil
}

// Run measures Approdo under load and writes the report to stdout (and to
// cfg.JSON): it picks operators and cases from the region in cfg.DB, starts
// the server (unless cfg.URL names one), signs every operator in through the
// web interface, runs the open loop at a fixed arrival rate, then each
// operation alone at saturation beside the two limits of the same machine
// and database (the bare handler and the raw durable commit rate), and
// stops the server.
//
// It returns a UsageError for a config it cannot use, an error without
// writing anything when cfg.URL does not answer or the database holds no
// generated region, and, after writing the whole report, an error naming
// every operation of which more than 1% of the requests failed.
func Run(ctx context.Context, cfg RunConfig, stdout io.Writer) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	if cfg.URL != "" {
		if err := reachable(ctx, cfg.URL); err != nil {
			return err
		}
	}
	rep := &Report{At: time.Now(), Machine: describeMachine(), Settings: settingsOf(cfg)}
	pop, err := choose(ctx, cfg.DB, rep)
	if err != nil {
		return err
	}

	// The raw commit rate is measured before the server starts, when the
	// harness starts it, so that no other writer shares the database.
	var commits commits
	if cfg.URL == "" && cfg.Mode != ModeOpen {
		if commits, err = commitRate(ctx, cfg.DB, cfg.Connections, cfg.Saturation); err != nil {
			return err
		}
	}
	base, server := cfg.URL, &serverUnderTest{}
	if base == "" {
		server, err = startServer(ctx, cfg)
		if err != nil {
			return err
		}
		defer server.stop()
		base = "http://" + server.addr
		rep.Server = server.describe()
	} else {
		rep.Server = ServerInfo{URL: base, Memory: "not measured: the server at --url is not a child of the harness"}
	}
	// explain adds the server's log to an error, and keeps it, when the
	// harness started the server.
	explain := func(err error) error {
		if err == nil || server.log == "" || ctx.Err() != nil {
			return err
		}
		server.keepLog = true
		return fmt.Errorf("%w (the server's log is %s)", err, server.log)
	}

	h := newHarness(base, cfg.Connections, pop)
	defer h.close()
	for _, op := range h.ops {
		rep.Mix = append(rep.Mix, MixShare{Operation: op.name, Route: op.route, Percent: op.weight})
	}
	if cfg.Mode != ModeOpen {
		if err := h.checkBare(ctx); err != nil {
			return explain(err)
		}
	}
	if err := h.signIn(ctx); err != nil {
		return explain(err)
	}
	// The warm-up runs the open loop unreported, in every mode: it fills
	// the caches, and lets the server's runtime return some of the memory
	// the sign-ins' password hashing took.
	if cfg.Warmup > 0 {
		if _, err := h.openLoop(ctx, cfg.Rate, cfg.Warmup); err != nil {
			return explain(err)
		}
	}
	server.memory.reset()

	if cfg.Mode != ModeSaturation {
		stats, err := h.openLoop(ctx, cfg.Rate, cfg.Duration)
		if err != nil {
			return explain(err)
		}
		rep.OpenLoop = openLoopRows(stats)
	}
	if cfg.Mode != ModeOpen {
		sat, err := h.saturate(ctx, cfg.Connections, cfg.Saturation)
		if err != nil {
			return explain(err)
		}
		if cfg.URL != "" {
			// The server at --url keeps the database open: its writes, if
			// any, share the measure.
			if commits, err = commitRate(ctx, cfg.DB, cfg.Connections, cfg.Saturation); err != nil {
				return explain(err)
			}
		}
		rep.setSaturation(sat, commits)
	}
	server.finish(&rep.Server)

	if err := rep.writeText(stdout); err != nil {
		return err
	}
	if cfg.JSON != "" {
		if err := rep.writeJSON(cfg.JSON); err != nil {
			return err
		}
	}
	return explain(rep.tooManyErrors())
}

// reachable checks that a server answers at base before anything else is
// done, and returns a one-line error when it does not.
func reachable(ctx context.Context, base string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	if err != nil {
		return UsageError{fmt.Sprintf("--url %q is not an address: %v", base, err)}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			err = op.Err
		}
		return fmt.Errorf("bench: no server answers at %s: %v", base, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("bench: the server at %s answers GET /login with %d, not 200: is it Approdo?", base, res.StatusCode)
	}
	return nil
}

// freeAddress returns a loopback address with a port no one listens on.
func freeAddress() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("bench: cannot find a free port: %w", err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}

// fileExists reports whether path names an existing regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
