package documents

import (
	"io"
	"strconv"
	"time"

	"approdo/internal/casework"
)

// WriteSummary prints a plain summary of version d of an approved project
// for the person it is about, with its fixed wording in lang (one of
// SummaryLanguages): their goals, what will be done, by whom and by when,
// their own words and the next review. What people wrote is printed as
// they wrote it. In Arabic the page reads right to left.
func WriteSummary(w io.Writer, d *casework.ProjectDocument, lang string, printed time.Time) error {
	if !SupportedSummary(lang) {
		lang = "it"
	}
	t := func(key string, args ...any) string { return text(lang, key, args...) }
	p, err := newDocument(t("sum.title")+" – "+d.Case.Code, printed, func(n int) string {
		return d.Case.Code + " · " + day(printed) + " · " + strconv.Itoa(n)
	})
	if err != nil {
		return err
	}
	p.rtl = lang == "ar"
	c := &d.Content
	p.text(t("sum.title"), bold, 20, 0)
	p.text(t("sum.intro"), regular, 10, 0)
	p.rule()
	p.field(t("sum.name"), d.Person)
	p.field(t("sum.case"), d.Case.Code)
	p.field(t("sum.start"), day(c.StartOn))
	p.field(t("sum.words"), c.PersonWords)
	if c.PersonAgrees {
		p.text(t("sum.agrees"), regular, 10, 0)
	} else {
		p.text(t("sum.not_agrees"), regular, 10, 0)
	}

	p.heading(t("sum.goals"), 15)
	for _, g := range c.Goals {
		p.heading(t("domain."+string(g.Domain)), 12)
		p.text(g.Objective, regular, 11, 0)
		if len(g.Actions) == 0 {
			continue
		}
		p.y += 4
		p.text(t("sum.what"), bold, 9, 12)
		for _, a := range g.Actions {
			p.room(50)
			p.text("• "+a.Description, regular, 10, 12)
			who := d.OrganisationName(a.ResponsibleOrgID)
			if name := d.People[a.ResponsibleUserID]; name != "" {
				who = name + " – " + who
			}
			p.field2(t("sum.who"), who)
			p.field2(t("sum.by"), day(a.DueOn))
		}
	}

	p.heading(t("sum.review"), 15)
	p.text(day(d.NextReview), bold, 11, 0)
	if c.ReviewEveryMonths > 0 {
		p.text(t("sum.review_every", c.ReviewEveryMonths), regular, 10, 0)
	}
	p.y += 8
	p.text(t("sum.rights"), regular, 10, 0)
	return p.write(w)
}

// field2 writes a label and its value on one indented line, skipping it
// when the value is empty. The label is in the summary's language and the
// value may be in another: each keeps its own direction, and the line
// follows the label's.
func (p *page) field2(label, value string) {
	if value == "" {
		return
	}
	p.text(label+": "+value, regular, 9, 24)
}
