package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"approdo"
	"approdo/internal/casework"
	"approdo/referrals"
)

// referralFieldPrefix prefixes the ids of the fields of the form that sends
// a referral, which shares the case page with other sections' forms.
const referralFieldPrefix = "referral-"

// referralForm is the form to send a referral as the user filled it in.
type referralForm struct {
	ServiceID      string
	ToOrgID        string
	Need           string
	Reason         string
	Urgency        string
	Sections       []string
	ConsentBy      string
	ConsentGivenAt string
	NoticeLanguage string
}

// Shares reports whether the form shares section s.
func (f referralForm) Shares(s referrals.Section) bool { return slices.Contains(f.Sections, string(s)) }

// readReferralForm reads the form to send a referral.
func readReferralForm(r *http.Request) referralForm {
	r.ParseForm()
	return referralForm{ServiceID: r.PostFormValue("service_id"), ToOrgID: r.PostFormValue("to_org_id"),
		Need: r.PostFormValue("need"), Reason: r.PostFormValue("reason"), Urgency: r.PostFormValue("urgency"),
		Sections: r.PostForm["sections"], ConsentBy: r.PostFormValue("consent.by"),
		ConsentGivenAt: r.PostFormValue("consent.given_at"), NoticeLanguage: r.PostFormValue("consent.notice_language")}
}

// input turns the form into what the service takes, with the problem of a
// consent date that could not be read.
func (f referralForm) input() casework.ReferralInput {
	in := casework.ReferralInput{ServiceID: parseID(f.ServiceID), ToOrgID: parseID(f.ToOrgID), Need: f.Need, Reason: f.Reason,
		Urgency: referrals.Urgency(f.Urgency),
		Consent: referrals.Consent{By: referrals.Consenter(f.ConsentBy), NoticeLanguage: strings.TrimSpace(f.NoticeLanguage)}}
	for _, s := range f.Sections {
		in.Sections = append(in.Sections, referrals.Section(s))
	}
	if s := strings.TrimSpace(f.ConsentGivenAt); s != "" {
		t, err := time.ParseInLocation(occurredLayout, s, approdo.Rome)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "consent.given_at", Message: "error.field.datetime"})
		}
		in.Consent.GivenAt = t
	}
	return in
}
