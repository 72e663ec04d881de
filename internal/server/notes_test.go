package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/store"
	"approdo/refdata"
)

// upload is a file a test sends.
type upload struct {
	field, name, contentType string
	content                  []byte
}

// multipartForm encodes fields and files as a multipart/form-data body.
func multipartForm(t *testing.T, fields url.Values, files ...upload) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, f.field, f.name))
		h.Set("Content-Type", f.contentType)
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(f.content)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, w.FormDataContentType()
}

// postNote submits the note form of a case as a browser without JavaScript
// does, or as htmx does when hx is set.
func (c *client) postNote(caseID int64, fields url.Values, hx bool, files ...upload) response {
	c.e.t.Helper()
	path := "/cases/" + strconv.FormatInt(caseID, 10) + "/notes"
	fields.Set("csrf_token", c.token(path))
	body, ct := multipartForm(c.e.t, fields, files...)
	header := map[string]string{"Content-Type": ct}
	if hx {
		header["HX-Request"] = "true"
		header["X-CSRF-Token"] = fields.Get("csrf_token")
	}
	return c.do("POST", path, body, header)
}

// api calls the JSON API with the session's anti-forgery token.
func (c *client) api(method, path, body string) response {
	c.e.t.Helper()
	header := map[string]string{"X-CSRF-Token": c.token("/")}
	if body != "" {
		header["Content-Type"] = "application/json"
	}
	return c.do(method, path, strings.NewReader(body), header)
}

// noteFields is a valid note form with body.
func noteFields(body string) url.Values {
	return url.Values{"kind": {"note"}, "occurred_at": {time.Now().In(approdo.Rome).Add(-2 * time.Hour).Format("2006-01-02T15:04")},
		"confidentiality": {"team"}, "body": {body}}
}

// noteJSON is a note body for the API.
func noteJSON(fields map[string]any) string {
	b := map[string]any{"kind": "note", "occurred_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
		"confidentiality": "team"}
	for k, v := range fields {
		b[k] = v
	}
	out, _ := json.Marshal(b)
	return string(out)
}

var savedNote = regexp.MustCompile(`#note-([0-9]+)$`)

// noteID reads the id of the note a form post saved from its redirect.
func noteID(t *testing.T, r response) int64 {
	t.Helper()
	m := savedNote.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("saving a note: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// createdID reads the id of what an API call created.
func createdID(t *testing.T, r response) int64 {
	t.Helper()
	var v struct{ ID int64 }
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &v) != nil || v.ID == 0 {
		t.Fatalf("API create: %d %s", r.status, r.body)
	}
	return v.ID
}

func notesPath(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) + "/notes" }

