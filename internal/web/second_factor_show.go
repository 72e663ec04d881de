package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"strings"

	"github.com/pquerna/otp"

	"approdo/internal/auth"
)

// secondFactorPage is what the second-factor page shows: the state of the
// user's second factor, or the set-up of a new one (a QR code and the same
// secret as text), or, right after the set-up, the recovery codes, once.
type secondFactorPage struct {
	Status    *auth.SecondFactorStatus
	MustEnrol bool
	Secret    string       // the secret in groups of four, for typing
	QR        template.URL // a data: URL of the QR code's PNG
	Codes     []string
	Errors    []formError
}

// FieldError returns the message of the named field, or "".
func (p secondFactorPage) FieldError(name string) string { return fieldError(p.Errors, name) }

// showSecondFactor shows the state of the user's second factor, or the
// set-up of one when they have none. It is the one page, with signing out,
// that a user whose role asks for a second factor reaches before setting it
// up.
func (h *Handler) showSecondFactor(w http.ResponseWriter, r *http.Request) {
	p, err := h.secondFactorPage(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "second_factor", h.newPage(r, "security.second_factor.title", p))
}

// secondFactorPage loads the state of the actor's second factor and, when
// they have none, begins (or takes up) its set-up.
func (h *Handler) secondFactorPage(r *http.Request) (*secondFactorPage, error) {
	a := auth.ActorFrom(r.Context())
	st, err := h.Sessions.SecondFactorStatus(r.Context(), a)
	if err != nil {
		return nil, err
	}
	p := &secondFactorPage{Status: st, MustEnrol: a.MustEnrol}
	if st.Enabled {
		return p, nil
	}
	setup, err := h.Sessions.BeginEnrolment(r.Context(), a)
	if err != nil {
		return nil, err
	}
	if p.QR, err = qrDataURL(setup.URL); err != nil {
		return nil, err
	}
	p.Secret = groupsOfFour(setup.Secret)
	return p, nil
}

// qrDataURL draws the QR code of an otpauth:// URL as a PNG in a data: URL,
// which the Content-Security-Policy allows for images.
func qrDataURL(otpauth string) (template.URL, error) {
	key, err := otp.NewKeyFromURL(otpauth)
	if err != nil {
		return "", err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

// groupsOfFour writes s in groups of four characters, easier to type.
func groupsOfFour(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}
