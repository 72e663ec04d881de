package browsertest

import (
	"net/http"
	"strings"

	"github.com/chromedp/chromedp"
)

// walkTraffickingApproval takes the demo's draft of a trafficking victim's
// project in SATIS to its approval in the browser: the anti-trafficking
// operator plans a year in a protected apartment on budget line B.1 and is
// refused a work placement beyond its cap; the Comune di Viareggio's social
// worker signs and submits it; SATIS's coordinator is refused the approval
// because line B.1 does not have enough left, writes the reason of the
// exception and approves it as version 1.
func walkTraffickingApproval(b *tab) {
	b.toSignIn()
	b.login("antitratta", demoPassword, http.StatusOK)
	project := findTraffickingDraft(b)
	if project == "" {
		b.t.Fatal("the demo has no draft of a trafficking victim's project")
	}
	b.open(project, http.StatusOK)
	b.checkProjectStatus("draft")

	// Beyond the work placement's cap of six months: refused, with the
	// rule beside the field and what was typed kept.
	b.click(`.project-actions a[href="`+project+`/edit"]`, http.StatusOK)
	const (
		apartmentCost = "goals.housing.actions.0.planned_cents"
		apartmentLine = "goals.housing.actions.0.budget_line"
		workMonths    = "goals.work.actions.0.months"
	)
	b.do(
		chromedp.SetValue(chromedp.CSS(`[id="`+apartmentCost+`"]`), "34.000,00"),
		chromedp.SetValue(chromedp.CSS(`[id="`+apartmentLine+`"]`), "B.1"),
		chromedp.SetValue(chromedp.CSS(`[id="`+workMonths+`"]`), "9"),
	)
	b.click(`.project-form button[type="submit"]`, http.StatusUnprocessableEntity)
	if b.count(`#error-summary a[href="#`+workMonths+`"]`) != 1 {
		b.t.Error("the error summary of a work placement beyond its cap does not link to its months")
	}
	if got, rule := b.text(`[id="`+workMonths+`-error"]`), afterLabel(b.tr("error.project.cap_months", "", 6)); !strings.Contains(got, rule) {
		b.t.Errorf("the months beyond the cap say %q, want the rule %q", got, rule)
	}
	if got := b.value(`[id="` + apartmentCost + `"]`); got != "34.000,00" {
		b.t.Errorf("after the refusal the apartment costs %q, want what was typed", got)
	}
	b.checkPage("trafficking-project-cap-refused")
	b.do(chromedp.SetValue(chromedp.CSS(`[id="`+workMonths+`"]`), "6"))
	b.click(`.project-form button[type="submit"]`, http.StatusOK)
	b.checkPath(project)
	b.checkProjectStatus("draft")
	b.logout()

	// The case owner's social worker signs it and submits it.
	b.login("as.viareggio", demoPassword, http.StatusOK)
	b.open(project, http.StatusOK)
	b.click(`form[action="`+project+`/cosign"] button[type="submit"]`, http.StatusOK)
	b.checkProjectStatus("cosigned")
	b.click(`form[action="`+project+`/submit"] button[type="submit"]`, http.StatusOK)
	b.checkProjectStatus("submitted")
	b.logout()

	// SATIS's coordinator finds it waiting; line B.1 has 36,000 euro and
	// the project plans 36,700 on it.
	b.login("capofila.satis", demoPassword, http.StatusOK)
	b.click(`nav a.nav-link[href="/projects/awaiting"]`, http.StatusOK)
	b.checkHeading("projects.awaiting_title")
	b.click(`table tbody a[href="`+project+`"]`, http.StatusOK)
	b.checkProjectStatus("submitted")
	b.click(`form[action$="/project/approve"] button[type="submit"]`, http.StatusUnprocessableEntity)
	if b.count(`#error-summary a[href="#exception"]`) != 1 || b.count("#exception") != 1 {
		b.t.Fatal("an approval beyond the budget does not ask for the reason of an exception")
	}
	if got := b.text("#exception-error"); !strings.Contains(got, "B.1") {
		b.t.Errorf("the budget refusal says %q, which does not name line B.1", got)
	}
	b.checkProjectStatus("submitted")
	b.checkPage("trafficking-project-budget-refused")
	b.do(chromedp.SendKeys(chromedp.ID("exception"), "Ingresso urgente in appartamento: la quota eccedente è coperta dal fondo regionale antitratta."))
	b.click(`form[action$="/project/approve"] button[type="submit"]`, http.StatusOK)
	b.checkPath(project)
	b.checkProjectStatus("approved")
	if b.count(".project-versions li") != 1 {
		b.t.Error("the approved project does not list its version")
	}
	b.checkPage("trafficking-project-approved")
	b.click(`nav a.nav-link[href="/projects/awaiting"]`, http.StatusOK)
	if b.count(`table tbody a[href="`+project+`"]`) != 0 {
		b.t.Error("the approved project still waits")
	}
	b.logout()
}

// findTraffickingDraft returns the path of the project the demo's
// anti-trafficking operator left as a draft, or "": it asks the API, as the
// signed-in user, for the trafficking cases and their projects.
func findTraffickingDraft(b *tab) string {
	b.t.Helper()
	return evaluate[string](b, `(async () => {
		const list = await (await fetch("/api/v1/cases?kind=trafficking_victim&limit=200")).json();
		for (const c of list.items ?? []) {
			const p = await (await fetch("/api/v1/cases/" + c.id + "/project")).json();
			if (p.project?.status === "draft") return "/cases/" + c.id + "/project";
		}
		return "";
	})()`, chromedp.EvalAwaitPromise)
}

// checkProjectStatus fails the test unless the project on the page stands
// at status.
func (b *tab) checkProjectStatus(status string) {
	b.t.Helper()
	if got, want := b.text(`[data-test="project-status"]`), b.tr("project.status."+status); got != want {
		b.t.Errorf("%s: the project is %q, want %q", b.location().Path, got, want)
	}
}

// afterLabel returns a field's message without the field's label that
// starts it ("«Mesi»: …" in Italian, "“Months”: …" in English), for
// comparing the rule it states.
func afterLabel(message string) string {
	if _, rest, ok := strings.Cut(message, ": "); ok {
		return rest
	}
	return message
}
