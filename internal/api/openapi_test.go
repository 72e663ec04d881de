package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"approdo/internal/api"
	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

// document is the parts of the OpenAPI document the tests read.
type document struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

func loadDocument(t *testing.T) (document, any) {
	t.Helper()
	var doc document
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPIDocument()))
	if err != nil {
		t.Fatal(err)
	}
	return doc, raw
}

// TestOpenAPIDocumentIsValid validates the document against the OpenAPI 3.1
// meta-schema and compiles every schema it defines.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	_, raw := loadDocument(t)
	meta, err := os.Open("testdata/openapi-3.1-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer meta.Close()
	metaDoc, err := jsonschema.UnmarshalJSON(meta)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("https://spec.openapis.org/oas/3.1/schema/2021-04-15", metaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("https://spec.openapis.org/oas/3.1/schema/2021-04-15")
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(raw); err != nil {
		t.Fatalf("openapi.json breaks the OpenAPI 3.1 schema: %v", err)
	}
	schemas := raw.(map[string]any)["components"].(map[string]any)["schemas"].(map[string]any)
	for name := range schemas {
		if _, err := responseSchema(t, raw, "#/components/schemas/"+name); err != nil {
			t.Errorf("schema %s does not compile: %v", name, err)
		}
	}
}

var pathParam = regexp.MustCompile(`\{[a-z_]+\}`)

// TestOpenAPIListsEveryRoute checks that every registered API route is
// documented and that the document describes no route that does not exist.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	doc, _ := loadDocument(t)
	a := api.New(api.Deps{})
	a.Register(http.NewServeMux())
	var registered, documented []string
	for _, r := range a.Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		registered = append(registered, strings.ToLower(method)+" "+path)
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(registered)
	sort.Strings(documented)
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("openapi.json documents %s, which is not a route", d)
		}
	}
	if len(registered) < 5 {
		t.Fatalf("only %d routes registered", len(registered))
	}
}

// responseSchema compiles the schema at pointer in the document.
func responseSchema(t *testing.T, raw any, pointer string) (*jsonschema.Schema, error) {
	t.Helper()
	c := jsonschema.NewCompiler()
	if err := c.AddResource("approdo-openapi.json", raw); err != nil {
		return nil, err
	}
	return c.Compile("approdo-openapi.json" + pointer)
}

// TestResponsesMatchTheirSchemas calls every documented GET route with no
// path parameters, and the ones with, as an administrator on both databases,
// and validates each 200 body against the documented schema.
func TestResponsesMatchTheirSchemas(t *testing.T) {
	doc, raw := loadDocument(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ts := startServer(t, db)
		// Each route is called by the first of these demo users who may use
		// it: the administrator for the network, the social worker for cases,
		// the lead entity's coordinator for the projects it approves.
		clients := []*http.Client{signIn(t, ts.URL, "admin"), signIn(t, ts.URL, "assistente.sociale"), signIn(t, ts.URL, "capofila")}
		checked := 0
		for path, ops := range doc.Paths {
			if _, ok := ops["get"]; !ok {
				continue
			}
			concrete := pathParam.ReplaceAllString(path, "1")
			// A project prints only once approved: its documents are asked
			// of a case whose project is.
			if strings.HasSuffix(path, "/project/document") || strings.HasSuffix(path, "/project/summary") {
				concrete = strings.Replace(path, "{id}", approvedProjectCase(t, db), 1)
			}
			var res *http.Response
			var body []byte
			var err error
			for _, c := range clients {
				res, err = c.Get(ts.URL + concrete)
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode == 200 {
					break
				}
			}
			if res.StatusCode != 200 {
				t.Errorf("GET %s: %d %s", concrete, res.StatusCode, body)
				continue
			}
			// A download (an attachment) documents no JSON body to match.
			var op struct {
				Responses map[string]struct{ Content map[string]json.RawMessage }
			}
			if err := json.Unmarshal(ops["get"], &op); err != nil {
				t.Fatal(err)
			}
			if _, ok := op.Responses["200"].Content["application/json"]; !ok {
				if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
					t.Errorf("GET %s answers JSON, but its document says it does not", concrete)
				}
				continue
			}
			pointer := "#/paths/" + strings.ReplaceAll(strings.ReplaceAll(path, "~", "~0"), "/", "~1") +
				"/get/responses/200/content/application~1json/schema"
			sch, err := responseSchema(t, raw, pointer)
			if err != nil {
				t.Fatalf("schema of GET %s: %v", path, err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("GET %s: body is not JSON: %v", concrete, err)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("GET %s does not match its schema: %v", concrete, err)
			}
			checked++
		}
		if checked < 6 {
			t.Fatalf("checked only %d routes", checked)
		}
		// Errors match the Error schema too.
		res, err := http.Get(ts.URL + "/api/v1/me")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		sch, err := responseSchema(t, raw, "#/components/schemas/Error")
		if err != nil {
			t.Fatal(err)
		}
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err := sch.Validate(v); err != nil {
			t.Errorf("a 401 does not match the Error schema: %v", err)
		}
	})
}

// signIn returns an HTTP client signed in as a demo user.
func signIn(t *testing.T, base, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	csrf := csrfToken(t, c, base, "/login")
	res, err := c.PostForm(base+"/login", url.Values{"csrf_token": {csrf}, "username": {username}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/" {
		t.Fatalf("sign-in as %s ended on %s", username, res.Request.URL.Path)
	}
	return c
}

// approvedProjectCase returns the id of a demo case whose project has an
// approved version.
func approvedProjectCase(t *testing.T, db *store.DB) string {
	t.Helper()
	var id int64
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT COALESCE(MIN(case_id), 0) FROM projects WHERE number > 0`).Scan(&id)
	})
	if err != nil || id == 0 {
		t.Fatalf("no demo case has an approved project: %v", err)
	}
	return strconv.FormatInt(id, 10)
}
