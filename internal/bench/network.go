package bench

import (
	"context"
	"fmt"
	"time"

	"approdo/cases"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/network"
)

// zones are the social-health areas of the synthetic region, after the
// "zone distretto" of Tuscany.
var zones = []string{"Lunigiana", "Apuane", "Valle del Serchio", "Piana di Lucca", "Versilia", "Pistoiese",
	"Val di Nievole", "Pratese", "Fiorentina Nord-Ovest", "Fiorentina Sud-Est", "Firenze", "Mugello",
	"Empolese", "Valdarno Inferiore", "Alta Val di Cecina", "Pisana", "Val d'Era", "Livornese",
	"Bassa Val di Cecina", "Val di Cornia", "Elba", "Alta Val d'Elsa", "Senese", "Amiata Senese",
	"Aretina", "Casentino", "Valtiberina", "Valdichiana Aretina", "Colline Metallifere", "Grossetana"}

// region is the synthetic network as the generator needs it: for each
// area its organisations and operators by role, and the programmes.
type region struct {
	areas      []areaOf
	programmes []int64 // by index of areas/zonesPerProgramme
	violence   int64   // the anti-violence programme
	trafficked int64   // the anti-trafficking programme
	avcOrgs    []int64 // anti-violence centres
	avcStaff   [][]int64
	atOrgs     []int64 // anti-trafficking projects
	atStaff    [][]int64
	operators  int
	// coordinators holds a lead coordinator of each programme, who
	// approves its projects.
	coordinators map[int64]int64
}

// areaOf is one area of the region with its organisations and operators.
type areaOf struct {
	code          string
	areaID        int64
	social        int64   // the municipal social service, which owns the area's cases
	health        int64   // the health authority's unit
	communities   []int64 // reception communities
	socialWorkers []int64
	partners      []int64 // partner operators of the communities
	healthStaff   []int64
}

// zonesPerProgramme is how many areas one programme for unaccompanied
// minors covers.
const zonesPerProgramme = 6

