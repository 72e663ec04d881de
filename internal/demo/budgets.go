package demo

import "approdo/network"

// budgetLine is a line of a demo programme's budget; org is the code of the
// organisation it is allocated to, "" for the whole programme.
type budgetLine struct {
	code, label string
	euros       int64
	org         string
}

// budgets holds a few lines of each demo programme's budget. The amounts
// are invented, of the order such programmes have.
var budgets = map[string][]budgetLine{
	"INCONTRO": {
		{"A.1", "Coordinamento e gestione del progetto", 85_000, "RT"},
		{"B.1", "Operatori dell'emersione e della presa in carico", 240_000, ""},
		{"B.2", "Mediazione linguistico-culturale", 62_500, "OXFAM-INT"},
		{"C.1", "Formazione congiunta degli operatori", 38_000, "PROGETTO5"},
	},
	"CORE": {
		{"A.1", "Coordinamento", 70_000, "DON-CALABRIA"},
		{"B.1", "Valutazioni psicologiche e consulenze", 120_000, "IPRS"},
		{"B.2", "Accoglienza in comunità", 180_000, ""},
	},
	"RM-UO-MSNA": {
		{"A.1", "Educatori dei progetti personalizzati", 310_000, "PROG-INTEGRA"},
		{"A.2", "Supporto amministrativo all'Ufficio MSNA", 45_000, "RM-MSNA"},
	},
	"BS-INTERCULTURA": {
		{"A.1", "Équipe etnoclinica", 96_000, "ETNOCLINICA"},
		{"A.2", "Mediazione linguistico-culturale", 54_000, ""},
		{"B.1", "Percorsi di autonomia e inserimento lavorativo", 72_000, "COOP-BS"},
	},
	"SATIS": {
		{"A.1", "Unità di contatto e presa in carico", 88_000, "SATIS-VER"},
		{"A.2", "Ospitalità in casa rifugio", 64_000, "CASA-RIFUGIO-VER"},
		{"B.1", "Sostegno all'autonomia abitativa", 36_000, ""},
	},
}

// budgetOf returns the budget lines of the demo programme code, with their
// organisations resolved by orgIDs.
func budgetOf(code string, orgIDs map[string]int64) []network.BudgetLine {
	var lines []network.BudgetLine
	for _, l := range budgets[code] {
		lines = append(lines, network.BudgetLine{Code: l.code, Label: l.label, AmountCents: l.euros * 100,
			OrganisationID: orgIDs[l.org]})
	}
	return lines
}
