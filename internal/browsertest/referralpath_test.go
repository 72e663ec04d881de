package browsertest

import (
	"net/http"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"approdo"
)

// walkReferral closes the loop of a referral on the case at casePath: the
// social worker, signed in, refers it to the psychological service of the
// health authority, is refused without the person's consent, then sends
// it; the psychologist accepts it from the service's referrals, reads the
// shared sections and nothing else, and completes it with an outcome; the
// social worker finds the outcome on the case. It ends with the social
// worker signed in again, on the case.
func walkReferral(b *tab, casePath string) {
	const reason = "Colloqui psicologici dopo quanto raccontato a scuola (Prova-Invio-6f2c)."
	const outcome = "Quattro colloqui con la bambina e la madre; consigliato un gruppo di sostegno (Prova-Esito-1a9d)."
	b.open(casePath+"/referrals", http.StatusOK)
	b.checkPage("case-referrals")
	b.do(chromedp.Click(chromedp.CSS("#referral-form > summary")))
	service := evaluate[string](b, `[...document.querySelectorAll("#referral-service_id option")]
		.find(o => o.textContent.includes("Supporto psicologico transculturale"))?.value ?? ""`)
	if service == "" {
		b.t.Fatal("the referral form does not offer the psychological service of the health authority")
	}
	b.do(
		chromedp.SetValue(chromedp.ID("referral-service_id"), service),
		chromedp.SendKeys(chromedp.ID("referral-reason"), reason),
		chromedp.Click(chromedp.ID("referral-section-persons")),
		chromedp.SetValue(chromedp.CSS(`[id="referral-consent.by"]`), ""),
	)
	b.clickAndSwap(`.referral-form button[type="submit"]`,
		`document.querySelector("#error-summary") && !document.querySelector(".htmx-request")`)
	if b.count(`#error-summary a[href="#referral-consent.by"]`) != 1 {
		b.t.Error("a referral without consent does not say so")
	}
	if got := b.value("#referral-reason"); got != reason {
		b.t.Errorf("after a refused referral the reason reads %q", got)
	}
	b.checkPage("referral-invalid")
	b.do(
		chromedp.SetValue(chromedp.CSS(`[id="referral-consent.by"]`), "parent"),
		chromedp.SetValue(chromedp.CSS(`[id="referral-consent.given_at"]`), time.Now().In(approdo.Rome).Add(-30*time.Minute).Format("2006-01-02T15:04")),
	)
	b.clickAndSwap(`.referral-form button[type="submit"]`,
		`document.querySelector("#referrals-saved") && !document.querySelector(".htmx-request")`)
	if !strings.Contains(b.text("#case-referrals"), b.tr("referral.state.sent")) {
		b.t.Error("the case does not show the referral as sent")
	}
	b.logout()

	// The psychologist answers from the service's referrals.
	b.login("sanitario", demoPassword, http.StatusOK)
	b.click(`nav a.nav-link[href="/referrals"]`, http.StatusOK)
	b.checkPage("referrals-incoming")
	b.open(casePath, http.StatusNotFound)
	b.checkPage("case-not-referred-yet")
	b.open("/referrals", http.StatusOK)
	link := evaluate[string](b, `[...document.querySelectorAll(".referral-item")]
		.find(li => li.innerText.includes(`+jsString(reason)+`))?.querySelector("a[href^='/referrals/']")?.getAttribute("href") ?? ""`)
	if link == "" {
		b.t.Fatal("the service's referrals lack the new one")
	}
	b.open(link, http.StatusOK)
	b.checkPage("referral-received")
	b.click(`form[action$="/accept"] button[type="submit"]`, http.StatusOK)
	b.checkPath(link)

	// Accepted: the case opens on the shared sections only.
	b.open(casePath, http.StatusOK)
	if b.count(`#case-persons`) != 1 || b.count(`#case-notes`) != 0 || b.count(`#case-tasks`) != 0 {
		b.t.Error("the recipient does not see exactly the shared sections")
	}
	b.checkPage("case-referred")
	b.open(casePath+"/notes", http.StatusNotFound)
	b.checkPage("case-notes-not-shared")

	// Completed with an outcome, the case closes to the psychologist again.
	b.open(link, http.StatusOK)
	b.do(chromedp.Click(chromedp.CSS(`details.referral-step > summary`)))
	b.do(chromedp.SendKeys(chromedp.ID("complete-answer"), outcome))
	b.click(`form[action$="/complete"] button[type="submit"]`, http.StatusOK)
	b.checkPath(link)
	if !strings.Contains(b.text("main"), outcome) || !strings.Contains(b.text("main"), b.tr("referral.state.completed")) {
		b.t.Error("the completed referral does not show its outcome")
	}
	b.checkPage("referral-completed")
	b.open(casePath+"/persons", http.StatusNotFound)
	b.checkPage("case-persons-after-referral")
	b.logout()

	// The sender finds the outcome on the case.
	b.login("assistente.sociale", demoPassword, http.StatusOK)
	b.open(casePath+"/referrals", http.StatusOK)
	if text := b.text("#case-referrals"); !strings.Contains(text, outcome) || !strings.Contains(text, b.tr("referral.state.completed")) {
		b.t.Error("the social worker does not see the referral's outcome")
	}
	b.open(casePath, http.StatusOK)
}
