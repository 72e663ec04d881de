package web

import (
	"net/http"
	"sort"
	"strings"

	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// screeningForm is the screening of a report as typed, beside the report
// and the checklists it is screened with.
type screeningForm struct {
	formState
	*casework.ScreeningPage
	Version           int
	Answers           map[string]bool // "set.code" of the indicators found
	TraffickingStatus string
	Decision          string
	Reasons           string
	CaseKind          string
	CaseProgrammeID   int64
	CaseStage         string
	// Saved says that a draft was just saved.
	Saved bool

	TraffickingStatuses []cases.TraffickingStatus
	Decisions           []cases.Decision
	Kinds               []cases.Kind
	Stages              []cases.Stage
	MaxReasons          int
}

// FieldError returns the message of the named field, or "".
func (f screeningForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// Found reports whether the form holds indicator code of set as found.
func (f screeningForm) Found(set, code string) bool { return f.Answers[set+"."+code] }

// HiddenAnswer reports whether the screener may not see answers to the
// indicator code of set: they may tick it, but not see it ticked again.
func (f screeningForm) HiddenAnswer(set, code string) bool { return f.Hidden[set+"."+code] }

// Decided reports whether the report's outcome is decided: the screening
// is then shown, no longer edited.
func (f screeningForm) Decided() bool { return f.Report.Report.Status == cases.Decided }

// UrgencyClass is the badge class of the report's urgency.
func (f screeningForm) UrgencyClass() string { return urgencyClass(f.Report.Report.Urgency) }

// fillFromScreening puts a saved screening into the form.
func (f *screeningForm) fillFromScreening(s *casework.ScreeningView) {
	f.Answers = map[string]bool{}
	if s == nil {
		return
	}
	f.Version = s.Version
	for set, codes := range s.Answers {
		for _, c := range codes {
			f.Answers[set+"."+c] = true
		}
	}
	f.TraffickingStatus, f.Decision, f.Reasons = string(s.TraffickingStatus), string(s.Decision), s.Reasons
}

// readScreeningForm reads the posted screening into the form, to show
// again, and into the input of the service.
func readScreeningForm(r *http.Request) (screeningForm, casework.ScreeningInput) {
	f := screeningForm{Version: formVersion(r), Answers: map[string]bool{}, TraffickingStatus: r.PostFormValue("trafficking_status"),
		Decision: r.PostFormValue("decision"), Reasons: r.PostFormValue("reasons"), CaseKind: r.PostFormValue("case_kind"),
		CaseProgrammeID: formID(r, "case_programme_id"), CaseStage: r.PostFormValue("case_stage")}
	in := casework.ScreeningInput{Version: f.Version, Answers: map[string][]string{},
		TraffickingStatus: cases.TraffickingStatus(f.TraffickingStatus), Decide: r.PostFormValue("action") != "save",
		Decision: cases.Decision(f.Decision), Reasons: f.Reasons, CaseKind: cases.Kind(f.CaseKind),
		CaseProgrammeID: f.CaseProgrammeID, CaseStage: cases.Stage(f.CaseStage)}
	for _, v := range r.PostForm["answers"] {
		set, code, ok := strings.Cut(v, ".")
		if !ok {
			set, code = v, ""
		}
		f.Answers[v] = true
		in.Answers[set] = append(in.Answers[set], code)
	}
	for set := range in.Answers {
		sort.Strings(in.Answers[set])
	}
	return f, in
}

// renderScreening shows the screening of a report with status.
func (h *Handler) renderScreening(w http.ResponseWriter, r *http.Request, status int, f screeningForm) {
	if f.ScreeningPage == nil {
		p, err := h.Cases.ScreeningForm(r.Context(), auth.ActorFrom(r.Context()), pathID(r, "id"), auth.ClientFrom(r.Context()))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.ScreeningPage = p
	}
	f.TraffickingStatuses, f.Decisions, f.Kinds = cases.TraffickingStatuses, cases.Decisions, cases.Kinds
	f.Stages, f.MaxReasons = casework.OpeningStages, cases.MaxReasonsLength
	h.render(w, r, status, "screening", h.newPage(r, "screening.title", f))
}

// screeningSaved writes a saved value of a screening's field for a
// conflict note.
func (h *Handler) screeningSaved(r *http.Request, f *screeningForm, s *casework.ScreeningView) func(string) string {
	l := lang(r.Context())
	return func(field string) string {
		if s == nil {
			return ""
		}
		switch field {
		case "answers":
			var labels []string
			for _, set := range f.Sets {
				for _, i := range set.Indicators {
					if s.Found(set.Code, i.Code) {
						labels = append(labels, i.Label(l))
					}
				}
			}
			return strings.Join(labels, "; ")
		case "trafficking_status":
			if s.TraffickingStatus == "" {
				return ""
			}
			return h.Catalogue.T(l, "trafficking_status."+string(s.TraffickingStatus))
		case "decision":
			if s.Decision == "" {
				return ""
			}
			return h.Catalogue.T(l, "decision."+string(s.Decision))
		case "reasons":
			return s.Reasons
		}
		return ""
	}
}

// renderStaleScreening shows the screening form after someone else saved
// the screening meanwhile: what they saved, beside what was typed.
func (h *Handler) renderStaleScreening(w http.ResponseWriter, r *http.Request, f screeningForm, current *casework.ScreeningView) {
	p, err := h.Cases.ScreeningForm(r.Context(), auth.ActorFrom(r.Context()), pathID(r, "id"), auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.ScreeningPage = p
	h.stale(r, &f.formState, []string{"answers", "trafficking_status", "decision", "reasons"}, h.screeningSaved(r, &f, current))
	h.renderScreening(w, r, http.StatusConflict, f)
}
