package browsertest

import (
	"net/http"
	"strings"
)

// walkProjectApproval signs in as the lead entity's coordinator, finds the
// individual project the Prato social service submitted among those
// waiting, reads it and approves it; the project becomes version 1 and
// leaves the list.
func walkProjectApproval(b *tab) {
	b.toSignIn()
	b.login("capofila", demoPassword, http.StatusOK)
	b.click(`nav a.nav-link[href="/projects/awaiting"]`, http.StatusOK)
	b.checkHeading("projects.awaiting_title")
	b.checkPage("projects-awaiting")
	links := b.count(`table tbody a[href$="/project"]`)
	if links == 0 {
		b.t.Fatal("no project waits for the lead entity in the demo")
	}
	b.click(`table tbody tr:first-child a[href$="/project"]`, http.StatusOK)
	project := b.location().Path
	if got := b.text(`[data-test="project-status"]`); got != b.tr("project.status.submitted") {
		b.t.Errorf("the project waiting is %q, want %q", got, b.tr("project.status.submitted"))
	}
	if !strings.Contains(b.text("#case-project"), b.tr("project.domain.housing")) {
		b.t.Error("the lead entity does not see the project's goals")
	}
	b.checkPage("project-submitted")
	b.click(`form[action$="/project/approve"] button[type="submit"]`, http.StatusOK)
	b.checkPath(project)
	if got := b.text(`[data-test="project-status"]`); got != b.tr("project.status.approved") {
		b.t.Errorf("after approval the project is %q", got)
	}
	if b.count(".project-versions li") != 1 {
		b.t.Error("the approved project does not list its version")
	}
	b.checkPage("project-approved")
	b.click(`nav a.nav-link[href="/projects/awaiting"]`, http.StatusOK)
	if b.count(`table tbody a[href="`+project+`"]`) != 0 {
		b.t.Error("the approved project still waits")
	}
	b.logout()
}
