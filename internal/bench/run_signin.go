package bench

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// requestTimeout bounds every request of the harness.
const requestTimeout = time.Minute

// session is a signed-in operator: their cookie jar, as a browser keeps it,
// and the session's anti-forgery token, which every unsafe request sends.
type session struct {
	client *http.Client
	csrf   string
}

// noRedirect makes a client return redirects instead of following them, so
// that a redirect to the sign-in page counts as the failure it is.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// totpOptions are those of Approdo's second factor (internal/auth).
var totpOptions = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// csrfField finds the anti-forgery token of a page: the hidden field every
// form of the layout carries, or the header htmx sends, set on <body>.
var (
	csrfField  = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	csrfHeader = regexp.MustCompile(`X-CSRF-Token(?:"|&#34;|&quot;): ?(?:"|&#34;|&quot;)([^"&]+)`)
)

// pageToken returns the anti-forgery token of an HTML page, or "".
func pageToken(page []byte) string {
	if m := csrfField.FindSubmatch(page); m != nil {
		return html.UnescapeString(string(m[1]))
	}
	if m := csrfHeader.FindSubmatch(page); m != nil {
		return html.UnescapeString(string(m[1]))
	}
	return ""
}

// signIn signs every operator in, two at a time: the password's hash is
// meant to be slow and to take 64 MiB, and the machine is shared with the
// server.
func (h *harness) signIn(ctx context.Context) error {
	all := append(append([]*operator{}, h.pop.workers...), h.pop.coordinators...)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		lanes = make(chan struct{}, 1)
	)
	for _, o := range all {
		wg.Add(1)
		lanes <- struct{}{}
		go func() {
			defer func() { <-lanes; wg.Done() }()
			s, err := h.signInAs(ctx, o)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = err
			}
			o.session = s
		}()
	}
	wg.Wait()
	return first
}

// signInAs signs o in as a browser does: the sign-in form, the password,
// the second factor with a code of TOTPSecret, and the home page, whose
// forms carry the session's anti-forgery token.
func (h *harness) signInAs(ctx context.Context, o *operator) (*session, error) {
	username := o.username
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	s := &session{client: &http.Client{Transport: h.transport, Jar: jar, CheckRedirect: noRedirect, Timeout: requestTimeout}}
	fail := func(step string, res *http.Response, body []byte, err error) error {
		if err != nil {
			return fmt.Errorf("bench: signing in %s, %s: %w", username, step, err)
		}
		if res.StatusCode == http.StatusTooManyRequests {
			return fmt.Errorf("bench: signing in %s, %s: the server refuses sign-ins for %ss after too many failures",
				username, step, res.Header.Get("Retry-After"))
		}
		return fmt.Errorf("bench: signing in %s, %s: answered %d%s", username, step, res.StatusCode, excerpt(body))
	}

	res, body, err := s.do(ctx, http.MethodGet, h.base+"/login", nil, "")
	if err != nil || res.StatusCode != http.StatusOK {
		return nil, fail("GET /login", res, body, err)
	}
	token := pageToken(body)
	form := url.Values{"csrf_token": {token}, "username": {username}, "password": {Password}, "next": {"/"}}
	res, body, err = s.do(ctx, http.MethodPost, h.base+"/login", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if err != nil || res.StatusCode != http.StatusSeeOther {
		return nil, fail("POST /login", res, body, err)
	}
	if next := res.Header.Get("Location"); strings.HasPrefix(next, "/login/second-factor") {
		res, body, err = s.do(ctx, http.MethodGet, h.base+next, nil, "")
		if err != nil || res.StatusCode != http.StatusOK {
			return nil, fail("GET /login/second-factor", res, body, err)
		}
		if t := pageToken(body); t != "" {
			token = t
		}
		code, err := secondFactorCode(ctx, o.lastStep)
		if err != nil {
			return nil, fail("making the second factor's code", nil, nil, err)
		}
		form := url.Values{"csrf_token": {token}, "otp_code": {code}, "next": {"/"}}
		res, body, err = s.do(ctx, http.MethodPost, h.base+"/login/second-factor", strings.NewReader(form.Encode()),
			"application/x-www-form-urlencoded")
		if err != nil || res.StatusCode != http.StatusSeeOther {
			return nil, fail("POST /login/second-factor", res, body, err)
		}
	}
	if next := res.Header.Get("Location"); next != "/" {
		return nil, fmt.Errorf("bench: signing in %s: sent to %q instead of the home page; "+
			"was the region written by approdo bench generate?", username, next)
	}
	res, body, err = s.do(ctx, http.MethodGet, h.base+"/", nil, "")
	if err != nil || res.StatusCode != http.StatusOK {
		return nil, fail("GET /", res, body, err)
	}
	if s.csrf = pageToken(body); s.csrf == "" {
		return nil, fmt.Errorf("bench: signing in %s: the home page carries no anti-forgery token", username)
	}
	return s, nil
}

// secondFactorCode returns a code of TOTPSecret the server accepts from a
// user whose last accepted code was of time step lastStep. The server
// accepts a code once, of the current step or of the one before or after
// it; a run a moment ago used this step's code, so the code is of the
// earliest step after lastStep, not before the current one (never one that
// would fail: failures lock sign-ins), waiting for it if need be.
func secondFactorCode(ctx context.Context, lastStep int64) (string, error) {
	const period = 30
	step := max(time.Now().Unix()/period, lastStep+1)
	if wait := time.Until(time.Unix((step-1)*period, 0)); wait > 0 {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(wait + time.Second):
		}
	}
	return totp.GenerateCodeCustom(TOTPSecret, time.Unix(step*period, 0), totpOptions)
}

// do sends a request with the session's cookies and returns the response
// with its whole body.
func (s *session) do(ctx context.Context, method, url string, body io.Reader, contentType string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet && s.csrf != "" {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	return send(s.client, req)
}

// send sends req and reads the whole response, so that the connection
// can serve the next request.
func send(c *http.Client, req *http.Request) (*http.Response, []byte, error) {
	res, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, nil, err
	}
	return res, b, nil
}

// excerpt returns the start of a response's body for a message when it is
// JSON or plain text: Approdo's error messages, which carry no personal
// data. Pages say nothing in their first characters and give nothing.
func excerpt(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if s == "" || strings.HasPrefix(s, "<") {
		return ""
	}
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return ": " + s
}
