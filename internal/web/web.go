// Package web is Approdo's server-rendered user interface: Bootstrap Italia
// pages made from embedded templates, parsed once per language at start, and
// progressively enhanced with htmx. Every route is listed in routes.go and
// each user action has its own file.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/documents"
	"approdo/internal/i18n"
	"approdo/internal/store"
)

//go:embed templates static
var assets embed.FS

// Cookie names.
const (
	SessionCookie  = "approdo_session"
	CSRFCookie     = "approdo_csrf"
	LanguageCookie = "approdo_lang"
)

// Deps are what the UI needs from the rest of Approdo.
type Deps struct {
	DB        *store.DB
	Sessions  *auth.Sessions
	Tokens    *auth.Tokens
	Catalogue *i18n.Catalogue
	// Demo marks every page as a demonstration with synthetic data.
	Demo bool
	// Secure reports whether a request arrived over TLS, so that cookies are
	// marked Secure.
	Secure func(*http.Request) bool
	// Cases opens, lists and works on case files.
	Cases *casework.Service
	// Admin administers the network's areas, organisations, programmes,
	// users and roles.
	Admin *admin.Service
}

// Handler serves the UI.
type Handler struct {
	Deps
	pages  map[string]map[string]*template.Template // language -> page -> template
	static http.Handler
	routes []auth.Route
	// sections are the sections of a case file, in page order.
	sections []caseSection
}

// New parses every template in every language and returns the UI handler.
func New(d Deps) (*Handler, error) {
	if d.Secure == nil {
		d.Secure = func(r *http.Request) bool { return r.TLS != nil }
	}
	h := &Handler{Deps: d, pages: map[string]map[string]*template.Template{}}
	pageFiles, err := fs.Glob(assets, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, lang := range i18n.Languages {
		base, err := template.New("").Funcs(h.funcs(lang)).ParseFS(assets, "templates/layout/*.html")
		if err != nil {
			return nil, fmt.Errorf("web: unable to parse the layout: %w", err)
		}
		h.pages[lang] = map[string]*template.Template{}
		for _, f := range pageFiles {
			t, err := template.Must(base.Clone()).ParseFS(assets, f)
			if err != nil {
				return nil, fmt.Errorf("web: unable to parse %s: %w", f, err)
			}
			name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/pages/"), ".html")
			h.pages[lang][name] = t
		}
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	h.static = http.StripPrefix("/static/", staticCache(http.FileServerFS(static)))
	return h, nil
}

// funcs returns the template functions bound to one language.
func (h *Handler) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":       func(key string, args ...any) string { return h.Catalogue.T(lang, key, args...) },
		"date":    func(t time.Time) string { return formatDate(t, lang) },
		"isoDate": func(t time.Time) string { return t.Format("2006-01-02") },
		// euro writes an amount in cents as the language writes euro.
		"euro": func(cents int64) string { return formatEuro(cents, lang) },
		// canManageTokens tells the header whether to link the API tokens page.
		"canManageTokens": func(a *auth.Actor) bool { return auth.Can(a, access.Manage, access.Tokens) },
		"datetime": func(t time.Time) string {
			local := t.In(approdo.Rome)
			if lang == "en" {
				return local.Format("2 Jan 2006 15:04")
			}
			return local.Format("02/01/2006 15:04")
		},
		// timeLeft says how long until a due date, or how late it is.
		"timeLeft": func(due time.Time) string { return h.timeLeft(lang, due) },
		// languageName names a language code in the page's language.
		"languageName": func(code string) string { return languageName(code, lang) },
		// summaryLanguages lists the languages of the person's summary.
		"summaryLanguages": func() []string { return documents.SummaryLanguages },
		"inc":              func(i int) int { return i + 1 },
		"dec":              func(i int) int { return i - 1 },
		"eventText":        func(e casework.TimelineEntry) string { return h.eventText(lang, e.Event) },
		"canBreakGlass":    func(a *auth.Actor) bool { return auth.Can(a, access.BreakGlass, access.Cases) },
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
}

// formatDate writes a day as lang writes it: "02/01/2006" in Italian,
// "2 Jan 2006" in English; nothing for the zero time.
func formatDate(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// eventText writes a timeline event in lang: the catalogue's "event.KIND"
// with the event's details translated where they are codes.
func (h *Handler) eventText(lang string, e cases.Event) string {
	if s, ok := h.workflowEventText(lang, e); ok {
		return s
	}
	d := e.Detail
	switch e.Kind {
	case cases.Opened:
		return h.Catalogue.T(lang, "event.opened", h.Catalogue.T(lang, "case_kind."+d["kind"]))
	case cases.StageChanged:
		return h.Catalogue.T(lang, "event.stage_changed", h.Catalogue.T(lang, "stage."+d["from"]), h.Catalogue.T(lang, "stage."+d["to"]))
	case cases.RiskChanged:
		return h.Catalogue.T(lang, "event.risk_changed", h.Catalogue.T(lang, "risk."+d["from"]), h.Catalogue.T(lang, "risk."+d["to"]))
	case cases.AssessmentUpdated:
		return h.Catalogue.T(lang, "event.assessment_updated", h.Catalogue.T(lang, "assessment.section."+d["section"]))
	case casework.ClockEventRecorded:
		return h.Catalogue.T(lang, "event.clock_event", h.Catalogue.T(lang, "deadline_event."+d["event"]))
	}
	return h.Catalogue.T(lang, "event."+string(e.Kind))
}

// timeLeft says in lang how long until due, at the service's now: in
// days, or in hours under two days; or how late it is.
func (h *Handler) timeLeft(lang string, due time.Time) string {
	d := due.Sub(h.Cases.Now())
	key := "tasks.left"
	if d < 0 {
		key, d = "tasks.late", -d
	}
	if d < 48*time.Hour {
		return h.Catalogue.T(lang, key+"_hours", int(d.Hours()))
	}
	return h.Catalogue.T(lang, key+"_days", int(d.Hours()/24))
}

// staticCache lets browsers keep static assets for a day.
func staticCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		next.ServeHTTP(w, r)
	})
}

// NewCookie returns an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure when the request came over TLS. A zero maxAge makes a browser-session
// cookie.
func NewCookie(name, value string, maxAge time.Duration, secure bool) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
}

// ExpiredCookie returns a cookie that makes the browser forget name.
func ExpiredCookie(name string, secure bool) *http.Cookie {
	return &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode}
}

// localPath returns next when it is a path on this site, and "/" otherwise,
// so that a crafted link cannot send a user elsewhere after sign-in.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func lang(ctx context.Context) string { return i18n.LangFrom(ctx) }
