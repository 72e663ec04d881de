package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"approdo/internal/i18n"
	"approdo/internal/store/storetest"
)

// demoPassword is the password of every demo user; see internal/demo.
const demoPassword = "approdo-demo-2026"

// testTimeout bounds the whole walk through the browser.
const testTimeout = 4 * time.Minute

// TestDemoInBrowser walks through the demo network in headless Chromium as
// a newcomer would: sign in as a demo user, switch the language, browse,
// sign out. Every page it reaches is checked for accessibility and for
// browser errors, and photographed.
func TestDemoInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	axeSource, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	shotDir, err := os.MkdirTemp("", "approdo-browsertest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", shotDir)
	base := startDemo(t)

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	browserCtx := startChromium(t, ctx, chromium)
	r := &run{base: base, axeSource: string(axeSource), shotDir: shotDir, cat: i18n.MustLoad()}

	t.Run("CSPViolationIsCaught", func(t *testing.T) { checkErrorListener(r.newTab(t, browserCtx)) })
	t.Run("AxeFindsViolations", func(t *testing.T) { checkAxe(r.newTab(t, browserCtx)) })
	// The administrator signs in where the social worker signed out, as on
	// an office's shared computer.
	shared := r.newTab(t, browserCtx)
	t.Run("SocialWorker", func(t *testing.T) { walkAsSocialWorker(shared.in(t)) })
	t.Run("Administrator", func(t *testing.T) { walkAsAdministrator(shared.in(t)) })
	var report string
	t.Run("Reporter", func(t *testing.T) { report = walkAsReporter(shared.in(t)) })
	t.Run("FromReportToFollowUp", func(t *testing.T) {
		if report == "" {
			t.Skip("the reporter's walk filed no report")
		}
		walkFromReportToFollowUp(shared.in(t), report)
	})
	t.Run("ProjectApproval", func(t *testing.T) { walkProjectApproval(shared.in(t)) })
	t.Run("TraffickingProjectApproval", func(t *testing.T) { walkTraffickingApproval(shared.in(t)) })
}

// walkAsReporter signs in as the school's referent, fails to file a report
// without saying what was observed, keeps what was typed, files it and
// finds it in the list of their reports. It returns the report's path.
func walkAsReporter(b *tab) string {
	b.toSignIn()
	b.login("segnalante", demoPassword, http.StatusOK)
	b.checkNavigation("nav.home", "nav.services", "nav.reports", "nav.organisations", "nav.programmes")
	b.click(`main a[href="/reports/new"]`, http.StatusOK)
	b.checkHeading("reports.new")
	b.checkPage("report-new")
	const subject = "Alunno di 8 anni, classe terza"
	b.do(
		chromedp.SendKeys(chromedp.ID("subject"), subject),
		chromedp.Click(chromedp.ID("urgency-soon")),
	)
	b.click(`.report-form button[type="submit"]`, http.StatusUnprocessableEntity)
	if b.count(`#error-summary a[href="#observed"]`) != 1 {
		b.t.Error("the error summary does not link to what was observed")
	}
	if got := b.value("#subject"); got != subject {
		b.t.Errorf("after a failed submit the subject is %q, want what was typed", got)
	}
	b.checkPage("report-invalid")
	b.do(chromedp.SendKeys(chromedp.ID("observed"), "Da una settimana non vuole tornare a casa e piange all'uscita."))
	b.click(`.report-form button[type="submit"]`, http.StatusOK)
	code := b.text(".breadcrumb-item.active")
	report := b.location().Path
	b.checkHeading("reports.heading", code)
	b.checkPage("report-filed")
	b.click(`nav a.nav-link[href="/reports"]`, http.StatusOK)
	if !strings.Contains(strings.Join(b.texts("table tbody th"), " "), code) {
		b.t.Errorf("the list of the reporter's reports lacks %s", code)
	}
	b.checkPage("reports-mine")
	b.logout()
	return report
}

