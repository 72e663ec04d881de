package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// stepReferral takes a step on a referral: the recipient accepts, declines
// or completes it at /referrals/{referral}/{step}; the sender cancels it or
// revokes the consent at /cases/{id}/referrals/{referral}/{step}. A refused
// step shows the referral's page again with what was typed and the message
// beside the field.
func (h *Handler) stepReferral(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "referral")
	caseID := int64(0)
	if r.PathValue("id") != "" {
		caseID = pathID(r, "id")
	}
	if id == 0 || caseID < 0 {
		h.notFound(w, r)
		return
	}
	step := r.PathValue("step")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	answer := r.PostFormValue("answer")
	_, err := h.Cases.StepReferral(r.Context(), auth.ActorFrom(r.Context()), caseID, id,
		casework.ReferralStep{Step: step, Version: version, Answer: answer}, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
	case approdo.EINVALID:
		h.renderReferral(w, r, http.StatusUnprocessableEntity, referralData{Step: step, Answer: answer,
			Errors: h.prefixedErrors(r, err, step+"-")})
		return
	default:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, referralPath(id)+"?saved=1", http.StatusSeeOther)
}