func TestNotesAreWrittenAndReadByTheTeam(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := caseOf(t, db, "SDS-PRATO")
		path := notesPath(prato)
		sw, op := e.client(), e.client()
		sw.login("assistente.sociale")
		op.login("operatore")

		// The section loads on the case page, alone for htmx, as a page
		// otherwise, with the demo's notes.
		if r := sw.get("/cases/" + strconv.FormatInt(prato, 10)); !strings.Contains(r.body, `hx-get="`+path+`"`) {
			t.Fatalf("the case page does not load the notes section")
		}
		r := sw.do("GET", path, nil, map[string]string{"HX-Request": "true"})
		if r.status != 200 || strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Primo colloquio con la docente") {
			t.Fatalf("notes section: %d %s", r.status, r.body)
		}
		if r := sw.get(path); r.status != 200 || !strings.Contains(r.body, "<html") || !strings.Contains(r.body, `name="body"`) {
			t.Fatalf("notes page: %d", r.status)
		}

		// The social worker writes an interview through the form, without
		// JavaScript, with the demo mediator and a language.
		var mediator int64
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT id FROM users WHERE username = 'mediatore'`).Scan(&mediator)
		}); err != nil {
			t.Fatal(err)
		}
		f := noteFields("Colloquio-7d1e: il ragazzo chiede di iscriversi alla scuola di italiano.")
		f.Set("kind", "interview")
		f.Set("mediator_id", strconv.FormatInt(mediator, 10))
		f.Set("language", "TIR")
		f.Set("participants", "Il ragazzo; il tutore")
		id := noteID(t, sw.postNote(prato, f, false))
		r = sw.get(path + "?saved=1")
		tigrinya, _ := refdata.LookupLanguage("ti")
		for _, want := range []string{"Nota salvata.", "Colloquio-7d1e", "Samir Haddad", tigrinya.Name("it"), "Il ragazzo; il tutore"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the notes page lacks %q after saving", want)
			}
		}
		// The language is kept as its canonical code.
		r = sw.get("/api/v1" + path + "/" + strconv.FormatInt(id, 10))
		if r.status != 200 || !strings.Contains(r.body, `"language":"ti"`) || !strings.Contains(r.body, `"kind":"interview"`) ||
			!strings.Contains(r.body, `"mediator_id":`+strconv.FormatInt(mediator, 10)) {
			t.Fatalf("API note: %d %s", r.status, r.body)
		}

		// The educator on the team reads it, and writes one through the API
		// and one through htmx.
		if r := op.get(path); !strings.Contains(r.body, "Colloquio-7d1e") {
			t.Errorf("the educator does not read the team's interview")
		}
		opID := createdID(t, op.api("POST", "/api/v1"+path, noteJSON(map[string]any{"body": "Educatore-55aa: inserimento sereno."})))
		r = op.postNote(prato, noteFields("Educatore-htmx-91: laboratorio di cucina."), true)
		if r.status != 200 || strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Nota salvata.") ||
			!strings.Contains(r.body, "Educatore-htmx-91") {
			t.Fatalf("htmx note: %d %s", r.status, r.body)
		}
		r = sw.get("/api/v1" + path + "?limit=100")
		if r.status != 200 || !strings.Contains(r.body, "Educatore-55aa") || !strings.Contains(r.body, "Educatore-htmx-91") {
			t.Fatalf("the social worker's list: %d", r.status)
		}

		// Every write is audited by field names, every read too, and the
		// timeline says a note was added, by whom.
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND record_type = 'case_note' AND record_id = ?
			AND case_id = ? AND fields = ?`, strconv.FormatInt(id, 10), prato, "kind,occurred_at,confidentiality,body,participants,mediator_id,language"); n != 1 {
			t.Errorf("%d audit entries for the interview", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND record_type = 'case_note' AND record_id = ?`,
			strconv.FormatInt(opID, 10)); n != 1 {
			t.Errorf("%d audit entries for the API note", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND case_id = ? AND fields = 'notes'`, prato); n < 5 {
			t.Errorf("%d reads of the notes audited", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE fields LIKE ?`, "%Colloquio-7d1e%"); n != 0 {
			t.Errorf("the audit log holds a note's text")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = 'note_added' AND ref_id = ?`, prato, id); n != 1 {
			t.Errorf("%d timeline events for the interview", n)
		}
		if r := sw.get("/cases/" + strconv.FormatInt(prato, 10) + "/timeline"); !strings.Contains(r.body, "Nota aggiunta") {
			t.Errorf("the timeline does not show the note")
		}
		if r := sw.get("/cases/" + strconv.FormatInt(prato, 10) + "/access"); !strings.Contains(r.body, "note e colloqui") {
			t.Errorf("the access log does not name the reads of the notes")
		}

		// Who does not read the case reads no note of it.
		for _, who := range []string{"as.cecina", "capofila", "mediatore", "segnalante", "admin"} {
			c := e.client()
			c.login(who)
			for _, p := range []string{path, "/api/v1" + path, "/api/v1" + path + "/" + strconv.FormatInt(id, 10)} {
				if r := c.get(p); r.status != 404 {
					t.Errorf("%s on %s: %d, want 404", who, p, r.status)
				}
			}
		}
	})
}

