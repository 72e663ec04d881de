package server

import (
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"time"

	"approdo"
	"approdo/internal/i18n"
	"approdo/internal/respond"
	"approdo/internal/store"
)

// BareRoute is the pattern of the load harness's bare handler, registered
// when Config.BenchEndpoints is set.
const BareRoute = "GET /bench/bare/{id}"

// bareCaseJSON is the row the bare handler returns.
type bareCaseJSON struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Kind      string    `json:"kind"`
	Stage     string    `json:"stage"`
	Risk      string    `json:"risk"`
	OpenedAt  time.Time `json:"opened_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// registerBench adds the bare handler to the mux, so that it passes through
// the same middleware as every route (request ids, logs, metrics, security
// headers, body limits) but, asked without cookies, through no session; it
// asks no policy and writes no audit entry. It is the floor the load
// harness compares every operation with: the cost of the HTTP stack and of
// one read by primary key.
func (s *Server) registerBench(cat *i18n.Catalogue) {
	s.mux.HandleFunc(BareRoute, func(w http.ResponseWriter, r *http.Request) {
		notFound := func() {
			respond.JSONError(w, r, cat, i18n.LangFrom(r.Context()), approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			notFound()
			return
		}
		var c bareCaseJSON
		err = s.db.Read(r.Context(), func(tx *store.Tx) error {
			return tx.QueryRow(r.Context(), `SELECT id, code, kind, stage, risk, opened_at, updated_at FROM cases WHERE id = ?`, id).
				Scan(&c.ID, &c.Code, &c.Kind, &c.Stage, &c.Risk, &c.OpenedAt, &c.UpdatedAt)
		})
		switch {
		case errors.Is(err, sql.ErrNoRows):
			notFound()
		case err != nil:
			respond.JSONError(w, r, cat, i18n.LangFrom(r.Context()), err)
		default:
			respond.JSON(w, http.StatusOK, c)
		}
	})
}
