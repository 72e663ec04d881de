package browsertest

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"approdo"
)

// walkFromReportToFollowUp takes the report the school filed at report (its
// path) the whole way through the protocol, as the social service's worker
// does it: the screening checklist and the decision to take charge, which
// opens a case; the stages one by one; an interview note; closure with a
// reason and outcomes; follow-up with a contact after closure. The school's
// referent then sees the outcome of the report, and nothing of the case.
func walkFromReportToFollowUp(b *tab, report string) {
	b.toSignIn()
	b.login("assistente.sociale", demoPassword, http.StatusOK)

	// The report waits in the service's inbox.
	b.click(`nav a.nav-link[href="/reports"]`, http.StatusOK)
	b.checkPage("reports-inbox")
	b.click(`table tbody a[href="`+report+`/screening"]`, http.StatusOK)
	b.checkPath(report + "/screening")
	b.checkPage("screening")

	// Deciding without reasons is refused, and what was ticked stays.
	b.do(
		chromedp.Click(chromedp.ID("answer-violence_minor-disclosure")),
		chromedp.Click(chromedp.ID("decision-take_charge")),
	)
	b.click(`button[name="action"][value="decide"]`, http.StatusUnprocessableEntity)
	for _, field := range []string{"reasons", "case_kind"} {
		if b.count(`#error-summary a[href="#`+field+`"]`) != 1 {
			b.t.Errorf("the error summary of a decision without %s does not link to it", field)
		}
	}
	if !evaluate[bool](b, `document.getElementById("answer-violence_minor-disclosure").checked`) {
		b.t.Error("after a refused decision the ticked indicator is no longer ticked")
	}
	b.checkPage("screening-invalid")
	b.do(
		chromedp.SetValue(chromedp.ID("case_kind"), "minor_family_violence"),
		chromedp.SendKeys(chromedp.ID("reasons"), "Racconto coerente della bambina alla maestra; serve un colloquio con la famiglia."),
	)
	b.click(`button[name="action"][value="decide"]`, http.StatusOK)
	casePath := b.location().Path
	if !strings.HasPrefix(casePath, "/cases/") {
		b.t.Fatalf("taking charge led to %s, want the new case", casePath)
	}
	code := strings.TrimPrefix(b.text("h1"), strings.TrimSuffix(b.tr("case.heading", ""), " "))
	code = strings.TrimSpace(code)
	b.checkStage("taken_charge")
	b.checkPage("case-taken-charge")

	// The protocol, one stage at a time.
	for _, stage := range []string{"assessment", "project", "monitoring"} {
		b.click(`.case-actions form button[type="submit"]`, http.StatusOK)
		b.checkPath(casePath)
		b.checkStage(stage)
	}

	// An interview, written on the notes page.
	const interview = "Colloquio con la madre alla presenza della mediatrice (Prova-Colloquio-5e1a)."
	b.open(casePath+"/notes", http.StatusOK)
	b.openNoteForm()
	b.do(
		chromedp.SetValue(chromedp.ID("note-kind"), "interview"),
		chromedp.SendKeys(chromedp.ID("note-body"), interview),
	)
	b.clickAndSwap(`.note-form button[type="submit"]`,
		`document.querySelector("#case-notes")?.innerText.includes(`+jsString(interview)+`) && !document.querySelector(".htmx-request")`)
	b.checkPage("case-notes")

	// The assessment's sections and their forms.
	b.open(casePath+"/assessment", http.StatusOK)
	b.checkPage("case-assessment")
	for _, section := range []string{"social_history", "vulnerability", "legal_pathway"} {
		b.open(casePath+"/assessment/"+section+"/edit", http.StatusOK)
		b.checkPage("assessment-" + section)
	}

	// A task already late makes the case overdue until it is done.
	const duty = "Chiedere la relazione alla scuola (Prova-Compito-2b7d)"
	b.open(casePath+"/tasks", http.StatusOK)
	b.do(chromedp.Click(chromedp.CSS("#task-form > summary")))
	b.do(
		chromedp.SendKeys(chromedp.ID("task-title"), duty),
		chromedp.SetValue(chromedp.ID("task-due_at"), time.Now().In(approdo.Rome).Add(-24*time.Hour).Format("2006-01-02T15:04")),
	)
	b.clickAndSwap(`.task-form button[type="submit"]`,
		`document.querySelector("#case-tasks")?.innerText.includes(`+jsString(duty)+`) && !document.querySelector(".htmx-request")`)
	if b.count("#case-tasks .task-overdue") != 1 {
		b.t.Error("the late task is not shown as overdue")
	}
	b.checkPage("case-tasks")
	b.open("/cases?overdue=1", http.StatusOK)
	if !strings.Contains(b.text("#case-results"), code) {
		b.t.Errorf("the list of overdue cases lacks %s", code)
	}
	b.checkPage("cases-overdue")
	b.open(casePath+"/tasks", http.StatusOK)
	b.clickAndSwap(`#case-tasks .task-actions button[type="submit"]`,
		`document.querySelector("#case-tasks .task-done") && !document.querySelector(".htmx-request")`)
	b.open("/cases?overdue=1", http.StatusOK)
	if strings.Contains(b.text("#case-results"), code) {
		b.t.Errorf("%s is still overdue once its task is done", code)
	}

	// A referral to the psychological service, answered and completed.
	walkReferral(b, casePath)

	// Closure needs a reason and outcomes.
	b.open(casePath, http.StatusOK)
	b.click(`.case-actions a[href="`+casePath+`/close"]`, http.StatusOK)
	b.click(`.case-form button[type="submit"]`, http.StatusUnprocessableEntity)
	if b.count(`#error-summary a[href="#closure_reason"]`) != 1 {
		b.t.Error("closing without a reason does not say so")
	}
	b.checkPage("case-close-invalid")
	b.do(
		chromedp.Click(chromedp.ID("closure_reason-autonomy")),
		chromedp.Click(chromedp.ID("outcome-housing")),
		chromedp.Click(chromedp.ID("outcome-education")),
	)
	b.click(`.case-form button[type="submit"]`, http.StatusOK)
	b.checkPath(casePath)
	b.checkStage("closure")
	b.checkPage("case-closed")

	// Follow-up, and a contact after closure.
	b.click(`.case-actions form button[type="submit"]`, http.StatusOK)
	b.checkStage("follow_up")
	b.click(`.case-actions a[href="`+casePath+`/notes?kind=follow_up"]`, http.StatusOK)
	if got := b.value("#note-kind"); got != "follow_up" {
		b.t.Errorf("the follow-up link opens a note of kind %q", got)
	}
	const contact = "Telefonata di follow-up: la famiglia segue il percorso concordato (Prova-Follow-9c3b)."
	b.openNoteForm()
	b.do(chromedp.SendKeys(chromedp.ID("note-body"), contact))
	b.clickAndSwap(`.note-form button[type="submit"]`,
		`document.querySelector("#case-notes")?.innerText.includes(`+jsString(contact)+`) && !document.querySelector(".htmx-request")`)

	// The timeline tells the story, newest first.
	b.open(casePath+"/timeline", http.StatusOK)
	story := b.texts(".timeline-what")
	want := []string{b.tr("event.note_added"), b.tr("event.stage_changed", b.tr("stage.closure"), b.tr("stage.follow_up"))}
	if len(story) < 2 || story[0] != want[0] || story[1] != want[1] {
		b.t.Errorf("the timeline begins with %q, want %q", story[:min(2, len(story))], want)
	}
	if !slices.Contains(story, b.tr("event.stage_changed", b.tr("stage.taken_charge"), b.tr("stage.assessment"))) {
		b.t.Errorf("the timeline lacks the step from taking charge to assessment: %q", story)
	}
	b.checkPage("case-timeline")
	b.logout()

	// The school's referent sees the outcome, not the case.
	b.login("segnalante", demoPassword, http.StatusOK)
	b.open(report, http.StatusOK)
	if got := b.text(`[data-test="progress"]`); got != b.tr("progress.taken_charge") {
		b.t.Errorf("the reporter sees the report as %q, want %q", got, b.tr("progress.taken_charge"))
	}
	if page := b.text("main"); code != "" && strings.Contains(page, code) || b.count(`a[href^="/cases/"]`) != 0 {
		b.t.Error("the reporter's page names or links the case")
	}
	b.checkPage("report-outcome")
	b.open(casePath, http.StatusNotFound)
	b.checkPage("case-not-found-for-reporter")
	b.logout()
}

// checkStage fails the test unless the case page marks stage as current.
func (b *tab) checkStage(stage string) {
	b.t.Helper()
	if got, want := b.text(`.case-stage[aria-current="step"] .case-stage-label`), b.tr("stage."+stage); got != want {
		b.t.Errorf("%s: the current stage is %q, want %q", b.location().Path, got, want)
	}
}

// openNoteForm unfolds the form to write a note, as a user does by clicking
// its summary, unless it is open already.
func (b *tab) openNoteForm() {
	b.t.Helper()
	if !evaluate[bool](b, `document.getElementById("note-form").open`) {
		b.do(chromedp.Click(chromedp.CSS("#note-form > summary")))
	}
}
