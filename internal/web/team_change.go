package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// changeTeam adds someone to a case's team, gives a member another role,
// or removes one (an empty role), with a reason. A refused change shows the
// page again with what was typed and the message beside the field.
func (h *Handler) changeTeam(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	in := casework.TeamChange{UserID: parseID(r.PostFormValue("user_id")), Role: cases.TeamRole(r.PostFormValue("role")),
		Reason: r.PostFormValue("reason")}
	if in.UserID <= 0 {
		in.Problems = append(in.Problems, approdo.FieldError{Field: "user_id", Message: "error.field.required"})
	}
	err := h.Cases.ChangeTeam(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
	case approdo.EINVALID:
		form := r.PostFormValue("form")
		h.renderTeam(w, r, http.StatusUnprocessableEntity, teamData{Form: r.PostForm, Adding: form == "",
			Errors: h.prefixedErrors(r, err, teamFieldID(form, ""))})
		return
	default:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/team?saved=1", http.StatusSeeOther)
}
