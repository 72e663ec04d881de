package server_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/i18n"
	"approdo/internal/store"
)

// The persons of a case, end to end in the UI and the API on both
// databases: adding and editing, who sees which field group, the duplicate
// check across organisations, requests for access, merges, the search by
// name and bad input.

var persCatalogue = i18n.MustLoad()

// persText returns the Italian text of a catalogue key as a page shows it.
func persText(key string, args ...any) string {
	return html.EscapeString(persCatalogue.T("it", key, args...))
}

// persCases returns the ids and codes of the demo cases an organisation
// holds, of a kind, oldest first.
func persCases(t *testing.T, db *store.DB, orgCode, kind string) ([]int64, []string) {
	t.Helper()
	var ids []int64
	var codes []string
	for _, row := range persRows(t, db, `SELECT c.id, c.code FROM cases c JOIN organisations o ON o.id = c.owner_org_id
		WHERE o.code = ? AND c.kind = ? ORDER BY c.id`, orgCode, kind) {
		id, _ := strconv.ParseInt(row[0], 10, 64)
		ids, codes = append(ids, id), append(codes, row[1])
	}
	if len(ids) < 3 {
		t.Fatalf("the demo has %d %s cases of %s", len(ids), kind, orgCode)
	}
	return ids, codes
}

// persRows runs a query and returns its rows as text.
func persRows(t *testing.T, db *store.DB, query string, args ...any) [][]string {
	t.Helper()
	var out [][]string
	ctx := t.Context()
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					row[i] = string(b)
				} else if v != nil {
					row[i] = fmt.Sprint(v)
				}
			}
			out = append(out, row)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func persCasePath(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) }

// persAdd adds a person to a case through the API and returns its id.
func persAdd(t *testing.T, c *admClient, caseID int64, body map[string]any) int64 {
	t.Helper()
	if _, ok := body["case_role"]; !ok {
		body["case_role"] = "relative"
	}
	r := c.api("POST", "/api/v1"+persCasePath(caseID)+"/persons", body)
	m := admDecode(t, r, http.StatusCreated)
	return int64(m["id"].(float64))
}

// persName is one name of a JSON body.
func persName(kind, text string) map[string]string {
	return map[string]string{"kind": kind, "text": text}
}

var persLocation = regexp.MustCompile(`^/cases/([0-9]+)/persons/([0-9]+)\?saved$`)

