package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// serverUnderTest is the server the harness started, and its memory.
type serverUnderTest struct {
	addr    string
	pid     int
	log     string // the child's log file; empty for a server in process
	keepLog bool   // keep the log's folder: something went wrong
	halt    func()
	memory  *memorySampler
}

// startServer starts the server to measure, with cfg.Start or as a child
// process, waits until it answers and starts sampling its memory.
func startServer(ctx context.Context, cfg RunConfig) (*serverUnderTest, error) {
	addr, err := freeAddress()
	if err != nil {
		return nil, err
	}
	s := &serverUnderTest{addr: addr}
	start, exited := cfg.Start, (<-chan struct{})(nil)
	var child *childServer
	if start == nil {
		child = &childServer{db: cfg.DB, data: cfg.Data, exited: make(chan struct{})}
		start, exited = child.start, child.exited
	}
	halt, pid, err := start(ctx, addr)
	if child != nil {
		s.log = child.log
	}
	if err != nil {
		return nil, err
	}
	s.halt, s.pid = halt, pid
	if err := waitUntilServing(ctx, "http://"+addr, exited); err != nil {
		s.keepLog = ctx.Err() == nil
		s.stop()
		if s.log != "" && s.keepLog {
			return nil, fmt.Errorf("%w; its log %s ends with: %s", err, s.log, lastLine(s.log))
		}
		return nil, err
	}
	s.memory = sampleMemory(pid)
	return s, nil
}

// stop stops the server and its memory sampling, and removes the child's
// log unless something went wrong.
func (s *serverUnderTest) stop() {
	if s.halt == nil {
		return
	}
	s.memory.stop()
	s.halt()
	s.halt = nil
	if s.log != "" && !s.keepLog {
		os.RemoveAll(filepath.Dir(s.log))
	}
}

// describe says how the server was started.
func (s *serverUnderTest) describe() ServerInfo {
	info := ServerInfo{URL: "http://" + s.addr, PID: s.pid}
	if s.pid == 0 {
		info.Memory = "not measured: the server runs in the harness's process"
	}
	return info
}

// finish records the server's peak memory in info.
func (s *serverUnderTest) finish(info *ServerInfo) {
	if s.memory == nil || s.pid == 0 {
		return
	}
	f, ok := s.memory.figures()
	if !ok {
		info.Memory = "not measured: /proc/" + strconv.Itoa(s.pid) + "/status cannot be read"
		return
	}
	mb := func(kb int64) float64 { return float64(kb) / 1024 }
	info.IdleRSSMB, info.StartRSSMB, info.PeakRSSMB, info.HighWaterMB = mb(f.idle), mb(f.start), mb(f.peak), mb(f.highWater)
}

// waitUntilServing polls GET /login until it answers 200, the child exits
// or a minute passes.
func waitUntilServing(ctx context.Context, base string, exited <-chan struct{}) error {
	client := &http.Client{Timeout: 2 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(time.Minute)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
		res, err := client.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /login answered %d", res.StatusCode)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return errors.New("bench: the server stopped before it answered")
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: the server did not answer within a minute: %v", err)
		}
	}
}

// childServer runs "approdo serve" as a child process of the harness.
type childServer struct {
	db, data string
	log      string        // the log file, once start made it
	exited   chan struct{} // closed when the process has ended
}

// start starts the running executable as "serve --db DB --data DATA --addr
// ADDR --bench-endpoints", its output going to a log file in a new
// temporary folder.
func (c *childServer) start(ctx context.Context, addr string) (func(), int, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, 0, fmt.Errorf("bench: cannot find the approdo executable: %w", err)
	}
	dir, err := os.MkdirTemp("", "approdo-bench-")
	if err != nil {
		return nil, 0, fmt.Errorf("bench: cannot create a folder for the server's log: %w", err)
	}
	c.log = filepath.Join(dir, "server.log")
	out, err := os.Create(c.log)
	if err != nil {
		return nil, 0, fmt.Errorf("bench: cannot create the server's log: %w", err)
	}
	cmd := exec.Command(exe, "serve", "--db", c.db, "--data", c.data, "--addr", addr, "--bench-endpoints")
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childAttributes()
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, 0, fmt.Errorf("bench: cannot start the server: %w (log %s)", err, c.log)
	}
	go func() {
		cmd.Wait()
		out.Close()
		close(c.exited)
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-c.exited:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-c.exited
			}
		})
	}
	go func() {
		select {
		case <-ctx.Done():
			stop()
		case <-c.exited:
		}
	}()
	return stop, cmd.Process.Pid, nil
}

// lastLine returns the last line of the file at path, for messages; the
// server's log holds no personal data.
func lastLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return string(lines[len(lines)-1])
}

// memorySampler reads a process's resident memory from /proc every 100 ms
// and keeps the largest value seen since the last reset.
type memorySampler struct {
	pid   int
	mu    sync.Mutex
	idle  int64 // kB, when sampling began: the server started, no one signed in
	start int64 // kB, at the last reset
	peak  int64 // kB, since the last reset
	ok    bool
	done  chan struct{}
	wg    sync.WaitGroup
}

// sampleMemory starts sampling the memory of process pid; pid 0 samples
// nothing.
func sampleMemory(pid int) *memorySampler {
	m := &memorySampler{pid: pid, done: make(chan struct{})}
	if pid == 0 {
		return m
	}
	m.sample()
	m.idle = m.peak
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-m.done:
				return
			case <-t.C:
			}
			m.sample()
		}
	}()
	return m
}

// sample reads VmRSS once.
func (m *memorySampler) sample() {
	rss, ok := procStatus(m.pid, "VmRSS")
	if !ok {
		return
	}
	m.mu.Lock()
	m.ok = true
	m.peak = max(m.peak, rss)
	m.mu.Unlock()
}

// reset starts the peak again from the memory now, so that the peak covers
// the measured phases only, not the sign-ins or the warm-up.
func (m *memorySampler) reset() {
	if m == nil || m.pid == 0 {
		return
	}
	rss, ok := procStatus(m.pid, "VmRSS")
	m.mu.Lock()
	m.start, m.peak = rss, rss
	m.ok = m.ok && ok
	m.mu.Unlock()
}

// memoryFigures are a server's resident memory at the moments the report
// shows, in kB.
type memoryFigures struct {
	idle, start, peak, highWater int64
}

// figures returns the memory when sampling began, at the last reset, its
// peak since, and the process's high-water mark over its whole life, with
// whether they could all be read. Call it before the process stops.
func (m *memorySampler) figures() (memoryFigures, bool) {
	m.sample()
	hwm, ok := procStatus(m.pid, "VmHWM")
	m.mu.Lock()
	defer m.mu.Unlock()
	return memoryFigures{idle: m.idle, start: m.start, peak: m.peak, highWater: hwm}, m.ok && ok
}

// stop ends the sampling.
func (m *memorySampler) stop() {
	if m == nil {
		return
	}
	select {
	case <-m.done:
	default:
		close(m.done)
	}
	m.wg.Wait()
}

// procStatus reads a field in kB ("VmRSS", "VmHWM") of /proc/PID/status.
func procStatus(pid int, field string) (int64, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), field+":")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return 0, false
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		return n, err == nil
	}
	return 0, false
}