func TestNoteConfidentiality(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := caseOf(t, db, "SDS-PRATO")
		path := "/api/v1" + notesPath(prato)
		sw, op, hp := e.client(), e.client(), e.client()
		sw.login("assistente.sociale")
		op.login("operatore")
		hp.login("sanitario")

		orgNote := createdID(t, sw.api("POST", path, noteJSON(map[string]any{"confidentiality": "organisation", "body": "Org-only-3c9d"})))
		opRestricted := createdID(t, op.api("POST", path, noteJSON(map[string]any{"confidentiality": "restricted", "body": "Riservata-edu-81f0"})))
		swRestricted := createdID(t, sw.api("POST", path, noteJSON(map[string]any{"confidentiality": "restricted", "body": "Riservata-as-2b77"})))

		sees := func(c *client, body string) bool {
			return strings.Contains(c.get(path+"?limit=100").body, body) || strings.Contains(c.get(notesPath(prato)).body, body)
		}
		for _, tc := range []struct {
			who  string
			c    *client
			note int64
			body string
			want bool
		}{
			// An organisation note stays in the author's organisation: the
			// partner educator does not see it.
			{"social worker", sw, orgNote, "Org-only-3c9d", true},
			{"educator", op, orgNote, "Org-only-3c9d", false},
			{"health professional", hp, orgNote, "Org-only-3c9d", false},
			// A restricted note reaches its author and the case worker.
			{"educator", op, opRestricted, "Riservata-edu-81f0", true},
			{"social worker", sw, opRestricted, "Riservata-edu-81f0", true},
			{"health professional", hp, opRestricted, "Riservata-edu-81f0", false},
			{"social worker", sw, swRestricted, "Riservata-as-2b77", true},
			{"educator", op, swRestricted, "Riservata-as-2b77", false},
		} {
			if got := sees(tc.c, tc.body); got != tc.want {
				t.Errorf("%s sees note %s: %v, want %v", tc.who, tc.body, got, tc.want)
			}
			status := tc.c.get(path + "/" + strconv.FormatInt(tc.note, 10)).status
			if tc.want && status != 200 || !tc.want && status != 404 {
				t.Errorf("%s gets note %s: %d", tc.who, tc.body, status)
			}
		}
		// Nobody can correct or attach to a note they cannot see: it does
		// not exist for them.
		if r := op.api("POST", path+"/"+strconv.FormatInt(orgNote, 10)+"/corrections", noteJSON(map[string]any{"body": "x"})); r.status != 404 {
			t.Errorf("the educator corrects an organisation note of another organisation: %d", r.status)
		}
	})
}