// checkErrorListener makes sure that a Content-Security-Policy violation
// reaches the test as an error: without this, pages without errors would
// prove nothing.
func checkErrorListener(b *tab) {
	b.open("/login", http.StatusOK)
	evaluate[chromedp.Void](b, `(() => {
		const s = document.createElement('script');
		s.textContent = 'window.inlineScriptRan = true';
		document.body.append(s);
	})()`)
	var errs []string
	caught := func() bool { return strings.Contains(strings.Join(errs, "\n"), "Content Security Policy") }
	for deadline := time.Now().Add(5 * time.Second); !caught() && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		errs = append(errs, b.errs.take("")...)
	}
	if !caught() {
		b.t.Errorf("an inline script gave errors %q, want a Content Security Policy violation", errs)
	}
	if evaluate[bool](b, `window.inlineScriptRan === true`) {
		b.t.Error("the Content-Security-Policy let an inline script run")
	}
}

// checkAxe makes sure that axe-core runs and reports a violation: an image
// without a text alternative, added to the sign-in page.
func checkAxe(b *tab) {
	b.open("/login", http.StatusOK)
	evaluate[chromedp.Void](b, `document.querySelector('main').append(document.createElement('img'))`)
	for _, v := range b.runAxe().Violations {
		if v.ID == "image-alt" && v.Impact == "critical" {
			return
		}
	}
	b.t.Error("axe did not report an image without alt text")
}

// walkAsSocialWorker fails a sign-in, signs in as the social worker,
// switches to English, browses and filters the network, is refused the
// administration and signs out.
func walkAsSocialWorker(b *tab) {
	b.open("/login", http.StatusOK)
	if got := b.lang(); got != "it" {
		b.t.Fatalf("the sign-in page is in %q, want Italian by default", got)
	}
	b.checkHeading("login.heading")
	b.checkPage("login")

	b.login("assistente.sociale", "not-the-password", http.StatusUnauthorized)
	summary := b.text("#error-summary")
	for _, key := range []string{"form.error_summary", "error.login_failed"} {
		if want := b.tr(key); !strings.Contains(summary, want) {
			b.t.Errorf("the error summary says %q, want it to contain %q", summary, want)
		}
	}
	if got := b.value("#username"); got != "assistente.sociale" {
		b.t.Errorf("after a failed sign-in the username is %q, want it kept", got)
	}
	if got := b.value("#password"); got != "" {
		b.t.Error("after a failed sign-in the password field is not empty")
	}
	b.checkPage("login-failed")

	b.login("assistente.sociale", demoPassword, http.StatusOK)
	b.checkPath("/")
	b.checkHeading("home.greeting", "Chiara Benvenuti")
	b.checkNavigation("nav.home", "nav.cases", "nav.tasks", "nav.mediation", "nav.meetings", "nav.referrals", "nav.services",
		"nav.reports", "nav.search", "nav.organisations", "nav.programmes")
	b.checkPage("home-it")

	b.switchLanguage("en")
	b.checkPath("/")
	b.checkHeading("home.greeting", "Chiara Benvenuti")
	b.checkNavigation("nav.home", "nav.cases", "nav.tasks", "nav.mediation", "nav.meetings", "nav.referrals", "nav.services",
		"nav.reports", "nav.search", "nav.organisations", "nav.programmes")
	b.checkPage("home-en")

	b.click(`nav a.nav-link[href="/network/organisations"]`, http.StatusOK)
	b.checkPath("/network/organisations")
	b.checkHeading("organisations.title")
	if got := b.text(`nav a.nav-link[aria-current="page"]`); got != b.tr("nav.organisations") {
		b.t.Errorf("the current navigation entry is %q, want %q", got, b.tr("nav.organisations"))
	}
	all := b.count("table tbody tr")
	if all == 0 {
		b.t.Error("the organisations table is empty")
	}
	b.checkPage("organisations")

	const kind = "anti_violence_centre"
	b.do(chromedp.SetValue(chromedp.ID("kind"), kind))
	// htmx swaps the results in place and pushes the filters to the URL.
	b.clickAndSwap(`form.filters button[type="submit"]`, `location.search.includes("kind=`+kind+`") && !document.querySelector(".htmx-request")`)
	b.checkPath("/network/organisations")
	if got := b.location().Query().Get("kind"); got != kind {
		b.t.Errorf("after filtering the URL has kind=%q, want %q", got, kind)
	}
	if got := b.value("#kind"); got != kind {
		b.t.Errorf("after filtering the kind filter shows %q, want %q", got, kind)
	}
	filtered := b.count("table tbody tr")
	if filtered == 0 || filtered >= all {
		b.t.Errorf("filtering by kind left %d of %d organisations, want fewer but some", filtered, all)
	}
	for _, k := range b.texts("table tbody tr td:nth-child(2)") {
		if k != b.tr("kind."+kind) {
			b.t.Errorf("the filtered table lists an organisation of kind %q", k)
		}
	}
	b.checkPage("organisations-filtered")

	b.click(`nav a.nav-link[href="/network/programmes"]`, http.StatusOK)
	b.checkPath("/network/programmes")
	b.checkHeading("programmes.title")
	if b.count("article.card") == 0 {
		b.t.Error("the programmes page lists no programme")
	}
	b.checkPage("programmes")

	b.click(`nav a.nav-link[href="/cases"]`, http.StatusOK)
	b.checkPath("/cases")
	b.checkHeading("cases.title")
	if n := b.count("table tbody tr"); n != 14 {
		b.t.Errorf("the social worker's case list has %d rows, want 14", n)
	}
	b.checkPage("cases")
	b.click(`table tbody tr:first-child th a`, http.StatusOK)
	if !strings.HasPrefix(b.location().Path, "/cases/") {
		b.t.Fatalf("the case link led to %s", b.location().Path)
	}
	if b.count(`.case-stage[aria-current="step"]`) != 1 {
		b.t.Error("the case page does not mark its current stage")
	}
	b.checkPage("case")
	b.click(`a[href$="/access"]`, http.StatusOK)
	b.checkHeading("case_access.heading", b.text(".breadcrumb-item:nth-child(2) a"))
	if b.count("table tbody tr") == 0 {
		b.t.Error("the access log does not list the visit just made")
	}
	b.checkPage("case-access")
	b.open("/break-glass", http.StatusOK)
	b.checkHeading("break_glass.heading")
	b.checkPage("break-glass")

	b.open("/admin/users", http.StatusNotFound)
	b.checkHeading("error.heading.not_found")
	if b.count("table") != 0 {
		b.t.Error("the social worker sees a table on /admin/users")
	}
	b.checkPage("users-not-found")

	b.logout()
	b.checkPage("logged-out")
}

