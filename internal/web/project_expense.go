package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/projects"
)

// addExpense records what an action of the approved project cost, with its
// receipt. A refused expense shows the section again with what was typed
// (the file must be chosen again: browsers do not keep it) and the
// problems.
func (h *Handler) addExpense(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	receipt, err := readForm(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := casework.ExpenseInput{Description: r.PostFormValue("description"), Receipt: receipt, Action: -1}
	if domain, n, ok := strings.Cut(r.PostFormValue("action"), ":"); ok {
		if i, err := strconv.Atoi(n); err == nil {
			in.Domain, in.Action = projects.Domain(domain), i
		}
	}
	if s := strings.TrimSpace(r.PostFormValue("amount_cents")); s != "" {
		cents, ok := parseEuro(s, lang(r.Context()))
		if !ok {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "amount_cents", Message: "error.field.amount"})
		}
		in.AmountCents = cents
	}
	if s := strings.TrimSpace(r.PostFormValue("spent_on")); s != "" {
		t, err := time.ParseInLocation(projectDateLayout, s, approdo.Rome)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "spent_on", Message: "error.field.date"})
		}
		in.SpentOn = t
	}
	_, err = h.Cases.AddExpense(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/project?saved=1#expenses", http.StatusSeeOther)
	case approdo.EINVALID:
		h.renderProject(w, r, http.StatusUnprocessableEntity, projectData{Errors: h.formErrors(r, err), Expense: r.PostForm})
	case approdo.ECONFLICT:
		h.renderProject(w, r, http.StatusConflict, projectData{Errors: h.formErrors(r, err), Expense: r.PostForm})
	default:
		h.fail(w, r, err)
	}
}