func TestNoteFieldGroups(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := caseOf(t, db, "SDS-PRATO")
		path := notesPath(prato)
		sw, op, hp := e.client(), e.client(), e.client()
		sw.login("assistente.sociale")
		op.login("operatore")
		hp.login("sanitario")

		f := noteFields("Salute-e4a1: insonnia, avviato il sostegno psicologico.")
		f.Set("field_group", "health")
		f.Set("participants", "Partecipanti-salute-0c3")
		id := noteID(t, sw.postNote(prato, f, false, upload{"file", "referto.pdf", "application/pdf", []byte("%PDF-1.4 referto-salute-77")}))
		one := "/api/v1" + path + "/" + strconv.FormatInt(id, 10)

		// The health professional on the team reads it.
		if r := hp.get(path); !strings.Contains(r.body, "Salute-e4a1") || !strings.Contains(r.body, "referto.pdf") {
			t.Errorf("the health professional does not read the health note")
		}
		if r := hp.get(one); r.status != 200 || !strings.Contains(r.body, `"readable":true`) || !strings.Contains(r.body, "Salute-e4a1") {
			t.Errorf("the health professional through the API: %d %s", r.status, r.body)
		}
		// The educator, whose role lacks health, sees that a note exists,
		// when and by whom, never what it says or what is attached.
		r := op.get(path)
		if !strings.Contains(r.body, `id="note-`+strconv.FormatInt(id, 10)+`"`) || !strings.Contains(r.body, "dati sensibili che il tuo ruolo") ||
			!strings.Contains(r.body, "Chiara Benvenuti") {
			t.Errorf("the educator does not see the placeholder")
		}
		for _, secret := range []string{"Salute-e4a1", "Partecipanti-salute-0c3", "referto.pdf"} {
			if strings.Contains(r.body, secret) {
				t.Errorf("the educator's page shows %q", secret)
			}
		}
		r = op.get(one)
		if r.status != 200 || !strings.Contains(r.body, `"readable":false`) || strings.Contains(r.body, "Salute-e4a1") ||
			strings.Contains(r.body, `"body"`) || !strings.Contains(r.body, `"attachments":[]`) {
			t.Errorf("the educator through the API: %d %s", r.status, r.body)
		}
		var att int64
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT id FROM attachments WHERE note_id = ?`, id).Scan(&att)
		}); err != nil {
			t.Fatal(err)
		}
		download := "/cases/" + strconv.FormatInt(prato, 10) + "/attachments/" + strconv.FormatInt(att, 10)
		if r := op.get(download); r.status != 404 {
			t.Errorf("the educator downloads the health note's attachment: %d", r.status)
		}
		if r := hp.get("/api/v1" + download); r.status != 200 || r.body != "%PDF-1.4 referto-salute-77" {
			t.Errorf("the health professional downloads the attachment: %d", r.status)
		}
		// The educator cannot file a note in a group they may not read.
		r = op.api("POST", "/api/v1"+path, noteJSON(map[string]any{"field_group": "health", "body": "x"}))
		if r.status != 422 || !strings.Contains(r.body, `"field":"field_group"`) {
			t.Errorf("the educator files a health note: %d %s", r.status, r.body)
		}
	})
}

func TestNoteCorrectionsKeepBothVersions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		ctx := context.Background()
		prato, _ := caseOf(t, db, "SDS-PRATO")
		cecina, _ := caseOf(t, db, "COM-CECINA")
		path := notesPath(prato)
		sw, op := e.client(), e.client()
		sw.login("assistente.sociale")
		op.login("operatore")

		original := noteID(t, sw.postNote(prato, noteFields("Originale-a1: visita fissata per venerdì."), false))
		// The author opens the correction form, filled with the note.
		r := sw.get(path + "?correct=" + strconv.FormatInt(original, 10))
		if !strings.Contains(r.body, `name="corrects_id" value="`+strconv.FormatInt(original, 10)+`"`) ||
			!strings.Contains(r.body, ">Originale-a1: visita fissata per venerdì.</textarea>") {
			t.Fatalf("the correction form is not filled with the note")
		}
		f := noteFields("Corretta-b2: visita fissata per giovedì.")
		f.Set("corrects_id", strconv.FormatInt(original, 10))
		correction := noteID(t, sw.postNote(prato, f, false))

		// Both stay, the original marked as corrected and linked to its
		// correction.
		r = sw.get(path)
		for _, want := range []string{"Originale-a1", "Corretta-b2", "Corretta</span>", `href="#note-` + strconv.FormatInt(correction, 10) + `"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the notes page lacks %q", want)
			}
		}
		if strings.Index(r.body, "Originale-a1") > strings.Index(r.body, "Corretta-b2") {
			t.Errorf("the correction is not shown after the note it corrects")
		}
		r = sw.get("/api/v1" + path + "/" + strconv.FormatInt(original, 10))
		if !strings.Contains(r.body, `"corrected_by":[`+strconv.FormatInt(correction, 10)+`]`) {
			t.Errorf("the API does not say the note was corrected: %s", r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE kind = 'note_corrected' AND ref_id = ?`, correction); n != 1 {
			t.Errorf("%d timeline events for the correction", n)
		}
		// The API corrects too, keeping the confidentiality.
		apiFix := createdID(t, sw.api("POST", "/api/v1"+path+"/"+strconv.FormatInt(correction, 10)+"/corrections",
			noteJSON(map[string]any{"body": "Corretta-c3", "confidentiality": nil})))
		if r := sw.get("/api/v1" + path + "/" + strconv.FormatInt(apiFix, 10)); !strings.Contains(r.body, `"corrects_id":`+strconv.FormatInt(correction, 10)) {
			t.Errorf("API correction: %s", r.body)
		}

		before := count(t, db, `SELECT COUNT(*) FROM case_notes`)
		// Only the author corrects a note.
		r = op.api("POST", "/api/v1"+path, noteJSON(map[string]any{"body": "x", "corrects_id": original}))
		if r.status != 422 || !strings.Contains(r.body, `"field":"corrects_id"`) {
			t.Errorf("the educator corrects the social worker's note: %d %s", r.status, r.body)
		}
		// A correction cannot change who reads the note.
		r = sw.api("POST", "/api/v1"+path+"/"+strconv.FormatInt(original, 10)+"/corrections",
			noteJSON(map[string]any{"body": "x", "confidentiality": "restricted"}))
		if r.status != 422 || !strings.Contains(r.body, `"field":"confidentiality"`) {
			t.Errorf("a correction that narrows the note: %d %s", r.status, r.body)
		}
		// A note of another case is not one to correct here.
		var other int64
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT MIN(id) FROM case_notes WHERE case_id = ?`, cecina).Scan(&other)
		}); err != nil {
			t.Fatal(err)
		}
		f = noteFields("Correzione di un altro caso")
		f.Set("corrects_id", strconv.FormatInt(other, 10))
		r = sw.postNote(prato, f, false)
		if r.status != 422 || !strings.Contains(r.body, `href="#note-corrects_id"`) || !strings.Contains(r.body, "non indica una nota di questo caso") {
			t.Errorf("correcting a note of another case: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_notes`); n != before {
			t.Errorf("refused corrections wrote %d notes", n-before)
		}

		// The table itself refuses to change or lose a note.
		for _, q := range []string{`UPDATE case_notes SET body_sealed = 'x' WHERE id = ?`, `DELETE FROM case_notes WHERE id = ?`} {
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, q, original)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused", q, err)
			}
		}
	})
}

