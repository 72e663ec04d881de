package web

import (
	"net/http"
	"strings"
	"time"

	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/refdata"
)

// personCard is a person as the case page and the person page show them,
// with their fields written out in the reader's language.
type personCard struct {
	*casework.PersonView
	Name          string // "" when identities are hidden
	Names         []shownName
	RoleLabel     string
	SexLabel      string
	Sex           string
	Birth         string
	Ages          string
	Minor         bool
	Earliest      string // the first day they may be 18: for rights windows
	Latest        string // the last day they may turn 18: for timers that end care
	Nationality   string
	Languages     string
	Arrived       string
	GuardianOn    string
	Documents     []shownDocument
	Permits       []shownPermit
	Links         []shownLink
	MergedFromURL string
}

type shownName struct{ Kind, Text string }

type shownDocument struct{ Kind, Number, Issuer, Issued, Expires string }

type shownPermit struct{ Kind, Issued, Expires string }

type shownLink struct {
	Relation, Who, Note string
	Href                string
}

// formatDay writes a date as the language writes it, or "".
func formatDay(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// personCard writes out v in lang.
func (h *Handler) personCard(lang string, v *casework.PersonView) personCard {
	t := func(key string, args ...any) string { return h.Catalogue.T(lang, key, args...) }
	p := v.Person
	c := personCard{PersonView: v, Name: p.Identity.DisplayName(), RoleLabel: t("person_role." + string(v.Role)),
		Arrived: formatDay(lang, p.ArrivedOn), GuardianOn: formatDay(lang, p.Guardian.AppointedOn), Minor: v.PresumedMinor()}
	for _, n := range p.Identity.Names {
		c.Names = append(c.Names, shownName{Kind: t("name_kind." + string(n.Kind)), Text: n.Text})
	}
	c.Sex = t("person.sex_unknown")
	if p.Sex != cases.UnknownSex {
		c.Sex = t("sex." + string(p.Sex))
	}
	b := p.Birth
	switch b.Precision {
	case cases.ExactDate:
		c.Birth = formatDay(lang, b.Min)
	case cases.MonthOnly:
		c.Birth = t("person.birth_month", b.Min.Format("01/2006"))
	case cases.YearOnly:
		c.Birth = t("person.birth_year", b.Min.Year())
	case cases.Assessed:
		c.Birth = t("person.birth_range", formatDay(lang, b.Min), formatDay(lang, b.Max))
	default:
		c.Birth = t("person.birth_unknown")
	}
	if b.Known() {
		young, old := v.AgeRange()
		if young == old {
			c.Ages = t("person.age", young)
		} else {
			c.Ages = t("person.age_range", young, old)
		}
		c.Earliest, c.Latest = formatDay(lang, b.EarliestEighteenth()), formatDay(lang, b.LatestEighteenth())
	}
	if country, ok := refdata.LookupCountry(p.Nationality); ok {
		c.Nationality = country.Name(lang)
	}
	var langs []string
	for _, code := range p.Languages {
		if l, ok := refdata.LookupLanguage(code); ok {
			langs = append(langs, l.Name(lang))
		} else {
			langs = append(langs, code)
		}
	}
	c.Languages = strings.Join(langs, ", ")
	for _, d := range p.Documents {
		c.Documents = append(c.Documents, shownDocument{Kind: t("document_kind." + d.Kind), Number: d.Number, Issuer: d.Issuer,
			Issued: formatDay(lang, d.IssuedOn), Expires: formatDay(lang, d.ExpiresOn)})
	}
	for _, q := range p.Permits {
		c.Permits = append(c.Permits, shownPermit{Kind: t("permit_kind." + q.Kind), Issued: formatDay(lang, q.IssuedOn),
			Expires: formatDay(lang, q.ExpiresOn)})
	}
	for _, l := range p.Links {
		s := shownLink{Relation: t("relation." + l.Relation), Note: l.Note}
		if l.OtherPersonID != 0 {
			s.Who = v.LinkNames[l.OtherPersonID]
			s.Href = personPath(v.CaseID, l.OtherPersonID)
		}
		c.Links = append(c.Links, s)
	}
	return c
}

// personPageData is what the person page shows.
type personPageData struct {
	Case       *cases.Case
	Person     personCard
	CanUpdate  bool
	Saved      bool
	Merged     bool
	Duplicates *duplicatesData
}

// showPerson shows a person of a case with every field the actor may see
// and, to those who may change the case, the possible duplicates of the
// person across the network.
func (h *Handler) showPerson(w http.ResponseWriter, r *http.Request) {
	caseID, id := pathID(r, "id"), pathID(r, "pid")
	a := auth.ActorFrom(r.Context())
	c, v, err := h.Cases.CasePerson(r.Context(), a, caseID, id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := lang(r.Context())
	data := personPageData{Case: c, Person: h.personCard(l, v), Saved: r.URL.Query().Has("saved"),
		Merged:    r.URL.Query().Has("merged"),
		CanUpdate: auth.Allowed(a, access.Update, casework.Target(c, access.Cases)) && v.Sees.Identity}
	if data.CanUpdate {
		dups, err := h.Cases.FindDuplicates(r.Context(), a, caseID, casework.ProbeOf(&v.Person), auth.ClientFrom(r.Context()))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Duplicates = h.duplicatesData(r, caseID, dups)
		data.Duplicates.PersonID, data.Duplicates.Version = v.ID, v.Version
	}
	h.render(w, r, http.StatusOK, "person_show", h.newPage(r, "person.title", data))
}
