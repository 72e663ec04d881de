package documents

import (
	"fmt"
	"slices"
)

// The languages of the person's summary. The project itself is printed in
// Italian, the language it is signed in.
var SummaryLanguages = []string{"it", "en", "fr", "ar"}

// SupportedSummary reports whether the person's summary can be printed in
// lang.
func SupportedSummary(lang string) bool { return slices.Contains(SummaryLanguages, lang) }

// texts holds the fixed wording of the documents by language. The project
// document uses the Italian keys starting "doc." and "sign."; the person's
// summary the keys starting "sum." in every language; both name domains
// with "domain.". What people wrote is printed as written.
var texts = map[string]map[string]string{
	"it": {
		"doc.title":              "Progetto individualizzato",
		"doc.programme":          "Programma",
		"doc.case":               "Caso",
		"doc.person":             "Persona",
		"doc.birth":              "Data di nascita",
		"doc.version":            "Versione %d, approvata il %s",
		"doc.start":              "Data di avvio",
		"doc.reviews":            "Verifiche",
		"doc.reviews_every":      "ogni %d mesi; la prima entro il %s",
		"doc.words":              "Le parole della persona",
		"doc.agrees":             "La persona ha espresso il proprio accordo sul progetto.",
		"doc.not_agrees":         "La persona non ha ancora espresso il proprio accordo sul progetto.",
		"doc.goals":              "Obiettivi e azioni",
		"doc.objective":          "Obiettivo",
		"doc.indicator":          "Indicatore di risultato",
		"doc.action":             "Azione %d",
		"doc.intervention":       "Intervento",
		"doc.responsible":        "Ente responsabile",
		"doc.person_responsible": "Referente",
		"doc.due":                "Entro il",
		"doc.months":             "Durata",
		"doc.months_n":           "%d mesi",
		"doc.planned":            "Costo previsto",
		"doc.budget_line":        "Voce di bilancio",
		"doc.costs":              "Riepilogo dei costi previsti",
		"doc.no_costs":           "Il progetto non prevede costi a carico del programma.",
		"doc.total":              "Totale",
		"doc.no_line":            "Senza voce di bilancio",
		"doc.signatures":         "Firme",
		"doc.page":               "Pagina %d",
		"doc.footer":             "Caso %s · versione %d · stampato il %s",
		"sign.person":            "La persona (o chi ne esercita la tutela)",
		"sign.drafted":           "Per l'ente attuatore",
		"sign.cosigned":          "Per il servizio sociale titolare del caso",
		"sign.approved":          "Per l'ente capofila",
		"sign.signature":         "Firma",
		"sign.date":              "Data",
		"sum.title":              "Il mio progetto",
		"sum.intro":              "Questo foglio riassume il progetto che hai costruito con chi ti segue. Quello che è stato scritto insieme resta nella lingua in cui è stato scritto.",
		"sum.case":               "Codice",
		"sum.name":               "Nome",
		"sum.start":              "Il progetto comincia il",
		"sum.words":              "Le tue parole",
		"sum.agrees":             "Hai detto di essere d'accordo con questo progetto.",
		"sum.not_agrees":         "Non hai ancora detto se sei d'accordo con questo progetto.",
		"sum.goals":              "I tuoi obiettivi",
		"sum.what":               "Cosa faremo",
		"sum.who":                "Chi se ne occupa",
		"sum.by":                 "Entro il",
		"sum.review":             "Prossima verifica",
		"sum.review_every":       "Faremo il punto insieme ogni %d mesi.",
		"sum.rights":             "Puoi chiedere in ogni momento di parlare del progetto e di cambiarlo.",
		"domain.education":       "Istruzione",
		"domain.language":        "Lingua italiana",
		"domain.work":            "Lavoro",
		"domain.housing":         "Casa",
		"domain.health":          "Salute",
		"domain.legal":           "Documenti e tutela legale",
		"domain.relations":       "Relazioni e vita sociale",
		"domain.autonomy":        "Autonomia",
	},
	"en": {
		"sum.title":        "My project",
		"sum.intro":        "This sheet sums up the project you built with the people who support you. What was written together stays in the language it was written in.",
		"sum.case":         "Code",
		"sum.name":         "Name",
		"sum.start":        "The project starts on",
		"sum.words":        "In your own words",
		"sum.agrees":       "You said you agree with this project.",
		"sum.not_agrees":   "You have not said yet whether you agree with this project.",
		"sum.goals":        "Your goals",
		"sum.what":         "What we will do",
		"sum.who":          "Who takes care of it",
		"sum.by":           "By",
		"sum.review":       "Next review",
		"sum.review_every": "We will look at it together every %d months.",
		"sum.rights":       "You can ask at any time to talk about the project and to change it.",
		"domain.education": "Education",
		"domain.language":  "Italian language",
		"domain.work":      "Work",
		"domain.housing":   "Housing",
		"domain.health":    "Health",
		"domain.legal":     "Legal status and documents",
		"domain.relations": "Relations and social life",
		"domain.autonomy":  "Autonomy",
	},
	"fr": {
		"sum.title":        "Mon projet",
		"sum.intro":        "Cette feuille résume le projet que tu as construit avec les personnes qui t'accompagnent. Ce qui a été écrit ensemble reste dans la langue où il a été écrit.",
		"sum.case":         "Code",
		"sum.name":         "Nom",
		"sum.start":        "Le projet commence le",
		"sum.words":        "Avec tes propres mots",
		"sum.agrees":       "Tu as dit que tu es d'accord avec ce projet.",
		"sum.not_agrees":   "Tu n'as pas encore dit si tu es d'accord avec ce projet.",
		"sum.goals":        "Tes objectifs",
		"sum.what":         "Ce que nous ferons",
		"sum.who":          "Qui s'en occupe",
		"sum.by":           "D'ici le",
		"sum.review":       "Prochain bilan",
		"sum.review_every": "Nous ferons le point ensemble tous les %d mois.",
		"sum.rights":       "Tu peux demander à tout moment de parler du projet et de le changer.",
		"domain.education": "Éducation",
		"domain.language":  "Langue italienne",
		"domain.work":      "Travail",
		"domain.housing":   "Logement",
		"domain.health":    "Santé",
		"domain.legal":     "Papiers et protection juridique",
		"domain.relations": "Relations et vie sociale",
		"domain.autonomy":  "Autonomie",
	},
	"ar": {
		"sum.title":        "مشروعي",
		"sum.intro":        "تلخص هذه الورقة المشروع الذي أعددته مع من يرافقك. ما كتب معا يبقى باللغة التي كتب بها.",
		"sum.case":         "الرمز",
		"sum.name":         "الاسم",
		"sum.start":        "يبدأ المشروع في",
		"sum.words":        "بكلماتك",
		"sum.agrees":       "لقد عبرت عن موافقتك على هذا المشروع.",
		"sum.not_agrees":   "لم تعبر بعد عن موافقتك على هذا المشروع.",
		"sum.goals":        "أهدافك",
		"sum.what":         "ما سنفعله",
		"sum.who":          "من يتولى ذلك",
		"sum.by":           "في موعد أقصاه",
		"sum.review":       "المراجعة القادمة",
		"sum.review_every": "سنراجع المشروع معا كل %d أشهر.",
		"sum.rights":       "يمكنك في أي وقت أن تطلب التحدث عن المشروع وتغييره.",
		"domain.education": "التعليم",
		"domain.language":  "اللغة الإيطالية",
		"domain.work":      "العمل",
		"domain.housing":   "السكن",
		"domain.health":    "الصحة",
		"domain.legal":     "الوثائق والحماية القانونية",
		"domain.relations": "العلاقات والحياة الاجتماعية",
		"domain.autonomy":  "الاستقلالية",
	},
}

// text returns the wording of key in lang, formatted with args; a key the
// language lacks falls back to Italian.
func text(lang, key string, args ...any) string {
	s, ok := texts[lang][key]
	if !ok {
		s, ok = texts["it"][key]
	}
	if !ok {
		panic("documents: no text for " + key)
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