func TestNoteInputIsChecked(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := caseOf(t, db, "SDS-PRATO")
		path := notesPath(prato)
		sw := e.client()
		sw.login("assistente.sociale")
		var swID int64
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT id FROM users WHERE username = 'assistente.sociale'`).Scan(&swID)
		}); err != nil {
			t.Fatal(err)
		}
		before := count(t, db, `SELECT COUNT(*) FROM case_notes`)
		future := time.Now().Add(48 * time.Hour)
		for _, tc := range []struct {
			name  string
			set   map[string]any
			field string
		}{
			{"empty body", map[string]any{"body": "  "}, "body"},
			{"unknown kind", map[string]any{"kind": "gossip", "body": "x"}, "kind"},
			{"unknown confidentiality", map[string]any{"confidentiality": "everyone", "body": "x"}, "confidentiality"},
			{"unknown field group", map[string]any{"field_group": "diary", "body": "x"}, "field_group"},
			{"future", map[string]any{"occurred_at": future.UTC().Format(time.RFC3339), "body": "x"}, "occurred_at"},
			{"malformed date", map[string]any{"occurred_at": "ieri", "body": "x"}, "occurred_at"},
			{"body too long", map[string]any{"body": strings.Repeat("a", cases.MaxNoteLength+1)}, "body"},
			{"participants too long", map[string]any{"participants": strings.Repeat("p", 2001), "body": "x"}, "participants"},
			{"unknown language", map[string]any{"language": "xx1", "body": "x"}, "language"},
			{"mediator who is not one", map[string]any{"mediator_id": swID, "body": "x"}, "mediator_id"},
			{"follow-up on an open case", map[string]any{"kind": "follow_up", "body": "x"}, "kind"},
			{"unknown note corrected", map[string]any{"corrects_id": 99999999, "body": "x"}, "corrects_id"},
		} {
			r := sw.api("POST", "/api/v1"+path, noteJSON(tc.set))
			if r.status != 422 || !strings.Contains(r.body, `"field":"`+tc.field+`"`) {
				t.Errorf("%s: %d %s", tc.name, r.status, r.body[:min(len(r.body), 300)])
			}
		}
		// A body that is not JSON is refused with a clear message.
		r := sw.do("POST", "/api/v1"+path, strings.NewReader("body=x"), map[string]string{
			"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": sw.token("/")})
		if r.status != 422 || !strings.Contains(r.body, "JSON") {
			t.Errorf("a form body to the API: %d %s", r.status, r.body)
		}

		// The form shows every problem, linked from the summary, in
		// Italian, and keeps what was typed.
		f := noteFields("")
		f.Set("participants", "Partecipanti-da-tenere")
		f.Set("occurred_at", future.In(approdo.Rome).Format("2006-01-02T15:04"))
		r = sw.postNote(prato, f, false)
		for _, want := range []string{`href="#note-body"`, `href="#note-occurred_at"`, "«Testo» è obbligatorio.",
			">Partecipanti-da-tenere</textarea>", `id="note-body-error"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the failed form lacks %q", want)
			}
		}
		if r.status != 422 {
			t.Errorf("the failed form: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_notes`); n != before {
			t.Errorf("invalid notes wrote %d notes", n-before)
		}
	})
}

