package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Report is what a run measured, as the text report shows it and as the
// JSON file holds it.
type Report struct {
	At         time.Time       `json:"at"`
	Machine    MachineInfo     `json:"machine"`
	Database   DatabaseInfo    `json:"database"`
	Server     ServerInfo      `json:"server"`
	Operators  OperatorsInfo   `json:"operators"`
	Settings   Settings        `json:"settings"`
	Mix        []MixShare      `json:"mix"`
	OpenLoop   []OpenLoopRow   `json:"open_loop,omitempty"`
	Saturation []SaturationRow `json:"saturation,omitempty"`
	Limits     *Limits         `json:"limits,omitempty"`
}

// MachineInfo describes the machine the run measured.
type MachineInfo struct {
	CPU       string  `json:"cpu"`
	CPUs      int     `json:"cpus"`
	RAMGB     float64 `json:"ram_gb"`
	GoVersion string  `json:"go_version"`
	OS        string  `json:"os"`
	Arch      string  `json:"arch"`
}

// DatabaseInfo describes the database, as it was when the run started.
type DatabaseInfo struct {
	Dialect string `json:"dialect"`
	Where   string `json:"where"`
	// SizeMB is the size of a SQLite file with its write-ahead log; 0 on
	// PostgreSQL.
	SizeMB float64          `json:"size_mb,omitempty"`
	Rows   map[string]int64 `json:"rows"`
}

// ServerInfo says which server the run measured and its memory.
type ServerInfo struct {
	URL string `json:"url"`
	// PID is the child process the harness started; 0 for a server in
	// process or at --url.
	PID int `json:"pid,omitempty"`
	// IdleRSSMB is the server's resident memory once it answered, before
	// anyone signed in; StartRSSMB is the memory when the measured phases
	// began, after the sign-ins and the warm-up; PeakRSSMB is the largest
	// sampled every 100 ms during the measured phases; HighWaterMB is the
	// largest over the server's life (VmHWM), the sign-ins included.
	IdleRSSMB   float64 `json:"idle_rss_mb,omitempty"`
	StartRSSMB  float64 `json:"start_rss_mb,omitempty"`
	PeakRSSMB   float64 `json:"peak_rss_mb,omitempty"`
	HighWaterMB float64 `json:"high_water_mb,omitempty"`
	// Memory says why no memory was measured.
	Memory string `json:"memory,omitempty"`
}

// OperatorsInfo counts who the harness acted as and on what.
type OperatorsInfo struct {
	SocialWorkers    int `json:"social_workers"`
	LeadCoordinators int `json:"lead_coordinators"`
	// Cases are the open cases of the social workers' organisations the
	// harness works on.
	Cases int `json:"cases"`
	// ProgrammeCases are the cases the lead coordinators' dashboards count.
	ProgrammeCases int `json:"programme_cases"`
	SearchNames    int `json:"search_names"`
}

// Settings are the run's settings.
type Settings struct {
	Mode        string  `json:"mode"`
	Rate        float64 `json:"rate"`
	DurationS   float64 `json:"duration_s"`
	WarmupS     float64 `json:"warmup_s"`
	Connections int     `json:"connections"`
	SaturationS float64 `json:"saturation_s"`
}

// MixShare is an operation's share of the open loop, in percent, and its
// route.
type MixShare struct {
	Operation string `json:"operation"`
	Route     string `json:"route"`
	Percent   int    `json:"percent"`
}

// OpenLoopRow is an operation in the open loop: its latencies, from each
// request's scheduled start, in milliseconds.
type OpenLoopRow struct {
	Operation string   `json:"operation"`
	Count     int      `json:"count"`
	P50       float64  `json:"p50_ms"`
	P95       float64  `json:"p95_ms"`
	P99       float64  `json:"p99_ms"`
	Max       float64  `json:"max_ms"`
	Errors    int      `json:"errors"`
	Examples  []string `json:"error_examples,omitempty"`
}

