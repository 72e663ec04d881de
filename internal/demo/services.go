package demo

import (
	"context"
	"fmt"
	"strings"

	"approdo/cases"
	"approdo/internal/store"
	"approdo/services"
)

// demoService is a directory entry of a demo organisation. Phone numbers
// are invented (+39 0XXX 000 NNN) and e-mail addresses are at example.org.
type demoService struct {
	org, name, description string
	types                  []string
	kinds                  []cases.Kind // empty: every kind
	areas                  []string     // area codes
	langs                  []string
	minAge, maxAge         int // -1: no bound
	interpretation         string
	process                string
	documents              []string
	days                   int
	hours                  string // "MO,TU,WE 09:00-13:00", or a description
	contact                string
	prefix                 string // the invented phone's area code
	active                 bool
}

const (
	minorsOnly = 17
	noBound    = -1
)

var (
	minors        = []cases.Kind{cases.UnaccompaniedMinor, cases.MinorFamilyViolence}
	violence      = []cases.Kind{cases.WomanViolence, cases.MinorFamilyViolence}
	trafficking   = []cases.Kind{cases.TraffickingVictim}
	weekdays      = "MO,TU,WE,TH,FR"
	idDocs        = []string{"Documento d'identità o attestazione nominativa", "Tessera sanitaria o codice STP/ENI"}
	referralLater = "Invio dal servizio sociale o dall'ente che ha in carico il caso, con una breve relazione; il servizio risponde e fissa il primo colloquio."
)

