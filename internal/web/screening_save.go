package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/admin"
	"approdo/internal/auth"
)

// saveScreening saves the screening of a report: as a draft with the
// button "save", or with its decision. Taking charge opens the case and
// goes to it; other decisions go back to the report. Invalid input shows
// the form again with its problems and everything typed; a screening saved
// by someone else meanwhile shows what they saved, keeping what was typed,
// with the current version so that saving again applies it.
func (h *Handler) saveScreening(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := auth.ActorFrom(ctx)
	id := pathID(r, "id")
	form, in := readScreeningForm(r)
	res, err := h.Cases.Screen(ctx, a, id, in, auth.ClientFrom(ctx))
	switch {
	case err == nil && res.Case != nil:
		http.Redirect(w, r, "/cases/"+strconv.FormatInt(res.Case.ID, 10), http.StatusSeeOther)
	case err == nil && in.Decide:
		http.Redirect(w, r, reportPath(id)+"?saved", http.StatusSeeOther)
	case err == nil:
		http.Redirect(w, r, reportPath(id)+"/screening?saved", http.StatusSeeOther)
	case approdo.ErrorCode(err) == approdo.ENOTFOUND:
		h.fail(w, r, err)
	case admin.IsStale(err):
		current, cerr := h.Cases.CurrentScreening(ctx, a, id)
		if cerr != nil {
			h.fail(w, r, cerr)
			return
		}
		form.Version = 0
		if current != nil {
			form.Version = current.Version
		}
		h.renderStaleScreening(w, r, form, current)
	case approdo.ErrorCode(err) == approdo.EINVALID || approdo.ErrorCode(err) == approdo.ECONFLICT:
		form.Errors = h.formErrors(r, err)
		h.renderScreening(w, r, formStatus(err), form)
	default:
		h.fail(w, r, err)
	}
}
