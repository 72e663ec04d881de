package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
)

// saveProject saves the draft of a case's project. Invalid input shows the
// form again with what was typed and a message on each field; a project
// saved by someone else meanwhile, or waiting for a signature or a
// decision, is refused with status 409 and the form kept as typed.
func (h *Handler) saveProject(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form := readProjectForm(r)
	content, version, problems := form.content(lang(r.Context()))
	err := h.Cases.SaveProject(r.Context(), auth.ActorFrom(r.Context()), id, content, version, problems, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/project?saved=1", http.StatusSeeOther)
	case approdo.EINVALID:
		h.renderProjectForm(w, r, http.StatusUnprocessableEntity, &form, h.formErrors(r, err))
	case approdo.ECONFLICT:
		h.renderProjectForm(w, r, http.StatusConflict, &form, h.formErrors(r, err))
	default:
		h.fail(w, r, err)
	}
}
