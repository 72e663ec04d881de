// Package demo fills a fresh database with a synthetic protection network
// shaped like the five networks Approdo was born from: the Tuscan network
// against violence on foreign minors with its three pilot areas, the Rome
// network around the municipal office for unaccompanied minors, the Brescia
// area's intercultural network and the Versilia anti-trafficking network.
//
// Organisations and programmes carry the public names of the seeds; every
// person is invented. No real person's data is ever used.
package demo

import (
	"context"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// Password is the password of every demo user. It is printed by
// "approdo demo" and must never be used outside a demonstration.
const Password = "approdo-demo-2026"

// Login is a demo user's sign-in, for printing.
type Login struct {
	Username     string
	Password     string
	Role         network.Role
	DisplayName  string
	Organisation string
}

type area struct{ code, name, region string }

var areas = []area{
	{"FI-PO", "Piana fiorentina e pratese", "Toscana"},
	{"AR", "Area aretina e Casentino", "Toscana"},
	{"VET", "Valli Etrusche", "Toscana"},
	{"VER", "Zona Distretto Versilia", "Toscana"},
	{"RM", "Roma Capitale", "Lazio"},
	{"BS-E", "Ambito Brescia Est", "Lombardia"},
	{"BS-O", "Ambito Brescia Ovest", "Lombardia"},
}

type organisation struct {
	code, name string
	kind       network.Kind
	area       string // area code, "" when across areas
}

var organisations = []organisation{
	// Tuscany: INCONTRO, the network against violence on foreign minors.
	{"RT", "Regione Toscana – Settore Welfare e Sport", network.MunicipalSocialService, ""},
	{"OXFAM-INT", "Oxfam Italia Intercultura", network.Association, "FI-PO"},
	{"COOP-ALICE", "Cooperativa Alice", network.Cooperative, "VET"},
	{"PROGETTO5", "Progetto 5 Cooperativa Sociale", network.Cooperative, "AR"},
	{"SDS-PRATO", "Società della Salute Area Pratese", network.MunicipalSocialService, "FI-PO"},
	{"USL-TNO", "Azienda USL Toscana Nord Ovest – SdS Valli Etrusche", network.HealthAuthority, "VET"},
	{"USL-TSE", "Azienda USL Toscana Sud Est", network.HealthAuthority, "AR"},
	{"COM-CECINA", "Comune di Cecina – Servizi sociali", network.MunicipalSocialService, "VET"},
	{"COM-BIBBIENA", "Comune di Bibbiena – Servizi sociali", network.MunicipalSocialService, "AR"},
	{"IC-PRATO", "Istituto Comprensivo Prato Est", network.School, "FI-PO"},
	{"COM-EDU-FARO", "Comunità educativa Il Faro", network.ReceptionCommunity, "FI-PO"},
	{"CAV-PRATO", "Centro antiviolenza della Piana", network.AntiViolenceCentre, "FI-PO"},
	{"TM-FI", "Tribunale per i Minorenni di Firenze", network.JuvenileJustice, ""},
	{"PROC-TM-FI", "Procura della Repubblica presso il Tribunale per i Minorenni di Firenze", network.JuvenileJustice, ""},
	{"QUESTURA-PO", "Questura di Prato – Ufficio Immigrazione", network.Police, "FI-PO"},
	// Rome: the municipal office for unaccompanied minors and CO.RE.
	{"RM-MSNA", "Roma Capitale – UO Protezione Persone Minore Età, Ufficio MSNA", network.MunicipalSocialService, "RM"},
	{"PROG-INTEGRA", "Programma integra", network.Cooperative, "RM"},
	{"SPES", "Spes contra Spem", network.Cooperative, "RM"},
	{"DON-CALABRIA", "Istituto Don Calabria", network.Association, ""},
	{"IPRS", "Istituto Psicoanalitico per le Ricerche Sociali", network.Association, ""},
	{"CNCA", "CNCA – Coordinamento Nazionale Comunità di Accoglienza", network.Association, ""},
	{"POLICLINICO-MI", "Fondazione IRCCS Ca' Granda Ospedale Maggiore Policlinico", network.HealthAuthority, ""},
	{"IL-CAMMINO", "Cooperativa Il Cammino", network.ReceptionCommunity, "RM"},
	{"PARSEC", "Cooperativa Parsec", network.Cooperative, "RM"},
	{"EUREKA", "Cooperativa Eureka I", network.ReceptionCommunity, "RM"},
	{"ARCHE", "Associazione Archè", network.Association, "RM"},
	// Brescia area: the intercultural network against gender-based violence.
	{"UDP-BS-E", "Ufficio di Piano Ambito Brescia Est", network.MunicipalSocialService, "BS-E"},
	{"UDP-BS-O", "Ufficio di Piano Ambito Brescia Ovest", network.MunicipalSocialService, "BS-O"},
	{"ASST-BS", "ASST – Neuropsichiatria infantile e Consultorio familiare", network.HealthAuthority, "BS-E"},
	{"ETNOCLINICA", "Équipe etnoclinica con l'Università di Milano-Bicocca", network.Association, ""},
	{"CAV-BS", "Rete antiviolenza degli Ambiti bresciani", network.AntiViolenceCentre, "BS-O"},
	{"TM-BS", "Tribunale per i Minorenni di Brescia", network.JuvenileJustice, ""},
	{"COOP-BS", "Cooperativa sociale Il Ponte – inserimento lavorativo", network.Cooperative, "BS-E"},
	// Versilia: SATIS, the anti-trafficking system.
	{"COM-VIAREGGIO", "Comune di Viareggio – Zona Distretto Versilia", network.MunicipalSocialService, "VER"},
	{"SATIS-VER", "Progetto antitratta SATIS – unità della Versilia", network.AntiTraffickingProject, "VER"},
	{"CASA-RIFUGIO-VER", "Casa rifugio della Versilia", network.AntiViolenceCentre, "VER"},
}

type programme struct {
	code, name, funder, description string
	starts, ends                    string
	lead                            string
	partners, areas                 []string
}

var programmes = []programme{
	{"INCONTRO", "INCONTRO – Rafforzare il sistema di rete in Toscana contro la violenza sui minori stranieri",
		"FAMI 2014-2020 OS2 ON3 lett. j",
		"Modello pilota di emersione, orientamento e presa in carico nella piana tra Firenze e Prato, nell'area aretina e nelle Valli Etrusche.",
		"2021-01-15", "2023-06-30", "RT",
		[]string{"OXFAM-INT", "COOP-ALICE", "PROGETTO5", "SDS-PRATO", "USL-TNO", "USL-TSE", "COM-CECINA", "COM-BIBBIENA"},
		[]string{"FI-PO", "AR", "VET"}},
	{"CORE", "CO.RE. – Competenze in rete per la tutela dei minorenni stranieri",
		"FAMI 2014-2020 OS2 ON3 lett. j",
		"Rafforzare la presa in carico dei minorenni vittime di abuso e maltrattamento con l'apporto degli enti accreditati del terzo settore.",
		"2020-03-01", "2022-12-31", "DON-CALABRIA",
		[]string{"IPRS", "CNCA", "POLICLINICO-MI", "IL-CAMMINO", "PARSEC", "EUREKA", "ARCHE"},
		[]string{"RM"}},
	{"RM-UO-MSNA", "Servizio di supporto agli interventi dell'UO Protezione Persone Minore Età",
		"Roma Capitale",
		"Progetti educativi personalizzati per i minori stranieri non accompagnati del circuito di accoglienza di Roma Capitale.",
		"2023-09-01", "2026-08-31", "PROG-INTEGRA",
		[]string{"SPES", "RM-MSNA"},
		[]string{"RM"}},
	{"BS-INTERCULTURA", "Rete interculturale contro la violenza negli Ambiti bresciani",
		"FAMI 2021-2027",
		"Formazione etnoclinica, mediazione linguistico-culturale, équipe etnoclinica e percorsi di autonomia per i nuclei familiari stranieri.",
		"2023-01-01", "2026-12-31", "UDP-BS-E",
		[]string{"UDP-BS-O", "ASST-BS", "ETNOCLINICA", "CAV-BS", "TM-BS", "COOP-BS"},
		[]string{"BS-E", "BS-O"}},
	{"SATIS", "SATIS – Sistema antitratta toscano, interventi sociali in Versilia",
		"Regione Toscana – Dipartimento Pari Opportunità",
		"Progetti individualizzati di uscita dal programma di protezione, redatti con i servizi sociali e approvati dall'ente capofila.",
		"2022-03-01", "2026-02-28", "COM-VIAREGGIO",
		[]string{"SATIS-VER", "CASA-RIFUGIO-VER"},
		[]string{"VER"}},
}

type user struct {
	username, name, org, profession string
	role                            network.Role
	languages                       []string
}

// users holds one demo user per default role, then the case workers and
// coordinators the other networks need; every name is invented.
var users = []user{
	{"assistente.sociale", "Chiara Benvenuti", "SDS-PRATO", "Assistente sociale", network.SocialWorker, []string{"it", "en"}},
	{"operatore", "Luca Mancini", "COM-EDU-FARO", "Educatore professionale", network.PartnerOperator, []string{"it", "fr"}},
	{"capofila", "Elena Rossetti", "RT", "Coordinatrice di progetto", network.LeadCoordinator, []string{"it", "en"}},
	{"sanitario", "Marco Gentili", "USL-TSE", "Psicologo", network.HealthProfessional, []string{"it"}},
	{"segnalante", "Paola Neri", "IC-PRATO", "Docente referente", network.Reporter, []string{"it"}},
	{"mediatore", "Samir Haddad", "OXFAM-INT", "Mediatore linguistico-culturale", network.Mediator, []string{"ar", "fr", "it"}},
	{"osservatorio", "Francesca Leoni", "RT", "Statistica", network.DataOfficer, []string{"it"}},
	{"formazione", "Giorgio Valli", "PROGETTO5", "Responsabile formazione", network.TrainingManager, []string{"it"}},
	{"admin", "Anna Moretti", "RT", "Amministratrice di sistema", network.Administrator, []string{"it", "en"}},
	// Case workers of the other networks, so that their cases have owners.
	{"as.cecina", "Lorenzo Pieri", "COM-CECINA", "Assistente sociale", network.SocialWorker, []string{"it"}},
	{"as.roma", "Giada Russo", "RM-MSNA", "Assistente sociale", network.SocialWorker, []string{"it", "en", "fr"}},
	{"as.viareggio", "Valentina Conti", "COM-VIAREGGIO", "Assistente sociale", network.SocialWorker, []string{"it", "en"}},
	{"antitratta", "Ilaria Fontana", "SATIS-VER", "Operatrice antitratta", network.PartnerOperator, []string{"it", "en", "es"}},
	{"as.brescia", "Davide Marchi", "UDP-BS-E", "Assistente sociale", network.SocialWorker, []string{"it"}},
	// The coordinator of SATIS's lead entity, who approves the projects of
	// the Versilia anti-trafficking cases.
	{"capofila.satis", "Roberta Lenzi", "COM-VIAREGGIO", "Coordinatrice del progetto SATIS", network.LeadCoordinator, []string{"it", "en"}},
}

// Seed fills an empty, migrated database with the demo network in one
// transaction and returns the demo logins. Options add what needs more than
// the database, such as the sealed notes WithVault writes. It returns
// ECONFLICT when the database already holds users, and writes nothing then.
func Seed(ctx context.Context, db *store.DB, opts ...Option) ([]Login, error) {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	var logins []Login
	err = db.Write(ctx, func(tx *store.Tx) error {
		n, err := store.CountUsers(ctx, tx)
		if err != nil {
			return err
		}
		if n > 0 {
			return approdo.Errorf(approdo.ECONFLICT, "error.demo_not_empty")
		}
		areaIDs := map[string]int64{}
		for _, a := range areas {
			x := network.Area{Code: a.code, Name: a.name, Region: a.region}
			if err := store.InsertArea(ctx, tx, &x); err != nil {
				return err
			}
			areaIDs[a.code] = x.ID
		}
		orgIDs := map[string]int64{}
		userIDs := map[string]int64{}
		programmeIDs := map[string]int64{}
		orgNames := map[string]string{}
		for _, o := range organisations {
			x := network.Organisation{Code: o.code, Name: o.name, Kind: o.kind, AreaID: areaIDs[o.area]}
			if err := store.InsertOrganisation(ctx, tx, &x); err != nil {
				return err
			}
			orgIDs[o.code], orgNames[o.code] = x.ID, o.name
		}
		for _, p := range programmes {
			x := network.Programme{Code: p.code, Name: p.name, Funder: p.funder, Description: p.description,
				StartsOn: day(p.starts), EndsOn: day(p.ends), LeadOrgID: orgIDs[p.lead]}
			for _, c := range p.partners {
				x.PartnerIDs = append(x.PartnerIDs, orgIDs[c])
			}
			for _, c := range p.areas {
				x.AreaIDs = append(x.AreaIDs, areaIDs[c])
			}
			x.BudgetLines = budgetOf(p.code, orgIDs)
			if err := store.InsertProgramme(ctx, tx, &x); err != nil {
				return err
			}
			programmeIDs[p.code] = x.ID
		}
		for _, u := range users {
			org := organisationByCode(u.org)
			x := network.User{Username: u.username, DisplayName: u.name, OrganisationID: orgIDs[u.org],
				Profession: u.profession, Languages: u.languages, Locale: "it", Roles: []network.Role{u.role},
				Active: true}
			if org.area != "" {
				x.AreaIDs = []int64{areaIDs[org.area]}
			}
			if err := store.InsertUser(ctx, tx, &x, hash); err != nil {
				return err
			}
			logins = append(logins, Login{Username: u.username, Password: Password, Role: u.role,
				DisplayName: u.name, Organisation: orgNames[u.org]})
			userIDs[u.username] = x.ID
		}
		seeded := ids{areas: areaIDs, orgs: orgIDs, users: userIDs, programmes: programmeIDs}
		if err := seedServices(ctx, tx, seeded); err != nil {
			return err
		}
		if err := seedCases(ctx, tx, seeded, opts); err != nil {
			return err
		}
		if err := seedReports(ctx, tx, seeded, opts); err != nil {
			return err
		}
		if err := seedNotes(ctx, tx, seeded, opts); err != nil {
			return err
		}
		if err := seedTasks(ctx, tx, opts, time.Now()); err != nil {
			return err
		}
		if err := seedMediation(ctx, tx, seeded, hash, opts, time.Now()); err != nil {
			return err
		}
		if err := seedMeetings(ctx, tx, seeded, hash, opts, time.Now()); err != nil {
			return err
		}
		if err := seedReferrals(ctx, tx, seeded, opts, time.Now()); err != nil {
			return err
		}
		if err := seedAssessments(ctx, tx, opts, time.Now()); err != nil {
			return err
		}
		if err := seedProjects(ctx, tx, seeded, opts); err != nil {
			return err
		}
		if err := seedPersons(ctx, tx, opts); err != nil {
			return err
		}
		return seedDeadlines(ctx, tx, opts, time.Now())
	})
	if err != nil {
		return nil, err
	}
	return logins, nil
}

func organisationByCode(code string) organisation {
	for _, o := range organisations {
		if o.code == code {
			return o
		}
	}
	return organisation{}
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic("demo: bad date " + s)
	}
	return t
}
