package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
	"approdo/referrals"
)

// referralJSON is a referral as the API shows it.
type referralJSON struct {
	ID          int64        `json:"id"`
	CaseID      int64        `json:"case_id"`
	CaseCode    string       `json:"case_code"`
	FromOrgID   int64        `json:"from_org_id"`
	From        string       `json:"from"`
	FromUserID  int64        `json:"from_user_id"`
	ToOrgID     int64        `json:"to_org_id"`
	To          string       `json:"to"`
	ServiceID   *int64       `json:"service_id"`
	Service     string       `json:"service"`
	Reason      string       `json:"reason"`
	Urgency     string       `json:"urgency"`
	Sections    []string     `json:"sections"`
	Consent     consentJSON  `json:"consent"`
	State       string       `json:"state"`
	SentAt      string       `json:"sent_at"`
	AnswerBy    string       `json:"answer_by"`
	Overdue     bool         `json:"overdue"`
	AnsweredAt  *string      `json:"answered_at"`
	AnsweredBy  *int64       `json:"answered_by"`
	ClosedAt    *string      `json:"closed_at"`
	Answer      string       `json:"answer"`
	Version     int          `json:"version"`
	Permissions referralCans `json:"permissions"`
}

// consentJSON is the consent of a referral.
type consentJSON struct {
	By             string  `json:"by"`
	GivenAt        string  `json:"given_at"`
	NoticeLanguage string  `json:"notice_language"`
	RevokedAt      *string `json:"revoked_at,omitempty"`
}

// referralCans says which steps the caller may take.
type referralCans struct {
	Answer   bool `json:"answer"`
	Complete bool `json:"complete"`
	Cancel   bool `json:"cancel"`
	Revoke   bool `json:"revoke"`
	OpenCase bool `json:"open_case"`
}

// optionalTime is nil for the zero time and RFC 3339 otherwise.
func optionalTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func referralView(v casework.ReferralView) referralJSON {
	out := referralJSON{ID: v.ID, CaseID: v.CaseID, CaseCode: v.CaseCode, FromOrgID: v.FromOrgID, From: v.From,
		FromUserID: v.FromUserID, ToOrgID: v.ToOrgID, To: v.To, ServiceID: optionalID(v.ServiceID), Service: v.Service,
		Reason: v.Reason, Urgency: string(v.Urgency), Sections: []string{},
		Consent: consentJSON{By: string(v.Consent.By), GivenAt: v.Consent.GivenAt.UTC().Format(time.RFC3339),
			NoticeLanguage: v.Consent.NoticeLanguage, RevokedAt: optionalTime(v.Consent.RevokedAt)},
		State: string(v.State), SentAt: v.SentAt.UTC().Format(time.RFC3339), AnswerBy: v.AnswerBy.UTC().Format(time.RFC3339),
		Overdue: v.Overdue, AnsweredAt: optionalTime(v.AnsweredAt), AnsweredBy: optionalID(v.AnsweredBy),
		ClosedAt: optionalTime(v.ClosedAt), Answer: v.Answer, Version: v.Version,
		Permissions: referralCans{Answer: v.CanAnswer, Complete: v.CanComplete, Cancel: v.CanCancel, Revoke: v.CanRevoke,
			OpenCase: v.CanOpenCase}}
	for _, s := range v.Sections {
		out.Sections = append(out.Sections, string(s))
	}
	return out
}

// referralListJSON is a list of referrals.
type referralListJSON struct {
	Items []referralJSON `json:"items"`
}

func referralList(list []casework.ReferralView) referralListJSON {
	out := referralListJSON{Items: []referralJSON{}}
	for _, v := range list {
		out.Items = append(out.Items, referralView(v))
	}
	return out
}

// listCaseReferrals returns the referrals of a case, newest first.
func (a *API) listCaseReferrals(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	cr, err := a.Cases.CaseReferrals(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, referralList(cr.Referrals))
}

// referralInputJSON is the body of a new referral.
type referralInputJSON struct {
	ServiceID int64    `json:"service_id"`
	ToOrgID   int64    `json:"to_org_id"`
	Need      string   `json:"need"`
	Reason    string   `json:"reason"`
	Urgency   string   `json:"urgency"`
	Sections  []string `json:"sections"`
	Consent   struct {
		By             string `json:"by"`
		GivenAt        string `json:"given_at"`
		NoticeLanguage string `json:"notice_language"`
	} `json:"consent"`
}

// sendReferral sends a referral of a case.
func (a *API) sendReferral(w http.ResponseWriter, r *http.Request) {
	var body referralInputJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	in := casework.ReferralInput{ServiceID: body.ServiceID, ToOrgID: body.ToOrgID, Need: body.Need, Reason: body.Reason,
		Urgency: referrals.Urgency(body.Urgency),
		Consent: referrals.Consent{By: referrals.Consenter(body.Consent.By), NoticeLanguage: body.Consent.NoticeLanguage}}
	for _, s := range body.Sections {
		in.Sections = append(in.Sections, referrals.Section(s))
	}
	if s := strings.TrimSpace(body.Consent.GivenAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "consent.given_at", Message: "error.field.datetime"})
		}
		in.Consent.GivenAt = t
	}
	v, err := a.Cases.SendReferral(r.Context(), auth.ActorFrom(r.Context()), pathID(r), in, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/referrals/"+strconv.FormatInt(v.ID, 10))
	respond.JSON(w, http.StatusCreated, referralView(*v))
}

// referralID reads the referral's id in the path, or 0.
func referralID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("referral"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// getReferral returns a referral.
func (a *API) getReferral(w http.ResponseWriter, r *http.Request) {
	id := referralID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	v, err := a.Cases.Referral(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, referralView(*v))
}

// listReferrals returns the referrals the caller's organisation received
// (direction=incoming, the default) or sent (direction=outgoing), newest
// first, only those in state when it is given.
func (a *API) listReferrals(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	incoming := true
	switch q.Get("direction") {
	case "", "incoming":
	case "outgoing":
		incoming = false
	default:
		a.fail(w, r, approdo.Invalid(approdo.FieldError{Field: "direction", Message: "error.field.unknown_value"}))
		return
	}
	list, err := a.Cases.OrganisationReferrals(r.Context(), auth.ActorFrom(r.Context()), incoming, referrals.State(q.Get("state")),
		auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, referralList(list))
}

// referralStepJSON is the body of a step on a referral.
type referralStepJSON struct {
	Version int    `json:"version"`
	Answer  string `json:"answer"`
}

// stepReferral takes a step on a referral: the recipient accepts, declines
// or completes it at /api/v1/referrals/{referral}/{step}; the sender
// cancels it or revokes its consent at
// /api/v1/cases/{id}/referrals/{referral}/{step}. A referral changed since
// the version sent answers 409.
func (a *API) stepReferral(w http.ResponseWriter, r *http.Request) {
	id := referralID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	caseID := int64(0)
	if r.PathValue("id") != "" {
		if caseID = pathID(r); caseID == 0 {
			a.fail(w, r, errNotFound())
			return
		}
	}
	var body referralStepJSON
	unreadable := decodeJSON(r, &body)
	v, err := a.Cases.StepReferral(r.Context(), auth.ActorFrom(r.Context()), caseID, id, casework.ReferralStep{Step: r.PathValue("step"),
		Version: body.Version, Answer: body.Answer, Unreadable: unreadable}, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, referralView(*v))
}