// TestPersonsAreAddedAndEditedInTheUIAndTheAPI adds a person with every
// field through the form and another through the API, edits both, and
// finds them on the case page's section, the person's page, the API, the
// audit log (fields named, no values) and the timeline.
func TestPersonsAreAddedAndEditedInTheUIAndTheAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		ids, _ := persCases(t, db, "SDS-PRATO", "unaccompanied_minor")
		caseID := ids[0]
		sw := admLogin(e, "assistente.sociale")

		// The form, without JavaScript: every field, a name in Ge'ez
		// script beside its romanisation, a range from an age assessment.
		if r := sw.get(persCasePath(caseID) + "/persons/new"); r.status != 200 || !strings.Contains(r.body, `list="country-list"`) ||
			!strings.Contains(r.body, `<option value="Eritrea (ER)">`) || !strings.Contains(r.body, `hx-post="`+persCasePath(caseID)+`/persons/duplicates"`) {
			t.Fatalf("new person form: %d", r.status)
		}
		form := url.Values{"case_role": {"relative"}, "names.0.kind": {"primary"}, "names.0.text": {"ሰላም ዘርኣይ"},
			"names.1.kind": {"transliteration"}, "names.1.text": {"Selam Zerai"}, "sex": {"female"},
			"birth_precision": {"range"}, "birth_min": {"2009-01-01"}, "birth_max": {"2010-06-30"},
			"nationality": {"Eritrea (ER)"}, "languages": {"Tigrino (ti)", "ar"}, "arrived_on": {"2025-09-10"},
			"arrival_place": {"Pozzallo"}, "unaccompanied": {"1"}, "cui": {"Q1234567"}, "codice_fiscale": {"12345678903"},
			"religion": {"Cristianesimo ortodosso"}, "gender": {"ragazza"}, "guardian_name": {"Teresa Montalbano"},
			"guardian_court": {"Tribunale per i Minorenni di Firenze"}, "guardian_appointed_on": {"2025-10-01"},
			"documents.0.kind": {"birth_certificate"}, "documents.0.number": {"ER-55-0192"}, "documents.0.issuer": {"State of Eritrea"},
			"permits.0.kind": {"minor_age"}, "permits.0.issued_on": {"2025-11-01"}, "permits.0.expires_on": {"2027-06-30"},
			"links.0.relation": {"sibling"}, "links.0.note": {"Fratello maggiore, in Germania"}}
		r := sw.form(persCasePath(caseID)+"/persons", form)
		m := persLocation.FindStringSubmatch(r.header.Get("Location"))
		if r.status != http.StatusSeeOther || m == nil {
			t.Fatalf("create person: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
		}
		pid, _ := strconv.ParseInt(m[2], 10, 64)
		personPath := persCasePath(caseID) + "/persons/" + m[2]
		r = sw.get(personPath + "?saved")
		for _, want := range []string{"Selam Zerai (ሰላም ዘርኣይ)", "Pozzallo", "Q1234567", "12345678903", "Cristianesimo ortodosso",
			"ragazza", "Teresa Montalbano", "Tribunale per i Minorenni di Firenze", "ER-55-0192", persText("permit_kind.minor_age"),
			"Fratello maggiore, in Germania", persText("person.presumed_minor"), persText("person.birth_range", "01/01/2009", "30/06/2010"),
			persText("person.earliest_eighteenth"), "01/01/2027", "30/06/2028", "Eritrea", "Tigrinya, Arabo"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the person's page lacks %q", want)
			}
		}
		// The section of the case page, for htmx and as a page.
		if r := sw.do("GET", persCasePath(caseID)+"/persons", nil, map[string]string{"HX-Request": "true"}); r.status != 200 ||
			strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Selam Zerai") {
			t.Fatalf("persons section: %d", r.status)
		}
		if r := sw.get(persCasePath(caseID)); !strings.Contains(r.body, `hx-get="`+persCasePath(caseID)+`/persons"`) {
			t.Errorf("the case page does not load the persons section")
		}

		// The edit form shows what was saved; an edit writes the fields
		// changed.
		r = sw.get(personPath + "/edit")
		if r.status != 200 || !strings.Contains(r.body, `value="Selam Zerai"`) || !strings.Contains(r.body, `value="Eritrea (ER)"`) ||
			!strings.Contains(r.body, `value="2009-01-01"`) {
			t.Fatalf("edit form: %d", r.status)
		}
		version := admVersion.FindStringSubmatch(r.body)[1]
		form.Set("version", version)
		form.Set("arrival_place", "Augusta")
		form.Set("birth_precision", "year")
		form.Set("birth_date", "2009")
		if r := sw.form(personPath, form); r.status != http.StatusSeeOther {
			t.Fatalf("edit person: %d\n%s", r.status, r.body)
		}
		if r := sw.get(personPath); !strings.Contains(r.body, "Augusta") || !strings.Contains(r.body, persText("person.birth_year", 2009)) {
			t.Errorf("the edit is not shown")
		}

		// The API: a person with a name in Arabic script and its
		// romanisation, then an edit from the version read.
		api := persAdd(t, sw, caseID, map[string]any{"names": []any{persName("primary", "يوسف الزياني"),
			persName("transliteration", "Youssef Ezzayani")}, "sex": "male", "birth_precision": "year", "birth_date": "1984",
			"nationality": "MA", "languages": []string{"ar", "ary"}, "confirm_distinct": true})
		got := admDecode(t, sw.get("/api/v1"+persCasePath(caseID)+"/persons/"+strconv.FormatInt(api, 10)), 200)
		if got["nationality"] != "MA" || got["birth_min"] != "1984-01-01" || got["presumed_minor"] != false || len(got["hidden"].([]any)) != 0 {
			t.Fatalf("API person: %v", got)
		}
		got["arrival_place"] = "Genova"
		got["case_role"] = "relative"
		r = sw.api("PUT", "/api/v1"+persCasePath(caseID)+"/persons/"+strconv.FormatInt(api, 10), got)
		if upd := admDecode(t, r, 200); upd["arrival_place"] != "Genova" || upd["version"].(float64) != got["version"].(float64)+1 {
			t.Fatalf("API edit: %v", upd)
		}
		list := admDecode(t, sw.get("/api/v1"+persCasePath(caseID)+"/persons"), 200)
		if list["total"].(float64) < 3 {
			t.Errorf("the API lists %v persons", list["total"])
		}

		// Audited by field, never by value; on the timeline.
		log := admAuditLog(t, db, "person")
		created := admFind(log, "create", strconv.FormatInt(pid, 10))
		if len(created) != 1 || !strings.Contains(created[0].Fields, "names") || !strings.Contains(created[0].Fields, "religion") {
			t.Fatalf("creation audit: %+v", created)
		}
		updated := admFind(log, "update", strconv.FormatInt(pid, 10))
		if len(updated) != 1 || updated[0].Fields != "birth,arrival_place" {
			t.Fatalf("update audit: %+v", updated)
		}
		for _, e := range log {
			for _, secret := range []string{"Selam", "Augusta", "Genova", "Youssef"} {
				if strings.Contains(e.Raw, secret) {
					t.Errorf("the audit log holds a value: %s", e.Raw)
				}
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE case_id = ? AND action = 'read' AND fields = 'persons'`, caseID); n < 3 {
			t.Errorf("%d reads of the persons audited", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind IN ('person_added', 'person_changed')
			AND ref_id IN (?, ?)`, caseID, pid, api); n != 4 {
			t.Errorf("%d person events on the timeline, want 4", n)
		}
		if r := sw.get(persCasePath(caseID) + "/timeline"); !strings.Contains(r.body, persText("event.person_added")) ||
			!strings.Contains(r.body, persText("event.person_changed")) {
			t.Errorf("the timeline does not show the persons' events")
		}
	})
}

