package web

import (
	"net/http"

	"approdo"
	"approdo/internal/auth"
)

// confirmSecondFactor checks a code from the newly set-up authenticator app
// and puts the second factor in use; the page then shows the recovery codes,
// this once. A wrong code shows the set-up again with the error.
func (h *Handler) confirmSecondFactor(w http.ResponseWriter, r *http.Request) {
	a := auth.ActorFrom(r.Context())
	codes, err := h.Sessions.ConfirmEnrolment(r.Context(), a, r.PostFormValue("otp_code"), auth.ClientFrom(r.Context()))
	if approdo.ErrorCode(err) == approdo.EINVALID {
		p, perr := h.secondFactorPage(r)
		if perr != nil {
			h.fail(w, r, perr)
			return
		}
		p.Errors = h.formErrors(r, err)
		h.render(w, r, http.StatusUnprocessableEntity, "second_factor", h.newPage(r, "security.second_factor.title", p))
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	st, err := h.Sessions.SecondFactorStatus(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &secondFactorPage{Status: st, Codes: codes}
	h.render(w, r, http.StatusOK, "second_factor", h.newPage(r, "security.second_factor.title", p))
}
