package web

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// Register adds every UI route to mux, each behind its gate.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", h.static)

	h.handle(mux, "GET /{$}", auth.SignedIn, h.showHome)
	h.handle(mux, "GET /login", auth.Public, h.showLogin)
	h.handle(mux, "POST /login", auth.Public, h.submitLogin)
	h.handle(mux, "POST /logout", auth.Public, h.logout)
	h.handle(mux, "POST /logout/everywhere", auth.Need(access.Manage, access.Sessions), h.logoutEverywhere)
	h.handle(mux, "POST /language", auth.Public, h.changeLanguage)

	h.handle(mux, "GET /login/second-factor", auth.Public, h.showLoginSecondFactor)
	h.handle(mux, "POST /login/second-factor", auth.Public, h.submitLoginSecondFactor)
	h.handle(mux, "GET /account/security", auth.SignedIn, h.showAccountSecurity)
	h.handle(mux, "GET /account/notifications", auth.SignedIn, h.showNotificationSettings)
	h.handle(mux, "POST /account/notifications", auth.SignedIn, h.saveNotificationSettings)
	h.handle(mux, "GET /account/password", auth.Need(access.Update, access.Users), h.showPasswordChange)
	h.handle(mux, "POST /account/password", auth.Need(access.Update, access.Users), h.savePasswordChange)
	h.handle(mux, "GET "+secondFactorPath, auth.Enrolment, h.showSecondFactor)
	h.handle(mux, "POST "+secondFactorPath, auth.Enrolment, h.confirmSecondFactor)
	h.handle(mux, "GET /admin/users/{id}/second-factor/reset", auth.Need(access.Update, access.Users), h.showSecondFactorReset)
	h.handle(mux, "POST /admin/users/{id}/second-factor/reset", auth.Need(access.Update, access.Users), h.resetSecondFactor)

	h.handle(mux, "GET /network/organisations", auth.Need(access.Read, access.Directory), h.listOrganisations)
	h.handle(mux, "GET /network/programmes", auth.Need(access.Read, access.Directory), h.listProgrammes)

	// The service directory: read across the network, edited by the
	// organisation that offers each service, imported by administrators
	// and exported as Open Referral HSDS.
	readServices := auth.Need(access.Read, access.Services)
	h.handle(mux, "GET /services", readServices, h.listServices)
	h.handle(mux, "GET /services/new", auth.Need(access.Create, access.Services), h.newService)
	h.handle(mux, "POST /services", auth.Need(access.Create, access.Services), h.createService)
	h.handle(mux, "GET /services/export", readServices, h.exportServices)
	h.handle(mux, "GET /services/import", auth.Need(access.Manage, access.Services), h.showServicesImport)
	h.handle(mux, "POST /services/import", auth.Need(access.Manage, access.Services), h.importServices)
	h.handle(mux, "GET /services/{service}", readServices, h.showService)
	h.handle(mux, "GET /services/{service}/edit", auth.Need(access.Update, access.Services), h.editService)
	h.handle(mux, "POST /services/{service}", auth.Need(access.Update, access.Services), h.updateService)

	// The administration of the network: areas, organisations, programmes,
	// users and roles. Invitations are public: the token is the credential.
	h.handle(mux, "GET /admin", adminGate, h.showAdmin)
	h.handle(mux, "GET /admin/areas", auth.Need(access.Update, access.Areas), h.listAdminAreas)
	h.handle(mux, "GET /admin/areas/new", auth.Need(access.Create, access.Areas), h.newArea)
	h.handle(mux, "POST /admin/areas", auth.Need(access.Create, access.Areas), h.createArea)
	h.handle(mux, "GET /admin/areas/{id}", auth.Need(access.Update, access.Areas), h.showArea)
	h.handle(mux, "GET /admin/areas/{id}/edit", auth.Need(access.Update, access.Areas), h.editArea)
	h.handle(mux, "POST /admin/areas/{id}", auth.Need(access.Update, access.Areas), h.updateArea)
	h.handle(mux, "GET /admin/organisations", auth.Need(access.Update, access.Organisations), h.listAdminOrganisations)
	h.handle(mux, "GET /admin/organisations/new", auth.Need(access.Create, access.Organisations), h.newOrganisation)
	h.handle(mux, "POST /admin/organisations", auth.Need(access.Create, access.Organisations), h.createOrganisation)
	h.handle(mux, "GET /admin/organisations/{id}", auth.Need(access.Update, access.Organisations), h.showOrganisation)
	h.handle(mux, "GET /admin/organisations/{id}/edit", auth.Need(access.Update, access.Organisations), h.editOrganisation)
	h.handle(mux, "POST /admin/organisations/{id}", auth.Need(access.Update, access.Organisations), h.updateOrganisation)
	h.handle(mux, "GET /admin/programmes", auth.Need(access.Update, access.Programmes), h.listAdminProgrammes)
	h.handle(mux, "GET /admin/programmes/new", auth.Need(access.Create, access.Programmes), h.newProgramme)
	h.handle(mux, "POST /admin/programmes", auth.Need(access.Create, access.Programmes), h.createProgramme)
	h.handle(mux, "GET /admin/programmes/{id}", auth.Need(access.Update, access.Programmes), h.showProgramme)
	h.handle(mux, "GET /admin/programmes/{id}/edit", auth.Need(access.Update, access.Programmes), h.editProgramme)
	h.handle(mux, "POST /admin/programmes/{id}", auth.Need(access.Update, access.Programmes), h.updateProgramme)
	h.handle(mux, "GET /admin/users", auth.Need(access.List, access.Users), h.listUsers)
	h.handle(mux, "GET /admin/users/new", auth.Need(access.Create, access.Users), h.newUser)
	h.handle(mux, "POST /admin/users", auth.Need(access.Create, access.Users), h.createUser)
	h.handle(mux, "GET /admin/users/{id}", auth.Need(access.List, access.Users), h.showUser)
	h.handle(mux, "GET /admin/users/{id}/edit", auth.Need(access.Update, access.Users), h.editUser)
	h.handle(mux, "POST /admin/users/{id}", auth.Need(access.Update, access.Users), h.updateUser)
	h.handle(mux, "POST /admin/users/{id}/deactivate", auth.Need(access.Update, access.Users), h.deactivateUser)
	h.handle(mux, "POST /admin/users/{id}/reactivate", auth.Need(access.Update, access.Users), h.reactivateUser)
	h.handle(mux, "POST /admin/users/{id}/invitation", auth.Need(access.Update, access.Users), h.reinviteUser)
	h.handle(mux, "GET /admin/roles", auth.Need(access.List, access.Roles), h.listRoles)
	h.handle(mux, "GET /admin/roles/new", auth.Need(access.Create, access.Roles), h.newRole)
	h.handle(mux, "POST /admin/roles", auth.Need(access.Create, access.Roles), h.createRole)
	h.handle(mux, "GET /admin/roles/{code}", auth.Need(access.Read, access.Roles), h.showRole)
	h.handle(mux, "GET /admin/roles/{code}/edit", auth.Need(access.Update, access.Roles), h.editRole)
	h.handle(mux, "POST /admin/roles/{code}", auth.Need(access.Update, access.Roles), h.updateRole)
	h.handle(mux, "POST /admin/roles/{code}/delete", auth.Need(access.Delete, access.Roles), h.deleteRole)
	h.handle(mux, "GET /invitation/{token}", auth.Public, h.showInvitation)
	h.handle(mux, "POST /invitation/{token}", auth.Public, h.acceptInvitation)

	tokens := auth.Need(access.Manage, access.Tokens)
	h.handle(mux, "GET /account/tokens", tokens, h.showTokens)
	h.handle(mux, "POST /account/tokens", tokens, h.createToken)
	h.handle(mux, "GET /account/tokens/{id}/revoke", tokens, h.showRevokeToken)
	h.handle(mux, "POST /account/tokens/{id}/revoke", tokens, h.revokeToken)

	caseList := auth.Need(access.List, access.Cases).Or(auth.Need(access.List, access.CaseSummaries))
	caseRead := auth.Need(access.Read, access.Cases).Or(auth.Need(access.Read, access.CaseSummaries))
	h.handle(mux, "GET /cases", caseList, h.listCases)
	h.handle(mux, "GET /cases/{id}", caseRead, h.showCase)
	h.handle(mux, "GET /cases/{id}/access", auth.Need(access.Read, access.CaseAccess), h.showCaseAccess)
	// The workflow: risk, concerns and programme; stages, closure and
	// reopening; reassignment and transfer to another organisation, which
	// accepts or declines; saved working lists.
	caseUpdate, caseManage := auth.Need(access.Update, access.Cases), auth.Need(access.Manage, access.Cases)
	h.handle(mux, "GET /cases/{id}/edit", caseUpdate, h.editCase)
	h.handle(mux, "POST /cases/{id}", caseUpdate, h.updateCase)
	h.handle(mux, "GET /cases/{id}/stage", caseManage, h.showStageForm)
	h.handle(mux, "POST /cases/{id}/stage", caseManage, h.moveStage)
	h.handle(mux, "GET /cases/{id}/close", caseManage, h.showCloseForm)
	h.handle(mux, "POST /cases/{id}/close", caseManage, h.closeCase)
	h.handle(mux, "GET /cases/{id}/reopen", caseManage, h.showReopenForm)
	h.handle(mux, "POST /cases/{id}/reopen", caseManage, h.reopenCase)
	h.handle(mux, "GET /cases/{id}/reassign", caseManage, h.showReassignForm)
	h.handle(mux, "POST /cases/{id}/reassign", caseManage, h.reassignCase)
	h.handle(mux, "GET /cases/{id}/transfer", caseManage, h.showTransferForm)
	h.handle(mux, "POST /cases/{id}/transfer", caseManage, h.requestTransfer)
	decide := auth.Need(access.Approve, access.CaseTransfers)
	h.handle(mux, "GET /transfers", auth.Need(access.List, access.CaseTransfers), h.listTransfers)
	h.handle(mux, "GET /transfers/{id}", decide, h.showTransfer)
	h.handle(mux, "POST /transfers/{id}/accept", decide, h.acceptTransfer)
	h.handle(mux, "POST /transfers/{id}/decline", decide, h.declineTransfer)
	lists := auth.Need(access.Manage, access.SavedLists)
	h.handle(mux, "POST /saved-lists", lists, h.saveCaseList)
	h.handle(mux, "GET /saved-lists/{id}", lists, h.showSavedList)
	h.handle(mux, "GET /saved-lists/{id}/delete", lists, h.showDeleteSavedList)
	h.handle(mux, "POST /saved-lists/{id}/delete", lists, h.deleteSavedList)
	// The persons of a case, the duplicate check at intake across the
	// network, requests for access to another organisation's match, merges;
	// the search by name and case code.
	h.caseSection(mux, "persons", "case.section.persons", auth.Need(access.Read, access.Cases), h.showCasePersons)
	h.handle(mux, "GET /cases/{id}/persons/new", caseUpdate, h.newPerson)
	h.handle(mux, "POST /cases/{id}/persons", caseUpdate, h.createPerson)
	h.handle(mux, "POST /cases/{id}/persons/duplicates", caseUpdate, h.checkDuplicates)
	h.handle(mux, "POST /cases/{id}/persons/access-request", caseUpdate, h.requestAccess)
	h.handle(mux, "GET /cases/{id}/persons/{pid}", auth.Need(access.Read, access.Cases), h.showPerson)
	h.handle(mux, "GET /cases/{id}/persons/{pid}/edit", caseUpdate, h.editPerson)
	h.handle(mux, "POST /cases/{id}/persons/{pid}", caseUpdate, h.updatePerson)
	h.handle(mux, "POST /cases/{id}/persons/{pid}/merge", caseUpdate, h.mergePerson)
	h.handle(mux, "GET /search", caseList, h.search)
	// The assessment: social history, vulnerability assessment, documents
	// and legal status pathway, each section saved on its own.
	h.caseSection(mux, "assessment", "case.section.assessment", auth.Need(access.Read, access.Cases), h.showCaseAssessment)
	h.handle(mux, "GET /cases/{id}/assessment/{section}/edit", caseUpdate, h.editAssessment)
	h.handle(mux, "POST /cases/{id}/assessment/{section}", caseUpdate, h.saveAssessment)
	// The individual project: drafted, co-signed, submitted, approved or
	// returned by the lead entity, frozen in versions that compare field
	// by field.
	projectRead := auth.Need(access.Read, access.Cases).Or(auth.Need(access.Read, access.Projects))
	decideProject := auth.Need(access.Approve, access.Projects)
	h.caseSection(mux, "project", "case.section.project", projectRead, h.showCaseProject)
	h.handle(mux, "GET /cases/{id}/project/edit", caseUpdate, h.editProject)
	h.handle(mux, "POST /cases/{id}/project", caseUpdate, h.saveProject)
	h.handle(mux, "POST /cases/{id}/project/cosign", caseManage, h.projectStep(casework.StepCoSign))
	h.handle(mux, "POST /cases/{id}/project/submit", caseUpdate, h.projectStep(casework.StepSubmit))
	h.handle(mux, "POST /cases/{id}/project/approve", decideProject, h.projectStep(casework.StepApprove))
	h.handle(mux, "POST /cases/{id}/project/return", decideProject, h.projectStep(casework.StepReturn))
	h.handle(mux, "GET /cases/{id}/project/compare", projectRead, h.compareProject)
	h.handle(mux, "GET /cases/{id}/project/document", projectRead, h.printProject(false))
	h.handle(mux, "GET /cases/{id}/project/summary", projectRead, h.printProject(true))
	h.handle(mux, "POST /cases/{id}/project/reviews", caseUpdate, h.reviewProject)
	h.handle(mux, addExpenseRoute, caseUpdate, h.addExpense)
	h.handle(mux, "GET /projects/awaiting", decideProject, h.listProjectsAwaiting)
	// Tasks on a case: a dated duty with someone responsible, done or
	// closed with a reason; the open tasks of the actor and of the
	// organisation.
	h.caseSection(mux, "tasks", "case.section.tasks", auth.Need(access.Read, access.Cases), h.showCaseTasks)
	// The team of a case, across organisations.
	h.handle(mux, "GET /cases/{id}/team", auth.Need(access.Read, access.Cases), h.showTeam)
	h.handle(mux, "POST /cases/{id}/team", caseManage, h.changeTeam)
	// Referrals: sent from the case, answered by the receiving organisation
	// from its list, each with a page of its own.
	h.caseSection(mux, "referrals", "case.section.referrals", auth.Need(access.Read, access.Cases), h.showCaseReferrals)
	h.handle(mux, "POST /cases/{id}/referrals", caseUpdate, h.sendReferral)
	h.handle(mux, "GET /referrals", auth.Need(access.Read, access.Referrals), h.listReferrals)
	h.handle(mux, "GET /referrals/{referral}", auth.Need(access.Read, access.Referrals).Or(auth.Need(access.Read, access.Cases)), h.showReferral)
	h.handle(mux, "POST /referrals/{referral}/{step}", auth.Need(access.Update, access.Referrals), h.stepReferral)
	h.handle(mux, "POST /cases/{id}/referrals/{referral}/{step}", caseUpdate, h.stepReferral)
	h.handle(mux, "POST /cases/{id}/tasks", caseUpdate, h.addTask)
	h.handle(mux, "POST /cases/{id}/tasks/{task}", caseUpdate, h.finishTask)
	h.handle(mux, "GET /tasks", auth.Need(access.List, access.Cases), h.listOpenTasks)
	// The legal and protocol clocks of a case: the events that start and
	// stop them, recorded by whoever updates the case.
	h.caseSection(mux, "clocks", "case.section.clocks", auth.Need(access.Read, access.Cases), h.showCaseClocks)
	h.handle(mux, "POST /cases/{id}/events", caseUpdate, h.recordCaseEvent)
	// Linguistic and cultural mediation: a case's bookings, asked and called
	// off by whoever may update the case; the requests waiting for a
	// mediator, assigned by the requesting organisation or the lead entity;
	// a mediator's own bookings, seen as logistics only, confirmed,
	// declined and closed with the minutes worked; the registry of
	// mediators, whose availability a mediator keeps for themselves.
	h.caseSection(mux, "mediation", "case.section.mediation", auth.Need(access.Read, access.Cases), h.showCaseMediation)
	h.handle(mux, "POST /cases/{id}/mediation", caseUpdate, h.requestMediation)
	h.handle(mux, "POST /cases/{id}/mediation/{booking}/cancel", caseUpdate, h.cancelMediation)
	assignBookings, ownBookings := auth.Need(access.Manage, access.MediationBookings), auth.Need(access.Update, access.MediationBookings)
	h.handle(mux, "GET /mediation/requests", assignBookings, h.listMediationRequests)
	h.handle(mux, "GET /mediation/bookings/{booking}/assign", assignBookings, h.showAssign)
	h.handle(mux, "POST /mediation/bookings/{booking}/assign", assignBookings, h.assignMediator)
	h.handle(mux, "GET /mediation/mine", ownBookings, h.listMyBookings)
	h.handle(mux, "POST /mediation/bookings/{booking}/confirm", ownBookings, h.confirmBooking)
	h.handle(mux, "POST /mediation/bookings/{booking}/decline", ownBookings, h.declineBooking)
	h.handle(mux, "POST /mediation/bookings/{booking}/hours", ownBookings, h.recordBookingHours)
	keepMediator := auth.Need(access.Manage, access.Mediators).Or(auth.Need(access.Update, access.Mediators))
	h.handle(mux, "GET /mediators", auth.Need(access.List, access.Mediators), h.listMediators)
	h.handle(mux, "GET /mediators/new", auth.Need(access.Create, access.Mediators), h.newMediator)
	h.handle(mux, "POST /mediators", auth.Need(access.Create, access.Mediators), h.createMediator)
	h.handle(mux, "GET /mediators/{mediator}/edit", keepMediator, h.editMediator)
	h.handle(mux, "POST /mediators/{mediator}", keepMediator, h.updateMediator)
	// Meetings: multidisciplinary case meetings and steering groups, their
	// minutes and their decisions, which become tasks on the cases.
	h.handle(mux, "GET /meetings", auth.Need(access.List, access.Meetings), h.listMeetings)
	h.handle(mux, "GET /meetings/new", auth.Need(access.Create, access.Meetings), h.newMeeting)
	h.handle(mux, "POST /meetings", auth.Need(access.Create, access.Meetings), h.createMeeting)
	h.handle(mux, "GET /meetings/{meeting}", auth.Need(access.Read, access.Meetings), h.showMeeting)
	h.handle(mux, "POST /meetings/{meeting}/minutes", auth.Need(access.Update, access.Meetings), h.recordMinutes)
	h.handle(mux, "POST /meetings/{meeting}/decisions", auth.Need(access.Update, access.Meetings), h.addDecision)
	// Ethno-clinical consultations: asked by whoever updates the case,
	// answered by the consulted team, who join the case's team for it.
	h.caseSection(mux, "consultations", "case.section.consultations", auth.Need(access.Read, access.Cases), h.showCaseConsultations)
	h.handle(mux, "POST /cases/{id}/consultations", caseUpdate, h.requestConsultation)
	h.handle(mux, "POST /cases/{id}/consultations/{consultation}/sessions", auth.Need(access.Read, access.Cases), h.recordConsultationSession)
	h.handle(mux, "POST /cases/{id}/consultations/{consultation}/advice", auth.Need(access.Read, access.Cases), h.giveConsultationAdvice)
	h.caseSection(mux, "timeline", "case.section.timeline", auth.Need(access.Read, access.Cases), h.showCaseTimeline)
	// Notes and interviews, their corrections and attachments.
	h.caseSection(mux, "notes", "case.section.notes", auth.Need(access.Read, access.Cases), h.showCaseNotes)
	h.handle(mux, createNoteRoute, auth.Need(access.Update, access.Cases), h.createNote)
	h.handle(mux, addAttachmentRoute, auth.Need(access.Update, access.Cases), h.addAttachment)
	h.handle(mux, "GET /cases/{id}/attachments/{attachment}", auth.Need(access.Read, access.Cases), h.downloadAttachment)
	h.handle(mux, "GET /break-glass", auth.Need(access.BreakGlass, access.Cases), h.showBreakGlass)
	h.handle(mux, "POST /break-glass", auth.Need(access.BreakGlass, access.Cases), h.submitBreakGlass)
	h.handle(mux, "GET /admin/audit", auth.Need(access.Search, access.AuditLog), h.searchAudit)
	h.handle(mux, "GET /admin/jobs", auth.Need(access.Update, access.Roles), h.listFailedJobs)
	h.handle(mux, "POST /admin/jobs/{job}/retry", auth.Need(access.Update, access.Roles), h.retryJob)

	// Reports of concern, their screening, and the screening checklists.
	h.handle(mux, "GET /reports", auth.Need(access.List, access.Reports), h.listReports)
	h.handle(mux, "GET /reports/new", auth.Need(access.Create, access.Reports), h.newReport)
	h.handle(mux, "POST /reports", auth.Need(access.Create, access.Reports), h.createReport)
	h.handle(mux, "GET /reports/{id}", auth.Need(access.Read, access.Reports), h.showReport)
	h.handle(mux, "GET /reports/{id}/edit", auth.Need(access.Update, access.Reports), h.editReport)
	h.handle(mux, "POST /reports/{id}", auth.Need(access.Update, access.Reports), h.updateReport)
	h.handle(mux, "GET /reports/{id}/screening", auth.Need(access.Update, access.Reports), h.showScreening)
	h.handle(mux, "POST /reports/{id}/screening", auth.Need(access.Update, access.Reports), h.saveScreening)
	checklists := auth.Need(access.Update, access.Indicators)
	h.handle(mux, "GET /admin/indicator-sets", checklists, h.listIndicatorSets)
	h.handle(mux, "GET /admin/indicator-sets/new", checklists, h.newIndicatorSet)
	h.handle(mux, "POST /admin/indicator-sets", checklists, h.createIndicatorSet)
	h.handle(mux, "GET /admin/indicator-sets/{set}", checklists, h.editIndicatorSet)
	h.handle(mux, "POST /admin/indicator-sets/{set}", checklists, h.updateIndicatorSet)
	// The catalogue of interventions that projects' actions draw on: its
	// entries are added, edited and retired, never deleted.
	editInterventions := auth.Need(access.Update, access.Interventions)
	// The rules of the legal and protocol clocks, the network's and the
	// programmes' own.
	rulesRead := auth.Need(access.Read, access.DeadlineRules).Or(auth.Need(access.Update, access.DeadlineRules))
	h.handle(mux, "GET /deadline-rules", rulesRead, h.listDeadlineRules)
	h.handle(mux, "GET /deadline-rules/new", auth.Need(access.Create, access.DeadlineRules), h.newDeadlineRule)
	h.handle(mux, "GET /deadline-rules/override", auth.Need(access.Create, access.DeadlineRules), h.overrideDeadlineRule)
	h.handle(mux, "POST /deadline-rules", auth.Need(access.Create, access.DeadlineRules), h.createDeadlineRule)
	h.handle(mux, "GET /deadline-rules/{code}/edit", auth.Need(access.Update, access.DeadlineRules), h.editDeadlineRule)
	h.handle(mux, "POST /deadline-rules/{code}", auth.Need(access.Update, access.DeadlineRules), h.updateDeadlineRule)
	h.handle(mux, "GET /admin/interventions", editInterventions, h.listAdminInterventions)
	h.handle(mux, "GET /admin/interventions/new", auth.Need(access.Create, access.Interventions), h.newIntervention)
	h.handle(mux, "POST /admin/interventions", auth.Need(access.Create, access.Interventions), h.createIntervention)
	h.handle(mux, "GET /admin/interventions/{code}", editInterventions, h.editIntervention)
	h.handle(mux, "POST /admin/interventions/{code}", editInterventions, h.updateIntervention)

	mux.HandleFunc("/", h.notFound)
}

