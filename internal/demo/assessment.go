package demo

import (
	"context"
	"fmt"
	"time"

	"approdo/cases"
	"approdo/internal/casework"
	"approdo/internal/store"
)

// demoJourney is one leg of a demo journey: the country and how many
// months the person stayed, counted back from the case's opening.
type demoJourney struct {
	country string
	months  int
	notes   string
}

// demoAssessment is the assessment of a kind of demo case: every story is
// invented, shaped like those the networks of the seeds tell.
type demoAssessment struct {
	profile, family, schooling, work, health, violence string
	journey                                            []demoJourney
	healthNeeds, psychosocial, specific, indicators    string
	summary                                            string
	steps                                              []cases.LegalStep
	legalStatus, legalNotes                            string
}

// demoAssessments are the assessments of the demo cases by kind, a few
// stories each; a case takes the story its place in the list picks.
var demoAssessments = map[cases.Kind][]demoAssessment{
	cases.UnaccompaniedMinor: {
		{
			profile:   "Ragazzo di 16 anni, tranquillo e curioso, parla mandinka e un po' di inglese. Ama il calcio e disegnare.",
			family:    "La madre e due sorelle minori vivono in Gambia; il padre è morto quando aveva 10 anni. Sente la madre al telefono una volta al mese.",
			schooling: "Sei anni di scuola coranica e tre di scuola primaria; legge e scrive in inglese a livello elementare.",
			work:      "Ha lavorato come aiutante in un'officina di motorini e, durante il viaggio, in un cantiere edile.",
			health:    "Nessuna malattia nota. Visita pediatrica all'ingresso in prima accoglienza: buone condizioni generali.",
			violence:  "Riferisce di essere stato trattenuto per alcuni mesi in un centro di detenzione, con percosse e lavoro non pagato.",
			journey: []demoJourney{{"GM", 0, "Partenza dalla casa della madre"}, {"SN", 2, ""}, {"ML", 3, "In autobus fino a Gao"},
				{"NE", 4, "Attesa ad Agadez"}, {"LY", 11, "Lavoro in un cantiere; periodo di detenzione"}},
			healthNeeds:  "Controllo odontoiatrico e richiamo delle vaccinazioni.",
			psychosocial: "Disturbi del sonno e ricordi intrusivi del periodo in Libia: invio al servizio di etnopsichiatria.",
			specific:     "Chiede di imparare presto l'italiano e di iniziare un corso professionale.",
			indicators:   "Lavoro forzato e debito durante il transito in Libia; nessun contatto attuale con chi lo sfruttava.",
			summary:      "Vulnerabilità media: buone risorse personali, esperienze traumatiche nel transito da seguire con attenzione.",
			steps: []cases.LegalStep{
				{Subject: "Passaporto", Status: cases.StepMissing, NextStep: "Contattare l'ambasciata del Gambia per il rilascio"},
				{Subject: "Permesso di soggiorno per minore età", Status: cases.StepInProgress, NextStep: "Ritirare il permesso in questura"},
				{Subject: "Codice fiscale", Status: cases.StepExists},
			},
			legalStatus: "Minore non accompagnato; richiesta di nomina del tutore volontario trasmessa al Tribunale per i minorenni.",
			legalNotes:  "Valutare con il tutore la domanda di protezione internazionale.",
		},
		{
			profile:   "Ragazzo di 17 anni, riservato, parla bengali e inglese. Segue con interesse le lezioni di italiano.",
			family:    "I genitori e tre fratelli vivono in Bangladesh; la famiglia ha contratto un debito per il suo viaggio.",
			schooling: "Otto anni di scuola in Bangladesh; buona padronanza della matematica.",
			work:      "Ha lavorato in un ristorante a Dubai e come bracciante in Libia.",
			health:    "Dermatite trattata in prima accoglienza; nessun altro problema riferito.",
			violence:  "Riferisce minacce da parte dell'intermediario che ha organizzato il viaggio.",
			journey: []demoJourney{{"BD", 0, ""}, {"AE", 8, "Lavoro in un ristorante"}, {"EG", 1, ""},
				{"LY", 5, "Lavoro agricolo"}},
			healthNeeds:  "Controllo dermatologico a un mese.",
			psychosocial: "Forte preoccupazione per il debito della famiglia; colloqui di sostegno con la psicologa della comunità.",
			specific:     "Chiede di lavorare presto per aiutare la famiglia: orientamento a un tirocinio.",
			indicators:   "Debito con l'intermediario: possibile indicatore di sfruttamento, da approfondire con il progetto antitratta.",
			summary:      "Vulnerabilità media legata al debito e alla pressione della famiglia.",
			steps: []cases.LegalStep{
				{Subject: "Passaporto", Status: cases.StepExists},
				{Subject: "Permesso di soggiorno per minore età", Status: cases.StepMissing, NextStep: "Presentare la richiesta in questura"},
			},
			legalStatus: "Minore non accompagnato; accertamento dell'età concluso con esito di minore età.",
			legalNotes:  "Preparare per tempo la conversione del permesso al compimento dei 18 anni.",
		},
	},
	cases.TraffickingVictim: {
		{
			profile:   "Donna di 23 anni, parla edo e inglese. Ha un carattere deciso e vuole diventare parrucchiera.",
			family:    "La madre e un fratello vivono in Nigeria; non ha figli.",
			schooling: "Scuola secondaria inferiore completata in Nigeria.",
			work:      "Ha lavorato in un negozio di tessuti a Benin City.",
			health:    "Gravidanza interrotta durante il viaggio; controlli ginecologici in corso al consultorio.",
			violence:  "Sfruttamento sessuale in Libia e in Italia; rito di giuramento prima della partenza.",
			journey: []demoJourney{{"NG", 0, "Reclutata con la promessa di un lavoro"}, {"NE", 1, ""},
				{"LY", 7, "Trattenuta in una casa di sfruttamento"}},
			healthNeeds:  "Controlli ginecologici e screening delle malattie infettive.",
			psychosocial: "Paura di ritorsioni sulla famiglia; sostegno psicologico con mediazione culturale.",
			specific:     "Corso di italiano e formazione professionale come parrucchiera.",
			indicators:   "Debito di ingaggio, documenti trattenuti, minacce alla famiglia: condizione di tratta accertata.",
			summary:      "Vulnerabilità alta: inserita nel programma di protezione, in casa rifugio.",
			steps: []cases.LegalStep{
				{Subject: "Passaporto", Status: cases.StepMissing, NextStep: "Denuncia di smarrimento e richiesta all'ambasciata"},
				{Subject: "Permesso di soggiorno per protezione sociale (art. 18)", Status: cases.StepInProgress,
					NextStep: "Integrare la relazione dell'ente antitratta"},
			},
			legalStatus: "Richiesta di permesso per protezione sociale (art. 18 TU 286/1998) presentata con parere favorevole dell'ente.",
			legalNotes:  "Il permesso ha durata di sei mesi, rinnovabile: fissare il promemoria della scadenza.",
		},
	},
	cases.WomanViolence: {
		{
			profile:      "Donna di 34 anni, madre di due bambini, parla arabo e francese.",
			family:       "Vive con i due figli di 6 e 9 anni; il marito è allontanato dalla casa familiare.",
			schooling:    "Diploma di scuola superiore in Marocco.",
			work:         "Ha lavorato come sarta; in Italia lavori saltuari di pulizie.",
			health:       "Lesioni refertate in pronto soccorso; in cura dal medico di base.",
			violence:     "Violenza fisica e psicologica dal marito da diversi anni, davanti ai figli.",
			journey:      []demoJourney{{"MA", 0, "Ricongiungimento familiare con il marito"}},
			healthNeeds:  "Controlli per le lesioni e sostegno per l'insonnia.",
			psychosocial: "Percorso di sostegno al centro antiviolenza; i bambini seguiti dal consultorio.",
			specific:     "Autonomia economica: orientamento al lavoro e alla casa.",
			indicators:   "Rischio di recidiva alto secondo la valutazione SARA.",
			summary:      "Vulnerabilità alta per la presenza dei figli e la dipendenza economica.",
			steps: []cases.LegalStep{
				{Subject: "Permesso di soggiorno per motivi familiari", Status: cases.StepExists},
				{Subject: "Permesso autonomo per vittime di violenza domestica (art. 18-bis)", Status: cases.StepMissing,
					NextStep: "Valutare la richiesta con l'avvocata del centro antiviolenza"},
			},
			legalStatus: "Denuncia presentata; ammonimento del questore in corso di valutazione.",
			legalNotes:  "Il permesso attuale dipende dal marito: priorità al permesso autonomo.",
		},
	},
}

