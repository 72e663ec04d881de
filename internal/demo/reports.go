package demo

import (
	"context"
	"encoding/json"
	"time"

	"approdo/cases"
	"approdo/internal/casework"
	"approdo/internal/store"
)

// demoReport is one synthetic report of concern. Every situation is
// invented; people are described, never named.
type demoReport struct {
	reporter  string // username of the reporter; "" for a call recorded by screener
	screener  string // username of the social worker who records, screens or decides
	area      string
	addressed string // code of the municipal social service
	channel   cases.Channel
	urgency   cases.Urgency
	daysAgo   int    // received this many days before the demo's day
	caller    string // who called, for a recorded call
	scenario  int    // index into reportScenarios
	// progress is where the report stands: "received", "screening", or an
	// outcome. A report taken charge of is linked to the next demo case of
	// its addressed service.
	progress string
}

// reportScenario is the text of a report and of its screening.
type reportScenario struct {
	subject, observed string
	answers           map[string][]string
	trafficking       cases.TraffickingStatus
	reasons           map[string]string // by outcome
}

var reportScenarios = []reportScenario{
	{ // 0: a pupil afraid to go home
		subject: "Alunna di 9 anni della classe quarta, nata in Italia da famiglia di origine nordafricana.",
		observed: "Da alcune settimane arriva a scuola senza merenda e con abiti non adatti alla stagione. Ieri, all'uscita, ha " +
			"pianto dicendo all'insegnante di avere paura di tornare a casa quando il padre ha bevuto. Nessun segno fisico visibile.",
		answers: map[string][]string{"violence_minor": {"fear_of_home", "neglect", "witnessed_violence"}},
		reasons: map[string]string{"taken_charge": "Indicatori di trascuratezza e violenza assistita confermati dal colloquio con la scuola: si apre la presa in carico con visita domiciliare.",
			"referred":  "Situazione già seguita dal consultorio familiare: invio al Consultorio ASL della zona, che conosce il nucleo.",
			"no_action": "Il colloquio con la famiglia e la scuola ha chiarito una difficoltà economica temporanea, già sostenuta dalla parrocchia: nessun intervento del servizio."},
	},
	{ // 1: an unaccompanied boy found by the police
		subject: "Ragazzo che dichiara 16 anni, proveniente dal Bangladesh, senza documenti, parla bengalese e poco inglese.",
		observed: "Rintracciato dalla polizia ferroviaria alla stazione nella notte. Dice di essere arrivato da solo dopo un viaggio " +
			"di un anno attraverso la Libia e di dovere ancora denaro a chi lo ha fatto partire. Appare stanco e dimagrito.",
		answers:     map[string][]string{"vulnerability": {"unaccompanied", "psycho_social"}, "trafficking": {"DebtBondage"}},
		trafficking: cases.PossibleVictim,
		reasons: map[string]string{"taken_charge": "Minore straniero non accompagnato: presa in carico, collocamento in prima accoglienza e richiesta di nomina del tutore.",
			"referred": "Il ragazzo risulta già in carico all'Ufficio MSNA di un altro comune: invio a quel servizio con il verbale della polizia."},
	},
	{ // 2: a woman calling a hotline
		subject: "Donna di circa 35 anni, madre di due bambini piccoli, di origine sudamericana.",
		observed: "Ha chiamato il numero antiviolenza dal telefono di una vicina: il compagno la controlla, le toglie i soldi e " +
			"l'ha spinta davanti ai figli. Ha paura di farsi vedere al servizio. Chiede come può avere un colloquio riservato.",
		answers: map[string][]string{"gbv": {"physical_assault", "psychological_abuse", "denial_of_resources", "children_present"}},
		reasons: map[string]string{"taken_charge": "Violenza domestica con minori presenti: presa in carico congiunta con il centro antiviolenza, valutazione del rischio entro la settimana.",
			"referred": "La signora preferisce essere seguita solo dal centro antiviolenza: invio al Centro antiviolenza della zona con il suo consenso."},
	},
	{ // 3: a girl exploited on the street
		subject: "Giovane donna che dichiara 19 anni, nigeriana, ospite da pochi giorni di un'amica.",
		observed: "Avvicinata dall'unità di strada, racconta di dover restituire 30.000 euro a una donna che le ha organizzato " +
			"il viaggio e che le ha preso il passaporto. Viene minacciata che la famiglia in Nigeria subirà conseguenze se smette.",
		answers: map[string][]string{"trafficking": {"DebtBondage", "WithholdsDocuments", "ThreatensChildrenFamily", "SexualExploitation"},
			"vulnerability": {"psycho_social"}},
		trafficking: cases.ActualVictim,
		reasons: map[string]string{"taken_charge": "Indicatori di tratta a fini di sfruttamento sessuale: presa in carico con il progetto antitratta e accoglienza in struttura protetta.",
			"no_action": "La ragazza ha scelto di rientrare nel programma della regione in cui era già inserita: nessun intervento del servizio, informato il progetto antitratta."},
	},
	{ // 4: a teenager who stopped coming to school
		subject: "Ragazzo di 14 anni, seconda media, arrivato in Italia due anni fa con il padre.",
		observed: "Assente da scuola da tre settimane. I compagni dicono che lavora in un magazzino con lo zio fino a sera. " +
			"Il padre non risponde alle convocazioni della scuola.",
		answers: map[string][]string{"violence_minor": {"school_absence", "child_labour"}, "trafficking": {"ChildLabour"}},
		reasons: map[string]string{"referred": "Situazione di lavoro minorile: invio all'Ispettorato del lavoro e al servizio educativo territoriale, con aggiornamento alla scuola.",
			"no_action": "Il ragazzo è rientrato a scuola e il padre ha incontrato la dirigente: la scuola continua il monitoraggio, nessun intervento del servizio."},
	},
	{ // 5: a mother alone and pregnant
		subject: "Donna di 24 anni, incinta al settimo mese, con una bambina di 3 anni, di origine ivoriana.",
		observed: "Si è presentata da sola allo sportello: è stata allontanata dall'appartamento in cui viveva e dorme da due notti " +
			"in stazione con la figlia. Non ha una rete familiare in Italia.",
		answers: map[string][]string{"vulnerability": {"pregnancy", "mother_alone"}},
		reasons: map[string]string{"taken_charge": "Madre sola in gravidanza senza alloggio con una figlia piccola: presa in carico e inserimento in struttura madre-bambino.",
			"referred": "Invio alla casa di accoglienza madre-bambino del territorio, che ha un posto disponibile da subito."},
	},
	{ // 6: a boy with marks on his arms
		subject: "Bambino di 7 anni, prima elementare, famiglia di origine albanese.",
		observed: "La maestra ha notato lividi sulle braccia e sul collo, che il bambino spiega dicendo di essere caduto. " +
			"Quando si parla dei compiti a casa si irrigidisce e chiede di non dirlo al papà.",
		answers: map[string][]string{"violence_minor": {"unexplained_injuries", "fear_of_home"}},
		reasons: map[string]string{"taken_charge": "Lesioni non spiegate e paura dell'adulto di riferimento: presa in carico e segnalazione alla Procura per i minorenni."},
	},
	{ // 7: a girl at risk of forced marriage
		subject: "Ragazza di 16 anni, terza superiore, famiglia di origine pakistana.",
		observed: "Ha confidato all'insegnante che la famiglia vuole portarla in Pakistan in estate per sposarla con un cugino. " +
			"Ha paura e chiede aiuto, ma non vuole che i genitori sappiano che ne ha parlato.",
		answers: map[string][]string{"violence_minor": {"early_marriage", "disclosure"}, "gbv": {"forced_marriage"}},
		reasons: map[string]string{"taken_charge": "Rischio concreto di matrimonio forzato di una minore: presa in carico urgente con il centro antiviolenza e informativa alla Procura."},
	},
}

