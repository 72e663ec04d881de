package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// answerForm is a form of the consulted team as filled in: a session or
// the advice.
type answerForm struct {
	HeldAt    string
	Attendees string
	Advice    string
}

// recordConsultationSession records a session of a consultation.
func (h *Handler) recordConsultationSession(w http.ResponseWriter, r *http.Request) {
	id, cid := pathID(r, "id"), pathID(r, "consultation")
	if id == 0 || cid == 0 {
		h.notFound(w, r)
		return
	}
	form := answerForm{HeldAt: r.PostFormValue("held_at"), Attendees: r.PostFormValue("attendees")}
	in := casework.SessionInput{Attendees: form.Attendees}
	in.HeldAt = readDateTime(form.HeldAt, "held_at", &in.Problems)
	err := h.Cases.RecordSession(r.Context(), auth.ActorFrom(r.Context()), id, cid, in, auth.ClientFrom(r.Context()))
	h.answered(w, r, id, cid, form, err)
}

// giveConsultationAdvice records the advice of a consultation.
func (h *Handler) giveConsultationAdvice(w http.ResponseWriter, r *http.Request) {
	id, cid := pathID(r, "id"), pathID(r, "consultation")
	if id == 0 || cid == 0 {
		h.notFound(w, r)
		return
	}
	form := answerForm{Advice: r.PostFormValue("advice")}
	err := h.Cases.GiveAdvice(r.Context(), auth.ActorFrom(r.Context()), id, cid, form.Advice, auth.ClientFrom(r.Context()))
	h.answered(w, r, id, cid, form, err)
}

// answered answers a form of the consulted team.
func (h *Handler) answered(w http.ResponseWriter, r *http.Request, id, cid int64, form answerForm, err error) {
	switch approdo.ErrorCode(err) {
	case "":
		h.consultationsSaved(w, r, id)
	case approdo.EINVALID:
		h.renderConsultations(w, r, http.StatusUnprocessableEntity, consultationsState{answerID: cid, answer: form,
			answerErrors: h.prefixedErrors(r, err, answerFieldPrefix(cid))})
	default:
		h.fail(w, r, err)
	}
}
