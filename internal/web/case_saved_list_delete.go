package web

import (
	"net/http"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
)

// savedListDeleteData is the page that asks to confirm the deletion of a
// working list.
type savedListDeleteData struct {
	List   *cases.SavedList
	Errors []formError
}

// showDeleteSavedList asks the owner of a working list to confirm its
// deletion.
func (h *Handler) showDeleteSavedList(w http.ResponseWriter, r *http.Request) {
	l, ok := h.savedListFor(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "case_saved_list_delete", h.newPage(r, "saved_list.delete_title", savedListDeleteData{List: l}))
}

// savedListFor loads the actor's working list of the path.
func (h *Handler) savedListFor(w http.ResponseWriter, r *http.Request) (*cases.SavedList, bool) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return nil, false
	}
	l, err := h.Cases.SavedList(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return l, true
}

// deleteSavedList deletes a working list once its owner confirmed, and
// goes back to the case list. Without the confirmation the page asks again.
func (h *Handler) deleteSavedList(w http.ResponseWriter, r *http.Request) {
	l, ok := h.savedListFor(w, r)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		err := approdo.Invalid(approdo.FieldError{Field: "confirm", Message: "error.list.confirm"})
		h.render(w, r, http.StatusUnprocessableEntity, "case_saved_list_delete", h.newPage(r, "saved_list.delete_title",
			savedListDeleteData{List: l, Errors: h.formErrors(r, err)}))
		return
	}
	if err := h.Cases.DeleteList(r.Context(), auth.ActorFrom(r.Context()), l.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases?list_deleted", http.StatusSeeOther)
}