// demoReports spread the reports over the networks, in every status.
var demoReports = []demoReport{
	// The Prato area: the school's referent, the educator, and calls the
	// social worker recorded.
	{reporter: "segnalante", screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromSchool, urgency: cases.Urgent, daysAgo: 30, scenario: 0, progress: "taken_charge"},
	{reporter: "segnalante", screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromSchool, urgency: cases.Immediate, daysAgo: 1, scenario: 6, progress: "received"},
	{reporter: "segnalante", screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromSchool, urgency: cases.Soon, daysAgo: 4, scenario: 4, progress: "screening"},
	{reporter: "segnalante", screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromSchool, urgency: cases.Routine, daysAgo: 45, scenario: 4, progress: "no_action"},
	{reporter: "segnalante", screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromSchool, urgency: cases.Soon, daysAgo: 60, scenario: 0, progress: "referred"},
	{reporter: "segnalante", screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromSchool, urgency: cases.Urgent, daysAgo: 2, scenario: 7, progress: "received"},
	{reporter: "operatore", screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromPartner, urgency: cases.Soon, daysAgo: 6, scenario: 5, progress: "received"},
	{reporter: "operatore", screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromPartner, urgency: cases.Routine, daysAgo: 50, scenario: 0, progress: "no_action"},
	{screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromHotline, urgency: cases.Urgent, daysAgo: 3, scenario: 2, progress: "screening",
		caller: "Operatrice del numero antiviolenza 1522, turno di notte; richiamabile al numero del servizio."},
	{screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromHotline, urgency: cases.Immediate, daysAgo: 0, scenario: 2, progress: "received",
		caller: "Operatore del Telefono Azzurro (114), chiamata delle 8:40."},
	{screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromHotline, urgency: cases.Soon, daysAgo: 70, scenario: 2, progress: "referred",
		caller: "Operatrice del numero antiviolenza 1522."},
	{screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromPolice, urgency: cases.Immediate, daysAgo: 90, scenario: 1, progress: "taken_charge",
		caller: "Agente della Polizia ferroviaria, posto di polizia della stazione; telefono dell'ufficio."},
	{screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromPolice, urgency: cases.Urgent, daysAgo: 5, scenario: 1, progress: "received",
		caller: "Ispettrice dell'Ufficio minori della Questura."},
	{screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromSelf, urgency: cases.Soon, daysAgo: 120, scenario: 5, progress: "taken_charge",
		caller: "La persona stessa, allo sportello del segretariato sociale."},
	{screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromCitizen, urgency: cases.Routine, daysAgo: 8, scenario: 0, progress: "screening",
		caller: "Un vicino di casa, che non vuole lasciare recapiti."},
	{screener: "assistente.sociale", area: "FI-PO", addressed: "SDS-PRATO", channel: cases.FromHealth, urgency: cases.Urgent, daysAgo: 9, scenario: 6, progress: "received",
		caller: "Medica del pronto soccorso pediatrico; reparto e interno telefonico del turno."},
	// Valli Etrusche.
	{screener: "as.cecina", area: "VET", addressed: "COM-CECINA", channel: cases.FromHotline, urgency: cases.Urgent, daysAgo: 100, scenario: 2, progress: "taken_charge",
		caller: "Operatrice del numero antiviolenza 1522."},
	{screener: "as.cecina", area: "VET", addressed: "COM-CECINA", channel: cases.FromSchool, urgency: cases.Soon, daysAgo: 40, scenario: 4, progress: "referred",
		caller: "Docente referente per l'inclusione della scuola media, per telefono."},
	{screener: "as.cecina", area: "VET", addressed: "COM-CECINA", channel: cases.FromPolice, urgency: cases.Routine, daysAgo: 7, scenario: 1, progress: "received",
		caller: "Carabinieri della stazione locale."},
	{screener: "as.cecina", area: "VET", addressed: "COM-CECINA", channel: cases.FromSchool, urgency: cases.Soon, daysAgo: 3, scenario: 0, progress: "received",
		caller: "Dirigente scolastica della scuola primaria."},
	{screener: "as.cecina", area: "VET", addressed: "COM-CECINA", channel: cases.FromCitizen, urgency: cases.Routine, daysAgo: 11, scenario: 5, progress: "screening",
		caller: "Volontaria di un'associazione di quartiere."},
	// The Arezzo area, from the health authority's psychologist.
	{reporter: "sanitario", area: "AR", addressed: "COM-BIBBIENA", channel: cases.FromHealth, urgency: cases.Soon, daysAgo: 5, scenario: 7, progress: "received"},
	{reporter: "sanitario", area: "AR", addressed: "COM-BIBBIENA", channel: cases.FromHealth, urgency: cases.Routine, daysAgo: 12, scenario: 5, progress: "received"},
	{reporter: "sanitario", area: "AR", addressed: "COM-BIBBIENA", channel: cases.FromHealth, urgency: cases.Urgent, daysAgo: 2, scenario: 6, progress: "received"},
	// Rome.
	{screener: "as.roma", area: "RM", addressed: "RM-MSNA", channel: cases.FromPolice, urgency: cases.Immediate, daysAgo: 150, scenario: 1, progress: "taken_charge",
		caller: "Polizia di frontiera, aeroporto; verbale inviato per posta elettronica certificata."},
	{screener: "as.roma", area: "RM", addressed: "RM-MSNA", channel: cases.FromPolice, urgency: cases.Urgent, daysAgo: 80, scenario: 1, progress: "taken_charge",
		caller: "Ufficio minori della Questura."},
	{screener: "as.roma", area: "RM", addressed: "RM-MSNA", channel: cases.FromPolice, urgency: cases.Urgent, daysAgo: 2, scenario: 1, progress: "received",
		caller: "Polizia locale, nucleo assistenza emarginati."},
	{screener: "as.roma", area: "RM", addressed: "RM-MSNA", channel: cases.FromHotline, urgency: cases.Soon, daysAgo: 35, scenario: 1, progress: "referred",
		caller: "Operatore del numero verde per i minori stranieri."},
	{screener: "as.roma", area: "RM", addressed: "RM-MSNA", channel: cases.FromSelf, urgency: cases.Soon, daysAgo: 6, scenario: 1, progress: "screening",
		caller: "Il ragazzo stesso, accompagnato da un connazionale maggiorenne."},
	{screener: "as.roma", area: "RM", addressed: "RM-MSNA", channel: cases.FromCitizen, urgency: cases.Routine, daysAgo: 10, scenario: 4, progress: "received",
		caller: "Un commerciante del quartiere."},
	// Versilia: the anti-trafficking operator and calls.
	{reporter: "antitratta", screener: "as.viareggio", area: "VER", addressed: "COM-VIAREGGIO", channel: cases.FromPartner, urgency: cases.Urgent, daysAgo: 130, scenario: 3, progress: "taken_charge"},
	{reporter: "antitratta", screener: "as.viareggio", area: "VER", addressed: "COM-VIAREGGIO", channel: cases.FromPartner, urgency: cases.Immediate, daysAgo: 60, scenario: 3, progress: "taken_charge"},
	{reporter: "antitratta", screener: "as.viareggio", area: "VER", addressed: "COM-VIAREGGIO", channel: cases.FromPartner, urgency: cases.Soon, daysAgo: 4, scenario: 3, progress: "screening"},
	{screener: "as.viareggio", area: "VER", addressed: "COM-VIAREGGIO", channel: cases.FromPolice, urgency: cases.Urgent, daysAgo: 25, scenario: 3, progress: "no_action",
		caller: "Squadra mobile della Questura, sezione tratta."},
	{screener: "as.viareggio", area: "VER", addressed: "COM-VIAREGGIO", channel: cases.FromHotline, urgency: cases.Urgent, daysAgo: 1, scenario: 3, progress: "received",
		caller: "Numero verde antitratta, postazione regionale."},
	{screener: "as.viareggio", area: "VER", addressed: "COM-VIAREGGIO", channel: cases.FromHotline, urgency: cases.Soon, daysAgo: 14, scenario: 2, progress: "received",
		caller: "Operatrice del numero antiviolenza 1522."},
	// Brescia East.
	{screener: "as.brescia", area: "BS-E", addressed: "UDP-BS-E", channel: cases.FromHotline, urgency: cases.Urgent, daysAgo: 110, scenario: 2, progress: "taken_charge",
		caller: "Operatrice della rete antiviolenza degli Ambiti."},
	{screener: "as.brescia", area: "BS-E", addressed: "UDP-BS-E", channel: cases.FromHealth, urgency: cases.Soon, daysAgo: 55, scenario: 5, progress: "referred",
		caller: "Ostetrica del consultorio familiare."},
	{screener: "as.brescia", area: "BS-E", addressed: "UDP-BS-E", channel: cases.FromHotline, urgency: cases.Immediate, daysAgo: 0, scenario: 2, progress: "received",
		caller: "Operatrice della rete antiviolenza, reperibilità notturna."},
	{screener: "as.brescia", area: "BS-E", addressed: "UDP-BS-E", channel: cases.FromSelf, urgency: cases.Routine, daysAgo: 9, scenario: 5, progress: "received",
		caller: "La persona stessa, accompagnata dalla mediatrice."},
}

