package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/store"
)

// rawText returns every text and binary value of every table of the
// database, as a thief holding a copy of the database alone would read it.
func rawText(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.Dialect == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	out := map[string]string{}
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, q)
		if err != nil {
			return err
		}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return err
			}
			tables = append(tables, name)
		}
		rows.Close()
		for _, table := range tables {
			rows, err := tx.Query(ctx, `SELECT * FROM `+table)
			if err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
			cols, _ := rows.Columns()
			var b strings.Builder
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				for _, v := range vals {
					switch x := v.(type) {
					case string:
						b.WriteString(x)
					case []byte:
						b.Write(x)
					}
					b.WriteByte('\x00')
				}
			}
			rows.Close()
			out[table] = b.String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestACopyOfTheDatabaseRevealsNoSensitiveValue writes sensitive values
// through the UI and the API, then reads every table raw and finds none of
// them in clear.
func TestACopyOfTheDatabaseRevealsNoSensitiveValue(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		_, romeCode := caseOf(t, db, "RM-MSNA")
		secrets := []string{"Sensibile-Motivo-7f3a9c: il ragazzo è ricoverato in pediatria a Prato"}
		sw := e.client()
		sw.login("assistente.sociale")
		if r := sw.post("/break-glass", url.Values{"csrf_token": {sw.token("/break-glass")}, "case_code": {romeCode},
			"reason": {secrets[0]}}); r.status != 303 {
			t.Fatalf("break-glass: %d", r.status)
		}
		// A call recorded as a report of concern, and its screening.
		secrets = append(secrets, "Sensibile-Chiamante-3e8b: la zia, 333 000000", "Sensibile-Soggetto-51d0: bambina di 6 anni",
			"Sensibile-Osservato-a2c4: lividi sulle gambe", "Sensibile-Motivi-c9f7: racconto confermato dalla maestra")
		report := "/reports/" + strconv.FormatInt(sw.fileReport(url.Values{"recorded_call": {"1"}, "reporter": {secrets[1]},
			"channel": {"citizen"}, "urgency": {"urgent"}, "area_id": {strconv.FormatInt(idOf(t, db, "areas", "FI-PO"), 10)},
			"subject": {secrets[2]}, "observed": {secrets[3]}}), 10)
		if r := sw.post(report+"/screening", url.Values{"csrf_token": {sw.token("/")}, "action": {"save"},
			"answers": {"violence_minor.unexplained_injuries"}, "reasons": {secrets[4]}}); r.status != 303 {
			t.Fatalf("screening: %d", r.status)
		}
		// A note with its participants and an attachment (name and content),
		// through the UI, and a note through the API.
		secrets = append(secrets, "Sensibile-Nota-4b1e: racconta delle percosse del padre",
			"Sensibile-Partecipanti-77c2: la zia materna", "Sensibile-Allegato-9e0d referto pediatria.txt",
			"Sensibile-Contenuto-d35a: frattura al braccio sinistro", "Sensibile-NotaAPI-6f21: minacce ricevute al telefono")
		prato, _ := caseOf(t, db, "SDS-PRATO")
		f := noteFields(secrets[5])
		f.Set("participants", secrets[6])
		noteID(t, sw.postNote(prato, f, false, upload{"file", secrets[7], "text/plain", []byte(secrets[8])}))
		createdID(t, sw.api("POST", "/api/v1"+notesPath(prato), noteJSON(map[string]any{"body": secrets[9]})))
		// A person through the form, with every sealed field, and one
		// through the API with a name in Arabic script.
		n := len(secrets)
		secrets = append(secrets, "Sensibile-Nome-8c31 Zubeyrovic", "Sensibile-Alias-02fa Zubo", "Sensibile-Luogo-5e77 Molo Favarolo",
			"Sensibile-CUI-19ab-77", "Sensibile-Tutore-6d40 Gualtieri", "Sensibile-Tribunale-b3e9 dei Minorenni",
			"Sensibile-Religione-70c1 confessione", "Sensibile-Genere-e5d2 identita", "SENSIBILE-NUMERO-4A0C77",
			"Sensibile-Familiare-c8e3: la nonna a Tunisi", "سنسيبيلي زوبيروفيتش العربي")
		if r := sw.post(persCasePath(prato)+"/persons", url.Values{"csrf_token": {sw.token("/")}, "case_role": {"relative"},
			"names.0.kind": {"primary"}, "names.0.text": {secrets[n]}, "names.1.kind": {"alias"}, "names.1.text": {secrets[n+1]},
			"arrival_place": {secrets[n+2]}, "cui": {secrets[n+3]}, "guardian_name": {secrets[n+4]}, "guardian_court": {secrets[n+5]},
			"religion": {secrets[n+6]}, "gender": {secrets[n+7]}, "documents.0.kind": {"passport"}, "documents.0.number": {secrets[n+8]},
			"links.0.relation": {"grandparent"}, "links.0.note": {secrets[n+9]}, "confirm_distinct": {"1"}}); r.status != 303 {
			t.Fatalf("person through the form: %d\n%s", r.status, r.body)
		}
		if r := sw.api("POST", "/api/v1"+persCasePath(prato)+"/persons", `{"case_role":"relative","confirm_distinct":true,
			"names":[{"kind":"primary","text":"`+secrets[n+10]+`"}]}`); r.status != 201 {
			t.Fatalf("person through the API: %d %s", r.status, r.body)
		}
		raw := rawText(t, db)
		if strings.Contains(raw["screenings"], "unexplained_injuries") {
			t.Errorf("the screenings hold their answers in clear")
		}
		if len(raw) < 10 {
			t.Fatalf("read only %d tables", len(raw))
		}
		for table, text := range raw {
			for _, s := range secrets {
				if strings.Contains(text, s) || strings.Contains(text, s[:20]) {
					t.Errorf("table %s holds a sensitive value in clear: %q", table, s[:20])
				}
			}
		}
	})
}
