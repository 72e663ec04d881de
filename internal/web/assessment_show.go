package web

import (
	"net/http"
	"time"

	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// assessmentData is what the assessment section of a case shows: its three
// sections, each with the fields its reader may see.
type assessmentData struct {
	Case      *cases.Case
	Sections  []assessmentShown
	CanChange bool
	// Saved names the section just saved, translated, or "".
	Saved string
}

// assessmentShown is one section as shown.
type assessmentShown struct {
	Name      string
	Version   int
	UpdatedAt time.Time
	UpdatedBy string
	Items     []assessmentItem
	Legs      []string // the journey, one line per leg
	Steps     []stepShown
	// Hidden names the groups the reader may not see, joined, or "".
	Hidden string
}

// stepShown is one document or step of the legal pathway as shown.
type stepShown struct {
	Subject, Status, NextStep, Responsible, DueOn string
}

// showCaseAssessment shows the assessment of a case: the social history,
// the vulnerability assessment and the legal pathway.
func (h *Handler) showCaseAssessment(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	ca, err := h.Cases.Assessment(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := lang(r.Context())
	d := assessmentData{Case: ca.Case, CanChange: ca.CanChange}
	if s := cases.AssessmentSection(r.URL.Query().Get("saved")); s.Valid() {
		d.Saved = h.Catalogue.T(l, "assessment.section."+string(s))
	}
	for i := range ca.Sections {
		d.Sections = append(d.Sections, h.assessmentShown(l, &ca.Sections[i], ca.Team))
	}
	h.renderSection(w, r, http.StatusOK, "case_assessment", h.newPage(r, "case.section.assessment", d))
}

// assessmentShown describes section v for its reader in lang.
func (h *Handler) assessmentShown(lang string, v *casework.SectionView, team []casework.MemberView) assessmentShown {
	s := assessmentShown{Name: string(v.Section), Version: v.Version, UpdatedAt: v.UpdatedAt, UpdatedBy: v.UpdatedBy,
		Hidden: h.groupNames(lang, v.Hidden)}
	for _, fd := range v.Content.Fields() {
		if !v.Sees(fd.Group) {
			continue
		}
		switch x := fd.Value.(type) {
		case *string:
			s.Items = append(s.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "text", Value: *x})
		case *[]cases.JourneyLeg:
			s.Items = append(s.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "journey"})
			for _, leg := range *x {
				s.Legs = append(s.Legs, h.legText(lang, leg))
			}
		case *[]cases.LegalStep:
			s.Items = append(s.Items, assessmentItem{Name: fd.Name, Group: fd.Group, Kind: "steps"})
			for _, st := range *x {
				s.Steps = append(s.Steps, stepShown{Subject: st.Subject, Status: h.Catalogue.T(lang, "step.status."+string(st.Status)),
					NextStep: st.NextStep, Responsible: memberName(team, st.ResponsibleID), DueOn: localDate(lang, st.DueOn)})
			}
		}
	}
	return s
}

// localDate writes a day stored as "2006-01-02" as lang writes dates.
func localDate(lang, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}
