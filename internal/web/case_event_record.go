package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/deadlines"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// recordCaseEvent records on a case an event that starts or stops clocks.
// htmx gets the section back; a plain form is sent back to the section.
// Invalid input shows the form again with what was typed.
func (h *Handler) recordCaseEvent(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form := eventForm{Event: r.PostFormValue("event"), OccurredAt: r.PostFormValue("occurred_at")}
	in := casework.EventInput{Event: deadlines.Event(strings.TrimSpace(form.Event))}
	if s := strings.TrimSpace(form.OccurredAt); s != "" {
		t, err := time.ParseInLocation(occurredLayout, s, approdo.Rome)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "occurred_at", Message: "error.field.datetime"})
		}
		in.OccurredAt = t
	}
	err := h.Cases.RecordEvent(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
	case approdo.EINVALID:
		h.renderClocks(w, r, http.StatusUnprocessableEntity, clocksState{form: &form, errors: h.prefixedErrors(r, err, clockFieldPrefix)})
		return
	default:
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		h.renderClocks(w, r, http.StatusOK, clocksState{saved: true})
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/clocks?saved=1", http.StatusSeeOther)
}
