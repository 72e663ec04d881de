package web

import (
	"net/http"
	"net/url"
	"strconv"

	"approdo"
	"approdo/internal/auth"
)

// saveCaseList saves the filters of the case list under the name given and
// opens the saved list; when the name is missing or taken, the case list
// comes back with the problem beside the name and the filters as they were.
func (h *Handler) saveCaseList(w http.ResponseWriter, r *http.Request) {
	name, query := r.PostFormValue("name"), r.PostFormValue("query")
	l, err := h.Cases.SaveList(r.Context(), auth.ActorFrom(r.Context()), name, query)
	if err == nil {
		http.Redirect(w, r, "/saved-lists/"+strconv.FormatInt(l.ID, 10), http.StatusSeeOther)
		return
	}
	if approdo.ErrorCode(err) != approdo.EINVALID {
		h.fail(w, r, err)
		return
	}
	v, perr := url.ParseQuery(query)
	if perr != nil {
		v = url.Values{}
	}
	h.renderCaseList(w, r, http.StatusUnprocessableEntity, v, nil, &caseListData{ListName: name, ListErrors: h.formErrors(r, err)})
}
