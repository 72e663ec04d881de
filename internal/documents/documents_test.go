package documents

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"approdo/cases"
	"approdo/internal/casework"
	"approdo/internal/documents/documentstest"
	"approdo/projects"

	"golang.org/x/text/unicode/norm"
)

func TestArabicIsShapedAndLaidOutRightToLeft(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// "Latin stays as it is."
		{"Progetto individualizzato", "Progetto individualizzato"},
		// mim-shin-ra-waw-ayn-yeh: initial meem, medial sheen, final reh;
		// waw isolated (reh does not join forward); ain initial, yeh final,
		// then the whole word reversed.
		{"مشروعي", "\uFEF2\uFECB\uFEED\uFEAE\uFEB8\uFEE3"},
		// "العمل": alef does not join forward, so lam starts a word.
		{"العمل", "\uFEDE\uFEE4\uFECC\uFEDF\uFE8D"},
		// Lam then alef become one ligature: "السلام".
		{"السلام", "\uFEE1\uFEFC\uFEB4\uFEDF\uFE8D"},
		// Two words keep their order right to left.
		{"كل يوم", "\uFEE1\uFEEE\uFEF3 \uFEDE\uFEDB"},
		// A number inside Arabic keeps its digits left to right.
		{"كل 12 شهرا", "\uFE8D\uFEAE\uFEEC\uFEB7 12 \uFEDE\uFEDB"},
		// Arabic inside an Italian line is reversed in place.
		{"Codice: مشروعي.", "Codice: \uFEF2\uFECB\uFEED\uFEAE\uFEB8\uFEE3."},
	} {
		rtl, _ := baseRTL(c.in)
		if got := visual(c.in, rtl); got != c.want {
			t.Errorf("visual(%q) = %q (%U), want %q", c.in, got, []rune(got), c.want)
		}
	}
}

func TestEverySummaryLanguageHasEveryText(t *testing.T) {
	for key := range texts["it"] {
		if !strings.HasPrefix(key, "sum.") && !strings.HasPrefix(key, "domain.") {
			continue
		}
		for _, lang := range SummaryLanguages {
			if _, ok := texts[lang][key]; !ok {
				t.Errorf("%s has no %q", lang, key)
			}
		}
	}
	for lang, m := range texts {
		for key := range m {
			if _, ok := texts["it"][key]; !ok {
				t.Errorf("%s has %q, which Italian lacks", lang, key)
			}
		}
	}
	for _, d := range projects.Domains {
		for _, lang := range SummaryLanguages {
			if text(lang, "domain."+string(d)) == "" {
				t.Errorf("%s names no domain %s", lang, d)
			}
		}
	}
}

// sampleDocument is an approved project of a synthetic case.
func sampleDocument() *casework.ProjectDocument {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	return &casework.ProjectDocument{
		Case:      &cases.Case{ID: 7, Code: "FI-PO-2026-0007"},
		Programme: "INCONTRO – Rafforzare il sistema di rete",
		Person:    "Karim Test",
		Birth:     cases.NewBirthDate(cases.YearOnly, time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC)),
		Number:    2, ApprovedAt: time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC),
		Content: projects.Content{StartOn: start, ReviewEveryMonths: 3, PersonAgrees: true,
			PersonWords: "Voglio finire la scuola. أريد أن أعمل طباخا.",
			Goals: []projects.Goal{
				{Domain: projects.Language, Objective: "Livello A2 di italiano", Indicator: "Certificazione A2",
					Actions: []projects.Action{{Description: "Corso al CPIA", ResponsibleOrgID: 3, Intervention: "italian_course",
						Months: 6, DueOn: start.AddDate(0, 6, 0)}}},
				{Domain: projects.Housing, Objective: "Una casa dopo la comunità", Indicator: "Contratto firmato",
					Actions: []projects.Action{{Description: "Contributo all'affitto", ResponsibleOrgID: 4, Intervention: "rent_support",
						Months: 12, PlannedCents: 360000, DueOn: start.AddDate(1, 0, 0), BudgetLine: "B.1"}}},
			}},
		Interventions: []projects.Intervention{{Code: "italian_course", NameIT: "Corso di lingua italiana", NameEN: "Italian language course"},
			{Code: "rent_support", NameIT: "Contributo all'affitto", NameEN: "Rent support"}},
		Organisations: map[int64]string{3: "Cooperativa Il Faro", 4: "Società della Salute"},
		DraftedBy:     "Luca Prova", DraftedOrg: "Cooperativa Il Faro",
		CoSignedBy: "Chiara Prova", CoSignedOrg: "Società della Salute",
		ApprovedBy: "Elena Prova", ApproverOrg: "Regione",
		NextReview: start.AddDate(0, 3, 0),
	}
}

func TestProjectDocumentIsReadyForSignatures(t *testing.T) {
	var b bytes.Buffer
	if err := WriteProject(&b, sampleDocument(), time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b.Bytes()[:min(20, b.Len())])
	}
	got := documentstest.Text(t, b.Bytes())
	for _, want := range []string{"Progetto individualizzato", "Versione 2, approvata il 10/03/2026", "FI-PO-2026-0007",
		"Karim Test", "Lingua italiana", "Livello A2 di italiano", "Corso di lingua italiana", "Cooperativa Il Faro",
		"Contributo all'affitto", "3.600,00 €", "B.1", "Firme", "Per l'ente capofila", "Elena Prova", "Pagina 1",
		"Voglio finire la scuola."} {
		if !strings.Contains(got, want) {
			t.Errorf("the project document lacks %q:\n%s", want, got)
		}
	}
}

func TestSummaryHasItsHeadingsInTheLanguageAsked(t *testing.T) {
	for lang, want := range map[string][]string{
		"it": {"Il mio progetto", "I tuoi obiettivi", "Lingua italiana", "Prossima verifica"},
		"en": {"My project", "Your goals", "Italian language", "Next review"},
		"fr": {"Mon projet", "Tes objectifs", "Langue italienne", "Prochain bilan"},
		// pdftotext gives back the letters Arabic was shaped into.
		"ar": {"مشروعي", "أهدافك", "المراجعة القادمة"},
	} {
		var b bytes.Buffer
		if err := WriteSummary(&b, sampleDocument(), lang, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		got := documentstest.Text(t, b.Bytes())
		// Free text stays as written, whatever the language.
		for _, w := range append(want, "Livello A2 di italiano", "Corso al CPIA", "Karim Test") {
			if !strings.Contains(got, norm.NFKC.String(w)) {
				t.Errorf("%s: the summary lacks %q:\n%s", lang, w, got)
			}
		}
	}
}
