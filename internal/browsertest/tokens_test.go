package browsertest

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"approdo/internal/i18n"
)

// TestTokensInBrowser walks through the API tokens page in headless
// Chromium: a form with a problem, a token created and shown once, its
// revocation confirmed. Every page passes the checks of checkPage, axe-core
// among them.
func TestTokensInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	axeSource, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	shotDir, err := os.MkdirTemp("", "approdo-browsertest-tokens-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", shotDir)
	base := startDemo(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	r := &run{base: base, axeSource: string(axeSource), shotDir: shotDir, cat: i18n.MustLoad()}
	b := r.newTab(t, startChromium(t, ctx, chromium))

	// The mediator's role needs no second factor, so the walk signs in with
	// the password alone.
	b.open("/login", http.StatusOK)
	b.login("mediatore", demoPassword, http.StatusOK)
	b.click(`.it-header-slim-wrapper a[href="/account/tokens"]`, http.StatusOK)
	b.checkPath("/account/tokens")
	b.checkHeading("tokens.title")
	b.checkPage("tokens-empty")

	b.click(`.token-form button[type="submit"]`, http.StatusUnprocessableEntity)
	if b.count(`#error-summary a[href="#name"]`) != 1 {
		b.t.Error("the error summary does not link the name field")
	}
	b.checkPage("tokens-invalid")

	b.do(chromedp.SendKeys(chromedp.ID("name"), "Script notturno"))
	b.click(`.token-form button[type="submit"]`, http.StatusOK)
	if got := b.text("#new-token"); !regexp.MustCompile(`^apd_[a-z2-7]{6}_[a-z2-7]{52}$`).MatchString(got) {
		b.t.Errorf("the new token reads %q", got)
	}
	if evaluate[bool](b, `document.querySelector('button[data-copy="new-token"]').hidden`) {
		b.t.Error("the copy button stays hidden with JavaScript and a clipboard")
	}
	b.checkPage("tokens-created")

	b.click(`a[href$="/revoke"]`, http.StatusOK)
	b.checkHeading("tokens.revoke.heading", "Script notturno")
	b.checkPage("token-revoke")
	b.click(`main form button[type="submit"]`, http.StatusOK)
	b.checkPath("/account/tokens")
	if b.count(`a[href$="/revoke"]`) != 0 {
		b.t.Error("a revoked token can still be revoked")
	}
	b.checkPage("tokens-revoked")
}