// walkAsAdministrator signs in as the administrator, opens the users'
// list from the navigation and signs out.
func walkAsAdministrator(b *tab) {
	b.toSignIn()
	b.login("admin", demoPassword, http.StatusOK)
	b.checkPath("/")
	b.checkHeading("home.greeting", "Anna Moretti")
	b.checkNavigation("nav.home", "nav.services", "nav.organisations", "nav.programmes", "nav.mediators", "nav.admin")
	b.checkPage("home-admin")

	b.click(`nav a.nav-link[href="/admin"]`, http.StatusOK)
	b.checkPath("/admin")
	b.checkHeading("admin.title")
	if got := b.count("main .card"); got != 9 {
		b.t.Errorf("the administration shows %d sections, want 9", got)
	}
	b.checkPage("admin")
	walkAdministration(b)

	b.open("/admin", http.StatusOK)
	b.click(`main a[href="/admin/users"]`, http.StatusOK)
	b.checkPath("/admin/users")
	b.checkHeading("users.title")
	if got := b.text(`nav a.nav-link[aria-current="page"]`); got != b.tr("nav.admin") {
		b.t.Errorf("the current navigation entry is %q, want %q", got, b.tr("nav.admin"))
	}
	if got := b.count("table tbody tr"); got < 9 {
		b.t.Errorf("the users table has %d rows, want at least the 9 demo users of the roles", got)
	}
	usernames := strings.Join(b.texts("table tbody td code"), " ")
	for _, u := range []string{"admin", "assistente.sociale"} {
		if !strings.Contains(usernames, u) {
			b.t.Errorf("the users table lacks %s: %s", u, usernames)
		}
	}
	b.checkPage("users")

	// The demo does not require a second factor, and every page says so;
	// the account security pages are accessible too.
	if got, want := b.text("[data-test=second-factor-optional]"), b.tr("security.second_factor_optional_notice"); got != want {
		b.t.Errorf("the second-factor notice says %q, want %q", got, want)
	}
	b.open("/account/security", http.StatusOK)
	b.checkHeading("security.account.heading")
	b.checkPage("account-security")
	b.open("/account/second-factor", http.StatusOK)
	b.checkHeading("security.second_factor.heading")
	if got := b.count(`img.totp-qr[src^="data:image/png;base64,"]`); got != 1 {
		b.t.Errorf("the set-up of a second factor shows %d QR codes, want 1", got)
	}
	b.checkPage("second-factor-setup")
	b.open("/account/password", http.StatusOK)
	b.checkHeading("security.password.heading")
	b.checkPage("password")

	b.logout()
}