// TestPersonFieldGroupsFollowTheRole checks that the educator of the
// reception community sees identities but not religion, gender or the
// court, cannot change what they cannot see, and that the lead entity
// never sees persons.
func TestPersonFieldGroupsFollowTheRole(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		ids, _ := persCases(t, db, "SDS-PRATO", "unaccompanied_minor")
		caseID := ids[1]
		sw := admLogin(e, "assistente.sociale")
		pid := persAdd(t, sw, caseID, map[string]any{"names": []any{persName("primary", "Karamba Sillah")}, "sex": "male",
			"birth_precision": "exact", "birth_date": "2009-02-11", "nationality": "GM", "religion": "Islam sunnita",
			"gender": "ragazzo", "guardian": map[string]any{"name": "Ottavio Nardini", "court": "Tribunale per i Minorenni di Firenze",
				"appointed_on": "2025-05-05"}, "confirm_distinct": true})
		path := persCasePath(caseID) + "/persons/" + strconv.FormatInt(pid, 10)

		op := admLogin(e, "operatore")
		r := op.get(path)
		if r.status != 200 || !strings.Contains(r.body, "Karamba Sillah") || !strings.Contains(r.body, "Ottavio Nardini") {
			t.Fatalf("the educator does not see the identity: %d", r.status)
		}
		for _, secret := range []string{"Islam sunnita", "ragazzo", "Tribunale per i Minorenni di Firenze", "05/05/2025"} {
			if strings.Contains(r.body, secret) {
				t.Errorf("the educator sees %q", secret)
			}
		}
		if !strings.Contains(r.body, persText("person.hidden")) {
			t.Errorf("the hidden fields are not marked hidden")
		}
		got := admDecode(t, op.get("/api/v1"+path), 200)
		if got["religion"] != nil || got["gender"] != nil || got["guardian"].(map[string]any)["court"] != nil ||
			fmt.Sprint(got["hidden"]) != "[judicial religion sexual_life]" || got["names"] == nil {
			t.Fatalf("the educator's API view: %v", got)
		}
		// The educator edits what they see; what they do not see stays.
		got["religion"] = "altro"
		got["arrival_place"] = "Lampedusa"
		r = op.api("PUT", "/api/v1"+path, got)
		if r.status != 200 {
			t.Fatalf("educator's edit: %d %s", r.status, r.body)
		}
		if r := op.get(path + "/edit"); r.status != 200 || strings.Contains(r.body, `name="religion"`) || strings.Contains(r.body, `name="guardian_court"`) {
			t.Errorf("the educator's form offers hidden groups: %d", r.status)
		}
		full := admDecode(t, sw.get("/api/v1"+path), 200)
		if full["religion"] != "Islam sunnita" || full["gender"] != "ragazzo" || full["arrival_place"] != "Lampedusa" {
			t.Fatalf("the educator's edit changed hidden groups: %v", full)
		}

		// The lead entity reads the case in summary only, never persons.
		lead := admLogin(e, "capofila")
		if r := lead.get(persCasePath(caseID)); r.status != 200 || strings.Contains(r.body, "Karamba") ||
			strings.Contains(r.body, `/persons"`) {
			t.Errorf("the lead entity's summary shows persons: %d", r.status)
		}
		for _, p := range []string{persCasePath(caseID) + "/persons", path, "/api/v1" + persCasePath(caseID) + "/persons", "/api/v1" + path} {
			if r := lead.get(p); r.status != 404 {
				t.Errorf("lead entity on %s: %d, want 404", p, r.status)
			}
		}
		if r := lead.get("/api/v1/search?q=Karamba"); r.status != 200 || strings.Contains(r.body, "Karamba") || strings.Contains(r.body, `"person_id":`+strconv.FormatInt(pid, 10)) {
			t.Errorf("the lead entity finds persons by name: %s", r.body)
		}
	})
}