var demoServices = []demoService{
	// Tuscany.
	{"RT", "Coordinamento regionale della rete INCONTRO", "Supporto ai servizi della rete per casi complessi di minori stranieri vittime di violenza: consulenza sul percorso di tutela e raccordo tra gli enti.",
		[]string{services.FamilySupport}, minors, []string{"FI-PO", "AR", "VET"}, []string{"it"}, noBound, noBound, "", "Richiesta via e-mail del coordinatore del servizio che ha in carico il caso.", nil, 10, weekdays + " 09:00-17:00", "Segreteria di coordinamento", "055", true},
	{"OXFAM-INT", "Mediazione linguistico-culturale Intercultura", "Mediatori e mediatrici per colloqui, visite e udienze, in presenza o a distanza.",
		[]string{services.CulturalMediation}, nil, []string{"FI-PO", "AR", "VET"}, []string{"ar", "ti", "fr", "en", "ur", "bn", "sq"}, noBound, noBound, "", "Richiesta dal servizio con almeno 3 giorni lavorativi di anticipo, indicando lingua, data e luogo.", nil, 3, weekdays + " 09:00-18:00", "Sportello mediazione", "055", true},
	{"OXFAM-INT", "Orientamento legale per minori e neomaggiorenni", "Informazione sui permessi di soggiorno, la protezione internazionale e il prosieguo amministrativo.",
		[]string{services.LegalAid}, []cases.Kind{cases.UnaccompaniedMinor}, []string{"FI-PO"}, []string{"it", "en", "fr", "ar"}, 14, 21, "Con mediatore su richiesta.", referralLater, []string{"Permesso di soggiorno o ricevuta, se presente"}, 7, "TU,TH 14:00-18:00", "Sportello legale", "055", true},
	{"COOP-ALICE", "Comunità educativa per minori", "Accoglienza residenziale e progetto educativo individuale per minori stranieri.",
		[]string{services.HousingReception}, minors, []string{"VET"}, []string{"it", "en", "fr"}, 12, minorsOnly, "Mediazione con la rete INCONTRO.", "Collocamento disposto dal servizio sociale titolare della tutela.", []string{"Provvedimento di collocamento"}, 2, "Reperibilità 24 ore su 24", "Coordinatrice della comunità", "0586", true},
	{"PROGETTO5", "Laboratori di italiano L2 per adolescenti", "Corsi di italiano per adolescenti arrivati da poco, in piccoli gruppi, con attività di orientamento civico.",
		[]string{services.LanguageCourse}, nil, []string{"AR"}, []string{"it", "en"}, 14, 20, "", "Iscrizione su invio del servizio o della comunità di accoglienza.", nil, 14, "MO,WE,FR 15:00-17:30", "Referente laboratori", "0575", true},
	{"SDS-PRATO", "Servizio sociale professionale – area minori", "Presa in carico di minori e famiglie, tutela e progetti individuali.",
		[]string{services.FamilySupport, services.BasicNeeds}, nil, []string{"FI-PO"}, []string{"it", "en"}, noBound, noBound, "Mediatori della rete su richiesta.", "Segnalazione al servizio o accesso diretto allo sportello.", idDocs, 5, weekdays + " 08:30-13:00", "Sportello sociale", "0574", true},
	{"USL-TNO", "Consultorio familiare e spazio giovani", "Consulenza psicologica, ginecologica e sociale per ragazze, ragazzi e famiglie.",
		[]string{services.HealthCare, services.PsychologicalSupport}, nil, []string{"VET"}, []string{"it", "en"}, 14, 24, "Mediazione telefonica su appuntamento.", "Accesso diretto o invio del servizio sociale.", idDocs, 10, "MO,WE 14:00-18:00", "Accettazione consultorio", "0586", true},
	{"USL-TSE", "Supporto psicologico transculturale per adolescenti", "Colloqui psicologici e psicoterapia breve per adolescenti e giovani stranieri esposti a violenza o a viaggi traumatici, con mediazione linguistico-culturale. Risponde agli invii della rete entro 5 giorni.",
		[]string{services.PsychologicalSupport, services.EthnoclinicalConsultation}, nil, []string{"AR", "FI-PO"}, []string{"it", "en", "fr", "ti"}, 11, 21, "Interpreti e mediatori in tutte le lingue della rete, anche in videochiamata.", referralLater, idDocs, 5, weekdays + " 09:00-13:00", "Marco Gentili, psicologo", "0575", true},
	{"USL-TSE", "Ambulatorio per persone straniere senza tessera sanitaria", "Cure primarie per persone straniere con codice STP o ENI.",
		[]string{services.HealthCare}, nil, []string{"AR"}, []string{"it", "en", "fr"}, noBound, noBound, "", "Accesso diretto negli orari di apertura.", []string{"Codice STP o ENI, se già rilasciato"}, 1, "TU,TH 09:00-12:00", "Ambulatorio STP", "0575", true},
	{"COM-CECINA", "Segretariato sociale", "Informazione, orientamento e prima valutazione del bisogno.",
		[]string{services.BasicNeeds, services.FamilySupport}, nil, []string{"VET"}, []string{"it"}, noBound, noBound, "", "Accesso diretto.", nil, 7, "MO,TH 09:00-12:30", "Segretariato sociale", "0586", true},
	{"COM-BIBBIENA", "Servizio sociale – sostegno alle famiglie", "Sostegno economico ed educativo alle famiglie in difficoltà.",
		[]string{services.FamilySupport, services.BasicNeeds}, []cases.Kind{cases.FamilyInDistress, cases.MinorFamilyViolence}, []string{"AR"}, []string{"it"}, noBound, noBound, "", "Colloquio con l'assistente sociale su appuntamento.", idDocs, 10, "WE 09:00-13:00", "Ufficio servizi sociali", "0575", true},
	{"IC-PRATO", "Inserimento scolastico e italiano per studenti neoarrivati", "Accoglienza a scuola, laboratori di italiano L2 e raccordo con le famiglie.",
		[]string{services.Schooling, services.LanguageCourse}, nil, []string{"FI-PO"}, []string{"it", "zh", "ur"}, 6, 16, "", "Iscrizione alla segreteria della scuola, con il servizio sociale per i minori non accompagnati.", []string{"Documento del minore o dichiarazione del tutore"}, 15, weekdays + " 08:00-13:00", "Segreteria didattica", "0574", true},
	{"COM-EDU-FARO", "Comunità educativa Il Faro – pronta accoglienza", "Pronta accoglienza per minori stranieri non accompagnati, con percorso educativo.",
		[]string{services.HousingReception}, []cases.Kind{cases.UnaccompaniedMinor}, []string{"FI-PO"}, []string{"it", "fr", "en"}, 14, minorsOnly, "", "Collocamento del servizio sociale, anche in urgenza.", []string{"Provvedimento di collocamento"}, 1, "Reperibilità 24 ore su 24", "Educatore di turno", "0574", true},
	{"CAV-PRATO", "Centro antiviolenza – ascolto e accompagnamento", "Ascolto, valutazione del rischio, consulenza legale e psicologica, casa rifugio per donne e figli.",
		[]string{services.AntiViolence, services.PsychologicalSupport, services.LegalAid}, violence, []string{"FI-PO"}, []string{"it", "en", "ar", "es"}, 16, noBound, "Mediatrici culturali su richiesta.", "Accesso diretto o invio dei servizi; numero nazionale 1522.", nil, 2, weekdays + " 09:00-19:00", "Linea del centro", "0574", true},
	{"TM-FI", "Cancelleria – volontaria giurisdizione", "Ricorsi per la nomina del tutore e per i provvedimenti di protezione dei minori.",
		[]string{services.LegalAid}, minors, []string{"FI-PO", "AR", "VET", "VER"}, []string{"it"}, noBound, minorsOnly, "", "Deposito del ricorso in cancelleria o per via telematica.", nil, 30, "MO,WE,FR 09:00-12:00", "Cancelleria", "055", true},
	{"PROC-TM-FI", "Segreteria – segnalazioni di minori in pregiudizio", "Ricezione delle segnalazioni dei servizi e delle scuole sui minori in situazione di pregiudizio.",
		[]string{services.LegalAid}, minors, []string{"FI-PO", "AR", "VET", "VER"}, []string{"it"}, noBound, minorsOnly, "", "Segnalazione scritta del servizio o della scuola.", nil, 10, weekdays + " 09:00-13:00", "Segreteria", "055", true},
	{"QUESTURA-PO", "Ufficio immigrazione – permessi per minori", "Rilascio e rinnovo dei permessi di soggiorno per minore età e per protezione.",
		[]string{services.LegalAid}, nil, []string{"FI-PO"}, []string{"it", "en"}, noBound, noBound, "", "Appuntamento chiesto dal servizio o dal tutore.", []string{"Passaporto o documento equivalente", "Fotografie formato tessera"}, 20, "TU,TH 08:30-12:30", "Ufficio immigrazione", "0574", true},
	// Rome.
	{"RM-MSNA", "Ufficio MSNA – presa in carico", "Presa in carico dei minori stranieri non accompagnati rintracciati a Roma.",
		[]string{services.FamilySupport, services.HousingReception}, []cases.Kind{cases.UnaccompaniedMinor}, []string{"RM"}, []string{"it", "en", "fr"}, noBound, minorsOnly, "Mediatori del servizio.", "Segnalazione delle forze dell'ordine o dei servizi.", nil, 1, weekdays + " 09:00-17:00", "Ufficio MSNA", "06", true},
	{"PROG-INTEGRA", "Orientamento al lavoro per neomaggiorenni", "Bilancio di competenze, tirocini e ricerca del lavoro.",
		[]string{services.JobOrientation}, nil, []string{"RM"}, []string{"it", "en", "fr", "ar"}, 16, 23, "", referralLater, []string{"Permesso di soggiorno"}, 10, "MO,WE 10:00-16:00", "Sportello lavoro", "06", true},
	{"SPES", "Educativa territoriale", "Accompagnamento educativo dei minori nel territorio.",
		[]string{services.FamilySupport, services.Schooling}, minors, []string{"RM"}, []string{"it", "es"}, 11, minorsOnly, "", referralLater, nil, 10, weekdays + " 14:00-19:00", "Coordinamento educatori", "06", true},
	{"DON-CALABRIA", "Consulenza ai servizi per minori vittime di abuso", "Supervisione dei casi e formazione degli operatori della rete CO.RE.",
		[]string{services.PsychologicalSupport}, minors, []string{"RM"}, []string{"it"}, noBound, minorsOnly, "", "Richiesta dell'ente della rete che ha in carico il caso.", nil, 15, "Su appuntamento", "Segreteria CO.RE.", "06", true},
	{"IPRS", "Valutazione psicologica e psicodiagnostica", "Valutazioni psicodiagnostiche per minori vittime di maltrattamento.",
		[]string{services.PsychologicalSupport}, minors, []string{"RM"}, []string{"it", "en"}, 6, minorsOnly, "", referralLater, nil, 20, "TU,TH 09:00-17:00", "Segreteria clinica", "06", true},
	{"CNCA", "Rete delle comunità di accoglienza", "Ricerca di un posto in comunità per minori e giovani adulti nella rete nazionale.",
		[]string{services.HousingReception}, nil, nil, []string{"it"}, noBound, 21, "", "Richiesta del servizio sociale con la scheda del minore.", nil, 7, "Su appuntamento", "Segreteria nazionale", "06", true},
	{"POLICLINICO-MI", "Ambulatorio pediatrico per minori maltrattati", "Visite pediatriche e medico-legali per minori vittime di maltrattamento o abuso.",
		[]string{services.HealthCare}, minors, nil, []string{"it", "en"}, noBound, minorsOnly, "Mediazione telefonica.", "Invio del servizio sociale o dell'autorità giudiziaria.", idDocs, 7, weekdays + " 08:00-16:00", "Accettazione ambulatorio", "02", true},
	{"IL-CAMMINO", "Comunità di accoglienza Il Cammino", "Accoglienza residenziale per minori stranieri non accompagnati.",
		[]string{services.HousingReception}, []cases.Kind{cases.UnaccompaniedMinor}, []string{"RM"}, []string{"it", "fr", "bm"}, 14, minorsOnly, "", "Collocamento dell'Ufficio MSNA.", []string{"Provvedimento di collocamento"}, 2, "Reperibilità 24 ore su 24", "Responsabile della comunità", "06", true},
	{"PARSEC", "Unità di strada e sportello", "Contatto e orientamento di minori e giovani in strada, anche vittime di sfruttamento.",
		[]string{services.BasicNeeds, services.AntiTrafficking}, nil, []string{"RM"}, []string{"it", "ro", "ar", "en"}, 12, 25, "", "Accesso diretto allo sportello o contatto dell'unità di strada.", nil, 3, "MO,WE,FR 16:00-22:00", "Sportello Parsec", "06", true},
	{"EUREKA", "Gruppo appartamento per neomaggiorenni", "Semi-autonomia abitativa per giovani in prosieguo amministrativo.",
		[]string{services.HousingReception}, nil, []string{"RM"}, []string{"it", "en"}, 18, 21, "", referralLater, []string{"Decreto di prosieguo amministrativo"}, 15, "Su appuntamento", "Coordinatore", "06", false},
	{"ARCHE", "Sostegno alla genitorialità", "Sostegno a madri e padri stranieri con figli piccoli.",
		[]string{services.FamilySupport}, []cases.Kind{cases.FamilyInDistress, cases.WomanViolence}, []string{"RM"}, []string{"it", "en", "fr"}, 16, noBound, "", referralLater, nil, 10, "TU,TH 10:00-16:00", "Sportello famiglie", "06", true},
	// Brescia area.
	{"UDP-BS-E", "Servizio tutela minori Brescia Est", "Presa in carico dei minori in situazione di pregiudizio e delle loro famiglie.",
		[]string{services.FamilySupport}, minors, []string{"BS-E"}, []string{"it"}, noBound, minorsOnly, "Mediatori della rete interculturale.", referralLater, nil, 7, weekdays + " 09:00-12:30", "Segreteria tutela minori", "030", true},
	{"UDP-BS-O", "Servizio tutela minori Brescia Ovest", "Presa in carico dei minori in situazione di pregiudizio e delle loro famiglie.",
		[]string{services.FamilySupport}, minors, []string{"BS-O"}, []string{"it"}, noBound, minorsOnly, "Mediatori della rete interculturale.", referralLater, nil, 7, weekdays + " 09:00-12:30", "Segreteria tutela minori", "030", true},
	{"ASST-BS", "Neuropsichiatria dell'infanzia e dell'adolescenza", "Valutazione e presa in carico di disturbi neuropsichici e del trauma in età evolutiva.",
		[]string{services.HealthCare, services.PsychologicalSupport}, nil, []string{"BS-E", "BS-O"}, []string{"it", "en"}, noBound, minorsOnly, "Mediazione su richiesta del servizio inviante.", "Impegnativa del pediatra o del medico, o invio del servizio tutela.", idDocs, 30, weekdays + " 08:30-16:30", "CUP neuropsichiatria", "030", true},
	{"ETNOCLINICA", "Consultazione etnoclinica", "Consultazioni in gruppo con clinici, mediatori e la famiglia, per i casi in cui la cultura d'origine conta.",
		[]string{services.EthnoclinicalConsultation, services.PsychologicalSupport, services.CulturalMediation}, nil, []string{"BS-E", "BS-O"}, []string{"it", "ar", "ur", "pa", "fr"}, noBound, noBound, "Mediatori nella lingua della famiglia in ogni consultazione.", referralLater, nil, 21, "Su appuntamento, il giovedì", "Équipe etnoclinica", "02", true},
	{"CAV-BS", "Centro antiviolenza – sportelli degli Ambiti", "Ascolto, accompagnamento e ospitalità per donne che subiscono violenza e i loro figli.",
		[]string{services.AntiViolence, services.LegalAid}, violence, []string{"BS-E", "BS-O"}, []string{"it", "en", "ar"}, 16, noBound, "", "Accesso diretto o invio dei servizi; numero nazionale 1522.", nil, 2, weekdays + " 09:00-18:00", "Linea del centro", "030", true},
	{"TM-BS", "Cancelleria civile minorile", "Ricorsi e provvedimenti di protezione per i minori del distretto.",
		[]string{services.LegalAid}, minors, []string{"BS-E", "BS-O"}, []string{"it"}, noBound, minorsOnly, "", "Deposito del ricorso in cancelleria o per via telematica.", nil, 30, "MO,WE 09:00-12:00", "Cancelleria", "030", true},
	{"COOP-BS", "Inserimento lavorativo Il Ponte", "Tirocini e borse lavoro per donne e giovani in percorsi di autonomia.",
		[]string{services.JobOrientation}, nil, []string{"BS-E"}, []string{"it", "en"}, 16, noBound, "", referralLater, []string{"Permesso di soggiorno", "Curriculum, se disponibile"}, 14, "TU,TH 09:00-13:00", "Ufficio inserimenti", "030", true},
	// Versilia.
	{"COM-VIAREGGIO", "Servizio sociale – Zona Distretto Versilia", "Presa in carico sociale e progetti individuali di uscita dal programma di protezione.",
		[]string{services.FamilySupport, services.BasicNeeds}, nil, []string{"VER"}, []string{"it", "en"}, noBound, noBound, "", "Segnalazione al servizio o accesso allo sportello.", idDocs, 7, weekdays + " 09:00-12:30", "Sportello sociale", "0584", true},
	{"SATIS-VER", "Programma antitratta – emersione e protezione", "Contatto, identificazione, accoglienza protetta e percorso di protezione sociale (art. 18).",
		[]string{services.AntiTrafficking, services.HousingReception, services.LegalAid}, trafficking, []string{"VER"}, []string{"it", "en", "bin", "pcm", "ro"}, 16, noBound, "Mediatrici anche in edo e pidgin nigeriano.", "Numero verde antitratta 800 290 290 o invio dei servizi e delle forze dell'ordine.", nil, 1, "Reperibilità 24 ore su 24", "Operatrice di turno", "0584", true},
	{"CASA-RIFUGIO-VER", "Casa rifugio ad indirizzo segreto", "Ospitalità protetta per donne vittime di violenza o tratta e i loro figli.",
		[]string{services.AntiViolence, services.HousingReception}, []cases.Kind{cases.WomanViolence, cases.TraffickingVictim}, []string{"VER"}, []string{"it", "en", "fr"}, 18, noBound, "", "Solo su invio del centro antiviolenza o del programma antitratta.", nil, 1, "Reperibilità 24 ore su 24", "Referente ospitalità", "0584", true},
}