// walkAdministration opens the forms and pages of the administration: a
// programme's budget, a failed save that keeps what was typed, the invitation
// of a user and a role's matrix of permissions.
func walkAdministration(b *tab) {
	// The rules of the legal clocks, and the form of one.
	b.click(`main a[href="/deadline-rules"]`, http.StatusOK)
	b.checkHeading("deadline_rules.title")
	b.checkPage("admin-deadline-rules")
	b.click(`main a[href="/deadline-rules/msna_interview/edit"]`, http.StatusOK)
	b.checkHeading("deadline_rules.edit")
	b.checkPage("admin-deadline-rule")
	b.open("/admin", http.StatusOK)

	b.click(`main a[href="/admin/programmes"]`, http.StatusOK)
	b.checkHeading("admin.programmes.title")
	b.checkPage("admin-programmes")
	b.click(`main table tbody tr:first-child a`, http.StatusOK)
	if b.count("table tfoot") != 1 {
		b.t.Error("the programme's page shows no budget total")
	}
	b.checkPage("admin-programme")
	b.click(`main a[href$="/edit"]`, http.StatusOK)
	b.checkHeading("admin.programmes.edit")
	b.do(chromedp.SetValue(chromedp.CSS(`[id="budget_lines.0.amount_cents"]`), "-5"))
	b.click(`.admin-form button[type="submit"]`, http.StatusUnprocessableEntity)
	if got := b.value(`[id="budget_lines.0.amount_cents"]`); got != "-5" {
		b.t.Errorf("after a failed save the amount is %q, want what was typed", got)
	}
	if b.count(`#error-summary a[href="#budget_lines.0.amount_cents"]`) != 1 {
		b.t.Error("the error summary does not link to the amount at fault")
	}
	b.checkPage("admin-programme-invalid")

	b.open("/admin/users/new", http.StatusOK)
	b.checkHeading("admin.users.new")
	b.checkPage("admin-user-new")

	b.open("/admin/roles", http.StatusOK)
	b.checkHeading("admin.roles.title")
	b.click(`main a[href="/admin/roles/partner_operator"]`, http.StatusOK)
	if b.count("table.permission-matrix tbody tr") == 0 {
		b.t.Error("the role's page shows no permission matrix")
	}
	b.checkPage("admin-role")
	b.click(`main a[href$="/edit"]`, http.StatusOK)
	b.checkPage("admin-role-edit")
}

// run is what the tabs of one test share: where the demo is, the
// accessibility engine, the catalogue and the screenshots taken so far.
type run struct {
	base      string // the demo's URL, without a trailing slash
	axeSource string
	shotDir   string
	shots     int // screenshots taken, to number the next one
	cat       *i18n.Catalogue
}

// tab is one browser tab walking through Approdo, in a browser context of
// its own so that it shares no cookies with the other tabs.
type tab struct {
	*run
	t    *testing.T
	ctx  context.Context
	errs *pageErrors
}

// newTab opens a tab in a fresh browser context. It is closed at the end of
// t.
func (r *run) newTab(t *testing.T, browserCtx context.Context) *tab {
	t.Helper()
	errs := &pageErrors{}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext(), chromedp.WithListener(errs.record))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("cannot open a tab: %v", err)
	}
	return &tab{run: r, t: t, ctx: ctx, errs: errs}
}