// seedReports adds the demo reports of concern, their screenings and
// outcomes. A report taken charge of is linked to an existing demo case of
// its service, received two days before the case opened, so that the
// case counts stay as they are. Their text, answers and reasons are sealed,
// and written only when Seed has a vault.
func seedReports(ctx context.Context, tx *store.Tx, ids ids, opts []Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	seal := func(value string, aad []byte) (string, error) {
		if o.vault == nil || value == "" {
			return "", nil
		}
		return o.vault.SealString(value, aad)
	}
	orgOfUser := map[string]string{}
	for _, u := range users {
		orgOfUser[u.username] = u.org
	}
	// The demo cases of each service, oldest id first, to link in turn.
	linked := map[string]int{}
	caseOf := func(org string) (*cases.Case, error) {
		caseIDs, err := store.ListCaseIDsOf(ctx, tx, ids.orgs[org])
		if err != nil || linked[org] >= len(caseIDs) {
			return nil, err
		}
		c, err := store.FindCase(ctx, tx, caseIDs[linked[org]])
		linked[org]++
		return c, err
	}
	day := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	for i, d := range demoReports {
		sc := reportScenarios[d.scenario]
		r := &cases.Report{ReceivedAt: day.AddDate(0, 0, -d.daysAgo).Add(-time.Duration(i*37) * time.Minute),
			Channel: d.channel, Urgency: d.urgency, AreaID: ids.areas[d.area], AddressedOrgID: ids.orgs[d.addressed],
			Reporter: d.caller, Subject: sc.subject, Observed: sc.observed, Status: cases.Received}
		if d.reporter != "" {
			r.ReporterUserID, r.ReporterOrgID = ids.users[d.reporter], ids.orgs[orgOfUser[d.reporter]]
		}
		var c *cases.Case
		decidedAt := r.ReceivedAt.Add(26 * time.Hour)
		switch d.progress {
		case "received":
		case "screening":
			r.Status = cases.InScreening
		case "taken_charge":
			var err error
			if c, err = caseOf(d.addressed); err != nil {
				return err
			}
			if c != nil {
				r.ReceivedAt, decidedAt = c.OpenedAt.AddDate(0, 0, -2), c.OpenedAt
				r.CaseID = c.ID
			}
			fallthrough
		default:
			r.Status, r.Outcome, r.OutcomeAt = cases.Decided, cases.Outcome(d.progress), decidedAt
		}
		if r.Outcome == cases.ChargeTaken && c == nil {
			r.Outcome = cases.Referred // no demo case left to link
		}
		r.CreatedAt = r.ReceivedAt
		if err := store.InsertReport(ctx, tx, r); err != nil {
			return err
		}
		var sealed [3]string
		for j, f := range []struct{ column, value string }{{"reporter_sealed", r.Reporter}, {"subject_sealed", r.Subject},
			{"observed_sealed", r.Observed}} {
			v, err := seal(f.value, casework.ReportAAD(f.column, r.ID))
			if err != nil {
				return err
			}
			sealed[j] = v
		}
		if err := store.SetReportText(ctx, tx, r.ID, sealed[0], sealed[1], sealed[2]); err != nil {
			return err
		}
		if r.Status == cases.Received {
			continue
		}
		screener := ids.users[d.screener]
		row := &store.ScreeningRow{Screening: cases.Screening{ReportID: r.ID, CaseID: r.CaseID, ScreenedBy: screener,
			ScreenedAt: decidedAt, TraffickingStatus: sc.trafficking}}
		reasons := ""
		if r.Status == cases.Decided {
			row.Decision = decisionOf(r.Outcome)
			reasons = sc.reasons[string(r.Outcome)]
			if reasons == "" {
				reasons = "Valutazione conclusa dopo il colloquio con chi ha segnalato."
			}
		} else {
			row.ScreenedAt = r.ReceivedAt.Add(3 * time.Hour)
		}
		if err := store.InsertScreening(ctx, tx, row); err != nil {
			return err
		}
		answers, err := json.Marshal(sc.answers)
		if err != nil {
			return err
		}
		sealedAnswers, err := seal(string(answers), casework.ScreeningAAD("answers_sealed", row.ID))
		if err != nil {
			return err
		}
		sealedReasons, err := seal(reasons, casework.ScreeningAAD("reasons_sealed", row.ID))
		if err != nil {
			return err
		}
		if err := store.SetScreeningText(ctx, tx, row.ID, sealedAnswers, sealedReasons); err != nil {
			return err
		}
		if c != nil {
			if err := store.LinkCaseToReport(ctx, tx, c.ID, r.ID); err != nil {
				return err
			}
			if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: c.OpenedAt, ActorID: screener,
				Kind: cases.Screened, RefID: row.ID, Detail: map[string]string{"decision": string(cases.TakeCharge), "report": r.Code}}); err != nil {
				return err
			}
		}
		if r.Status == cases.Decided && r.ReporterUserID != 0 {
			if err := store.InsertNotification(ctx, tx, &store.Notification{UserID: r.ReporterUserID, Kind: "report_outcome",
				CaseCode: r.Code, ActorID: screener, CreatedAt: decidedAt}); err != nil {
				return err
			}
		}
	}
	return nil
}

// decisionOf is the decision that gives outcome o.
func decisionOf(o cases.Outcome) cases.Decision {
	for _, d := range cases.Decisions {
		if d.Outcome() == o {
			return d
		}
	}
	return cases.NoFurther
}