// caseSection registers a section of the case file: its route
// GET /cases/{id}/NAME, which answers with the section alone to htmx and
// with a whole page otherwise, and its place on the case page.
func (h *Handler) caseSection(mux *http.ServeMux, name, title string, gate auth.Gate, fn http.HandlerFunc) {
	h.sections = append(h.sections, caseSection{Name: name, Title: title})
	h.handle(mux, "GET /cases/{id}/"+name, gate, fn)
}

// Routes returns every registered route with its gate.
func (h *Handler) Routes() []auth.Route { return h.routes }

// handle registers fn under pattern behind gate: a visitor who is not signed
// in is sent to sign in, one who must set up a second factor first is sent
// to do so, and a signed-in actor the gate refuses gets the not-found page,
// so that what exists does not leak.
func (h *Handler) handle(mux *http.ServeMux, pattern string, gate auth.Gate, fn http.HandlerFunc) {
	h.routes = append(h.routes, auth.Route{Pattern: pattern, Gate: gate})
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if a := auth.ActorFrom(r.Context()); !gate.Admits(a) {
			if a != nil && a.MustEnrol {
				http.Redirect(w, r, secondFactorPath, http.StatusSeeOther)
				return
			}
			h.refuse(w, r)
			return
		}
		fn(w, r)
	})
}
