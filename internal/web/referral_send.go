package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
)

// sendReferral sends a referral of a case. htmx gets the section back with
// the referral in it; a plain form is sent back to the section. Invalid
// input shows the form again with what was typed and a message on each
// field.
func (h *Handler) sendReferral(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form := readReferralForm(r)
	_, err := h.Cases.SendReferral(r.Context(), auth.ActorFrom(r.Context()), id, form.input(), auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
	case approdo.EINVALID:
		h.renderReferrals(w, r, http.StatusUnprocessableEntity, referralsState{form: &form, errors: h.prefixedErrors(r, err, referralFieldPrefix)})
		return
	default:
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		h.renderReferrals(w, r, http.StatusOK, referralsState{saved: true})
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/referrals?saved=1", http.StatusSeeOther)
}
