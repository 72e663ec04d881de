package web

import (
	"net/http"
	"strconv"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// referralData is what the page of a referral shows: the referral, the
// forms of the steps the reader may take, and what was typed in a refused
// one.
type referralData struct {
	*casework.ReferralView
	Errors []formError
	// Step and Answer are the step refused and the text typed with it.
	Step   string
	Answer string
	Saved  bool
}

// FieldError returns the message of field name of the form of step, or "".
func (d referralData) FieldError(step, name string) string {
	if step != d.Step {
		return ""
	}
	return fieldError(d.Errors, step+"-"+name)
}

// AnswerFor returns what was typed in the form of step, once refused.
func (d referralData) AnswerFor(step string) string {
	if step != d.Step {
		return ""
	}
	return d.Answer
}

// showReferral shows a referral to the sending case team and to the
// receiving organisation, with the steps the reader may take.
func (h *Handler) showReferral(w http.ResponseWriter, r *http.Request) {
	h.renderReferral(w, r, http.StatusOK, referralData{Saved: r.URL.Query().Has("saved")})
}

// renderReferral loads the referral named in the path and shows its page
// with status.
func (h *Handler) renderReferral(w http.ResponseWriter, r *http.Request, status int, d referralData) {
	id := pathID(r, "referral")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	v, err := h.Cases.Referral(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.ReferralView = v
	h.render(w, r, status, "referral", h.newPage(r, "referrals.title", d))
}

// referralPath is the page of referral id.
func referralPath(id int64) string { return "/referrals/" + strconv.FormatInt(id, 10) }