// TestDuplicatesAreFoundAtIntake adds persons and checks intake against
// them: a sound-alike in the actor's own cases is shown with its case; one
// held by another organisation is shown only as held by it, and a request
// for access tells that organisation's social workers by case code.
func TestDuplicatesAreFoundAtIntake(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, pratoCodes := persCases(t, db, "SDS-PRATO", "unaccompanied_minor")
		rome, romeCodes := persCases(t, db, "RM-MSNA", "unaccompanied_minor")
		sw := admLogin(e, "assistente.sociale")
		roma := admLogin(e, "as.roma")

		// On file: Mohamed Qassimi in Prato, Abdelrahman Benkirane in Rome,
		// and a name kept only in Arabic script in Prato.
		mohamed := persAdd(t, sw, prato[0], map[string]any{"names": []any{persName("primary", "Mohamed Qassimi")}, "sex": "male",
			"birth_precision": "range", "birth_min": "2009-01-01", "birth_max": "2010-06-30", "nationality": "MA", "confirm_distinct": true})
		persAdd(t, roma, rome[0], map[string]any{"names": []any{persName("primary", "Abdelrahman Benkirane")}, "sex": "male",
			"birth_precision": "year", "birth_date": "2008", "nationality": "MA", "cui": "R7654321", "confirm_distinct": true})
		arabic := persAdd(t, sw, prato[1], map[string]any{"names": []any{persName("primary", "يوسف الزياني")}, "sex": "male",
			"birth_precision": "year", "birth_date": "2010", "nationality": "TN", "confirm_distinct": true})

		intake := func(caseID int64, name, precision, date, from, to, nationality string) response {
			form := url.Values{"csrf_token": {sw.csrf}, "names.0.kind": {"primary"}, "names.0.text": {name},
				"birth_precision": {precision}, "birth_date": {date}, "birth_min": {from}, "birth_max": {to}, "nationality": {nationality}}
			return sw.do("POST", persCasePath(caseID)+"/persons/duplicates", strings.NewReader(form.Encode()),
				map[string]string{"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"})
		}
		// Mohamed and Muhammad with overlapping ranges: a link to the case.
		r := intake(prato[2], "Muhammad Kasimi", "range", "", "2009-06-01", "2010-12-31", "Marocco (MA)")
		if r.status != 200 || !strings.Contains(r.body, "Mohamed Qassimi") || !strings.Contains(r.body, pratoCodes[0]) ||
			!strings.Contains(r.body, fmt.Sprintf(`href="/cases/%d/persons/%d"`, prato[0], mohamed)) {
			t.Fatalf("Mohamed/Muhammad at intake: %d\n%s", r.status, r.body)
		}
		// Ranges that do not meet, or another nationality: no match.
		if r := intake(prato[2], "Muhammad Kasimi", "year", "2004", "", "", "MA"); strings.Contains(r.body, "Mohamed Qassimi") {
			t.Errorf("a birth five years apart matches")
		}
		if r := intake(prato[2], "Muhammad Kasimi", "unknown", "", "", "", "EG"); strings.Contains(r.body, "Mohamed Qassimi") {
			t.Errorf("another nationality matches")
		}
		// Romanised against Arabic script.
		if r := intake(prato[2], "Youssef Ezzayani", "year", "2010", "", "", "TN"); !strings.Contains(r.body, "يوسف الزياني") ||
			!strings.Contains(r.body, fmt.Sprintf("/persons/%d", arabic)) {
			t.Errorf("the Arabic script name is not found from its romanisation:\n%s", r.body)
		}
		// Abd al-Rahman against Abdelrahman, held by Rome: the holder only.
		r = intake(prato[2], "Abd al-Rahman Benkiran", "exact", "2008-04-02", "", "", "MA")
		romeOrg := "Roma Capitale – UO Protezione Persone Minore Età, Ufficio MSNA"
		if !strings.Contains(r.body, persText("person.duplicates.held_by", romeOrg)) {
			t.Fatalf("the Rome match is not shown as held by Rome:\n%s", r.body)
		}
		for _, secret := range []string{"Benkirane", romeCodes[0], "2008", "R7654321"} {
			if strings.Contains(r.body, secret) {
				t.Errorf("the match held elsewhere shows %q", secret)
			}
		}
		if !strings.Contains(r.body, `href="/break-glass"`) {
			t.Errorf("the social worker is not pointed to emergency access")
		}
		// The educator cannot break the glass and is not offered it.
		op := admLogin(e, "operatore")
		if r := op.form(persCasePath(prato[2])+"/persons/duplicates", url.Values{"names.0.text": {"Abd al-Rahman Benkiran"},
			"nationality": {"MA"}}); !strings.Contains(r.body, persText("person.duplicates.held_by", romeOrg)) || strings.Contains(r.body, `href="/break-glass"`) {
			t.Errorf("the educator's panel: %d", r.status)
		}

		// Adding the person stops on the possible duplicate, keeps what was
		// typed and asks to confirm.
		add := url.Values{"case_role": {"relative"}, "names.0.kind": {"primary"}, "names.0.text": {"Abd al-Rahman Benkiran"},
			"birth_precision": {"year"}, "birth_date": {"2008"}, "nationality": {"MA"}, "religion": {"Islam"}}
		before := count(t, db, `SELECT COUNT(*) FROM persons`)
		r = sw.form(persCasePath(prato[2])+"/persons", add)
		if r.status != http.StatusConflict || !strings.Contains(r.body, `href="#confirm_distinct"`) ||
			!strings.Contains(r.body, `value="Abd al-Rahman Benkiran"`) || !strings.Contains(r.body, persText("person.duplicates.held_by", romeOrg)) {
			t.Fatalf("adding a possible duplicate: %d\n%s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM persons`); n != before {
			t.Fatalf("a stopped intake wrote %d persons", n-before)
		}
		// The request for access names the requester's case, never the
		// person, and reaches Rome's social workers.
		orgID := admInt(t, db, `SELECT id FROM organisations WHERE code = 'RM-MSNA'`)
		add.Set("organisation_id", strconv.FormatInt(orgID, 10))
		r = sw.form(persCasePath(prato[2])+"/persons/access-request", add)
		if r.status != 200 || !strings.Contains(r.body, persText("person.access.sent", romeOrg)) || !strings.Contains(r.body, `href="/break-glass"`) {
			t.Fatalf("request access: %d\n%s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'access_request'
			AND n.case_code = ? AND u.username = 'as.roma'`, pratoCodes[2]); n != 1 {
			t.Errorf("Rome's social worker got %d access requests", n)
		}
		if r := roma.get("/"); !strings.Contains(r.body, persText("notification.access_request", pratoCodes[2])) {
			t.Errorf("Rome's home does not show the request")
		}
		// An organisation that holds no match cannot be written to.
		other := admInt(t, db, `SELECT id FROM organisations WHERE code = 'COM-CECINA'`)
		add.Set("organisation_id", strconv.FormatInt(other, 10))
		if r := sw.form(persCasePath(prato[2])+"/persons/access-request", add); r.status != http.StatusUnprocessableEntity {
			t.Errorf("request to an organisation holding nothing: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM notifications WHERE kind = 'access_request'`); n != 1 {
			t.Errorf("%d access requests, want 1", n)
		}
		// Confirming a different person saves it.
		add.Del("organisation_id")
		add.Set("confirm_distinct", "1")
		if r := sw.form(persCasePath(prato[2])+"/persons", add); r.status != http.StatusSeeOther {
			t.Fatalf("confirmed intake: %d\n%s", r.status, r.body)
		}

		// The API answers the same, by organisation only.
		r = sw.api("POST", "/api/v1"+persCasePath(prato[2])+"/persons/duplicates", map[string]any{
			"names": []any{persName("primary", "Abdel Rahman Benkirane")}, "birth_precision": "year", "birth_date": "2008", "nationality": "MA"})
		d := admDecode(t, r, 200)
		if !strings.Contains(r.body, romeOrg) || strings.Contains(r.body, romeCodes[0]) || len(d["elsewhere"].([]any)) != 1 {
			t.Fatalf("API duplicates: %s", r.body)
		}
		r = sw.api("POST", "/api/v1"+persCasePath(prato[2])+"/persons", map[string]any{"case_role": "relative",
			"names": []any{persName("primary", "Mohammed Kassimi")}, "birth_precision": "year", "birth_date": "2009", "nationality": "MA"})
		if r.status != http.StatusConflict || !strings.Contains(r.body, `"field":"confirm_distinct"`) {
			t.Fatalf("API intake of a duplicate: %d %s", r.status, r.body)
		}
		r = sw.api("POST", "/api/v1"+persCasePath(prato[2])+"/access-requests", map[string]any{"organisation_id": orgID,
			"person": map[string]any{"names": []any{persName("primary", "Abdel Rahman Benkirane")}, "nationality": "MA"}})
		if r.status != 200 || !strings.Contains(r.body, romeOrg) {
			t.Fatalf("API access request: %d %s", r.status, r.body)
		}
		// The same CUI is the same person whatever the name.
		r = sw.api("POST", "/api/v1"+persCasePath(prato[2])+"/persons/duplicates", map[string]any{
			"names": []any{persName("primary", "Omar Dridi")}, "cui": "r7654321"})
		if d := admDecode(t, r, 200); len(d["elsewhere"].([]any)) != 1 {
			t.Errorf("the same CUI is not a match: %s", r.body)
		}
	})
}

