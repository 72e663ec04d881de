package web

import (
	"net/http"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/referrals"
	"approdo/services"
)

// referralsData is what the referrals section of a case shows: its
// referrals and the form to send one.
type referralsData struct {
	*casework.CaseReferrals
	Form   referralForm
	Errors []formError
	// Open shows the form unfolded, after a failed submit.
	Open  bool
	Saved bool
	// Languages are the languages the consent's notice may have been
	// given in, by name.
	Languages []choice
}

// FieldError returns the message of the form's field name, or "".
func (d referralsData) FieldError(name string) string {
	return fieldError(d.Errors, referralFieldPrefix+name)
}

// Urgencies, Sections, Consenters and Needs list the choices of the form.
func (d referralsData) Urgencies() []referrals.Urgency    { return referrals.Urgencies }
func (d referralsData) Sections() []referrals.Section     { return referrals.Sections }
func (d referralsData) Consenters() []referrals.Consenter { return referrals.Consenters }
func (d referralsData) Needs() []string                   { return services.Types }

// referralsState is what a render of the section carries over from a
// submit.
type referralsState struct {
	form   *referralForm
	errors []formError
	saved  bool
}

// showCaseReferrals shows the referrals of a case.
func (h *Handler) showCaseReferrals(w http.ResponseWriter, r *http.Request) {
	h.renderReferrals(w, r, http.StatusOK, referralsState{saved: r.URL.Query().Has("saved")})
}

// renderReferrals loads the referrals of the case named in the path and
// shows the section with status, as a part of the case page to htmx and as
// a page of its own otherwise.
func (h *Handler) renderReferrals(w http.ResponseWriter, r *http.Request, status int, st referralsState) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	cr, err := h.Cases.CaseReferrals(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := referralsData{CaseReferrals: cr, Saved: st.saved, Errors: st.errors, Languages: languageChoices(lang(r.Context()))}
	if st.form != nil {
		d.Form, d.Open = *st.form, len(st.errors) > 0
	} else {
		// The consent is usually taken at the interview that decides the
		// referral: the form proposes now, in Rome.
		d.Form = referralForm{Urgency: string(referrals.Routine), ConsentBy: string(referrals.ByPerson),
			ConsentGivenAt: h.Cases.Now().In(approdo.Rome).Truncate(time.Minute).Format(occurredLayout), NoticeLanguage: "it"}
	}
	h.renderSection(w, r, status, "case_referrals", h.newPage(r, "case.section.referrals", d))
}
