package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/internal/vault"
)

// Option changes what Seed writes.
type Option func(*options)

type options struct {
	vault *vault.Vault
	// caseload adds the network's caseload to the demo cases (WithCaseload).
	caseload bool
}

// WithVault lets Seed write the parts of the demo that are sealed: the
// notes and interviews of the demo cases, with a few attachments. Without a
// vault Seed leaves them out.
func WithVault(v *vault.Vault) Option {
	return func(o *options) { o.vault = v }
}

// noteTexts are the synthetic notes of one kind of case: every situation is
// invented, and people are named by their role, never by a name.
type noteTexts struct {
	first, interview, educator, health, restricted, correction, followUp string
	participants                                                         string
}

var demoNotes = map[cases.Kind]noteTexts{
	cases.MinorFamilyViolence: {
		first: "Primo colloquio con la docente referente che ha fatto la segnalazione. La bambina arriva spesso a scuola " +
			"senza merenda e con abiti non adatti alla stagione; ieri ha detto alla maestra di avere paura di tornare a casa " +
			"quando il padre ha bevuto. Concordata una visita domiciliare entro la settimana.",
		interview: "Colloquio con la madre presso il servizio, alla presenza del mediatore. La signora conferma litigi frequenti " +
			"e racconta di essere stata spinta davanti ai figli. Non vuole per ora sporgere denuncia; accetta di incontrare " +
			"il centro antiviolenza. Fissato un nuovo colloquio tra due settimane.",
		educator: "Inserimento in comunità avvenuto senza difficoltà. La ragazza partecipa alle attività del pomeriggio e ha " +
			"chiesto di poter continuare il corso di nuoto. Il rientro a scuola è previsto per lunedì.",
		health: "Visita presso il consultorio: riferiti disturbi del sonno e mal di pancia ricorrenti. Proposto un percorso di " +
			"sostegno psicologico con la neuropsichiatria infantile; prima valutazione a fine mese.",
		restricted: "Nota riservata per la titolare del caso: la madre ha chiesto che il nuovo indirizzo della nonna non venga " +
			"condiviso con il padre. Verificare con il tribunale prima di ogni comunicazione.",
		correction: "Primo colloquio con la docente referente che ha fatto la segnalazione. La bambina arriva spesso a scuola " +
			"senza merenda e con abiti non adatti alla stagione; ieri ha detto alla maestra di avere paura di tornare a casa " +
			"quando il padre ha bevuto. Visita domiciliare fissata per giovedì mattina (non venerdì, come scritto per errore).",
		followUp: "Contatto telefonico di follow-up a tre mesi dalla chiusura: la famiglia frequenta regolarmente il centro " +
			"per le famiglie, la ragazza ha concluso l'anno scolastico con buoni risultati.",
		participants: "La madre; l'assistente sociale; il mediatore linguistico-culturale",
	},
	cases.UnaccompaniedMinor: {
		first: "Il ragazzo è stato accompagnato in questura e poi in prima accoglienza. Dichiara di avere 16 anni e di essere " +
			"partito dal suo paese un anno fa, con una lunga permanenza in Libia. Avviata la richiesta di nomina del tutore " +
			"volontario; fissato il colloquio previsto entro tre giorni.",
		interview: "Colloquio di prima accoglienza con il mediatore. Il ragazzo racconta il viaggio e chiede di poter " +
			"telefonare alla madre. Desidera imparare l'italiano e lavorare come meccanico. Spiegati i diritti del minore " +
			"non accompagnato e il ruolo del tutore.",
		educator: "Prima settimana in comunità: il ragazzo rispetta gli orari, cucina volentieri con gli altri ospiti e ha " +
			"iniziato il corso di italiano L2 al CPIA. Chiede spesso notizie sul permesso di soggiorno.",
		health: "Screening sanitario all'ingresso completato. Segnalata un'infezione cutanea in trattamento e un forte " +
			"affaticamento; programmato un controllo tra dieci giorni.",
		restricted: "Il ragazzo ha riferito in via riservata di un debito con chi ha organizzato il viaggio. Da approfondire " +
			"con l'équipe antitratta prima di ogni altra azione.",
		correction: "Il ragazzo è stato accompagnato in questura e poi in prima accoglienza. Dichiara di avere 16 anni e di " +
			"essere partito dal suo paese circa un anno e mezzo fa, con una lunga permanenza in Libia. Avviata la richiesta " +
			"di nomina del tutore volontario; fissato il colloquio previsto entro tre giorni.",
		followUp: "Contatto dopo la chiusura del caso: il ragazzo, ora maggiorenne, vive in un appartamento di semiautonomia " +
			"e ha un contratto di apprendistato in un'officina.",
		participants: "Il ragazzo; il tutore volontario; l'assistente sociale; il mediatore linguistico-culturale",
	},
	cases.FamilyInDistress: {
		first: "Accesso spontaneo della madre allo sportello: lo sfratto è fissato tra due mesi e il marito ha perso il " +
			"lavoro. Tre figli, il più piccolo di due anni. Valutata la domanda per il contributo affitto.",
		interview: "Colloquio con entrambi i genitori con il mediatore. Emergono difficoltà nella gestione dei figli più " +
			"grandi e tensioni con la famiglia allargata. Proposto il sostegno educativo domiciliare.",
		educator: "Incontro educativo a domicilio: i bambini hanno uno spazio per i compiti, la madre chiede aiuto per le " +
			"iscrizioni al centro estivo.",
		health: "La madre riferisce un periodo di forte stanchezza e tristezza dopo l'ultima gravidanza. Concordato un invio " +
			"al consultorio.",
		restricted: "Il padre ha chiesto di non riferire alla scuola la situazione lavorativa. Da rispettare salvo rischi per i " +
			"minori.",
		correction: "Accesso spontaneo della madre allo sportello: lo sfratto è fissato tra tre mesi e il marito ha perso il " +
			"lavoro. Tre figli, il più piccolo di due anni. Valutata la domanda per il contributo affitto.",
		followUp: "Verifica dopo la chiusura: la famiglia ha trovato una nuova casa in affitto e il padre lavora a tempo " +
			"determinato.",
		participants: "La madre; il padre; l'assistente sociale; il mediatore linguistico-culturale",
	},
	cases.TraffickingVictim: {
		first: "Primo contatto con l'unità di strada. La donna dice di dover ancora pagare una parte del debito del viaggio e " +
			"di non avere con sé il passaporto. Accetta di incontrare l'operatrice antitratta in un luogo protetto.",
		interview: "Colloquio in struttura protetta con il mediatore. La donna racconta le modalità del reclutamento e del " +
			"viaggio. Informata sul percorso di protezione dell'art. 18 e sui tempi; chiede qualche giorno per decidere.",
		educator: "La donna partecipa al laboratorio di sartoria e al corso di italiano. Ha chiesto informazioni per " +
			"iscriversi a un corso per operatrice socio-sanitaria.",
		health: "Accompagnata al consultorio per una visita di controllo; esami in corso. Programmato un colloquio con la " +
			"psicologa dell'équipe.",
		restricted: "Riferite minacce ai familiari nel paese d'origine. Informazione da non riportare nei documenti per la " +
			"commissione senza il consenso della donna.",
		correction: "Primo contatto con l'unità di strada. La donna dice di dover ancora pagare una parte del debito del " +
			"viaggio e di avere con sé solo una copia del passaporto. Accetta di incontrare l'operatrice antitratta in un " +
			"luogo protetto.",
		followUp: "Contatto dopo la chiusura del progetto: la donna lavora in una cooperativa e vive in affitto con " +
			"un'amica; il permesso è stato convertito per lavoro.",
		participants: "La donna; l'operatrice antitratta; l'assistente sociale; il mediatore linguistico-culturale",
	},
	cases.WomanViolence: {
		first: "La donna si è presentata al centro antiviolenza con i due figli dopo una lite violenta. Valutato il rischio " +
			"con l'équipe; trovata un'accoglienza temporanea. I bambini frequentano la scuola primaria del quartiere.",
		interview: "Colloquio con la donna e il mediatore: racconta anni di controllo economico e isolamento. Vuole separarsi; " +
			"orientata al servizio legale del centro. I figli sono sereni nella nuova sistemazione.",
		educator: "Incontro con le insegnanti: i bambini si sono inseriti bene; la scuola attiva il doposcuola gratuito.",
		health: "Referto del pronto soccorso acquisito con il consenso della donna; contusioni guaribili in dieci giorni. " +
			"Avviato il percorso con la psicologa del consultorio.",
		restricted: "Il luogo dell'accoglienza è noto solo alla titolare del caso e al centro antiviolenza. Non indicarlo " +
			"in nessun altro documento.",
		correction: "La donna si è presentata al centro antiviolenza con i due figli dopo una lite violenta. Valutato il " +
			"rischio con l'équipe; trovata un'accoglienza temporanea. I bambini frequentano la scuola dell'infanzia e la " +
			"primaria del quartiere.",
		followUp: "Contatto a sei mesi dalla chiusura: la donna ha un lavoro part-time e la casa popolare assegnata; i figli " +
			"seguono il percorso di sostegno.",
		participants: "La donna; l'operatrice del centro antiviolenza; l'assistente sociale; il mediatore linguistico-culturale",
	},
}