// TestMergeKeepsBothHistories merges two records of one person held in two
// cases of the same organisation.
func TestMergeKeepsBothHistories(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := persCases(t, db, "SDS-PRATO", "unaccompanied_minor")
		sw := admLogin(e, "assistente.sociale")
		keep := persAdd(t, sw, prato[0], map[string]any{"names": []any{persName("primary", "Ousmane Kouyaté")}, "sex": "male",
			"birth_precision": "year", "birth_date": "2009", "nationality": "GN", "languages": []string{"fr"}, "confirm_distinct": true})
		gone := persAdd(t, sw, prato[1], map[string]any{"names": []any{persName("primary", "Usman Kouyate"), persName("alias", "Ousmane K.")},
			"sex": "male", "birth_precision": "range", "birth_min": "2009-03-01", "birth_max": "2009-09-30", "nationality": "GN",
			"languages": []string{"ff"}, "codice_fiscale": "12345678903",
			"documents":        []any{map[string]any{"kind": "passport", "number": "GN0011223", "issuer": "République de Guinée"}},
			"confirm_distinct": true})
		keepPath := persCasePath(prato[0]) + "/persons/" + strconv.FormatInt(keep, 10)

		// The person page offers the merge; the first post compares.
		r := sw.get(keepPath)
		if !strings.Contains(r.body, "Usman Kouyate") || !strings.Contains(r.body, `name="other_person_id" value="`+strconv.FormatInt(gone, 10)+`"`) {
			t.Fatalf("the person page does not offer the merge:\n%s", r.body)
		}
		v := func(id int64) string {
			return persRows(t, db, `SELECT version FROM persons WHERE id = ?`, id)[0][0]
		}
		compare := url.Values{"other_person_id": {strconv.FormatInt(gone, 10)}, "version": {v(keep)}, "other_version": {v(gone)}}
		if r := sw.form(keepPath+"/merge", compare); r.status != 200 || !strings.Contains(r.body, "GN0011223") && !strings.Contains(r.body, "12345678903") {
			t.Fatalf("merge comparison: %d\n%s", r.status, r.body)
		}
		// A stale version is refused, and nothing moves.
		stale := url.Values{"other_person_id": {strconv.FormatInt(gone, 10)}, "version": {"99"}, "other_version": {v(gone)}, "confirm": {"1"}}
		if r := sw.form(keepPath+"/merge", stale); r.status != http.StatusConflict {
			t.Fatalf("stale merge: %d", r.status)
		}
		compare.Set("confirm", "1")
		if r := sw.form(keepPath+"/merge", compare); r.status != http.StatusSeeOther {
			t.Fatalf("merge: %d\n%s", r.status, r.body)
		}
		// Keep holds both names, the narrower birth range, both languages,
		// the codice fiscale and the passport; it is in both cases.
		got := admDecode(t, sw.get("/api/v1"+keepPath), 200)
		b, _ := json.Marshal(got)
		for _, want := range []string{"Ousmane Kouyaté", "Usman Kouyate", "Ousmane K.", `"birth_min":"2009-03-01"`, `"fr"`, `"ff"`,
			"12345678903", "GN0011223"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("the merged person lacks %s: %s", want, b)
			}
		}
		if r := sw.get(persCasePath(prato[1]) + "/persons/" + strconv.FormatInt(keep, 10)); r.status != 200 {
			t.Errorf("the kept person is not in the other case: %d", r.status)
		}
		if r := sw.get(persCasePath(prato[1]) + "/persons/" + strconv.FormatInt(gone, 10)); r.status != 404 {
			t.Errorf("the merged person is still in its case: %d", r.status)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM persons WHERE id = ? AND merged_into = ?`, gone, keep); n != 1 {
			t.Errorf("the merged person does not point to the kept one")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM case_persons WHERE case_id = ? AND person_id = ? AND merged_from = ?`, prato[1], keep, gone); n != 1 {
			t.Errorf("the moved place does not name where it came from")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM person_keys WHERE person_id = ?`, gone); n != 0 {
			t.Errorf("the merged person is still indexed")
		}
		// Both timelines and both audit entries.
		for _, id := range prato[:2] {
			if n := count(t, db, `SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = 'persons_merged'`, id); n != 1 {
				t.Errorf("case %d has %d merge events", id, n)
			}
		}
		log := admAuditLog(t, db, "person")
		if len(admFind(log, "update", strconv.FormatInt(gone, 10))) != 1 || len(admFind(log, "update", strconv.FormatInt(keep, 10))) != 1 {
			t.Errorf("the merge is not audited on both persons")
		}
		// The merged person is found by no search and no duplicate check.
		if r := sw.get("/api/v1/search?q=Usman"); strings.Contains(r.body, `"person_id":`+strconv.FormatInt(gone, 10)) ||
			!strings.Contains(r.body, `"person_id":`+strconv.FormatInt(keep, 10)) {
			t.Errorf("search after the merge: %s", r.body)
		}
		// A person of another organisation's case cannot be merged.
		rome, _ := persCases(t, db, "RM-MSNA", "unaccompanied_minor")
		roma := admLogin(e, "as.roma")
		foreign := persAdd(t, roma, rome[1], map[string]any{"names": []any{persName("primary", "Ousmane Kouyate")}, "confirm_distinct": true})
		r = sw.api("POST", "/api/v1"+keepPath+"/merge", map[string]any{"other_person_id": foreign, "version": 2, "other_version": 1})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"other_person_id"`) {
			t.Errorf("merging another organisation's person: %d %s", r.status, r.body)
		}
	})
}