// in returns the tab for use by the test or subtest t.
func (b *tab) in(t *testing.T) *tab {
	c := *b
	c.t = t
	return &c
}

// tr translates key into the language of the current page.
func (b *tab) tr(key string, args ...any) string {
	return b.cat.T(b.lang(), key, args...)
}

// do runs actions that return nothing, failing the test on an error.
func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", b.location().Path, err)
	}
}

// evaluate runs a JavaScript expression in the page and returns its value.
func evaluate[T any](b *tab, js string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		b.t.Fatalf("evaluate %.60q: %v", js, err)
	}
	return v
}

// jsString quotes s as a JavaScript string.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// open loads path and checks the status of its answer.
func (b *tab) open(path string, wantStatus int64) {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	b.checkResponse("open "+path, resp, err, wantStatus)
}

// click clicks the element sel, which loads a page, and checks the status of
// the page's answer after any redirect.
func (b *tab) click(sel string, wantStatus int64) {
	b.t.Helper()
	if b.count(sel) == 0 {
		b.t.Fatalf("%s: nothing to click at %s", b.location().Path, sel)
	}
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	b.checkResponse("click "+sel, resp, err, wantStatus)
}

// clickAndSwap clicks the element sel, which updates part of the page
// without loading a new one, and waits until the JavaScript expression done
// is true.
func (b *tab) clickAndSwap(sel, done string) {
	b.t.Helper()
	if b.count(sel) == 0 {
		b.t.Fatalf("%s: nothing to click at %s", b.location().Path, sel)
	}
	b.do(chromedp.Click(chromedp.CSS(sel)))
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](done)); err != nil {
		b.t.Fatalf("click %s: %s never became true: %v", sel, done, err)
	}
}

// checkResponse fails the test when a navigation did not load a page with
// the wanted status.
func (b *tab) checkResponse(what string, resp *network.Response, err error, wantStatus int64) {
	b.t.Helper()
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		b.t.Fatalf("%s: no page loaded", what)
	}
	if resp.Status != wantStatus {
		b.t.Errorf("%s: %s answered %d, want %d", what, resp.URL, resp.Status, wantStatus)
	}
}

// location returns the URL of the page.
func (b *tab) location() *url.URL {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	u, err := url.Parse(s)
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// lang returns the language of the page, from <html lang>.
func (b *tab) lang() string {
	b.t.Helper()
	return evaluate[string](b, `document.documentElement.lang`)
}

// count returns how many elements match sel.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return evaluate[int](b, `document.querySelectorAll(`+jsString(sel)+`).length`)
}

// text returns the rendered text of the first element matching sel, or ""
// when none does.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return evaluate[string](b, `document.querySelector(`+jsString(sel)+`)?.innerText.trim() ?? ""`)
}

// texts returns the rendered text of every element matching sel.
func (b *tab) texts(sel string) []string {
	b.t.Helper()
	return evaluate[[]string](b, `Array.from(document.querySelectorAll(`+jsString(sel)+`), e => e.innerText.trim())`)
}

// value returns the value of the form field sel.
func (b *tab) value(sel string) string {
	b.t.Helper()
	return evaluate[string](b, `document.querySelector(`+jsString(sel)+`)?.value ?? ""`)
}

// checkPath fails the test unless the page is at path.
func (b *tab) checkPath(path string) {
	b.t.Helper()
	if got := b.location().Path; got != path {
		b.t.Errorf("the browser is at %s, want %s", got, path)
	}
}

// checkHeading fails the test unless the page's <h1> is the translation of
// key in the page's language.
func (b *tab) checkHeading(key string, args ...any) {
	b.t.Helper()
	if got, want := b.text("h1"), b.tr(key, args...); got != want {
		b.t.Errorf("%s: the heading is %q, want %q", b.location().Path, got, want)
	}
}