func TestAttachments(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := caseOf(t, db, "SDS-PRATO")
		path := notesPath(prato)
		sw, op := e.client(), e.client()
		sw.login("assistente.sociale")
		op.login("operatore")

		// A PDF sent with the note comes back byte for byte, as a download.
		pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 1, 2, 250, 255, '\n'}, 4000)...)
		id := noteID(t, sw.postNote(prato, noteFields("Con allegato"), false, upload{"file", "Relazione è bella.pdf", "application/pdf", pdf}))
		var att int64
		var sum []byte
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT id, sha256 FROM attachments WHERE note_id = ?`, id).Scan(&att, &sum)
		}); err != nil {
			t.Fatal(err)
		}
		want := sha256.Sum256(pdf)
		if !bytes.Equal(sum, want[:]) {
			t.Errorf("the stored digest is not the content's")
		}
		download := "/cases/" + strconv.FormatInt(prato, 10) + "/attachments/" + strconv.FormatInt(att, 10)
		for _, p := range []string{download, "/api/v1" + download} {
			for _, c := range []*client{sw, op} {
				r := c.get(p)
				if r.status != 200 || r.body != string(pdf) {
					t.Fatalf("download %s: %d, %d bytes", p, r.status, len(r.body))
				}
				for h, v := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
					"Cache-Control": "no-store", "Content-Disposition": `attachment; filename*=utf-8''Relazione%20%C3%A8%20bella.pdf`} {
					if got := r.header.Get(h); got != v {
						t.Errorf("download %s: %s is %q, want %q", p, h, got, v)
					}
				}
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND record_type = 'attachment' AND record_id = ?`,
			strconv.FormatInt(att, 10)); n != 4 {
			t.Errorf("%d downloads audited, want 4", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE kind = 'attachment_added' AND ref_id = ?`, att); n != 1 {
			t.Errorf("%d timeline events for the attachment", n)
		}
		// Outsiders do not find it.
		for _, who := range []string{"as.cecina", "capofila", "mediatore", "admin"} {
			c := e.client()
			c.login(who)
			for _, p := range []string{download, "/api/v1" + download} {
				if r := c.get(p); r.status != 404 {
					t.Errorf("%s downloads %s: %d, want 404", who, p, r.status)
				}
			}
		}
		// Nor does a path that puts it in another case.
		cecina, _ := caseOf(t, db, "COM-CECINA")
		if r := sw.get("/cases/" + strconv.FormatInt(cecina, 10) + "/attachments/" + strconv.FormatInt(att, 10)); r.status != 404 {
			t.Errorf("an attachment through another case: %d", r.status)
		}

		// The author adds files to their note through the API; the type
		// comes from the content, office documents from their container.
		apiUpload := func(c *client, note int64, f upload) response {
			body, ct := multipartForm(t, nil, f)
			return c.do("POST", "/api/v1"+path+"/"+strconv.FormatInt(note, 10)+"/attachments", body,
				map[string]string{"Content-Type": ct, "X-CSRF-Token": c.token("/")})
		}
		zip := append([]byte("PK\x03\x04"), bytes.Repeat([]byte("x"), 100)...)
		ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, bytes.Repeat([]byte("y"), 100)...)
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("z"), 100)...)
		for _, tc := range []struct {
			name   string
			f      upload
			status int
			stored string
		}{
			{"docx", upload{"file", "piano.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", zip}, 201,
				"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
			{"xlsx by its extension", upload{"file", "spese.xlsx", "application/octet-stream", zip}, 201,
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
			{"doc", upload{"file", "vecchio.doc", "application/msword", ole}, 201, "application/msword"},
			{"png declared as jpeg", upload{"file", "foto.jpg", "image/jpeg", png}, 201, "image/png"},
			{"text", upload{"file", "appunti.txt", "text/plain", []byte("Appunti in italiano: è così.\n")}, 201, "text/plain"},
			{"a zip archive", upload{"file", "archivio.zip", "application/zip", zip}, 422, ""},
			{"a program named pdf", upload{"file", "fattura.pdf", "application/pdf", append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 100)...)}, 422, ""},
			{"html as text", upload{"file", "pagina.txt", "text/plain", []byte("<html><script>alert(1)</script></html>")}, 422, ""},
			{"empty", upload{"file", "vuoto.pdf", "application/pdf", nil}, 422, ""},
		} {
			r := apiUpload(sw, id, tc.f)
			if r.status != tc.status {
				t.Errorf("%s: %d %s", tc.name, r.status, r.body)
				continue
			}
			if tc.status == 201 {
				sum := sha256.Sum256(tc.f.content)
				if !strings.Contains(r.body, `"content_type":"`+tc.stored+`"`) || !strings.Contains(r.body, hex.EncodeToString(sum[:])) {
					t.Errorf("%s: %s", tc.name, r.body)
				}
			} else if !strings.Contains(r.body, `"field":"file"`) {
				t.Errorf("%s: the refusal does not name the file: %s", tc.name, r.body)
			}
		}
		// Only the author attaches to a note.
		if r := apiUpload(op, id, upload{"file", "x.pdf", "application/pdf", pdf}); r.status != 422 || !strings.Contains(r.body, "solo chi ha scritto") {
			t.Errorf("the educator attaches to the social worker's note: %d %s", r.status, r.body)
		}
		// Through the UI the author adds one to an existing note.
		body, ct := multipartForm(t, url.Values{"csrf_token": {sw.token(path)}}, upload{"file", "seconda.pdf", "application/pdf", pdf})
		r := sw.do("POST", path+"/"+strconv.FormatInt(id, 10)+"/attachments", body, map[string]string{"Content-Type": ct})
		if r.status != 303 || !strings.Contains(sw.get(path).body, "seconda.pdf") {
			t.Errorf("adding an attachment through the UI: %d", r.status)
		}

		// Size: over 10 MiB the file is refused by name, and the note with
		// it is not written; what was typed stays.
		before := count(t, db, `SELECT COUNT(*) FROM case_notes`)
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("b"), cases.MaxAttachmentSize)...)
		r = sw.postNote(prato, noteFields("Testo-da-non-perdere"), false, upload{"file", "grande.pdf", "application/pdf", big})
		if r.status != 422 || !strings.Contains(r.body, "«Allegato» supera il limite di 10 MB.") ||
			!strings.Contains(r.body, `href="#note-file"`) || !strings.Contains(r.body, ">Testo-da-non-perdere</textarea>") {
			t.Errorf("an oversized file in the form: %d", r.status)
		}
		if r := apiUpload(sw, id, upload{"file", "grande.pdf", "application/pdf", big}); r.status != 422 || !strings.Contains(r.body, `"field":"file"`) {
			t.Errorf("an oversized file through the API: %d %s", r.status, r.body)
		}
		huge := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("h"), 12<<20)...)
		if r := apiUpload(sw, id, upload{"file", "enorme.pdf", "application/pdf", huge}); r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("a body over the upload limit: %d", r.status)
		}
		// Other routes keep the default limit.
		r = sw.do("POST", "/api/v1"+path, bytes.NewReader(bytes.Repeat([]byte(" "), 2<<20)), map[string]string{
			"Content-Type": "application/json", "X-CSRF-Token": sw.token("/")})
		if r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("a 2 MiB note: %d, want 413", r.status)
		}
		// A disallowed type in the form is named too.
		r = sw.postNote(prato, noteFields("Testo"), false, upload{"file", "virus.exe", "application/octet-stream", []byte("MZ\x90\x00\x03")})
		if r.status != 422 || !strings.Contains(r.body, "«Allegato» non è di un tipo ammesso") {
			t.Errorf("a disallowed type in the form: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_notes`); n != before {
			t.Errorf("refused files wrote %d notes", n-before)
		}
		// Attachments are kept as their notes are: never changed, never lost.
		for _, q := range []string{`UPDATE attachments SET size = 1 WHERE id = ?`, `DELETE FROM attachments WHERE id = ?`,
			`UPDATE attachment_contents SET content = content WHERE attachment_id = ?`, `DELETE FROM attachment_contents WHERE attachment_id = ?`} {
			err := db.Write(context.Background(), func(tx *store.Tx) error {
				_, err := tx.Exec(context.Background(), q, att)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused", q, err)
			}
		}
	})
}
