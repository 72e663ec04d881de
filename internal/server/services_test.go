package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/store"
)

// serviceOf returns the id of the first service of the organisation code
// named name (any name when "").
func serviceOf(t *testing.T, db *store.DB, org, name string) int64 {
	t.Helper()
	id := int64(count(t, db, `SELECT COALESCE(MIN(s.id), 0) FROM services s JOIN organisations o ON o.id = s.organisation_id
		WHERE o.code = ? AND (? = '' OR s.name = ?)`, org, name, name))
	if id == 0 {
		t.Fatalf("the demo has no service %q of %s", name, org)
	}
	return id
}

type serviceItem struct {
	ID             int64    `json:"id"`
	OrganisationID int64    `json:"organisation_id"`
	Name           string   `json:"name"`
	ServiceTypes   []string `json:"service_types"`
	Languages      []string `json:"languages"`
	AreaIDs        []int64  `json:"area_ids"`
	MinAge         *int     `json:"min_age"`
	MaxAge         *int     `json:"max_age"`
	Interpretation string   `json:"interpretation_services"`
	ResponseDays   int      `json:"response_days"`
	Status         string   `json:"status"`
	Version        int      `json:"version"`
}

func serviceList(t *testing.T, c *client, query string) []serviceItem {
	t.Helper()
	r := c.get("/api/v1/services?" + query)
	if r.status != http.StatusOK {
		t.Fatalf("GET /api/v1/services?%s: %d %s", query, r.status, r.body)
	}
	var list struct {
		Items []serviceItem `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.body), &list); err != nil {
		t.Fatal(err)
	}
	return list.Items
}

const transcultural = "Supporto psicologico transculturale per adolescenti"

func TestServiceDirectorySearch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato := idOf(t, db, "areas", "FI-PO")
		usl := serviceOf(t, db, "USL-TSE", transcultural)
		sw := e.client()
		sw.login("assistente.sociale")

		// A 16-year-old speaking Tigrinya in the Prato area needing
		// psychological support.
		q := "type=psychological_support&lang=ti&age=16&area=" + strconv.FormatInt(prato, 10)
		found := serviceList(t, sw, q)
		if !slices.ContainsFunc(found, func(s serviceItem) bool { return s.ID == usl && s.ResponseDays == 5 }) {
			t.Fatalf("the USL's psychological service is not found: %+v", found)
		}
		for _, s := range found {
			if !slices.Contains(s.ServiceTypes, "psychological_support") || !slices.Contains(s.Languages, "ti") ||
				!slices.Contains(s.AreaIDs, prato) || s.MinAge != nil && *s.MinAge > 16 || s.MaxAge != nil && *s.MaxAge < 16 ||
				s.Status != "active" {
				t.Errorf("%q does not match %s", s.Name, q)
			}
		}
		// Too old for it; a language it lacks, unless interpretation counts.
		if slices.ContainsFunc(serviceList(t, sw, "type=psychological_support&age=30"), func(s serviceItem) bool { return s.ID == usl }) {
			t.Error("a 30-year-old is outside 11-21")
		}
		if slices.ContainsFunc(serviceList(t, sw, "lang=ur&type=psychological_support"), func(s serviceItem) bool { return s.ID == usl }) {
			t.Error("the service does not speak Urdu")
		}
		if !slices.ContainsFunc(serviceList(t, sw, "lang=urd&interpretation=true&type=psychological_support"), func(s serviceItem) bool { return s.ID == usl }) {
			t.Error("with interpretation the service reaches Urdu speakers")
		}
		if words := serviceList(t, sw, "q=TRANSCULTURALE"); len(words) != 1 || words[0].ID != usl {
			t.Errorf("free text: %+v", words)
		}
		if inactive := serviceList(t, sw, "q=neomaggiorenni&type=housing_reception"); len(inactive) != 0 {
			t.Errorf("inactive services are hidden by default: %+v", inactive)
		}
		if inactive := serviceList(t, sw, "q=neomaggiorenni&type=housing_reception&inactive=true"); len(inactive) != 1 {
			t.Errorf("and shown on request: %+v", inactive)
		}
		if r := sw.get("/api/v1/services?age=old"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"age"`) {
			t.Errorf("a bad age: %d %s", r.status, r.body)
		}
		if r := sw.get("/api/v1/services/" + strconv.FormatInt(usl, 10)); r.status != http.StatusOK || !strings.Contains(r.body, transcultural) {
			t.Errorf("GET one: %d %s", r.status, r.body)
		}

		// The same search in the UI, with the language as the form offers
		// it, which a reporter at a school may make too.
		for _, who := range []string{"assistente.sociale", "segnalante"} {
			c := e.client()
			c.login(who)
			r := c.get("/services?type=psychological_support&lang=" + url.QueryEscape("Tigrino (ti)") + "&age=16&area=" + strconv.FormatInt(prato, 10))
			if r.status != http.StatusOK || !strings.Contains(r.body, transcultural) || strings.Contains(r.body, "Centro antiviolenza – ascolto") {
				t.Errorf("UI search as %s: %d", who, r.status)
			}
			if !strings.Contains(c.get("/").body, `href="/services"`) {
				t.Errorf("the navigation of %s does not link the directory", who)
			}
		}
		r := sw.get("/services?age=vecchio")
		if r.status != http.StatusOK || !strings.Contains(r.body, "Età della persona") || !strings.Contains(r.body, "numero di anni") {
			t.Errorf("a bad age in the UI: %d", r.status)
		}
		if r := sw.get("/services?q=nessun+servizio+si+chiama+cos%C3%AC"); !strings.Contains(r.body, "Nessun servizio risponde alla ricerca") {
			t.Error("the empty state of a search")
		}
		r = sw.get("/services/" + strconv.FormatInt(usl, 10))
		if r.status != http.StatusOK || !strings.Contains(strings.ToLower(r.body), "tigrin") || !strings.Contains(r.body, "5 giorni") ||
			strings.Contains(r.body, "/services/"+strconv.FormatInt(usl, 10)+"/edit") {
			t.Errorf("the service page, without an edit link for another organisation: %d", r.status)
		}
	})
}

