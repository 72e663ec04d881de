// Package server assembles Approdo's HTTP server: the web UI and the JSON API
// on one mux, the health, readiness and metrics endpoints, and the middleware
// every request passes through (request ids, logs without personal data,
// metrics, security headers, body limits, sessions, language and protection
// against cross-site request forgery).
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"approdo"
	"approdo/cases"
	"approdo/internal/admin"
	"approdo/internal/api"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/i18n"
	"approdo/internal/jobs"
	"approdo/internal/notify"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/internal/web"
)

// Config holds the settings of a server.
type Config struct {
	// TrustProxy makes the server believe X-Forwarded-Proto and
	// X-Forwarded-For from a reverse proxy that terminates TLS.
	TrustProxy bool
	// Demo marks every page as a demonstration with synthetic data.
	Demo bool
	// MaxBodyBytes limits request bodies; 0 means 1 MiB.
	MaxBodyBytes int64
	// MaxUploadBytes limits the bodies of the routes that take a file (see
	// web.UploadRoutes and api.UploadRoutes); 0 means the largest
	// attachment plus MaxBodyBytes for the rest of its form.
	MaxUploadBytes int64
	// Logger receives request logs; nil means slog.Default().
	Logger *slog.Logger
	// DataDir is the folder of keys, files and the audit anchor; empty
	// means no anchor is kept.
	DataDir string
	// Vault seals sensitive fields and attachments.
	Vault *vault.Vault

	// SecondFactorOptional relaxes the rule that users whose roles ask for
	// a second factor must set one up before they reach anything else;
	// every page then says so. The demo sets it.
	SecondFactorOptional bool
	// Throttle limits failed sign-ins; the zero value means
	// auth.DefaultThrottle.
	Throttle auth.Throttle
	// Now returns the current time for sessions, sign-in locks and second
	// factors; nil means time.Now. Tests move it.
	Now func() time.Time
	// Mail delivers notifications by e-mail; nil means no mail server, and
	// e-mail jobs end as skipped.
	Mail notify.Sender
	// BaseURL is Approdo's public address, for the links in e-mails.
	BaseURL string
	// BenchEndpoints adds GET /bench/bare/{id}, which reads one row of
	// cases with no session, no policy and no audit, so that the load
	// harness (approdo bench run) can measure the HTTP stack and the
	// database alone. New refuses it unless the database holds a region
	// that approdo bench generate wrote (store.IsBenchRegion), so that it
	// never opens real data.
	BenchEndpoints bool
}

// Server is Approdo's HTTP server.
type Server struct {
	cfg      Config
	db       *store.DB
	mux      *http.ServeMux
	handler  http.Handler
	log      *slog.Logger
	metrics  *metrics
	sessions *auth.Sessions
	tokens   *auth.Tokens
	cases    *casework.Service
	routes   []auth.Route
	jobs     *jobs.Runner
	// uploads are the patterns of the routes that take a file.
	uploads map[string]bool
}

// Routes returns every route of the UI and the API with its gate, so that
// tests can walk them all.
func (s *Server) Routes() []auth.Route { return s.routes }

