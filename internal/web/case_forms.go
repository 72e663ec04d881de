package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// What the forms that change a case share: the case they are about, their
// problems, and, when someone else saved the case while the form was open,
// what they changed, field by field, so that the operator sees it and can
// save their own change again over the new version with one click.

// caseForm is the part every form on a case has.
type caseForm struct {
	Case     *cases.Case
	Version  int
	Errors   []formError
	Conflict *caseConflict
}

// FieldError returns the message of the named field, or "".
func (f caseForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// caseConflict is what someone else changed on a case since a form was
// made from it.
type caseConflict struct {
	Rows []conflictRow
}

// conflictRow is one field someone else changed: its label, its value
// when the form was made and its value now, and who changed it.
type conflictRow struct {
	Label, From, To, By string
}

// termsText writes terms in lang, joined by commas, or the catalogue's
// word for nothing.
func (h *Handler) termsText(lang string, terms []casework.Term) string {
	if len(terms) == 0 {
		return h.Catalogue.T(lang, "case.conflict.empty")
	}
	out := make([]string, 0, len(terms))
	for _, t := range terms {
		if t.Key != "" {
			out = append(out, h.Catalogue.T(lang, t.Key))
		} else {
			out = append(out, t.Text)
		}
	}
	return strings.Join(out, ", ")
}

// conflictOf describes a *casework.StaleError for a form.
func (h *Handler) conflictOf(r *http.Request, s *casework.StaleError) *caseConflict {
	l := lang(r.Context())
	c := &caseConflict{}
	for _, ch := range s.Changes {
		c.Rows = append(c.Rows, conflictRow{Label: h.fieldLabel(r, ch.Field), From: h.termsText(l, ch.From),
			To: h.termsText(l, ch.To), By: ch.By})
	}
	return c
}

// caseFormFor loads case id for a form that takes verb v on it, and fails
// the request when it cannot.
func (h *Handler) caseFormFor(w http.ResponseWriter, r *http.Request, v access.Verb) (*cases.Case, bool) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return nil, false
	}
	c, err := h.Cases.CaseForChange(r.Context(), auth.ActorFrom(r.Context()), id, v, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return c, true
}

// settle ends the submit of a form that changed case id: on success it goes
// back to the case page; on a lost race it shows the form again (through
// again, with status 409 and the current case) with what changed and the
// current version, so that submitting it again applies the change; on
// invalid input it shows the form again with its problems (through again,
// with the error's status and no case); anything else fails the request.
func (h *Handler) settle(w http.ResponseWriter, r *http.Request, id int64, err error, f *caseForm, again func(status int, current *cases.Case)) {
	if err == nil {
		http.Redirect(w, r, casePagePath(id)+"?saved", http.StatusSeeOther)
		return
	}
	if s := casework.AsStale(err); s != nil {
		current, cerr := h.Cases.CaseForChange(r.Context(), auth.ActorFrom(r.Context()), id, access.Read, auth.ClientFrom(r.Context()))
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		f.Case, f.Version, f.Conflict = current, current.Version, h.conflictOf(r, s)
		again(http.StatusConflict, current)
		return
	}
	if code := approdo.ErrorCode(err); code == approdo.EINVALID || code == approdo.ECONFLICT {
		f.Errors = h.formErrors(r, err)
		again(formStatus(err), nil)
		return
	}
	h.fail(w, r, err)
}

// casePath is the path of a case's page.
func casePagePath(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) }

// caseOption is a choice of a select or a group of check boxes.
type caseOption struct {
	Value   string
	Label   string // translated, or a name
	Checked bool
}