// demoLanguages are the languages the demo's interviews are held in, in
// turn; the demo mediator speaks the first two.
var demoLanguages = []string{"ar", "fr", "ar", "ti", "fr", "bn"}

// seedNotes gives every demo case a few notes: a first contact by its case
// worker (with a report attached on the first case of each organisation
// and kind, and on some others), and, case by case, an interview with the
// demo mediator, an educator's notes, a health note, a restricted note, a
// correction and a follow-up contact after closure. It writes nothing
// without a vault to seal them with.
func seedNotes(ctx context.Context, tx *store.Tx, ids ids, opts []Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.vault == nil {
		return nil
	}
	orgOf := map[int64]int64{}
	for _, u := range users {
		orgOf[ids.users[u.username]] = ids.orgs[u.org]
	}
	caseIDs, err := caseIDsInOrder(ctx, tx)
	if err != nil {
		return err
	}
	end := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	attached := map[string]bool{}
	for i, id := range caseIDs {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		texts, ok := demoNotes[c.Kind]
		if !ok {
			continue
		}
		at := func(days int, hour int) time.Time {
			t := c.OpenedAt.AddDate(0, 0, days)
			t = time.Date(t.Year(), t.Month(), t.Day(), hour, 30, 0, 0, approdo.Rome)
			if t.After(end) {
				t = end.Add(-time.Duration(100-days) * time.Minute)
			}
			return t.UTC()
		}
		note := func(author int64, kind cases.NoteKind, when time.Time, conf cases.Confidentiality, body string) *cases.Note {
			return &cases.Note{CaseID: c.ID, Kind: kind, OccurredAt: when, AuthorID: author, AuthorOrgID: orgOf[author],
				Confidentiality: conf, Body: body, CreatedAt: when.Add(2 * time.Hour)}
		}
		worker := c.CaseWorkerID
		first := note(worker, cases.PlainNote, at(1, 10), cases.TeamNote, texts.first)
		if err := casework.RecordNote(ctx, tx, o.vault, first); err != nil {
			return err
		}
		key := fmt.Sprint(c.OwnerOrgID, c.Kind)
		if !attached[key] || i%4 == 0 {
			attached[key] = true
			att := &cases.Attachment{NoteID: first.ID, CaseID: c.ID, Name: "Verbale primo contatto " + c.Code + ".pdf",
				ContentType: "application/pdf", CreatedAt: first.CreatedAt}
			if err := casework.RecordAttachment(ctx, tx, o.vault, att, demoPDF("Verbale di primo contatto - caso "+c.Code), worker); err != nil {
				return err
			}
		}
		var more []*cases.Note
		if i%3 != 2 {
			n := note(worker, cases.Interview, at(3, 11), cases.TeamNote, texts.interview)
			n.MediatorID, n.Language, n.Participants = ids.users["mediatore"], demoLanguages[i%2], texts.participants
			more = append(more, n)
		} else {
			n := note(worker, cases.Interview, at(3, 11), cases.TeamNote, texts.interview)
			n.Language, n.Participants = demoLanguages[i%len(demoLanguages)], strings.ReplaceAll(texts.participants, "; il mediatore linguistico-culturale", "")
			more = append(more, n)
		}
		for _, m := range c.Team {
			if m.UserID == worker {
				continue
			}
			if m.UserID == ids.users["operatore"] || m.UserID == ids.users["antitratta"] {
				more = append(more, note(m.UserID, cases.PlainNote, at(6, 16), cases.TeamNote, texts.educator))
				if i%3 == 0 {
					more = append(more, note(m.UserID, cases.PlainNote, at(7, 9), cases.OrgNote,
						"Nota interna dell'équipe educativa: turni di accompagnamento concordati per le prossime due settimane."))
				}
			}
		}
		if i%2 == 0 {
			n := note(worker, cases.PlainNote, at(9, 15), cases.TeamNote, texts.health)
			n.FieldGroup = "health"
			more = append(more, n)
		}
		if i%4 == 1 {
			more = append(more, note(worker, cases.PlainNote, at(10, 12), cases.RestrictedNote, texts.restricted))
		}
		if closed := c.Stage == cases.StageClosure || c.Stage == cases.StageFollowUp; closed {
			n := note(worker, cases.FollowUpNote, at(60, 10), cases.TeamNote, texts.followUp)
			more = append(more, n)
		}
		for _, n := range more {
			if err := casework.RecordNote(ctx, tx, o.vault, n); err != nil {
				return err
			}
		}
		if i%5 == 2 {
			fix := note(worker, cases.PlainNote, first.OccurredAt, cases.TeamNote, texts.correction)
			fix.CorrectsID, fix.CreatedAt = first.ID, at(2, 9)
			if err := casework.RecordNote(ctx, tx, o.vault, fix); err != nil {
				return err
			}
		}
	}
	return nil
}

// caseIDsInOrder returns the ids of every case, oldest record first.
func caseIDsInOrder(ctx context.Context, tx *store.Tx) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM cases ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// demoPDF returns a one-page PDF that says it is a demonstration document
// with synthetic data, titled title (ASCII).
func demoPDF(title string) []byte {
	esc := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	text := "BT /F1 16 Tf 72 770 Td (" + esc.Replace(title) + ") Tj 0 -28 Td /F1 11 Tf " +
		"(Documento dimostrativo di Approdo: tutti i dati sono sintetici.) Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return []byte(b.String())
}