// TestSearchFindsNamesAndCodes searches by the start of a name, by sound,
// across scripts and by case code, only among the cases the actor reads.
func TestSearchFindsNamesAndCodes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, pratoCodes := persCases(t, db, "SDS-PRATO", "unaccompanied_minor")
		rome, _ := persCases(t, db, "RM-MSNA", "unaccompanied_minor")
		sw := admLogin(e, "assistente.sociale")
		roma := admLogin(e, "as.roma")
		mine := persAdd(t, sw, prato[0], map[string]any{"names": []any{persName("primary", "Mohamed Zoubeiri"),
			persName("alias", "Hamoudi")}, "nationality": "TN", "confirm_distinct": true})
		theirs := persAdd(t, roma, rome[0], map[string]any{"names": []any{persName("primary", "Mohamed Zoubeiri")}, "confirm_distinct": true})
		script := persAdd(t, sw, prato[1], map[string]any{"names": []any{persName("primary", "Олександр Ткачук")}, "nationality": "UA",
			"confirm_distinct": true})
		find := func(c *admClient, q string) string {
			t.Helper()
			r := c.get("/api/v1/search?q=" + url.QueryEscape(q))
			if r.status != 200 {
				t.Fatalf("search %q: %d %s", q, r.status, r.body)
			}
			return r.body
		}
		has := func(body string, id int64) bool {
			return strings.Contains(body, `"person_id":`+strconv.FormatInt(id, 10)+`,`)
		}
		for _, q := range []string{"Zoub", "moh zoub", "Muhammad Zubeiri", "محمد", "hamoud", "zoubeiri mohamed"} {
			body := find(sw, q)
			if !has(body, mine) {
				t.Errorf("%q does not find Mohamed Zoubeiri: %s", q, body)
			}
			if has(body, theirs) {
				t.Errorf("%q finds a person of another organisation", q)
			}
		}
		if body := find(sw, "Oleksandr Tkachuk"); !has(body, script) {
			t.Errorf("the romanisation does not find the Cyrillic name: %s", body)
		}
		if body := find(sw, "Zoubeiri Karim"); has(body, mine) {
			t.Errorf("a word the name lacks still finds it")
		}
		if body := find(roma, "Zoubeiri"); !has(body, theirs) || has(body, mine) {
			t.Errorf("Rome's search: %s", body)
		}
		// Case codes by their start, the main person named for those who see
		// identities.
		if body := find(sw, pratoCodes[0][:len(pratoCodes[0])-1]); !strings.Contains(body, `"code":"`+pratoCodes[0]+`"`) {
			t.Errorf("a code prefix does not find the case: %s", body)
		}
		lead := admLogin(e, "capofila")
		if body := find(lead, pratoCodes[0]); !strings.Contains(body, `"summary":true`) || strings.Contains(body, `"name":"`) {
			t.Errorf("the lead entity's code search: %s", body)
		}
		// The page.
		r := sw.get("/search?q=" + url.QueryEscape("Muhammad Zubeiri"))
		if r.status != 200 || !strings.Contains(r.body, "Mohamed Zoubeiri") || !strings.Contains(r.body, pratoCodes[0]) {
			t.Fatalf("search page: %d", r.status)
		}
		if r := sw.get("/search?q=" + strings.Repeat("a", 201)); r.status != http.StatusUnprocessableEntity {
			t.Errorf("an over-long query: %d", r.status)
		}
		// Searches are audited without their words.
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'case_search'`); n < 5 {
			t.Errorf("%d searches audited", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE fields LIKE ? OR reason LIKE ?`, "%Zoub%", "%Zoub%"); n != 0 {
			t.Errorf("the audit log holds the words searched")
		}
	})
}