// serviceForm is a valid form of a new service of organisation org.
func serviceForm(org int64, name string) url.Values {
	return url.Values{"organisation_id": {strconv.FormatInt(org, 10)}, "name": {name}, "service_types": {"legal_aid", "cultural_mediation"},
		"languages": {"Arabo (ar)", "fr", ""}, "min_age": {"14"}, "max_age": {"21"}, "response_days": {"7"}, "status": {"active"},
		"schedules.0.days": {"MO", "WE"}, "schedules.0.opens_at": {"09:00"}, "schedules.0.closes_at": {"12:30"}, "schedules.0.description": {""},
		"schedules.1.opens_at": {""}, "schedules.1.closes_at": {""}, "schedules.1.description": {""},
		"contacts.0.name": {"Sportello"}, "contacts.0.title": {""}, "contacts.0.phone": {"+39 0574 000 900"}, "contacts.0.email": {""},
		"required_documents": {"Documento d'identità\n\nPermesso di soggiorno"}}
}

func auditCount(t *testing.T, db *store.DB, action string, id int64) int {
	t.Helper()
	return count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'service' AND action = ? AND record_id = ?`,
		action, strconv.FormatInt(id, 10))
}

func TestServiceCreateAndEdit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		sdsPrato := idOf(t, db, "organisations", "SDS-PRATO")
		before := count(t, db, `SELECT COUNT(*) FROM services`)
		sw := e.client()
		sw.login("assistente.sociale")

		// Bad input: each field named, everything typed kept, nothing written.
		bad := serviceForm(sdsPrato, "")
		bad.Del("service_types")
		bad.Set("min_age", "quattordici")
		bad.Set("schedules.0.closes_at", "08:00")
		bad.Set("csrf_token", sw.token("/services/new"))
		r := sw.post("/services", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad input: %d", r.status)
		}
		for _, want := range []string{"«Nome» è obbligatorio", "«Bisogni a cui risponde»: scegli almeno un bisogno", "«Età minima» deve essere un numero intero",
			"«Chiude alle, riga 1» deve venire dopo l&#39;ora di apertura", `href="#schedules.0.closes_at"`, `value="quattordici"`, `0574 000 900"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the refused form lacks %q", want)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM services`); n != before {
			t.Fatalf("a refused form wrote %d services", n-before)
		}

		// A good one is saved, shown and audited.
		good := serviceForm(sdsPrato, "Sportello legale per minori")
		good.Set("csrf_token", sw.token("/services/new"))
		r = sw.post("/services", good)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/services/") {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		id := serviceOf(t, db, "SDS-PRATO", "Sportello legale per minori")
		page := sw.get(r.header.Get("Location"))
		for _, want := range []string{"Il servizio è stato salvato", "arabo", "da 14 a 21 anni", "lunedì, mercoledì 09:00–12:30", "Permesso di soggiorno", "/edit"} {
			if !strings.Contains(strings.ToLower(page.body), strings.ToLower(want)) {
				t.Errorf("the service page lacks %q", want)
			}
		}
		if auditCount(t, db, "create", id) != 1 {
			t.Error("the creation is not audited")
		}

		// An edit from an old version is refused with 409, nothing written.
		path := "/services/" + strconv.FormatInt(id, 10)
		first := serviceForm(sdsPrato, "Sportello legale per minori e neomaggiorenni")
		first.Set("version", "1")
		first.Set("csrf_token", sw.token(path+"/edit"))
		if r := sw.post(path, first); r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d", r.status)
		}
		stale := serviceForm(sdsPrato, "Un nome che arriva tardi")
		stale.Set("version", "1")
		stale.Set("csrf_token", sw.token(path+"/edit"))
		r = sw.post(path, stale)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Sportello legale per minori e neomaggiorenni") || !strings.Contains(r.body, `name="version" value="2"`) {
			t.Errorf("a stale edit: %d", r.status)
		}
		if count(t, db, `SELECT version FROM services WHERE id = ?`, id) != 2 || auditCount(t, db, "update", id) != 1 {
			t.Error("a stale edit wrote something")
		}

		// Someone of another organisation may read it, not edit it.
		other := e.client()
		other.login("as.cecina")
		if r := other.get(path); r.status != http.StatusOK || strings.Contains(r.body, path+"/edit") {
			t.Errorf("another organisation reads the service: %d", r.status)
		}
		if r := other.get(path + "/edit"); r.status != http.StatusNotFound {
			t.Errorf("another organisation's edit form: %d", r.status)
		}
		theirs := serviceForm(sdsPrato, "Preso")
		theirs.Set("version", "2")
		theirs.Set("csrf_token", other.token("/services"))
		if r := other.post(path, theirs); r.status != http.StatusNotFound {
			t.Errorf("another organisation's edit: %d", r.status)
		}
		theirs.Set("min_age", "abc") // bad input too: still not found
		if r := other.post(path, theirs); r.status != http.StatusNotFound {
			t.Errorf("another organisation's bad edit: %d", r.status)
		}
		// ... nor add services to ours.
		mine := serviceForm(sdsPrato, "Intruso")
		mine.Set("csrf_token", other.token("/services/new"))
		if r := other.post("/services", mine); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "solo i servizi della tua organizzazione") {
			t.Errorf("a service for another organisation: %d", r.status)
		}
		if count(t, db, `SELECT version FROM services WHERE id = ?`, id) != 2 || count(t, db, `SELECT COUNT(*) FROM services WHERE name IN ('Preso', 'Intruso')`) != 0 {
			t.Error("another organisation wrote something")
		}
		// A reporter may not add services at all.
		rep := e.client()
		rep.login("segnalante")
		if r := rep.get("/services/new"); r.status != http.StatusNotFound {
			t.Errorf("a reporter's form: %d", r.status)
		}

		// The API: stale 409, another organisation 404, bad input 422.
		api := "/api/v1/services/" + strconv.FormatInt(id, 10)
		body := func(version int, name string) string {
			b, _ := json.Marshal(map[string]any{"organisation_id": sdsPrato, "name": name, "service_types": []string{"legal_aid"},
				"languages": []string{"ar"}, "min_age": 14, "max_age": nil, "response_days": 3, "version": version,
				"schedules": []map[string]any{{"days": []string{"TU"}, "opens_at": "10:00", "closes_at": "12:00", "description": ""}}})
			return string(b)
		}
		if r := sw.api("PUT", api, body(1, "Vecchio")); r.status != http.StatusConflict {
			t.Errorf("API stale edit: %d %s", r.status, r.body)
		}
		if r := other.api("PUT", api, body(2, "Preso")); r.status != http.StatusNotFound {
			t.Errorf("API edit by another organisation: %d %s", r.status, r.body)
		}
		if r := sw.api("PUT", api, `{"organisation_id": `+strconv.FormatInt(sdsPrato, 10)+`, "name": "", "service_types": ["magic"], "max_age": 200, "version": 2}`); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `"field":"name"`) || !strings.Contains(r.body, `"field":"service_types"`) || !strings.Contains(r.body, `"field":"max_age"`) {
			t.Errorf("API bad input: %d %s", r.status, r.body)
		}
		r = sw.api("PUT", api, body(2, "Sportello legale"))
		if r.status != http.StatusOK || !strings.Contains(r.body, `"version":3`) || !strings.Contains(r.body, `"max_age":null`) {
			t.Fatalf("API edit: %d %s", r.status, r.body)
		}
		if auditCount(t, db, "update", id) != 2 {
			t.Error("the API edit is not audited")
		}
		r = sw.api("POST", "/api/v1/services", body(0, "Mediazione per le famiglie"))
		if r.status != http.StatusCreated || !strings.Contains(r.body, `"uid":"`) {
			t.Errorf("API create: %d %s", r.status, r.body)
		}
		// The administrator edits any organisation's service.
		admin := e.client()
		admin.login("admin")
		if r := admin.api("PUT", api, body(3, "Sportello legale (rete)")); r.status != http.StatusOK {
			t.Errorf("the administrator's edit: %d %s", r.status, r.body)
		}
	})
}