// demoAssessmentCases is how many cases of each kind get an assessment.
const demoAssessmentCases = 3

// seedAssessments gives a few demo cases of each kind with a story, taken
// in charge and with a case worker, their three sections of assessment,
// saved by the case worker a week after opening, the steps of the legal
// pathway given to them. It writes nothing without a vault to seal the
// sections with.
func seedAssessments(ctx context.Context, tx *store.Tx, opts []Option, now time.Time) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.vault == nil {
		return nil
	}
	caseIDs, err := caseIDsInOrder(ctx, tx)
	if err != nil {
		return err
	}
	done := map[cases.Kind]int{}
	for _, id := range caseIDs {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		stories := demoAssessments[c.Kind]
		if len(stories) == 0 || done[c.Kind] >= demoAssessmentCases || c.CaseWorkerID == 0 ||
			c.Stage.Index() < cases.StageTakenCharge.Index() {
			continue
		}
		story := stories[done[c.Kind]%len(stories)]
		done[c.Kind]++
		at := c.OpenedAt.AddDate(0, 0, 7)
		if at.After(now) {
			at = now
		}
		for _, content := range story.sections(c, now) {
			if err := content.Validate(now); err != nil {
				return fmt.Errorf("demo: the %s of case %d: %w", content.Section(), id, err)
			}
			if err := casework.RecordAssessment(ctx, tx, o.vault, id, content, c.CaseWorkerID, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// sections returns the story's three sections for case c: the journey
// ends the month the case opened, and the next steps are due in the weeks
// after now, taken by the case worker.
func (d demoAssessment) sections(c *cases.Case, now time.Time) []cases.SectionContent {
	h := &cases.SocialHistory{Profile: d.profile, FamilySituation: d.family, Schooling: d.schooling,
		WorkExperience: d.work, HealthHistory: d.health, ViolenceHistory: d.violence}
	total := 0
	for _, j := range d.journey {
		total += j.months
	}
	start := time.Date(c.OpenedAt.Year(), c.OpenedAt.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -total, 0)
	for _, j := range d.journey {
		leg := cases.JourneyLeg{Country: j.country, Notes: j.notes}
		if j.months > 0 {
			end := start.AddDate(0, j.months, 0)
			leg.From, leg.To, leg.Months = start.Format("2006-01"), end.Format("2006-01"), j.months
			start = end
		}
		h.Journey = append(h.Journey, leg)
	}
	v := &cases.VulnerabilityAssessment{HealthNeeds: d.healthNeeds, PsychosocialNeeds: d.psychosocial,
		SpecificNeeds: d.specific, ViolenceIndicators: d.indicators, VulnerabilitySummary: d.summary}
	p := &cases.LegalPathway{LegalStatus: d.legalStatus, LegalNotes: d.legalNotes}
	for i, s := range d.steps {
		if s.Status != cases.StepExists {
			s.ResponsibleID = c.CaseWorkerID
			s.DueOn = now.AddDate(0, 0, 14*(i+1)).Format(time.DateOnly)
		}
		p.Steps = append(p.Steps, s)
	}
	return []cases.SectionContent{h, v, p}
}
