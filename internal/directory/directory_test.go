package directory_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/directory"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/network"
	"approdo/services"
)

// fill fills db with two areas and two organisations; extra areas first
// give the same codes other ids, as in another Approdo.
func fill(t *testing.T, db *store.DB, extra int) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		for i := range extra {
			a := network.Area{Code: "X" + string(rune('A'+i)), Name: "Altro", Region: "Altrove"}
			if err := store.InsertArea(ctx, tx, &a); err != nil {
				return err
			}
		}
		po := network.Area{Code: "FI-PO", Name: "Piana fiorentina e pratese", Region: "Toscana"}
		ar := network.Area{Code: "AR", Name: "Area aretina", Region: "Toscana"}
		for _, a := range []*network.Area{&po, &ar} {
			if err := store.InsertArea(ctx, tx, a); err != nil {
				return err
			}
		}
		for _, o := range []network.Organisation{{Code: "USL-TSE", Name: "USL", Kind: network.HealthAuthority, AreaID: ar.ID},
			{Code: "SDS-PRATO", Name: "SdS", Kind: network.MunicipalSocialService, AreaID: po.ID}} {
			if err := store.InsertOrganisation(ctx, tx, &o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// administrator is an actor who may do everything with the directory.
func administrator() *auth.Actor {
	role := &access.Role{Code: "administrator"}
	for _, v := range []access.Verb{access.Read, access.Create, access.Update, access.Manage} {
		role.Permissions = append(role.Permissions, access.Permission{Verb: v, Resource: access.Services, Scope: access.Network})
	}
	return &auth.Actor{User: network.User{ID: 1, Active: true}, Grants: auth.NewGrants(network.MunicipalSocialService, []*access.Role{role})}
}

func ids(t *testing.T, db *store.DB, query string, args ...any) (out map[string]int64) {
	t.Helper()
	ctx := context.Background()
	out = map[string]int64{}
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			var id int64
			if err := rows.Scan(&code, &id); err != nil {
				return err
			}
			out[code] = id
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func intp(n int) *int { return &n }

func export(t *testing.T, d *directory.Service) (string, string) {
	t.Helper()
	list, err := d.Export(context.Background(), administrator(), "json")
	if err != nil {
		t.Fatal(err)
	}
	var j, c bytes.Buffer
	if err := directory.WriteJSON(&j, list); err != nil {
		t.Fatal(err)
	}
	if err := directory.WriteCSV(&c, list); err != nil {
		t.Fatal(err)
	}
	return j.String(), c.String()
}

func TestExportImportRoundTripsWithoutLoss(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect store.Dialect) {
		ctx := context.Background()
		a := administrator()
		src := storetest.Open(t, dialect)
		fill(t, src, 0)
		orgs := ids(t, src, `SELECT code, id FROM organisations`)
		areas := ids(t, src, `SELECT code, id FROM areas`)
		d := directory.New(src, nil)
		for _, s := range []services.Service{
			{OrganisationID: orgs["USL-TSE"], Name: "Supporto psicologico, \"transculturale\"", AlternateName: "Spazio giovani",
				Description: "Colloqui;\npsicoterapia breve", URL: "https://example.org/psi", Email: "psi@example.org",
				Types: []string{services.PsychologicalSupport, services.EthnoclinicalConsultation}, CaseKinds: []cases.Kind{cases.UnaccompaniedMinor},
				Eligibility: "Adolescenti", MinAge: intp(11), MaxAge: intp(21), AreaIDs: []int64{areas["AR"], areas["FI-PO"]},
				Languages: []string{"it", "ti", "prs"}, Interpretation: "Mediatori in ogni lingua", ApplicationProcess: "Invio del servizio",
				Fees: "Gratuito", RequiredDocuments: []string{"Tessera sanitaria; o STP", "Documento"}, ResponseDays: 5,
				Schedules: []services.Schedule{{Days: []string{"MO", "WE"}, OpensAt: "09:00", ClosesAt: "13:00"}, {Description: "Su appuntamento, il giovedì"}},
				Contacts:  []services.Contact{{Name: "Accettazione", Title: "Psicologo", Phone: "+39 0575 000 001", Email: "a@example.org"}, {Phone: "+39 0575 000 002"}},
				Active:    true},
			{OrganisationID: orgs["SDS-PRATO"], Name: "Sportello sociale", Types: []string{services.BasicNeeds}, MinAge: intp(0), Active: true},
			{OrganisationID: orgs["SDS-PRATO"], Name: "Sportello sociale", Types: []string{services.FamilySupport}, Active: false},
		} {
			if err := d.Create(ctx, a, &s); err != nil {
				t.Fatal(err)
			}
		}
		json1, csv1 := export(t, d)
		if !strings.Contains(json1, `"organization_id": "USL-TSE"`) || !strings.Contains(json1, `"uri": "urn:approdo:area:FI-PO"`) ||
			!strings.Contains(json1, `"minimum_age": 11`) || !strings.Contains(json1, `"taxonomy": "approdo-response-days"`) {
			t.Errorf("the export is not HSDS-shaped as documented:\n%s", json1)
		}
		var parsed []map[string]any
		if err := json.Unmarshal([]byte(json1), &parsed); err != nil || len(parsed) != 3 {
			t.Fatalf("the JSON export: %v, %d services", err, len(parsed))
		}

		// Into an empty directory of another Approdo, whose areas and
		// organisations have other ids: from JSON, and from CSV.
		for _, from := range []string{"json", "csv"} {
			dst := storetest.Open(t, dialect)
			fill(t, dst, 3)
			var list []directory.HSDSService
			var err error
			if from == "json" {
				list, err = directory.ReadJSON(strings.NewReader(json1))
			} else {
				list, err = directory.ReadCSV(strings.NewReader(csv1))
			}
			if err != nil {
				t.Fatalf("read %s: %v", from, err)
			}
			d2 := directory.New(dst, nil)
			res, err := d2.Import(ctx, a, list)
			if err != nil {
				t.Fatalf("import %s: %v", from, err)
			}
			if res.Created != 3 || res.Updated != 0 {
				t.Errorf("import %s: %+v", from, res)
			}
			json2, csv2 := export(t, d2)
			if json2 != json1 {
				t.Errorf("JSON after a round trip through %s differs:\n%s\n---\n%s", from, json1, json2)
			}
			if csv2 != csv1 {
				t.Errorf("CSV after a round trip through %s differs:\n%s\n---\n%s", from, csv1, csv2)
			}
			// Importing the same file again changes nothing.
			res, err = d2.Import(ctx, a, list)
			if err != nil || res.Unchanged != 3 {
				t.Errorf("import %s again: %+v %v", from, res, err)
			}
		}
	})
}

func TestABadImportWritesNothingAndNamesRowAndField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fill(t, db, 0)
		list, err := directory.ReadJSON(strings.NewReader(`[
			{"id": "a", "organization_id": "USL-TSE", "name": "Buono", "status": "active",
			 "attributes": [{"id": "x", "taxonomy_term": {"id": "t", "code": "legal_aid", "name": "Legal aid", "description": "", "taxonomy": "approdo-service-type"}}]},
			{"id": "b", "organization_id": "NOPE", "name": "", "status": "active", "minimum_age": 12.5,
			 "service_areas": [{"id": "z", "name": "Atlantide"}],
			 "schedules": [{"id": "s", "byday": "MO", "opens_at": "25:00", "closes_at": "26:00"}]}
		]`))
		if err != nil {
			t.Fatal(err)
		}
		_, err = directory.New(db, nil).Import(context.Background(), administrator(), list)
		if approdo.ErrorCode(err) != approdo.EINVALID {
			t.Fatalf("want EINVALID, got %v", err)
		}
		got := map[string]string{}
		for _, f := range approdo.ErrorFields(err) {
			got[f.Field] = f.Message
		}
		for field, msg := range map[string]string{"services.1.organisation_id": "error.service.unknown_organisation",
			"services.1.name": "error.field.required", "services.1.min_age": "error.service.age",
			"services.1.area_ids": "error.service.unknown_area", "services.1.service_types": "error.service.no_type",
			"services.1.schedules": "error.service.time"} {
			if got[field] != msg {
				t.Errorf("%s: %q, want %q (all: %v)", field, got[field], msg, got)
			}
		}
		if _, bad := got["services.0.name"]; bad {
			t.Errorf("the good row has problems: %v", got)
		}
		var n int
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM services`).Scan(&n)
		}); err != nil || n != 0 {
			t.Errorf("a refused import wrote %d services (%v)", n, err)
		}
	})
}

func TestCSVWithAnUnknownColumnIsRefused(t *testing.T) {
	_, err := directory.ReadCSV(strings.NewReader("organization_id,name,colour\nUSL-TSE,Uno,blu\n"))
	if f := approdo.ErrorFields(err); len(f) != 1 || f[0].Field != "import_file" || f[0].Message != "error.service.csv_column" {
		t.Errorf("got %v", err)
	}
	_, err = directory.ReadJSON(strings.NewReader(`{"name": "not a list"}`))
	if f := approdo.ErrorFields(err); len(f) != 1 || f[0].Message != "error.service.bad_json" {
		t.Errorf("got %v", err)
	}
}

func TestFindServiceAndOrganisationOffers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fill(t, db, 0)
		orgs := ids(t, db, `SELECT code, id FROM organisations`)
		d := directory.New(db, nil)
		psy := services.Service{OrganisationID: orgs["USL-TSE"], Name: "Psicologia", Types: []string{services.PsychologicalSupport}, ResponseDays: 5, Active: true}
		old := services.Service{OrganisationID: orgs["SDS-PRATO"], Name: "Chiuso", Types: []string{services.LegalAid}, Active: false}
		for _, s := range []*services.Service{&psy, &old} {
			if err := d.Create(ctx, administrator(), s); err != nil {
				t.Fatal(err)
			}
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			got, err := store.FindService(ctx, tx, psy.ID)
			if err != nil || got.ID != psy.ID || got.OrganisationID != orgs["USL-TSE"] || got.ResponseDays != 5 || !got.Active ||
				len(got.Types) != 1 || got.Types[0] != services.PsychologicalSupport {
				t.Errorf("FindService: %+v %v", got, err)
			}
			if _, err := store.FindService(ctx, tx, 99999); approdo.ErrorCode(err) != approdo.ENOTFOUND {
				t.Errorf("a missing service: %v", err)
			}
			for _, c := range []struct {
				org  string
				typ  string
				want bool
			}{{"USL-TSE", services.PsychologicalSupport, true}, {"USL-TSE", services.LegalAid, false},
				{"SDS-PRATO", services.LegalAid, false}, {"USL-TSE", "psychological%", false}} {
				got, err := store.OrganisationOffers(ctx, tx, orgs[c.org], c.typ)
				if err != nil || got != c.want {
					t.Errorf("%s offers %s: %v %v", c.org, c.typ, got, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