func TestServiceImportAndExport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		admin := e.client()
		admin.login("admin")
		total := count(t, db, `SELECT COUNT(*) FROM services`)
		if orgs := count(t, db, `SELECT COUNT(*) FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM services s WHERE s.organisation_id = o.id)`); orgs != 0 {
			t.Errorf("%d demo organisations have no service", orgs)
		}
		exportsBefore := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'service' AND action = 'export'`)

		// Export, import the export: nothing changes, and exporting again
		// gives the same file, in JSON and in CSV, through the API and the UI.
		jsonExport := admin.get("/api/v1/services/export")
		csvExport := admin.get("/api/v1/services/export?format=csv")
		if jsonExport.status != http.StatusOK || csvExport.status != http.StatusOK || !strings.HasPrefix(csvExport.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("exports: %d %d", jsonExport.status, csvExport.status)
		}
		var hsds []map[string]any
		if err := json.Unmarshal([]byte(jsonExport.body), &hsds); err != nil || len(hsds) != total {
			t.Fatalf("the JSON export holds %d services of %d: %v", len(hsds), total, err)
		}
		for _, k := range []string{"id", "organization_id", "name", "status", "languages", "service_areas", "schedules", "contacts", "attributes"} {
			if _, ok := hsds[0][k]; !ok {
				t.Errorf("an HSDS service lacks %q", k)
			}
		}
		if lines := strings.Count(csvExport.body, "\n"); lines < total+1 {
			t.Errorf("the CSV export has %d lines for %d services", lines, total)
		}
		r := admin.do("POST", "/api/v1/services/import", strings.NewReader(jsonExport.body),
			map[string]string{"Content-Type": "application/json", "X-CSRF-Token": admin.token("/")})
		if r.status != http.StatusOK || !strings.Contains(r.body, `"unchanged":`+strconv.Itoa(total)) {
			t.Errorf("re-import of the JSON export: %d %s", r.status, r.body)
		}
		r = admin.do("POST", "/api/v1/services/import", strings.NewReader(csvExport.body),
			map[string]string{"Content-Type": "text/csv", "X-CSRF-Token": admin.token("/")})
		if r.status != http.StatusOK || !strings.Contains(r.body, `"unchanged":`+strconv.Itoa(total)) {
			t.Errorf("re-import of the CSV export: %d %s", r.status, r.body)
		}
		if again := admin.get("/api/v1/services/export"); again.body != jsonExport.body {
			t.Error("the JSON export changed after importing it")
		}
		if ui := admin.get("/services/export?format=csv"); ui.status != http.StatusOK || ui.body != csvExport.body ||
			!strings.Contains(ui.header.Get("Content-Disposition"), "approdo-services.csv") {
			t.Errorf("the UI's CSV export: %d", ui.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'service' AND action = 'export'`); n != exportsBefore+4 {
			t.Errorf("%d exports audited, want 4", n-exportsBefore)
		}

		// A file with a bad row writes nothing and names the row and field;
		// through the UI, an uploaded CSV file.
		lines := strings.SplitN(csvExport.body, "\n", 3)
		header, first := lines[0], lines[1]
		cols := strings.Split(header, ",")
		addedRow := strings.Repeat(",", len(cols)-1) // an empty service: no organisation, no name
		file := header + "\n" + first + "\n" + addedRow + "\n"
		body, ct := multipartForm(t, url.Values{"csrf_token": {admin.token("/services/import")}},
			upload{"import_file", "servizi.csv", "text/csv", []byte(file)})
		r = admin.do("POST", "/services/import", body, map[string]string{"Content-Type": ct})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "«Nome, riga 2» è obbligatorio") ||
			!strings.Contains(r.body, "«Organizzazione, riga 2» è obbligatorio") {
			t.Errorf("a bad CSV upload: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM services`); n != total {
			t.Errorf("a refused import wrote %d services", n-total)
		}

		// A good upload adds and updates.
		var one []map[string]any
		json.Unmarshal([]byte(jsonExport.body), &one)
		one = one[:1]
		one[0]["name"] = "Nome importato"
		one = append(one, map[string]any{"id": "", "organization_id": "CAV-PRATO", "name": "Gruppo di parola per ragazze", "status": "active",
			"attributes": []map[string]any{{"id": "a", "taxonomy_term": map[string]any{"id": "t", "code": "anti_violence", "name": "x", "description": "", "taxonomy": "approdo-service-type"}}}})
		upload1, _ := json.Marshal(one)
		body, ct = multipartForm(t, url.Values{"csrf_token": {admin.token("/services/import")}},
			upload{"import_file", "servizi.json", "application/json", upload1})
		r = admin.do("POST", "/services/import", body, map[string]string{"Content-Type": ct})
		if r.status != http.StatusOK || !strings.Contains(r.body, "1 servizi aggiunti, 1 aggiornati") {
			t.Errorf("a good JSON upload: %d %s", r.status, r.body)
		}
		if count(t, db, `SELECT COUNT(*) FROM services WHERE name IN ('Nome importato', 'Gruppo di parola per ragazze')`) != 2 ||
			count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'service' AND action IN ('create', 'update')`) < 2 {
			t.Error("the import is not stored and audited")
		}

		// Only administrators import.
		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.get("/services/import"); r.status != http.StatusNotFound {
			t.Errorf("a social worker's import page: %d", r.status)
		}
		if r := sw.do("POST", "/api/v1/services/import", strings.NewReader(jsonExport.body),
			map[string]string{"Content-Type": "application/json", "X-CSRF-Token": sw.token("/")}); r.status != http.StatusNotFound {
			t.Errorf("a social worker's import: %d", r.status)
		}
	})
}
