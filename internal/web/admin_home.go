package web

import (
	"context"
	"net/http"

	"approdo"
	"approdo/access"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/store"
)

// adminSections are the parts of the administration, each shown to actors
// its gate admits, with how many records the actor may manage there.
var adminSections = []struct {
	key   string // catalogue prefix of the section's title and description
	href  string
	gate  auth.Gate
	count func(context.Context, *admin.Service, *auth.Actor) (int, error)
}{
	{"admin.areas", "/admin/areas", auth.Need(access.Update, access.Areas),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (int, error) {
			return counted(s.Areas(ctx, a))
		}},
	{"admin.organisations", "/admin/organisations", auth.Need(access.Update, access.Organisations),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (int, error) {
			return counted(s.Organisations(ctx, a))
		}},
	{"admin.programmes", "/admin/programmes", auth.Need(access.Update, access.Programmes),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (int, error) {
			return counted(s.Programmes(ctx, a))
		}},
	{"admin.users", "/admin/users", auth.Need(access.List, access.Users),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (int, error) {
			return counted(s.Users(ctx, a, admin.UserFilter{}))
		}},
	{"admin.roles", "/admin/roles", auth.Need(access.List, access.Roles),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (int, error) {
			return counted(s.Roles(ctx, a))
		}},
	{"indicators", "/admin/indicator-sets", auth.Need(access.Update, access.Indicators),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (n int, err error) {
			err = s.DB.Read(ctx, func(tx *store.Tx) error {
				n, err = store.CountIndicatorSets(ctx, tx)
				return err
			})
			return n, err
		}},
	{"interventions", "/admin/interventions", auth.Need(access.Update, access.Interventions),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (n int, err error) {
			err = s.DB.Read(ctx, func(tx *store.Tx) error {
				list, err := store.ListInterventions(ctx, tx)
				n = len(list)
				return err
			})
			return n, err
		}},
	// The rules live outside the administration, since lead entities adapt
	// them for their programmes; administrators reach them from here too.
	{"deadline_rules", "/deadline-rules", auth.Need(access.Update, access.Roles),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (n int, err error) {
			err = s.DB.Read(ctx, func(tx *store.Tx) error {
				list, err := store.ListDeadlineRules(ctx, tx)
				n = len(list)
				return err
			})
			return n, err
		}},
	{"mail.jobs", "/admin/jobs", auth.Need(access.Update, access.Roles),
		func(ctx context.Context, s *admin.Service, a *auth.Actor) (n int, err error) {
			err = s.DB.Read(ctx, func(tx *store.Tx) error {
				list, err := store.ListJobs(ctx, tx, store.JobFailed, 200)
				n = len(list)
				return err
			})
			return n, err
		}},
}

// counted returns the length of a list the administration service returned,
// with its error.
func counted[T any](list []T, err error) (int, error) { return len(list), err }

// adminGate admits whoever may reach some part of the administration.
var adminGate = func() auth.Gate {
	g := adminSections[0].gate
	for _, s := range adminSections[1:] {
		g = g.Or(s.gate)
	}
	return g
}()

// adminSection is one card of the administration's home.
type adminSection struct {
	Key   string
	Href  string
	Count int
}

// showAdmin shows the parts of the administration the actor may reach, with
// how many records the actor may manage in each: the same records as the
// section's list.
func (h *Handler) showAdmin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	var sections []adminSection
	for _, s := range adminSections {
		if !s.gate.Admits(a) {
			continue
		}
		n, err := s.count(ctx, h.Admin, a)
		// A gate wider than the service's rule (a grant within a scope that
		// reaches no record) is a section with nothing in it.
		if err != nil && approdo.ErrorCode(err) != approdo.ENOTFOUND {
			h.fail(w, r, err)
			return
		}
		sections = append(sections, adminSection{Key: s.key, Href: s.href, Count: n})
	}
	h.render(w, r, http.StatusOK, "admin", h.newPage(r, "admin.title", sections))
}