// SaturationRow is an operation alone at saturation: its throughput and
// its ratio to the limit it is compared with ("bare_handler" for reads,
// "raw_commits" for writes).
type SaturationRow struct {
	Operation string   `json:"operation"`
	Count     int      `json:"count"`
	PerSecond float64  `json:"per_second"`
	P50       float64  `json:"p50_ms"`
	P99       float64  `json:"p99_ms"`
	Ratio     float64  `json:"ratio"`
	Of        string   `json:"of"`
	Errors    int      `json:"errors"`
	Examples  []string `json:"error_examples,omitempty"`
}

// Limits are the two ceilings of the machine and database, measured in the
// same run.
type Limits struct {
	// BareHandler is the throughput of GET /bench/bare/{id} at saturation:
	// the HTTP stack and one read by primary key, without session, policy
	// or audit.
	BareHandler float64 `json:"bare_handler_per_second"`
	// RawCommits is the rate of one-row INSERT transactions committed
	// through db.Write by as many writers as connections.
	RawCommits       float64 `json:"raw_commits_per_second"`
	RawCommitsFailed int     `json:"raw_commits_failed"`
	// Durability says what a commit waits for, as the database's settings
	// say: on SQLite its journal mode and synchronous setting, on
	// PostgreSQL fsync and synchronous_commit.
	Durability string `json:"durability"`
}

// settingsOf returns the settings of cfg, whose defaults are filled in.
func settingsOf(cfg RunConfig) Settings {
	return Settings{Mode: cfg.Mode, Rate: cfg.Rate, DurationS: cfg.Duration.Seconds(), WarmupS: cfg.Warmup.Seconds(),
		Connections: cfg.Connections, SaturationS: cfg.Saturation.Seconds()}
}

// ms returns d in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// percentile returns the p-th percentile (nearest rank) of sorted
// durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(len(sorted))*p)) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// openLoopRows sums up the open loop.
func openLoopRows(stats []*opStats) []OpenLoopRow {
	var rows []OpenLoopRow
	for _, s := range stats {
		lat := slices.Clone(s.latency)
		slices.Sort(lat)
		row := OpenLoopRow{Operation: s.op.name, Count: len(lat), Errors: s.errors, Examples: s.examples}
		if len(lat) > 0 {
			row.P50, row.P95, row.P99, row.Max = ms(percentile(lat, .50)), ms(percentile(lat, .95)),
				ms(percentile(lat, .99)), ms(lat[len(lat)-1])
		}
		rows = append(rows, row)
	}
	return rows
}

// setSaturation records the saturation runs and the limits: reads are
// compared with the bare handler, writes with the raw commit rate.
func (r *Report) setSaturation(stats []*opStats, c commits) {
	r.Limits = &Limits{RawCommits: c.rate, RawCommitsFailed: c.failed, Durability: c.durability}
	for _, s := range stats {
		if s.op.name == OpBare && s.elapsed > 0 {
			r.Limits.BareHandler = float64(len(s.latency)-s.errors) / s.elapsed.Seconds()
		}
	}
	for _, s := range stats {
		lat := slices.Clone(s.latency)
		slices.Sort(lat)
		row := SaturationRow{Operation: s.op.name, Count: len(lat), Errors: s.errors, Examples: s.examples,
			P50: ms(percentile(lat, .50)), P99: ms(percentile(lat, .99))}
		if s.elapsed > 0 {
			row.PerSecond = float64(len(lat)-s.errors) / s.elapsed.Seconds()
		}
		limit := r.Limits.BareHandler
		row.Of = OpBare
		if s.op.write {
			limit, row.Of = r.Limits.RawCommits, "raw_commits"
		}
		if limit > 0 {
			row.Ratio = row.PerSecond / limit
		}
		r.Saturation = append(r.Saturation, row)
	}
}

// errorShare is how large a share of an operation's requests may fail
// before the run fails.
const errorShare = 0.01

