package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/i18n"
	"approdo/internal/respond"
)

// The assessment of a case (schemas Assessment, SocialHistory,
// Vulnerability, LegalPathway and their inputs). A section is one object:
// its fields, by the names the UI and the audit log use, with version,
// updated_at, updated_by and hidden. A field of a sensitive group the
// caller may not see is null, its group is listed in "hidden", and whatever
// a save sends for it is ignored: the saved value stays.

// assessmentJSON is the assessment of a case.
type assessmentJSON struct {
	CaseID    int64                     `json:"case_id"`
	CanChange bool                      `json:"can_change"`
	Sections  map[string]map[string]any `json:"sections"`
}

// sectionJSON writes a section as the API shows it.
func sectionJSON(v *casework.SectionView) map[string]any {
	out := map[string]any{"version": v.Version, "updated_at": nil, "updated_by": nil, "hidden": v.Hidden}
	if v.Version > 0 {
		out["updated_at"], out["updated_by"] = v.UpdatedAt.UTC().Format(time.RFC3339), v.UpdatedBy
	}
	for _, f := range v.Content.Fields() {
		if !v.Sees(f.Group) {
			out[f.Name] = nil
			continue
		}
		switch x := f.Value.(type) {
		case *[]cases.JourneyLeg:
			out[f.Name] = append([]cases.JourneyLeg{}, *x...)
		case *[]cases.LegalStep:
			out[f.Name] = append([]cases.LegalStep{}, *x...)
		default:
			out[f.Name] = f.Value
		}
	}
	return out
}

// getAssessment returns the three sections of a case's assessment.
func (a *API) getAssessment(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	ca, err := a.Cases.Assessment(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := assessmentJSON{CaseID: id, CanChange: ca.CanChange, Sections: map[string]map[string]any{}}
	for i := range ca.Sections {
		out.Sections[string(ca.Sections[i].Section)] = sectionJSON(&ca.Sections[i])
	}
	respond.JSON(w, http.StatusOK, out)
}

// saveAssessment saves one section of a case's assessment: the body holds
// the whole section as the caller sees it, with the version it was read
// at. A section saved since answers 409 naming the fields that now differ
// from the body.
func (a *API) saveAssessment(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in := casework.AssessmentInput{Content: cases.NewSectionContent(cases.AssessmentSection(r.PathValue("section")))}
	if raw, ok := body["version"]; ok && string(raw) != "null" {
		var v int
		if err := json.Unmarshal(raw, &v); err != nil || v < 0 {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "version", Message: "error.field.unknown_value"})
		} else {
			in.Version = &v
		}
	}
	if in.Content != nil {
		fields := in.Content.Fields()
		for key, raw := range body {
			i := slices.IndexFunc(fields, func(f cases.AssessmentField) bool { return f.Name == key })
			switch {
			case key == "version":
			case i < 0:
				in.Problems = append(in.Problems, approdo.FieldError{Field: key, Message: "error.field.unknown_value"})
			case string(raw) == "null":
			default:
				if err := json.Unmarshal(raw, fields[i].Value); err != nil {
					in.Problems = append(in.Problems, approdo.FieldError{Field: key, Message: "error.field.unknown_value"})
				}
			}
		}
	}
	v, err := a.Cases.SaveAssessment(r.Context(), auth.ActorFrom(r.Context()), pathID(r), in, auth.ClientFrom(r.Context()))
	if stale := casework.AsAssessmentStale(err); stale != nil {
		a.failStaleAssessment(w, r, stale, in.Content)
		return
	} else if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, sectionJSON(v))
}

// failStaleAssessment answers 409 to a save made from an older version of
// a section, with the current version in the message and one entry per
// field the caller sees whose saved value differs from what they sent.
func (a *API) failStaleAssessment(w http.ResponseWriter, r *http.Request, s *casework.AssessmentStaleError, sent cases.SectionContent) {
	l := i18n.LangFrom(r.Context())
	body := respond.ErrorBody{Error: respond.ErrorDetail{Code: approdo.ECONFLICT,
		Message: a.Catalogue.T(l, "error.assessment.stale_version", s.Current.Version)}}
	changed := cases.ChangedFields(s.Current.Content, sent)
	for _, f := range s.Current.Content.Fields() {
		if s.Current.Sees(f.Group) && slices.Contains(changed, f.Name) {
			label := respond.FieldLabel(a.Catalogue, l, f.Name)
			body.Error.Fields = append(body.Error.Fields, respond.FieldIssue{Field: f.Name,
				Message: a.Catalogue.T(l, "error.assessment.changed", label)})
		}
	}
	respond.JSON(w, http.StatusConflict, body)
}