// seedServices gives every demo organisation its entries in the service
// directory.
func seedServices(ctx context.Context, tx *store.Tx, seeded ids) error {
	for n, d := range demoServices {
		s := services.Service{OrganisationID: seeded.orgs[d.org], Name: d.name, Description: d.description,
			Types: d.types, CaseKinds: d.kinds, Languages: d.langs, Interpretation: d.interpretation,
			ApplicationProcess: d.process, RequiredDocuments: d.documents, ResponseDays: d.days, Active: d.active,
			Email: "servizi." + strings.ToLower(d.org) + "@example.org", Fees: "Gratuito."}
		for _, a := range d.areas {
			s.AreaIDs = append(s.AreaIDs, seeded.areas[a])
		}
		if d.minAge != noBound {
			s.MinAge = &d.minAge
		}
		if d.maxAge != noBound {
			s.MaxAge = &d.maxAge
		}
		if days, hours, ok := strings.Cut(d.hours, " "); ok && strings.Contains(hours, "-") && strings.ToUpper(days) == days {
			opens, closes, _ := strings.Cut(hours, "-")
			s.Schedules = []services.Schedule{{Days: strings.Split(days, ","), OpensAt: opens, ClosesAt: closes}}
		} else {
			s.Schedules = []services.Schedule{{Description: d.hours}}
		}
		s.Contacts = []services.Contact{{Name: d.contact, Phone: fmt.Sprintf("+39 %s 000 %03d", d.prefix, n+1),
			Email: "info." + strings.ToLower(d.org) + "@example.org"}}
		s.Normalize()
		if err := services.Check(&s); err != nil {
			return fmt.Errorf("demo: service %q: %w", d.name, err)
		}
		if err := store.InsertService(ctx, tx, &s); err != nil {
			return err
		}
	}
	return nil
}