// tooManyErrors returns an error naming every operation of which more than
// 1% of the requests failed, in the open loop or at saturation, or nil.
func (r *Report) tooManyErrors() error {
	var bad []string
	check := func(phase, op string, errors, count int) {
		if count > 0 && float64(errors) > errorShare*float64(count) {
			bad = append(bad, fmt.Sprintf("%s %s (%d of %d)", op, phase, errors, count))
		}
	}
	for _, row := range r.OpenLoop {
		check("in the open loop", row.Operation, row.Errors, row.Count)
	}
	for _, row := range r.Saturation {
		check("at saturation", row.Operation, row.Errors, row.Count)
	}
	if l := r.Limits; l != nil && l.RawCommitsFailed > 0 {
		bad = append(bad, fmt.Sprintf("raw_commits (%d failed)", l.RawCommitsFailed))
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("bench: more than 1%% of the requests failed: %s", strings.Join(bad, ", "))
}

// writeText writes the report as aligned plain text.
func (r *Report) writeText(w io.Writer) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	m, d := r.Machine, r.Database
	p("Approdo load harness, %s\n\n", r.At.UTC().Format("2006-01-02 15:04 UTC"))
	p("machine     %s, %d CPUs, %.1f GB RAM; %s %s/%s\n", m.CPU, m.CPUs, m.RAMGB, m.GoVersion, m.OS, m.Arch)
	p("database    %s %s", d.Dialect, d.Where)
	if d.SizeMB > 0 {
		p(" (%.1f MB)", d.SizeMB)
	}
	var counts []string
	for _, t := range countedTables {
		counts = append(counts, fmt.Sprintf("%d %s", d.Rows[t], t))
	}
	p(": %s rows\n", strings.Join(counts, ", "))
	if r.Server.PID != 0 {
		p("server      child process %d (serve --bench-endpoints) at %s\n", r.Server.PID, r.Server.URL)
	} else {
		p("server      %s\n", r.Server.URL)
	}
	o := r.Operators
	p("operators   %d social workers on %d open cases of their organisations; %d lead coordinators, whose dashboards count %d programme cases; %d names searched\n",
		o.SocialWorkers, o.Cases, o.LeadCoordinators, o.ProgrammeCases, o.SearchNames)
	var mix []string
	for _, s := range r.Mix {
		mix = append(mix, fmt.Sprintf("%s %d%%", s.Operation, s.Percent))
	}
	p("mix         %s\n", strings.Join(mix, ", "))
	s := r.Settings
	if s.WarmupS > 0 {
		p("warm-up     %s of the open loop at %g requests/s, not reported, before anything is measured\n", seconds(s.WarmupS), s.Rate)
	}

	if r.OpenLoop != nil {
		p("\nOpen loop: %g requests/s for %s; latency from each request's scheduled start\n\n", s.Rate, seconds(s.DurationS))
		t := table{header: []string{"operation", "route", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"}, align: "llrrrrrr"}
		for _, row := range r.OpenLoop {
			t.add(row.Operation, r.route(row.Operation), strconv.Itoa(row.Count), fmt.Sprintf("%.1f", row.P50),
				fmt.Sprintf("%.1f", row.P95), fmt.Sprintf("%.1f", row.P99), fmt.Sprintf("%.1f", row.Max), strconv.Itoa(row.Errors))
		}
		t.write(b)
	}
	if r.Saturation != nil {
		p("\nSaturation: each operation alone, %d connections back to back for %s\n\n", s.Connections, seconds(s.SaturationS))
		t := table{header: []string{"operation", "req/s", "p50 ms", "p99 ms", "ratio", "of", "errors"}, align: "lrrrrlr"}
		for _, row := range r.Saturation {
			t.add(row.Operation, fmt.Sprintf("%.1f", row.PerSecond), fmt.Sprintf("%.1f", row.P50), fmt.Sprintf("%.1f", row.P99),
				fmt.Sprintf("%.2f", row.Ratio), row.Of, strconv.Itoa(row.Errors))
		}
		t.write(b)
	}
	if l := r.Limits; l != nil {
		p("\nLimits of this machine and database, in the same run\n\n")
		t := table{header: []string{"limit", "per second", "what"}, align: "lrl"}
		t.add(OpBare, fmt.Sprintf("%.1f", l.BareHandler), "GET /bench/bare/{id}: the HTTP stack and one read by primary key; no session, policy or audit")
		t.add("raw_commits", fmt.Sprintf("%.1f", l.RawCommits),
			fmt.Sprintf("one-row INSERT per transaction of its own, %d writers back to back", s.Connections))
		t.write(b)
		p("\ncommits on %s wait for what its settings say: %s\n", r.Database.Dialect, l.Durability)
	} else {
		p("\nLimits: not measured (--mode open)\n")
	}
	if r.Server.Memory != "" {
		p("\nserver memory: %s\n", r.Server.Memory)
	} else {
		m := r.Server
		p("\nserver memory: peak RSS %.1f MB during the measured phases (sampled every 100 ms)\n", m.PeakRSSMB)
		p("               %.1f MB once it answered, %.1f MB when the measured phases began, %.1f MB high-water mark (VmHWM)\n",
			m.IdleRSSMB, m.StartRSSMB, m.HighWaterMB)
		p("               Each sign-in hashes a password with argon2id in 64 MiB, which the Go runtime returns to the system\n")
		p("               only gradually: the figures after the sign-ins may hold some of it.\n")
	}
	r.writeErrors(b)
	return b.Flush()
}

// table is a plain-text table whose columns are aligned as align says,
// one letter a column: 'l' left (text), 'r' right (numbers).
type table struct {
	header []string
	align  string
	rows   [][]string
}

// add adds a row.
func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write writes the table, its columns three spaces apart.
func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range append([][]string{t.header}, t.rows...) {
		var line strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				line.WriteString("   ")
			}
			if t.align[i] == 'l' {
				line.WriteString(c + pad)
			} else {
				line.WriteString(pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
}

// writeErrors lists the first errors of every operation that had any.
func (r *Report) writeErrors(b *bufio.Writer) {
	var lines []string
	add := func(phase, op string, errors, count int, examples []string) {
		if errors == 0 {
			return
		}
		lines = append(lines, fmt.Sprintf("  %s %s: %d of %d failed", op, phase, errors, count))
		for _, e := range examples {
			lines = append(lines, "    "+e)
		}
	}
	for _, row := range r.OpenLoop {
		add("in the open loop", row.Operation, row.Errors, row.Count, row.Examples)
	}
	for _, row := range r.Saturation {
		add("at saturation", row.Operation, row.Errors, row.Count, row.Examples)
	}
	if r.Limits != nil && r.Limits.RawCommitsFailed > 0 {
		lines = append(lines, fmt.Sprintf("  raw_commits: %d commits failed", r.Limits.RawCommitsFailed))
	}
	if len(lines) > 0 {
		fmt.Fprintf(b, "\nErrors\n%s\n", strings.Join(lines, "\n"))
	}
}

// route returns the route of the named operation.
func (r *Report) route(op string) string {
	for _, s := range r.Mix {
		if s.Operation == op {
			return s.Route
		}
	}
	return ""
}

// seconds writes a number of seconds as a duration.
func seconds(s float64) string { return time.Duration(s * float64(time.Second)).String() }

// writeJSON writes the report as indented JSON to the file at path.
func (r *Report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("bench: cannot write the JSON report: %w", err)
	}
	return nil
}

// describeMachine reads the CPU and memory of the machine from /proc,
// where there is one.
func describeMachine() MachineInfo {
	m := MachineInfo{CPU: "unknown CPU", CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS,
		Arch: runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		n := 0
		for line := range strings.Lines(string(b)) {
			key, value, ok := strings.Cut(line, ":")
			key, value = strings.TrimSpace(key), strings.TrimSpace(value)
			switch {
			case !ok:
			case key == "processor":
				n++
			case key == "model name" && m.CPU == "unknown CPU":
				m.CPU = value
			}
		}
		if n > 0 {
			m.CPUs = n
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					kb, _ := strconv.ParseFloat(f[0], 64)
					m.RAMGB = kb / (1 << 20)
				}
			}
		}
	}
	return m
}
