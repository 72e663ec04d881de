package api_test

import (
	"bytes"
	"net/http"
	"regexp"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

// TestTokenResponsesMatchTheirSchemas creates, uses and revokes API tokens
// and validates every answer against the schema the document gives it, with
// a list that holds used and revoked tokens, whose nullable fields a list of
// fresh tokens would not exercise.
func TestTokenResponsesMatchTheirSchemas(t *testing.T) {
	_, raw := loadDocument(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ts := startServer(t, db)
		c := signIn(t, ts.URL, "mediatore")
		csrf := csrfToken(t, c, ts.URL, "/account/tokens")

		call := func(method, path, body string, header map[string]string) (int, []byte) {
			t.Helper()
			return send(t, c, method, ts.URL+path, body, header)
		}
		check := func(what, pointer string, body []byte) {
			t.Helper()
			sch, err := responseSchema(t, raw, pointer)
			if err != nil {
				t.Fatalf("schema of %s: %v", what, err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: not JSON: %s", what, body)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("%s does not match its schema: %v\n%s", what, err, body)
			}
		}
		const tokens, revoke = "#/paths/~1api~1v1~1tokens", "#/paths/~1api~1v1~1tokens~1{id}~1revoke"
		session := map[string]string{"Content-Type": "application/json", "X-CSRF-Token": csrf}

		var values []string
		for _, name := range []string{"Primo", "Secondo"} {
			body := `{"name":"` + name + `","expires_in_days":30}`
			check("the request", "#/components/schemas/TokenRequest", []byte(body))
			status, created := call("POST", "/api/v1/tokens", body, session)
			if status != http.StatusCreated {
				t.Fatalf("create: %d %s", status, created)
			}
			check("POST /api/v1/tokens", tokens+"/post/responses/201/content/application~1json/schema", created)
			values = append(values, regexp.MustCompile(`apd_[a-z2-7]{6}_[a-z2-7]{52}`).FindString(string(created)))
		}
		bearer := map[string]string{"Authorization": "Bearer " + values[0]}
		if status, body := call("GET", "/api/v1/me", "", bearer); status != 200 {
			t.Fatalf("the token: %d %s", status, body)
		}
		status, list := call("GET", "/api/v1/tokens", "", bearer)
		ids := regexp.MustCompile(`"id":(\d+)`).FindAllSubmatch(list, -1)
		if status != 200 || len(ids) != 2 {
			t.Fatalf("list: %d %s", status, list)
		}
		status, revoked := call("POST", "/api/v1/tokens/"+string(ids[0][1])+"/revoke", "", bearer)
		if status != 200 {
			t.Fatalf("revoke: %d %s", status, revoked)
		}
		check("POST /api/v1/tokens/{id}/revoke", revoke+"/post/responses/200/content/application~1json/schema", revoked)
		_, list = call("GET", "/api/v1/tokens", "", bearer)
		if !bytes.Contains(list, []byte(`"state":"revoked"`)) || !regexp.MustCompile(`"last_used_at":"[^"]+"`).Match(list) {
			t.Fatalf("the list lacks a used or a revoked token: %s", list)
		}
		check("GET /api/v1/tokens", tokens+"/get/responses/200/content/application~1json/schema", list)

		// Errors share the Error schema.
		status, body := call("GET", "/api/v1/me", "", map[string]string{"Authorization": "Bearer apd_nope"})
		if status != http.StatusUnauthorized {
			t.Fatalf("a bad token: %d", status)
		}
		check("a refused token", "#/components/schemas/Error", body)
		status, body = call("POST", "/api/v1/tokens", `{"name":""}`, session)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("an invalid request: %d", status)
		}
		check("an invalid request", "#/components/schemas/Error", body)
		status, body = call("POST", "/api/v1/tokens", `{"name":"x","expires_in_days":1}`,
			map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + values[0]})
		if status != http.StatusForbidden {
			t.Fatalf("a token making a token: %d", status)
		}
		check("a token making a token", "#/components/schemas/Error", body)
	})
}