// TestPersonInputIsChecked sends every kind of bad input through the form
// and the API and expects a message naming the field, and nothing written.
func TestPersonInputIsChecked(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := persCases(t, db, "SDS-PRATO", "minor_family_violence")
		sw := admLogin(e, "assistente.sociale")
		base := func() url.Values {
			return url.Values{"case_role": {"relative"}, "names.0.kind": {"primary"}, "names.0.text": {"Ilham Bouchaib"},
				"birth_precision": {"exact"}, "birth_date": {"1990-05-04"}, "nationality": {"MA"}, "confirm_distinct": {"1"}}
		}
		before := count(t, db, `SELECT COUNT(*) FROM persons`)
		for _, tc := range []struct {
			name, field, message string
			change               map[string]string
		}{
			{"birth in the future", "birth_date", "error.field.future", map[string]string{"birth_date": "2099-01-01"}},
			{"malformed birth", "birth_date", "error.field.birth_exact", map[string]string{"birth_date": "31/02/19x"}},
			{"arrival before birth", "arrived_on", "error.field.arrival_before_birth", map[string]string{"arrived_on": "1980-01-01"}},
			{"max before min", "birth_max", "error.field.before_start", map[string]string{"birth_precision": "range", "birth_min": "2010-01-01", "birth_max": "2009-01-01"}},
			{"codice fiscale too short", "codice_fiscale", "error.field.cf_length", map[string]string{"codice_fiscale": "RSSMRA85T10A562"}},
			{"codice fiscale check", "codice_fiscale", "error.field.cf_check", map[string]string{"codice_fiscale": "RSSMRA85T10A562A"}},
			{"codice fiscale month", "codice_fiscale", "error.field.cf_month", map[string]string{"codice_fiscale": "RSSMRA85W10A562S"}},
			{"provisional check", "codice_fiscale", "error.field.cf_provisional_check", map[string]string{"codice_fiscale": "12345678901"}},
			{"unknown nationality", "nationality", "error.field.country_code", map[string]string{"nationality": "Narnia"}},
			{"unknown language", "languages", "error.field.language_code", map[string]string{"languages": "klingon"}},
			{"over-long name", "names.0.text", "error.field.too_long", map[string]string{"names.0.text": strings.Repeat("x", 201)}},
			{"no name", "names", "error.field.required", map[string]string{"names.0.text": ""}},
			{"unknown document kind", "documents.0.kind", "error.field.unknown_value", map[string]string{"documents.0.kind": "library_card", "documents.0.number": "1"}},
			{"unknown permit kind", "permits.0.kind", "error.field.unknown_value", map[string]string{"permits.0.kind": "golden_visa"}},
			{"unknown relation", "links.0.relation", "error.field.unknown_value", map[string]string{"links.0.relation": "neighbour", "links.0.note": "x"}},
			{"expiry before issue", "documents.0.expires_on", "error.field.before_start", map[string]string{"documents.0.kind": "passport",
				"documents.0.issued_on": "2024-01-01", "documents.0.expires_on": "2023-01-01"}},
			{"second main person", "case_role", "error.field.main_person_taken", map[string]string{"case_role": "main"}},
		} {
			form := base()
			for k, v := range tc.change {
				form.Set(k, v)
			}
			r := sw.form(persCasePath(prato[0])+"/persons", form)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#`+tc.field+`"`) {
				t.Errorf("%s: %d, no link to #%s\n%s", tc.name, r.status, tc.field, r.body)
				continue
			}
			if tc.message != "error.field.required" && !strings.Contains(r.body, tc.message) {
				label := html.EscapeString(persCatalogue.T("it", "field."+tc.field))
				if !strings.Contains(r.body, label) && !strings.Contains(tc.field, ".") {
					t.Errorf("%s: the message does not name the field %q", tc.name, label)
				}
			}
			for k, v := range tc.change {
				typed := !strings.HasPrefix(k, "names") && !strings.HasSuffix(k, "kind") && !strings.HasSuffix(k, "relation") && k != "case_role"
				if v != "" && typed && !strings.Contains(r.body, html.EscapeString(v)) {
					t.Errorf("%s: what was typed in %s is lost", tc.name, k)
				}
			}
		}
		// The API: the same rules, JSON only.
		for _, tc := range []struct {
			name, field string
			body        map[string]any
		}{
			{"future", "birth_date", map[string]any{"birth_precision": "exact", "birth_date": "2099-01-01"}},
			{"cf", "codice_fiscale", map[string]any{"codice_fiscale": "XYZ"}},
			{"country", "nationality", map[string]any{"nationality": "XX"}},
			{"language", "languages", map[string]any{"languages": []string{"zzz"}}},
			{"range", "birth_max", map[string]any{"birth_precision": "range", "birth_min": "2010-01-01", "birth_max": "2009-01-01"}},
			{"date", "arrived_on", map[string]any{"arrived_on": "yesterday"}},
			{"document", "documents.0.kind", map[string]any{"documents": []any{map[string]any{"kind": "library_card"}}}},
			{"relation", "links.0.relation", map[string]any{"links": []any{map[string]any{"relation": "neighbour", "note": "x"}}}},
			{"guardian", "guardian.appointed_on", map[string]any{"guardian": map[string]any{"appointed_on": "2099-01-01"}}},
		} {
			body := map[string]any{"case_role": "relative", "names": []any{persName("primary", "Ilham Bouchaib")}, "confirm_distinct": true}
			for k, v := range tc.body {
				body[k] = v
			}
			r := sw.api("POST", "/api/v1"+persCasePath(prato[0])+"/persons", body)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"`+tc.field+`"`) {
				t.Errorf("API %s: %d %s", tc.name, r.status, r.body)
			}
		}
		r := sw.do("POST", "/api/v1"+persCasePath(prato[0])+"/persons", strings.NewReader("names=x"),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": sw.csrf})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "application/json") {
			t.Errorf("a form body to the API: %d %s", r.status, r.body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM persons`); n != before {
			t.Fatalf("bad input wrote %d persons", n-before)
		}
	})
}

