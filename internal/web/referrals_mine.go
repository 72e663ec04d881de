package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/referrals"
)

// referralsListData is what the list of an organisation's referrals shows.
type referralsListData struct {
	Referrals []casework.ReferralView
	// Incoming says whether the list shows the referrals received or
	// those sent; State filters them.
	Incoming bool
	State    string
}

// States lists the states the list filters on.
func (referralsListData) States() []referrals.State { return referrals.States }

// listReferrals lists the referrals the reader's organisation received
// ("dir=in", the default) or sent ("dir=out"), newest first, optionally in
// one state.
func (h *Handler) listReferrals(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := referralsListData{Incoming: q.Get("dir") != "out", State: q.Get("state")}
	list, err := h.Cases.OrganisationReferrals(r.Context(), auth.ActorFrom(r.Context()), d.Incoming, referrals.State(d.State),
		auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Referrals = list
	h.render(w, r, http.StatusOK, "referrals", h.newPage(r, "referrals.title", d))
}