// checkNavigation fails the test unless the main navigation lists exactly
// the entries of keys, in the page's language.
func (b *tab) checkNavigation(keys ...string) {
	b.t.Helper()
	var want []string
	for _, k := range keys {
		want = append(want, b.tr(k))
	}
	got := b.texts("nav .navbar-nav .nav-link")
	if strings.Join(got, "|") != strings.Join(want, "|") {
		b.t.Errorf("%s: the navigation lists %q, want %q", b.location().Path, got, want)
	}
}

// login signs in with the form of the sign-in page, which must be open, and
// checks the status of the page that answers.
func (b *tab) login(username, password string, wantStatus int64) {
	b.t.Helper()
	b.do(
		chromedp.Clear(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	b.click(`.login-form button[type="submit"]`, wantStatus)
}

// switchLanguage switches the interface to lang with the language buttons
// of the header, and checks that the page came back in it.
func (b *tab) switchLanguage(lang string) {
	b.t.Helper()
	b.click(`form.lang-switch button[name="lang"][value="`+lang+`"]`, http.StatusOK)
	if got := b.lang(); got != lang {
		b.t.Fatalf("after switching to %s the page is in %q", lang, got)
	}
}

// toSignIn brings the tab to the sign-in page. A walk that failed halfway
// may have left its user signed in: that user is signed out first, so that
// one failure does not stall every walk after it.
func (b *tab) toSignIn() {
	b.t.Helper()
	if b.count(`[data-test="logout"]`) != 0 {
		b.click(`[data-test="logout"]`, http.StatusOK)
	}
	if b.location().Path != "/login" {
		b.open("/login", http.StatusOK)
	}
}

// logout signs out with the header's button and checks that the browser
// lands on the sign-in page.
func (b *tab) logout() {
	b.t.Helper()
	b.click(`[data-test="logout"]`, http.StatusOK)
	b.checkPath("/login")
	b.checkHeading("login.heading")
	if b.count(`[data-test="logout"]`) != 0 {
		b.t.Error("the sign-out button is still there after signing out")
	}
}

// checkPage runs the checks every page must pass and keeps a screenshot of
// it, named name.
func (b *tab) checkPage(name string) {
	b.t.Helper()
	b.screenshot(name)
	b.checkFonts()
	b.checkNoErrors()
	b.checkAccessibility()
}

// checkFonts fails the test unless Bootstrap Italia's Titillium Web font
// loaded and no font face failed to.
func (b *tab) checkFonts() {
	b.t.Helper()
	fonts := evaluate[struct {
		Loaded []string `json:"loaded"`
		Failed []string `json:"failed"`
	}](b, `(() => {
		const faces = [...document.fonts];
		return {
			loaded: faces.filter(f => f.status === 'loaded').map(f => f.family),
			failed: faces.filter(f => f.status === 'error')
				.map(f => f.family + ' ' + f.weight + ' ' + f.style),
		};
	})()`)
	path := b.location().Path
	if !strings.Contains(strings.Join(fonts.Loaded, ","), "Titillium Web") {
		b.t.Errorf("%s: Titillium Web did not load; loaded fonts: %q", path, fonts.Loaded)
	}
	for _, f := range fonts.Failed {
		b.t.Errorf("%s: the font %s failed to load", path, f)
	}
}

// screenshot saves a full-page PNG of the page, once its fonts are loaded,
// as NN-name.png in the screenshot folder.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	evaluate[bool](b, `document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	b.shots++
	file := filepath.Join(b.shotDir, fmt.Sprintf("%02d-%s.png", b.shots, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// checkNoErrors fails the test for every error the browser reported since
// the last check.
func (b *tab) checkNoErrors() {
	b.t.Helper()
	page := b.location()
	for _, e := range b.errs.take(page.String()) {
		b.t.Errorf("%s: %s", page.Path, e)
	}
}

// axeResults is what axe-core finds in a page: the rules it breaks, and how
// many rules pass or need a person to review them.
type axeResults struct {
	Violations []axeViolation `json:"violations"`
	Passes     int            `json:"passes"`
	Incomplete []axeViolation `json:"incomplete"`
}

// axeViolation is one rule of axe-core that the page breaks, or that needs a
// person to review it, with the CSS selectors of the elements concerned.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Targets []string `json:"targets"`
}

// axeRun runs axe-core on the page for the rules of WCAG 2.1 levels A and
// AA.
const axeRun = `(() => {
	const rule = v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		targets: v.nodes.map(n => n.target.join(' ')),
	});
	return axe.run(document, {
		runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
	}).then(r => ({
		violations: r.violations.map(rule),
		passes: r.passes.length,
		incomplete: r.incomplete.map(rule),
	}));
})()`

// runAxe injects axe-core into the page and runs it. Runtime.evaluate is
// not subject to the page's Content-Security-Policy, so the injection works
// on Approdo's pages.
func (b *tab) runAxe() axeResults {
	b.t.Helper()
	if !evaluate[bool](b, `typeof axe === 'object'`) {
		evaluate[chromedp.Void](b, b.axeSource)
	}
	return evaluate[axeResults](b, axeRun, chromedp.EvalAwaitPromise)
}

// checkAccessibility runs axe-core on the page. Serious and critical
// violations fail the test; moderate and minor ones are logged, and so are
// the rules axe-core could not decide.
func (b *tab) checkAccessibility() {
	b.t.Helper()
	path := b.location().Path
	res := b.runAxe()
	for _, v := range res.Violations {
		msg := fmt.Sprintf("%s: axe %s (%s): %s at %s; see %s", path, v.ID, v.Impact, v.Help, v.where(), v.HelpURL)
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Error(msg)
		} else {
			b.t.Log(msg)
		}
	}
	if res.Passes == 0 {
		b.t.Errorf("%s: axe passed no rule at all, so it did not really run", path)
	}
	for _, v := range res.Incomplete {
		b.t.Logf("%s: axe leaves %s to review at %s", path, v.ID, v.where())
	}
}

// where lists the first few elements concerned by v.
func (v axeViolation) where() string {
	targets := v.Targets
	if len(targets) > 3 {
		targets = append(targets[:3:3], fmt.Sprintf("and %d more", len(v.Targets)-3))
	}
	return strings.Join(targets, ", ")
}

// pageErrors collects what the browser reports as going wrong in a tab:
// uncaught exceptions, calls of console.error, and error entries of the
// browser's log, which is where Chromium reports Content-Security-Policy
// violations and resources that failed to load.
type pageErrors struct {
	mu   sync.Mutex
	errs []pageError
}

// pageError is one error the browser reported.
type pageError struct {
	msg string
	// url is the address of a resource that failed to load, and
	// documentStatus reports that it failed only by answering with an HTTP
	// error status.
	url            string
	documentStatus bool
}

// record is the tab's event listener. It runs in the loop that reads the
// tab's messages, so it only appends.
func (p *pageErrors) record(ev any) {
	var e pageError
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		e.msg = "uncaught exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			e.msg += " " + d.Exception.Description
		}
		e.msg += fmt.Sprintf(" at %s:%d:%d", d.URL, d.LineNumber+1, d.ColumnNumber+1)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var args []string
		for _, a := range ev.Args {
			if a.Description != "" {
				args = append(args, a.Description)
			} else {
				args = append(args, string(a.Value))
			}
		}
		e.msg = "console.error: " + strings.Join(args, " ") + stack(ev.StackTrace)
	case *log.EventEntryAdded:
		entry := ev.Entry
		if entry.Level != log.EntryLevelError {
			return
		}
		e.msg = fmt.Sprintf("browser %s error: %s", entry.Source, shorten(entry.Text))
		if entry.URL != "" {
			e.msg += " (" + shorten(entry.URL) + ")"
		}
		e.msg += stack(entry.StackTrace)
		e.url = entry.URL
		e.documentStatus = entry.Source == log.EntrySourceNetwork &&
			strings.HasPrefix(entry.Text, "Failed to load resource: the server responded with a status of ")
	default:
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errs = append(p.errs, e)
}

// stack formats the frames of a JavaScript stack trace, one a line.
func stack(st *runtime.StackTrace) string {
	if st == nil {
		return ""
	}
	var b strings.Builder
	for _, f := range st.CallFrames {
		fmt.Fprintf(&b, "\n\tat %s %s:%d:%d", f.FunctionName, f.URL, f.LineNumber+1, f.ColumnNumber+1)
	}
	return b.String()
}

// shorten cuts s, which may hold a whole data: URL, to a readable length.
func shorten(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

// take returns the messages of the errors recorded so far and forgets them.
// A page that answers with an error status on purpose, such as the sign-in
// page refusing a wrong password with 401 or a page the user may not see
// answering 404, is logged by Chromium as a resource that failed to load;
// the test checks that status itself, so an entry for page, the URL of the
// page now open, is not an error. A static asset or any other request
// failing still is.
func (p *pageErrors) take(page string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var msgs []string
	for _, e := range p.errs {
		if e.documentStatus && e.url == page {
			continue
		}
		msgs = append(msgs, e.msg)
	}
	p.errs = nil
	return msgs
}

// chromiumPath returns the Chromium to drive: APPRODO_CHROMIUM, or
// /usr/bin/chromium. When it is missing the test is skipped, or fails if
// APPRODO_TEST_REQUIRE contains "chromium"; a -short run skips it too.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the browser walks run in the full pass, not in a -short one")
	}
	path := os.Getenv("APPRODO_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		if storetest.Required("chromium") {
			t.Fatalf("APPRODO_TEST_REQUIRE contains chromium but %s is unusable: %v", path, err)
		}
		t.Skipf("no Chromium at %s (set APPRODO_CHROMIUM), skipping the browser test: %v", path, err)
	}
	return path
}