// TestStalePersonEditsAreRefused edits a person from an old version in
// the form and the API: 409, what changed shown, and saving again
// applies the edit.
func TestStalePersonEditsAreRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		prato, _ := persCases(t, db, "SDS-PRATO", "unaccompanied_minor")
		sw := admLogin(e, "assistente.sociale")
		op := admLogin(e, "operatore")
		pid := persAdd(t, sw, prato[2], map[string]any{"names": []any{persName("primary", "Sekou Fofana")}, "nationality": "GN",
			"confirm_distinct": true})
		path := persCasePath(prato[2]) + "/persons/" + strconv.FormatInt(pid, 10)
		old := admDecode(t, sw.get("/api/v1"+path), 200)

		edit := sw.get(path + "/edit")
		version := admVersion.FindStringSubmatch(edit.body)[1]
		// Someone else changes the place of arrival meanwhile.
		theirs := admDecode(t, op.get("/api/v1"+path), 200)
		theirs["arrival_place"] = "Crotone"
		if r := op.api("PUT", "/api/v1"+path, theirs); r.status != 200 {
			t.Fatalf("the other edit: %d %s", r.status, r.body)
		}
		form := url.Values{"version": {version}, "case_role": {"relative"}, "names.0.kind": {"primary"}, "names.0.text": {"Sekou Fofana"},
			"nationality": {"GN"}, "arrival_place": {"Taranto"}, "birth_precision": {"unknown"}}
		r := sw.form(path, form)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Crotone") || !strings.Contains(r.body, `value="Taranto"`) {
			t.Fatalf("stale form edit: %d\n%s", r.status, r.body)
		}
		form.Set("version", admVersion.FindStringSubmatch(r.body)[1])
		if r := sw.form(path, form); r.status != http.StatusSeeOther {
			t.Fatalf("saving again: %d", r.status)
		}
		old["arrival_place"] = "Pisa"
		if r := sw.api("PUT", "/api/v1"+path, old); r.status != http.StatusConflict || !strings.Contains(r.body, `"code":"conflict"`) {
			t.Fatalf("stale API edit: %d %s", r.status, r.body)
		}
		if got := admDecode(t, sw.get("/api/v1"+path), 200); got["arrival_place"] != "Taranto" {
			t.Fatalf("the stale edit was written: %v", got["arrival_place"])
		}
	})
}
