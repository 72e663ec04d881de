// Package api is Approdo's JSON API under /api/v1. It serves the same domain
// services as the web UI, under the same policy. Every route is registered in
// routes.go through API.handle, which records it with its gate, and is
// described in the OpenAPI 3.1 document served at /api/v1/openapi.json; a
// test checks that the two agree. The document is assembled at start from
// openapi/base.json and one fragment per part of the API (its "paths" and
// "components"), so that each part documents itself beside the others.
package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strconv"
	"sync"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/i18n"
	"approdo/internal/respond"
	"approdo/internal/store"
)

//go:embed openapi
var openAPIFiles embed.FS

// openAPIDocument is the assembled document, built once.
var openAPIDocument = sync.OnceValues(assembleOpenAPI)

// OpenAPIDocument returns the OpenAPI 3.1 document of the API.
func OpenAPIDocument() []byte {
	doc, err := openAPIDocument()
	if err != nil {
		panic(err) // the embedded fragments are broken; tests catch this first
	}
	return doc
}

// assembleOpenAPI merges the fragments of openapi/ into base.json: their
// paths, and every section of their components. A path or component defined
// twice is an error.
func assembleOpenAPI() ([]byte, error) {
	read := func(name string) (map[string]any, error) {
		b, err := openAPIFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		m := map[string]any{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("api: %s: %w", name, err)
		}
		return m, nil
	}
	doc, err := read("openapi/base.json")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(openAPIFiles, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "openapi/base.json" {
			continue
		}
		part, err := read(name)
		if err != nil {
			return nil, err
		}
		if err := mergeSection(doc, "paths", part["paths"], name); err != nil {
			return nil, err
		}
		comps, _ := part["components"].(map[string]any)
		if doc["components"] == nil {
			doc["components"] = map[string]any{}
		}
		for section, entries := range comps {
			if err := mergeSection(doc["components"].(map[string]any), section, entries, name); err != nil {
				return nil, err
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeSection adds the entries of part to into[section].
func mergeSection(into map[string]any, section string, part any, from string) error {
	entries, _ := part.(map[string]any)
	if len(entries) == 0 {
		return nil
	}
	dst, _ := into[section].(map[string]any)
	if dst == nil {
		dst = map[string]any{}
		into[section] = dst
	}
	for k, v := range entries {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("api: %s defines %s %q a second time", from, section, k)
		}
		dst[k] = v
	}
	return nil
}

// Deps are what the API needs from the rest of Approdo.
type Deps struct {
	DB        *store.DB
	Tokens    *auth.Tokens
	Catalogue *i18n.Catalogue
	Cases     *casework.Service

	// Sessions signs people in and out, changes passwords and sets up
	// second factors.
	Sessions *auth.Sessions
	// Secure reports whether a request arrived over TLS, so that cookies are
	// marked Secure.
	Secure func(*http.Request) bool
	// Admin administers the network's areas, organisations, programmes,
	// users and roles.
	Admin *admin.Service
}

// API serves the JSON API.
type API struct {
	Deps
	routes []auth.Route
}

// New returns the API.
func New(d Deps) *API { return &API{Deps: d} }

// Routes returns every registered API route, such as
// "GET /api/v1/organisations/{id}", with its gate.
func (a *API) Routes() []auth.Route { return a.routes }

// handle registers fn on mux under pattern behind gate: nobody signed in
// gets 401, someone who must set up a second factor first gets 403 saying
// so, and a signed-in actor the gate refuses gets 404, so that what exists
// does not leak.
func (a *API) handle(mux *http.ServeMux, pattern string, gate auth.Gate, fn http.HandlerFunc) {
	a.routes = append(a.routes, auth.Route{Pattern: pattern, Gate: gate})
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if actor := auth.ActorFrom(r.Context()); !gate.Admits(actor) {
			if actor != nil && actor.MustEnrol {
				a.fail(w, r, approdo.Errorf(approdo.EFORBIDDEN, "error.second_factor_enrol_first"))
				return
			}
			if actor != nil && actor.Token != nil && gate.SessionOnly {
				// Saying why is safe: the route exists for everyone.
				a.fail(w, r, approdo.Errorf(approdo.EFORBIDDEN, "error.token_needs_session"))
				return
			}
			a.refuse(w, r, actor)
			return
		}
		fn(w, r)
	})
}

// fail writes err as a JSON error in the request's language.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	respond.JSONError(w, r, a.Catalogue, i18n.LangFrom(r.Context()), err)
}

// refuse answers a request the policy refuses: 401 when nobody is signed
// in, and otherwise 404, so that the existence of what was asked for does
// not leak.
func (a *API) refuse(w http.ResponseWriter, r *http.Request, actor *auth.Actor) {
	if actor == nil {
		a.fail(w, r, approdo.Errorf(approdo.EUNAUTHORIZED, "error.signin_required"))
		return
	}
	a.fail(w, r, errNotFound())
}

// errNotFound is the answer to a record that does not exist or that the
// caller may not reach: the two are never told apart.
func errNotFound() error { return approdo.Errorf(approdo.ENOTFOUND, "error.not_found") }

// pathID returns the positive integer path value "id", or 0, which names no
// record.
func pathID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// decodeFor reads the body of a request on an existing record. The record's
// id must name one: a malformed id is 404 before the body is read, so that
// authorisation comes before validation.
func (a *API) decodeFor(r *http.Request, v any) error {
	if pathID(r) == 0 {
		return errNotFound()
	}
	return decodeJSON(r, v)
}

// serveOpenAPI serves the OpenAPI document.
func (a *API) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(OpenAPIDocument())
}

// notFound answers every /api/ path no route matches.
func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	a.fail(w, r, errNotFound())
}