// startChromium starts headless Chromium with a fresh profile and returns a
// context of its first tab, from which the tabs of the subtests are made.
// The browser stops when ctx ends.
func startChromium(t *testing.T, ctx context.Context, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// Ask for Italian, as an Italian operator's browser would, so that
		// the default language is what the first page shows.
		chromedp.Flag("accept-lang", "it-IT,it"),
		chromedp.Flag("lang", "it-IT"),
		// Scroll at once, as a browser set to reduce motion does: a smooth
		// scroll still running when an element is clicked moves it from
		// under the pointer.
		chromedp.Flag("force-prefers-reduced-motion", true),
		// Wide enough for the desktop navigation, not the burger menu.
		chromedp.WindowSize(1280, 1024),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("cannot start %s: %v", path, err)
	}
	return browserCtx
}

// startDemo builds the approdo command, starts `approdo demo` on a free
// port of the loopback interface, waits until it is ready and returns its
// URL. At the end of the test it stops the server with SIGTERM and fails
// unless it shuts down cleanly.
func startDemo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "approdo")
	build := exec.Command("go", "build", "-o", bin, "./cmd/approdo")
	build.Dir = moduleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/approdo: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "demo", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("cannot start the demo: %v", err)
	}
	urls := make(chan string, 1)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Open "); ok {
				urls <- strings.TrimSpace(u)
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	t.Cleanup(func() { stopDemo(t, cmd, drained, &stderr) })

	var base string
	select {
	case base = <-urls:
	case <-drained:
		t.Fatalf("the demo ended before printing its URL:\n%s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the demo printed no URL within 30s:\n%s", stderr.String())
	}
	waitReady(t, base)
	return strings.TrimSuffix(base, "/")
}

// stopDemo sends SIGTERM to the demo and fails the test unless it exits with
// status 0 within 30 seconds, as a graceful shutdown does.
func stopDemo(t *testing.T, cmd *exec.Cmd, drained <-chan struct{}, stderr *lockedBuffer) {
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("cannot stop the demo: %v", err)
	}
	exited := make(chan error, 1)
	go func() {
		<-drained // Wait must not run before stdout is read to its end.
		exited <- cmd.Wait()
	}()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the demo did not shut down cleanly: %v", err)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Error("the demo did not stop within 30s of SIGTERM")
	}
	if s := stderr.String(); s != "" {
		t.Logf("the demo's log:\n%s", s)
	}
}

// waitReady waits until GET /readyz answers 200.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo is not ready after 30s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// moduleRoot returns the folder of the approdo module's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("go env GOMOD: not inside a module")
	}
	return filepath.Dir(gomod)
}

// lockedBuffer is a bytes.Buffer that the process's output copier and the
// test may use at the same time.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
