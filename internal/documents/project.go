package documents

import (
	"cmp"
	"io"
	"slices"
	"strings"
	"time"

	"approdo/internal/casework"
	"approdo/projects"
)

// interventionName returns the name of intervention code in lang, as the
// catalogue of d has it, or the code itself when the catalogue has no such
// entry.
func interventionName(d *casework.ProjectDocument, code, lang string) string {
	for _, i := range d.Interventions {
		if i.Code == code {
			return i.Name(lang)
		}
	}
	return code
}

// WriteProject prints version d of an approved project into w: in Italian,
// with the programme, the person, the goals and their actions, the planned
// costs by budget line and a place for each signature. printed is when the
// document was made, shown at the foot of each page.
func WriteProject(w io.Writer, d *casework.ProjectDocument, printed time.Time) error {
	const lang = "it"
	t := func(key string, args ...any) string { return text(lang, key, args...) }
	p, err := newDocument(t("doc.title")+" – "+d.Case.Code, printed, func(n int) string {
		return t("doc.footer", d.Case.Code, d.Number, day(printed)) + " · " + t("doc.page", n)
	})
	if err != nil {
		return err
	}
	c := &d.Content
	p.text(t("doc.title"), bold, 18, 0)
	p.text(t("doc.version", d.Number, day(d.ApprovedAt)), regular, 10, 0)
	p.rule()
	p.field(t("doc.programme"), d.Programme)
	p.field(t("doc.case"), d.Case.Code)
	p.field(t("doc.person"), d.Person)
	if d.Birth.Known() {
		p.field(t("doc.birth"), birthDay(d))
	}
	p.field(t("doc.start"), day(c.StartOn))
	if c.ReviewEveryMonths > 0 {
		p.field(t("doc.reviews"), t("doc.reviews_every", c.ReviewEveryMonths, day(d.NextReview)))
	}
	p.field(t("doc.words"), c.PersonWords)
	if c.PersonAgrees {
		p.text(t("doc.agrees"), regular, 10, 0)
	} else {
		p.text(t("doc.not_agrees"), regular, 10, 0)
	}

	p.heading(t("doc.goals"), 14)
	for _, g := range c.Goals {
		p.heading(text(lang, "domain."+string(g.Domain)), 12)
		p.field(t("doc.objective"), g.Objective)
		p.field(t("doc.indicator"), g.Indicator)
		for i, a := range g.Actions {
			p.room(60)
			p.text(t("doc.action", i+1), bold, 10, 12)
			p.text(a.Description, regular, 10, 12)
			var facts []string
			fact := func(label, value string) {
				if value != "" {
					facts = append(facts, label+": "+value)
				}
			}
			if a.Intervention != "" {
				fact(t("doc.intervention"), interventionName(d, a.Intervention, lang))
			}
			fact(t("doc.responsible"), d.OrganisationName(a.ResponsibleOrgID))
			fact(t("doc.person_responsible"), d.People[a.ResponsibleUserID])
			fact(t("doc.due"), day(a.DueOn))
			if a.Months > 0 {
				fact(t("doc.months"), t("doc.months_n", a.Months))
			}
			if a.PlannedCents > 0 {
				fact(t("doc.planned"), euro(a.PlannedCents))
			}
			fact(t("doc.budget_line"), a.BudgetLine)
			p.text(strings.Join(facts, " · "), regular, 9, 12)
			p.y += 4
		}
	}

	writeCosts(p, c)
	writeSignatures(p, d)
	return p.write(w)
}

// birthDay writes the person's birth date as precisely as it is known.
func birthDay(d *casework.ProjectDocument) string {
	b := d.Birth
	if b.Min.Equal(b.Max) {
		return day(b.Min)
	}
	return day(b.Min) + " – " + day(b.Max)
}

// writeCosts writes the planned costs by budget line, with their total.
func writeCosts(p *page, c *projects.Content) {
	const lang = "it"
	p.heading(text(lang, "doc.costs"), 14)
	byLine := map[string]int64{}
	for _, g := range c.Goals {
		for _, a := range g.Actions {
			if a.PlannedCents > 0 {
				byLine[a.BudgetLine] += a.PlannedCents
			}
		}
	}
	if len(byLine) == 0 {
		p.text(text(lang, "doc.no_costs"), regular, 10, 0)
		return
	}
	lines := make([]string, 0, len(byLine))
	for l := range byLine {
		lines = append(lines, l)
	}
	slices.SortFunc(lines, cmp.Compare)
	row := func(label, amount string, family string) {
		p.setFont(family, 10)
		p.room(10 * lineGap)
		p.put(marginX, p.y+10, visual(label, false), false)
		p.put(0, p.y+10, amount, true)
		p.y += 10 * lineGap
	}
	row(text(lang, "doc.budget_line"), "", bold)
	for _, l := range lines {
		label := l
		if label == "" {
			label = text(lang, "doc.no_line")
		}
		row(label, euro(byLine[l]), regular)
	}
	p.rule()
	row(text(lang, "doc.total"), euro(c.PlannedCents()), bold)
}

// writeSignatures leaves a place to sign for the person and for each
// organisation, naming who drafted, co-signed and approved the version
// where that is known.
func writeSignatures(p *page, d *casework.ProjectDocument) {
	const lang = "it"
	p.heading(text(lang, "doc.signatures"), 14)
	signer := func(role, name, org string) {
		p.room(70)
		p.text(text(lang, role), bold, 10, 0)
		who := strings.Trim(name+" – "+org, " –")
		if who != "" {
			p.text(who, regular, 9, 0)
		}
		p.y += 22
		p.setFont(regular, 9)
		p.put(marginX, p.y, text(lang, "sign.signature")+" ______________________________", false)
		p.put(0, p.y, text(lang, "sign.date")+" ______________", true)
		p.y += 16
	}
	signer("sign.person", d.Person, "")
	signer("sign.drafted", d.DraftedBy, d.DraftedOrg)
	signer("sign.cosigned", d.CoSignedBy, d.CoSignedOrg)
	signer("sign.approved", d.ApprovedBy, d.ApproverOrg)
}