// buildNetwork writes the areas, organisations, programmes and operators
// of the region: about one operator for every 500 persons, at least 60 and
// at most 2,000, every one with the password Password and the second factor
// TOTPSecret.
func buildNetwork(ctx context.Context, tx *store.Tx, v *vault.Vault, persons int, passwordHash string, now time.Time) (*region, error) {
	reg := &region{coordinators: map[int64]int64{}}
	operators := min(2000, max(60, persons/500))
	perArea := max(2, operators/len(zones))
	counter := map[string]int{}
	addUser := func(prefix, name string, org int64, role network.Role, area int64) (int64, error) {
		counter[prefix]++
		u := network.User{Username: fmt.Sprintf("%s%04d", prefix, counter[prefix]),
			DisplayName: fmt.Sprintf("%s %d", name, counter[prefix]), OrganisationID: org, Locale: "it",
			Languages: []string{"it"}, Roles: []network.Role{role}, Active: true}
		if area != 0 {
			u.AreaIDs = []int64{area}
		}
		if err := store.InsertUser(ctx, tx, &u, passwordHash); err != nil {
			return 0, err
		}
		secret, err := v.SealString(TOTPSecret, []byte(fmt.Sprintf("users.totp_secret:%d", u.ID)))
		if err != nil {
			return 0, err
		}
		// The second factor is set up as if its user had confirmed it.
		if _, err := tx.Exec(ctx, `INSERT INTO user_second_factors (user_id, secret, enabled_at, last_step, updated_at)
			VALUES (?, ?, ?, 0, ?)`, u.ID, secret, now, now); err != nil {
			return 0, fmt.Errorf("bench: unable to set up the second factor of %s: %w", u.Username, err)
		}
		reg.operators++
		return u.ID, nil
	}
	addOrg := func(code, name string, kind network.Kind, area int64) (int64, error) {
		o := network.Organisation{Code: code, Name: name, Kind: kind, AreaID: area}
		return o.ID, store.InsertOrganisation(ctx, tx, &o)
	}
	for i, zone := range zones {
		a := network.Area{Code: fmt.Sprintf("Z%02d", i+1), Name: "Zona " + zone, Region: "Toscana"}
		if err := store.InsertArea(ctx, tx, &a); err != nil {
			return nil, err
		}
		ar := areaOf{code: a.Code, areaID: a.ID}
		var err error
		if ar.social, err = addOrg("SS-"+a.Code, "Servizio sociale "+zone, network.MunicipalSocialService, a.ID); err != nil {
			return nil, err
		}
		if ar.health, err = addOrg("ASL-"+a.Code, "Consultorio "+zone, network.HealthAuthority, a.ID); err != nil {
			return nil, err
		}
		for c := 1; c <= 2; c++ {
			id, err := addOrg(fmt.Sprintf("CA-%s-%d", a.Code, c), fmt.Sprintf("Comunità di accoglienza %d %s", c, zone),
				network.ReceptionCommunity, a.ID)
			if err != nil {
				return nil, err
			}
			ar.communities = append(ar.communities, id)
		}
		if _, err := addOrg("SC-"+a.Code, "Istituto comprensivo "+zone, network.School, a.ID); err != nil {
			return nil, err
		}
		// Half of an area's operators are social workers, a third work in
		// the communities, the rest in health.
		for range max(1, perArea/2) {
			id, err := addUser(SocialWorkerPrefix, "Assistente sociale", ar.social, network.SocialWorker, a.ID)
			if err != nil {
				return nil, err
			}
			ar.socialWorkers = append(ar.socialWorkers, id)
		}
		for k := range max(1, perArea/3) {
			id, err := addUser(PartnerOperatorPrefix, "Educatore", ar.communities[k%2], network.PartnerOperator, a.ID)
			if err != nil {
				return nil, err
			}
			ar.partners = append(ar.partners, id)
		}
		for range max(1, perArea-perArea/2-perArea/3) {
			id, err := addUser(HealthPrefix, "Psicologa", ar.health, network.HealthProfessional, a.ID)
			if err != nil {
				return nil, err
			}
			ar.healthStaff = append(ar.healthStaff, id)
		}
		reg.areas = append(reg.areas, ar)
	}
	for i := range 6 {
		id, err := addOrg(fmt.Sprintf("CAV-%d", i+1), fmt.Sprintf("Centro antiviolenza %d", i+1), network.AntiViolenceCentre, 0)
		if err != nil {
			return nil, err
		}
		reg.avcOrgs = append(reg.avcOrgs, id)
		var staff []int64
		for range 3 {
			u, err := addUser(PartnerOperatorPrefix, "Operatrice antiviolenza", id, network.PartnerOperator, 0)
			if err != nil {
				return nil, err
			}
			staff = append(staff, u)
		}
		reg.avcStaff = append(reg.avcStaff, staff)
	}
	for i := range 2 {
		id, err := addOrg(fmt.Sprintf("AT-%d", i+1), fmt.Sprintf("Progetto antitratta %d", i+1), network.AntiTraffickingProject, 0)
		if err != nil {
			return nil, err
		}
		reg.atOrgs = append(reg.atOrgs, id)
		var staff []int64
		for range 3 {
			u, err := addUser(PartnerOperatorPrefix, "Operatrice antitratta", id, network.PartnerOperator, 0)
			if err != nil {
				return nil, err
			}
			staff = append(staff, u)
		}
		reg.atStaff = append(reg.atStaff, staff)
	}
	if _, err := addOrg("TM-FI", "Tribunale per i minorenni di Firenze", network.JuvenileJustice, 0); err != nil {
		return nil, err
	}
	// Programmes: one for the unaccompanied minors of every few areas, led
	// by the social service of the first, one against violence and one
	// against trafficking across the region.
	starts := now.AddDate(-10, 0, 0)
	ends := now.AddDate(3, 0, 0)
	addProgramme := func(code, name, funder string, lead int64, partners, areas []int64) (int64, error) {
		p := network.Programme{Code: code, Name: name, Funder: funder, StartsOn: starts, EndsOn: ends, LeadOrgID: lead,
			PartnerIDs: partners, AreaIDs: areas, Description: "Programma della regione sintetica.",
			BudgetLines: []network.BudgetLine{
				{Code: "ACC", Label: "Accoglienza", AmountCents: 500_000_000},
				{Code: "MED", Label: "Mediazione", AmountCents: 50_000_000},
				{Code: "FOR", Label: "Formazione e lavoro", AmountCents: 80_000_000}}}
		if err := store.InsertProgramme(ctx, tx, &p); err != nil {
			return 0, err
		}
		for range 2 {
			u, err := addUser(LeadCoordinatorPrefix, "Coordinatrice", lead, network.LeadCoordinator, 0)
			if err != nil {
				return 0, err
			}
			reg.coordinators[p.ID] = u
		}
		return p.ID, nil
	}
	for start := 0; start < len(reg.areas); start += zonesPerProgramme {
		group := reg.areas[start:min(len(reg.areas), start+zonesPerProgramme)]
		var partners, areas []int64
		for _, a := range group {
			partners = append(partners, a.social, a.health)
			partners = append(partners, a.communities...)
			areas = append(areas, a.areaID)
		}
		id, err := addProgramme(fmt.Sprintf("SAI-MSNA-%d", start/zonesPerProgramme+1),
			fmt.Sprintf("Accoglienza minori stranieri non accompagnati %d", start/zonesPerProgramme+1),
			"Ministero dell'Interno (FNPSA)", group[0].social, partners[1:], areas)
		if err != nil {
			return nil, err
		}
		reg.programmes = append(reg.programmes, id)
	}
	var all []int64
	for _, a := range reg.areas {
		all = append(all, a.areaID)
	}
	var err error
	if reg.violence, err = addProgramme("RETE-AV", "Rete antiviolenza regionale", "Regione Toscana", reg.avcOrgs[0],
		append(append([]int64{}, reg.avcOrgs[1:]...), reg.areas[0].social), all); err != nil {
		return nil, err
	}
	if reg.trafficked, err = addProgramme("ANTITRATTA", "Progetto antitratta regionale", "Dipartimento Pari Opportunità",
		reg.atOrgs[0], append(append([]int64{}, reg.atOrgs[1:]...), reg.areas[0].social), all); err != nil {
		return nil, err
	}
	return reg, nil
}

// programmeOf returns the programme of a case of kind in area i, or 0.
func (reg *region) programmeOf(kind cases.Kind, i int) int64 {
	switch kind {
	case cases.UnaccompaniedMinor:
		return reg.programmes[i/zonesPerProgramme]
	case cases.WomanViolence:
		return reg.violence
	case cases.TraffickingVictim:
		return reg.trafficked
	}
	return 0
}