// New builds a server over an open, migrated database.
func New(cfg Config, db *store.DB) (*Server, error) {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = cases.MaxAttachmentSize + cfg.MaxBodyBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	sessions := auth.NewSessions(db, auth.NewRoleBook(db))
	sessions.Vault, sessions.SecondFactorOptional = cfg.Vault, cfg.SecondFactorOptional
	if cfg.Throttle != (auth.Throttle{}) {
		sessions.Throttle = cfg.Throttle
	}
	if cfg.Now != nil {
		sessions.Now = cfg.Now
	}
	tokens := auth.NewTokens(sessions)
	s := &Server{cfg: cfg, db: db, mux: http.NewServeMux(), log: cfg.Logger, sessions: sessions, tokens: tokens}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.metrics = newMetrics(reg)

	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	if cfg.Vault == nil {
		return nil, errors.New("server: no vault to seal sensitive data with")
	}
	caseFiles := casework.New(db, cfg.Vault)
	s.cases = caseFiles
	network := admin.New(db, sessions.Roles)
	network.Now = sessions.Now
	ui, err := web.New(web.Deps{DB: db, Sessions: sessions, Tokens: tokens, Catalogue: cat, Demo: cfg.Demo, Secure: s.secure,
		Cases: caseFiles, Admin: network})
	if err != nil {
		return nil, err
	}
	ui.Register(s.mux)
	jsonAPI := api.New(api.Deps{DB: db, Tokens: tokens, Catalogue: cat, Cases: caseFiles, Sessions: sessions, Secure: s.secure,
		Admin: network})
	jsonAPI.Register(s.mux)
	s.routes = append(append(s.routes, ui.Routes()...), jsonAPI.Routes()...)
	s.uploads = map[string]bool{}
	for _, p := range append(web.UploadRoutes(), api.UploadRoutes()...) {
		s.uploads[p] = true
	}

	if cfg.BenchEndpoints {
		generated, err := store.IsBenchRegion(context.Background(), db)
		if err != nil {
			return nil, err
		}
		if !generated {
			return nil, approdo.Errorf(approdo.EINVALID, "error.bench.not_a_region", db.Where())
		}
		s.registerBench(cat)
	}

	s.jobs = newJobRunner(cfg, db, cat)
	s.handler = s.chain(s.mux, sessions, cat)
	return s, nil
}

// Handler returns the server's root handler with every middleware applied.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve accepts connections on ln until ctx is cancelled, then stops taking
// new requests and waits up to 20 seconds for those under way.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	maintained := make(chan struct{})
	go func() {
		defer close(maintained)
		s.maintain(ctx)
	}()
	defer func() { <-maintained }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

// maintenanceEvery is how often a server refreshes its keys, anchors the
// audit log, removes expired sessions and expires unanswered referrals.
const maintenanceEvery = time.Minute

// maintain does the server's periodic chores until ctx ends, then anchors
// the audit log one last time.
func (s *Server) maintain(ctx context.Context) {
	t := time.NewTicker(maintenanceEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.anchor(context.WithoutCancel(ctx))
			return
		case <-t.C:
		}
		s.RunChores(ctx, time.Now())
	}
}

// RunChores does one round of the server's periodic chores as at now:
// refresh the data keys, anchor the audit log, remove expired sessions and
// expire the referrals left unanswered, enqueue task reminders and run the
// due durable jobs (e-mails, reminders). Each chore is safe to run from
// several servers at once. Failures are logged.
func (s *Server) RunChores(ctx context.Context, now time.Time) {
	if s.cfg.Vault != nil {
		if err := s.cfg.Vault.Refresh(ctx); err != nil {
			s.log.Error("unable to refresh data keys", "err", err)
		}
	}
	s.anchor(ctx)
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := store.DeleteExpiredSessions(ctx, tx, now.UTC())
		return err
	})
	if err != nil && ctx.Err() == nil {
		s.log.Error("unable to remove expired sessions", "err", err)
	}
	if _, err := s.cases.ExpireReferrals(ctx, now); err != nil && ctx.Err() == nil {
		s.log.Error("unable to expire unanswered referrals", "err", err)
	}
	s.runJobs(ctx, now)
}

// anchor copies the audit log's head into the data folder.
func (s *Server) anchor(ctx context.Context) {
	if s.cfg.DataDir == "" {
		return
	}
	if _, err := audit.WriteAnchor(ctx, s.db, s.cfg.DataDir); err != nil {
		s.log.Error("unable to anchor the audit log", "err", err)
	}
}

// healthz answers 200 while the process is up.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when the database answers, and 503 otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}

// secure reports whether the request reached Approdo over TLS, directly or
// through a trusted proxy.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.cfg.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}
