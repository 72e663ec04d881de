package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"approdo"
	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/internal/respond"
)

// page is what every template receives.
type page struct {
	Lang      string
	Languages []string
	Title     string // catalogue key of the page title
	Path      string // the request's path and query, to come back to
	Actor     *auth.Actor
	CSRF      string
	Demo      bool
	Nav       []navItem
	Data      any

	// SecondFactorOptional says that the server does not make anyone set up
	// a second factor, which every page then shows.
	SecondFactorOptional bool
}

// navItem is one entry of the main navigation.
type navItem struct {
	Label  string // catalogue key
	Href   string
	Active bool
}

// navigation lists the entries of the main navigation, in order, each shown
// only to actors its gate admits.
var navigation = []struct {
	label string
	href  string
	gate  auth.Gate
}{
	{"nav.home", "/", auth.SignedIn},
	{"nav.cases", "/cases", auth.Need(access.List, access.Cases).Or(auth.Need(access.List, access.CaseSummaries))},
	{"nav.tasks", "/tasks", auth.Need(access.List, access.Cases)},
	{"nav.mediation", "/mediation/requests", auth.Need(access.Manage, access.MediationBookings)},
	{"nav.my_bookings", "/mediation/mine", auth.Need(access.Update, access.MediationBookings)},
	{"nav.meetings", "/meetings", auth.Need(access.List, access.Meetings)},
	{"nav.projects", "/projects/awaiting", auth.Need(access.Approve, access.Projects)},
	{"nav.referrals", "/referrals", auth.Need(access.Read, access.Referrals)},
	{"nav.services", "/services", auth.Need(access.Read, access.Services)},
	{"nav.reports", "/reports", auth.Need(access.List, access.Reports)},
	{"nav.search", "/search", auth.Need(access.List, access.Cases).Or(auth.Need(access.List, access.CaseSummaries))},
	{"nav.organisations", "/network/organisations", auth.Need(access.Read, access.Directory)},
	{"nav.programmes", "/network/programmes", auth.Need(access.Read, access.Directory)},
	{"nav.mediators", "/mediators", auth.Need(access.Manage, access.Mediators)},
	{"nav.admin", "/admin", adminGate},
}

// newPage returns the page data common to every template.
func (h *Handler) newPage(r *http.Request, title string, data any) *page {
	p := &page{
		Lang:      lang(r.Context()),
		Languages: i18n.Languages,
		Title:     title,
		Path:      r.URL.RequestURI(),
		Actor:     auth.ActorFrom(r.Context()),
		CSRF:      auth.CSRFFrom(r.Context()),
		Demo:      h.Demo,
		Data:      data,

		SecondFactorOptional: h.Sessions != nil && h.Sessions.SecondFactorOptional,
	}
	if p.Actor != nil {
		for _, n := range navigation {
			if n.gate.Admits(p.Actor) {
				active := r.URL.Path == n.href || n.href != "/" && strings.HasPrefix(r.URL.Path, n.href+"/")
				p.Nav = append(p.Nav, navItem{Label: n.label, Href: n.href, Active: active})
			}
		}
	}
	return p
}

// render executes the named page template with status and writes it. The
// page is rendered into a buffer first so that a template error becomes a
// clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	h.renderTemplate(w, r, status, name, "layout", p)
}

// renderSection renders a section of a page, such as a case's persons or
// notes: only the section's own template ("section") when htmx asks for it
// to place it in the page, and the whole page around it otherwise, so that
// the same URL works without JavaScript.
func (h *Handler) renderSection(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("Vary", "HX-Request")
		h.renderTemplate(w, r, status, name, "section", p)
		return
	}
	h.renderTemplate(w, r, status, name, "layout", p)
}

// renderTemplate executes the template root of the named page.
func (h *Handler) renderTemplate(w http.ResponseWriter, r *http.Request, status int, name, root string, p *page) {
	t, ok := h.pages[p.Lang][name]
	if !ok {
		t = h.pages[i18n.Default][name]
	}
	var buf bytes.Buffer
	if t == nil {
		slog.Error("web: no such template", "template", name)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, root, p); err != nil {
		slog.Error("web: unable to render template", "template", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Heading string // catalogue key
	Message string // already translated
	// Problems name the fields of a request that could not be read,
	// already translated.
	Problems []string
}

// fail shows err to the user: a sign-in redirect when nobody is signed in,
// otherwise the error page with the status of the error's code. Internal
// errors are logged and shown only as "Internal error".
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := approdo.ErrorCode(err)
	if code == approdo.EUNAUTHORIZED && auth.ActorFrom(r.Context()) == nil {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if code == approdo.EINTERNAL {
		slog.Error("internal error", "route", r.Pattern, "err", err)
	}
	status := respond.Status(code)
	key, args := approdo.ErrorMessage(err)
	l := lang(r.Context())
	data := errorData{Status: status, Heading: "error.heading." + code, Message: h.Catalogue.T(l, key, args...)}
	for _, f := range approdo.ErrorFields(err) {
		data.Problems = append(data.Problems, respond.FieldMessage(h.Catalogue, l, f))
	}
	h.render(w, r, status, "error", h.newPage(r, "error.heading."+code, data))
}

// refuse answers a request the policy refuses: a sign-in redirect when
// nobody is signed in, and otherwise not found, so that the existence of
// what was asked for does not leak.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request) {
	if auth.ActorFrom(r.Context()) == nil {
		h.fail(w, r, approdo.Errorf(approdo.EUNAUTHORIZED, "error.signin_required"))
		return
	}
	h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
}

// notFound answers every path no route matches.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
}
