package api

import (
	"net/http"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// Register adds every API route to mux, each behind its gate.
func (a *API) Register(mux *http.ServeMux) {
	directory := auth.Need(access.Read, access.Directory)
	a.handle(mux, "GET /api/v1/openapi.json", auth.Public, a.serveOpenAPI)
	a.handle(mux, "GET /api/v1/me", auth.SignedIn, a.getMe)
	a.handle(mux, "GET /api/v1/areas", directory, a.listAreas)
	a.handle(mux, "GET /api/v1/areas/{id}", directory, a.getArea)
	a.handle(mux, "POST /api/v1/areas", auth.Need(access.Create, access.Areas), a.createArea)
	a.handle(mux, "PUT /api/v1/areas/{id}", auth.Need(access.Update, access.Areas), a.updateArea)
	a.handle(mux, "GET /api/v1/organisations", directory, a.listOrganisations)
	a.handle(mux, "GET /api/v1/organisations/{id}", directory, a.getOrganisation)
	a.handle(mux, "POST /api/v1/organisations", auth.Need(access.Create, access.Organisations), a.createOrganisation)
	a.handle(mux, "PUT /api/v1/organisations/{id}", auth.Need(access.Update, access.Organisations), a.updateOrganisation)
	a.handle(mux, "GET /api/v1/programmes", directory, a.listProgrammes)
	a.handle(mux, "GET /api/v1/programmes/{id}", directory, a.getProgramme)
	a.handle(mux, "POST /api/v1/programmes", auth.Need(access.Create, access.Programmes), a.createProgramme)
	a.handle(mux, "PUT /api/v1/programmes/{id}", auth.Need(access.Update, access.Programmes), a.updateProgramme)
	// The service directory, and its exchange as Open Referral HSDS.
	readServices := auth.Need(access.Read, access.Services)
	a.handle(mux, "GET /api/v1/services", readServices, a.listServices)
	a.handle(mux, "POST /api/v1/services", auth.Need(access.Create, access.Services), a.createService)
	a.handle(mux, "GET /api/v1/services/export", readServices, a.exportServices)
	a.handle(mux, "POST /api/v1/services/import", auth.Need(access.Manage, access.Services), a.importServices)
	a.handle(mux, "GET /api/v1/services/{service}", readServices, a.getService)
	a.handle(mux, "PUT /api/v1/services/{service}", auth.Need(access.Update, access.Services), a.updateService)
	a.handle(mux, "GET /api/v1/users", auth.Need(access.List, access.Users), a.listUsers)
	a.handle(mux, "POST /api/v1/users", auth.Need(access.Create, access.Users), a.inviteUser)
	a.handle(mux, "GET /api/v1/users/{id}", auth.Need(access.Read, access.Users), a.getUser)
	a.handle(mux, "PUT /api/v1/users/{id}", auth.Need(access.Update, access.Users), a.updateUser)
	a.handle(mux, "POST /api/v1/users/{id}/deactivate", auth.Need(access.Update, access.Users), a.deactivateUser)
	a.handle(mux, "POST /api/v1/users/{id}/reactivate", auth.Need(access.Update, access.Users), a.reactivateUser)
	a.handle(mux, "POST /api/v1/users/{id}/invitation", auth.Need(access.Update, access.Users), a.reinviteUser)
	a.handle(mux, "GET /api/v1/roles", auth.Need(access.List, access.Roles), a.listRoles)
	a.handle(mux, "POST /api/v1/roles", auth.Need(access.Create, access.Roles), a.createRole)
	a.handle(mux, "PUT /api/v1/roles/{code}", auth.Need(access.Update, access.Roles), a.updateRole)
	a.handle(mux, "DELETE /api/v1/roles/{code}", auth.Need(access.Delete, access.Roles), a.deleteRole)

	a.handle(mux, "POST /api/v1/session", auth.Public, a.createSession)
	a.handle(mux, "POST /api/v1/session/second-factor", auth.Public, a.completeSession)
	a.handle(mux, "DELETE /api/v1/session", auth.Enrolment, a.deleteSession)
	a.handle(mux, "DELETE /api/v1/sessions", auth.Need(access.Manage, access.Sessions), a.deleteSessions)
	a.handle(mux, "POST /api/v1/me/password", auth.Need(access.Update, access.Users).InPerson(), a.changePassword)
	a.handle(mux, "GET /api/v1/me/second-factor", auth.Enrolment, a.getSecondFactor)
	a.handle(mux, "POST /api/v1/me/second-factor", auth.Enrolment.InPerson(), a.beginSecondFactor)
	a.handle(mux, "POST /api/v1/me/second-factor/confirm", auth.Enrolment.InPerson(), a.confirmSecondFactor)
	a.handle(mux, "POST /api/v1/users/{id}/second-factor/reset", auth.Need(access.Update, access.Users).InPerson(), a.resetSecondFactor)

	tokens := auth.Need(access.Manage, access.Tokens)
	a.handle(mux, "GET /api/v1/tokens", tokens, a.listTokens)
	a.handle(mux, "POST /api/v1/tokens", tokens.InPerson(), a.createToken)
	a.handle(mux, "POST /api/v1/tokens/{id}/revoke", tokens, a.revokeToken)

	caseList := auth.Need(access.List, access.Cases).Or(auth.Need(access.List, access.CaseSummaries))
	caseRead := auth.Need(access.Read, access.Cases).Or(auth.Need(access.Read, access.CaseSummaries))
	a.handle(mux, "GET /api/v1/cases", caseList, a.listCases)
	a.handle(mux, "GET /api/v1/cases/{id}", caseRead, a.getCase)
	a.handle(mux, "GET /api/v1/cases/{id}/access-log", auth.Need(access.Read, access.CaseAccess), a.getCaseAccessLog)
	// The workflow: risk, concerns and programme; stages, closure and
	// reopening; reassignment and transfer to another organisation, which
	// accepts or declines; saved working lists.
	caseManage := auth.Need(access.Manage, access.Cases)
	a.handle(mux, "PATCH /api/v1/cases/{id}", auth.Need(access.Update, access.Cases), a.editCase)
	a.handle(mux, "POST /api/v1/cases/{id}/stage", caseManage, a.moveCaseStage)
	a.handle(mux, "POST /api/v1/cases/{id}/close", caseManage, a.closeCase)
	a.handle(mux, "POST /api/v1/cases/{id}/reopen", caseManage, a.reopenCase)
	a.handle(mux, "GET /api/v1/cases/{id}/case-workers", caseManage, a.listCaseWorkers)
	a.handle(mux, "POST /api/v1/cases/{id}/reassign", caseManage, a.reassignCase)
	a.handle(mux, "POST /api/v1/cases/{id}/transfers", caseManage, a.requestTransfer)
	decide := auth.Need(access.Approve, access.CaseTransfers)
	a.handle(mux, "GET /api/v1/transfers", auth.Need(access.List, access.CaseTransfers), a.listTransfers)
	a.handle(mux, "POST /api/v1/transfers/{id}/accept", decide, a.acceptTransfer)
	a.handle(mux, "POST /api/v1/transfers/{id}/decline", decide, a.declineTransfer)
	lists := auth.Need(access.Manage, access.SavedLists)
	a.handle(mux, "GET /api/v1/saved-lists", lists, a.listSavedLists)
	a.handle(mux, "POST /api/v1/saved-lists", lists, a.createSavedList)
	a.handle(mux, "GET /api/v1/saved-lists/{id}", lists, a.getSavedList)
	a.handle(mux, "DELETE /api/v1/saved-lists/{id}", lists, a.deleteSavedList)
	// Notes and interviews, their corrections and attachments.
	a.handle(mux, "GET /api/v1/cases/{id}/notes", auth.Need(access.Read, access.Cases), a.listNotes)
	a.handle(mux, "POST /api/v1/cases/{id}/notes", auth.Need(access.Update, access.Cases), a.createNote)
	a.handle(mux, "GET /api/v1/cases/{id}/notes/{note}", auth.Need(access.Read, access.Cases), a.getNote)
	a.handle(mux, "POST /api/v1/cases/{id}/notes/{note}/corrections", auth.Need(access.Update, access.Cases), a.correctNote)
	a.handle(mux, uploadAttachmentRoute, auth.Need(access.Update, access.Cases), a.uploadAttachment)
	a.handle(mux, "GET /api/v1/cases/{id}/attachments/{attachment}", auth.Need(access.Read, access.Cases), a.downloadAttachment)
	// The assessment: social history, vulnerability assessment, documents
	// and legal status pathway.
	a.handle(mux, "GET /api/v1/cases/{id}/assessment", auth.Need(access.Read, access.Cases), a.getAssessment)
	a.handle(mux, "PUT /api/v1/cases/{id}/assessment/{section}", auth.Need(access.Update, access.Cases), a.saveAssessment)
	// The individual project of a case, its steps to approval and its
	// versions.
	projectRead := auth.Need(access.Read, access.Cases).Or(auth.Need(access.Read, access.Projects))
	decideProject := auth.Need(access.Approve, access.Projects)
	a.handle(mux, "GET /api/v1/cases/{id}/project", projectRead, a.getProject)
	a.handle(mux, "PUT /api/v1/cases/{id}/project", auth.Need(access.Update, access.Cases), a.saveProject)
	a.handle(mux, "POST /api/v1/cases/{id}/project/cosign", caseManage, a.projectStep(casework.StepCoSign))
	a.handle(mux, "POST /api/v1/cases/{id}/project/submit", auth.Need(access.Update, access.Cases), a.projectStep(casework.StepSubmit))
	a.handle(mux, "POST /api/v1/cases/{id}/project/approve", decideProject, a.projectStep(casework.StepApprove))
	a.handle(mux, "POST /api/v1/cases/{id}/project/return", decideProject, a.projectStep(casework.StepReturn))
	a.handle(mux, "GET /api/v1/cases/{id}/project/compare", projectRead, a.compareProject)
	a.handle(mux, "GET /api/v1/cases/{id}/project/document", projectRead, a.printProject(false))
	a.handle(mux, "GET /api/v1/cases/{id}/project/summary", projectRead, a.printProject(true))
	a.handle(mux, "POST /api/v1/cases/{id}/project/reviews", auth.Need(access.Update, access.Cases), a.reviewProject)
	a.handle(mux, addExpenseRoute, auth.Need(access.Update, access.Cases), a.addExpense)
	a.handle(mux, "GET /api/v1/projects/awaiting", decideProject, a.listProjectsAwaiting)

	// The team of a case, across organisations.
	a.handle(mux, "GET /api/v1/cases/{id}/team", auth.Need(access.Read, access.Cases), a.getTeam)
	a.handle(mux, "POST /api/v1/cases/{id}/team", caseManage, a.changeTeam)

	// Referrals: sent from a case, answered by the receiving organisation.
	a.handle(mux, "GET /api/v1/cases/{id}/referrals", auth.Need(access.Read, access.Cases), a.listCaseReferrals)
	a.handle(mux, "POST /api/v1/cases/{id}/referrals", auth.Need(access.Update, access.Cases), a.sendReferral)
	a.handle(mux, "GET /api/v1/referrals", auth.Need(access.Read, access.Referrals), a.listReferrals)
	a.handle(mux, "GET /api/v1/referrals/{referral}", auth.Need(access.Read, access.Referrals).Or(auth.Need(access.Read, access.Cases)), a.getReferral)
	a.handle(mux, "POST /api/v1/referrals/{referral}/{step}", auth.Need(access.Update, access.Referrals), a.stepReferral)
	a.handle(mux, "POST /api/v1/cases/{id}/referrals/{referral}/{step}", auth.Need(access.Update, access.Cases), a.stepReferral)
	// Tasks on a case, and the open tasks across cases.
	a.handle(mux, "GET /api/v1/cases/{id}/tasks", auth.Need(access.Read, access.Cases), a.listCaseTasks)
	a.handle(mux, "POST /api/v1/cases/{id}/tasks", auth.Need(access.Update, access.Cases), a.createTask)
	a.handle(mux, "POST /api/v1/cases/{id}/tasks/{task}", auth.Need(access.Update, access.Cases), a.finishTask)
	a.handle(mux, "GET /api/v1/tasks", auth.Need(access.List, access.Cases), a.listOpenTasks)
	// The clocks of a case and the events that start and stop them; the
	// rules they come from.
	a.handle(mux, "GET /api/v1/cases/{id}/clocks", auth.Need(access.Read, access.Cases), a.listCaseClocks)
	a.handle(mux, "POST /api/v1/cases/{id}/events", auth.Need(access.Update, access.Cases), a.recordCaseEvent)
	a.handle(mux, "GET /api/v1/deadline-rules", auth.Need(access.Read, access.DeadlineRules).Or(auth.Need(access.Update, access.DeadlineRules)), a.listDeadlineRules)
	a.handle(mux, "POST /api/v1/deadline-rules", auth.Need(access.Create, access.DeadlineRules), a.createDeadlineRule)
	a.handle(mux, "PUT /api/v1/deadline-rules/{code}", auth.Need(access.Update, access.DeadlineRules), a.updateDeadlineRule)
	// Meetings and their minutes and decisions; ethno-clinical consultations.
	a.handle(mux, "GET /api/v1/meetings", auth.Need(access.List, access.Meetings), a.listMeetings)
	a.handle(mux, "POST /api/v1/meetings", auth.Need(access.Create, access.Meetings), a.createMeeting)
	a.handle(mux, "GET /api/v1/meetings/{meeting}", auth.Need(access.Read, access.Meetings), a.getMeeting)
	a.handle(mux, "POST /api/v1/meetings/{meeting}/minutes", auth.Need(access.Update, access.Meetings), a.recordMinutes)
	a.handle(mux, "POST /api/v1/meetings/{meeting}/decisions", auth.Need(access.Update, access.Meetings), a.addDecision)
	a.handle(mux, "GET /api/v1/cases/{id}/consultations", auth.Need(access.Read, access.Cases), a.listCaseConsultations)
	a.handle(mux, "POST /api/v1/cases/{id}/consultations", auth.Need(access.Update, access.Cases), a.requestConsultation)
	a.handle(mux, "POST /api/v1/cases/{id}/consultations/{consultation}/sessions", auth.Need(access.Read, access.Cases), a.recordConsultationSession)
	a.handle(mux, "POST /api/v1/cases/{id}/consultations/{consultation}/advice", auth.Need(access.Read, access.Cases), a.giveConsultationAdvice)
	// Linguistic and cultural mediation: a case's bookings, asked and called
	// off by whoever may update the case; assigned by the requesting
	// organisation or the lead entity; confirmed, declined and closed with
	// the minutes worked by their mediator, who sees their logistics only;
	// the registry of mediators.
	caseUpdateMediation := auth.Need(access.Update, access.Cases)
	a.handle(mux, "GET /api/v1/cases/{id}/mediation", auth.Need(access.Read, access.Cases), a.listCaseBookings)
	a.handle(mux, "POST /api/v1/cases/{id}/mediation", caseUpdateMediation, a.requestMediation)
	a.handle(mux, "POST /api/v1/cases/{id}/mediation/{booking}/cancel", caseUpdateMediation, a.cancelMediation)
	assignBookings, ownBookings := auth.Need(access.Manage, access.MediationBookings), auth.Need(access.Update, access.MediationBookings)
	a.handle(mux, "GET /api/v1/mediation/bookings", auth.Need(access.List, access.MediationBookings), a.listBookings)
	a.handle(mux, "GET /api/v1/mediation/bookings/{booking}", auth.Need(access.Read, access.MediationBookings), a.showBooking)
	a.handle(mux, "GET /api/v1/mediation/bookings/{booking}/candidates", assignBookings, a.listCandidates)
	a.handle(mux, "POST /api/v1/mediation/bookings/{booking}/assign", assignBookings, a.assignMediator)
	a.handle(mux, "POST /api/v1/mediation/bookings/{booking}/confirm", ownBookings, a.confirmBooking)
	a.handle(mux, "POST /api/v1/mediation/bookings/{booking}/decline", ownBookings, a.declineBooking)
	a.handle(mux, "POST /api/v1/mediation/bookings/{booking}/hours", ownBookings, a.recordBookingHours)
	a.handle(mux, "GET /api/v1/mediators", auth.Need(access.List, access.Mediators), a.listMediators)
	a.handle(mux, "POST /api/v1/mediators", auth.Need(access.Create, access.Mediators), a.createMediator)
	a.handle(mux, "GET /api/v1/mediators/{mediator}", auth.Need(access.Read, access.Mediators), a.showMediator)
	a.handle(mux, "PUT /api/v1/mediators/{mediator}", auth.Need(access.Manage, access.Mediators), a.updateMediator)
	a.handle(mux, "PUT /api/v1/mediators/{mediator}/availability",
		auth.Need(access.Manage, access.Mediators).Or(auth.Need(access.Update, access.Mediators)), a.updateAvailability)
	a.handle(mux, "POST /api/v1/break-glass", auth.Need(access.BreakGlass, access.Cases), a.breakGlass)
	// The persons of a case, the duplicate check across the network,
	// requests for access, merges; the search by name and case code.
	personRead, personWrite := auth.Need(access.Read, access.Cases), auth.Need(access.Update, access.Cases)
	a.handle(mux, "GET /api/v1/cases/{id}/persons", personRead, a.listPersons)
	a.handle(mux, "POST /api/v1/cases/{id}/persons", personWrite, a.createPerson)
	a.handle(mux, "POST /api/v1/cases/{id}/persons/duplicates", personWrite, a.findDuplicates)
	a.handle(mux, "GET /api/v1/cases/{id}/persons/{pid}", personRead, a.getPerson)
	a.handle(mux, "PUT /api/v1/cases/{id}/persons/{pid}", personWrite, a.updatePerson)
	a.handle(mux, "POST /api/v1/cases/{id}/persons/{pid}/merge", personWrite, a.mergePersons)
	a.handle(mux, "POST /api/v1/cases/{id}/access-requests", personWrite, a.requestAccess)
	a.handle(mux, "GET /api/v1/search", caseList, a.search)

	a.handle(mux, "GET /api/v1/audit", auth.Need(access.Search, access.AuditLog), a.searchAudit)
	a.handle(mux, "GET /api/v1/notifications", auth.SignedIn, a.listNotifications)
	a.handle(mux, "GET /api/v1/me/notification-settings", auth.SignedIn, a.getNotificationSettings)
	a.handle(mux, "PUT /api/v1/me/notification-settings", auth.SignedIn, a.putNotificationSettings)
	// Durable jobs that failed after every attempt, for administrators.
	a.handle(mux, "GET /api/v1/jobs", auth.Need(access.Update, access.Roles), a.listFailedJobs)
	a.handle(mux, "POST /api/v1/jobs/{job}/retry", auth.Need(access.Update, access.Roles), a.retryJob)

	a.handle(mux, "GET /api/v1/reports", auth.Need(access.List, access.Reports), a.listReports)
	a.handle(mux, "POST /api/v1/reports", auth.Need(access.Create, access.Reports), a.createReport)
	a.handle(mux, "GET /api/v1/reports/{id}", auth.Need(access.Read, access.Reports), a.getReport)
	a.handle(mux, "PUT /api/v1/reports/{id}", auth.Need(access.Update, access.Reports), a.updateReport)
	a.handle(mux, "PUT /api/v1/reports/{id}/screening", auth.Need(access.Update, access.Reports), a.screenReport)
	checklists := auth.Need(access.Update, access.Indicators)
	a.handle(mux, "GET /api/v1/indicator-sets", checklists.Or(auth.Need(access.Update, access.Reports)), a.listIndicatorSets)
	a.handle(mux, "POST /api/v1/indicator-sets", checklists, a.createIndicatorSet)
	a.handle(mux, "PUT /api/v1/indicator-sets/{set}", checklists, a.updateIndicatorSet)
	// The catalogue of interventions: read by whoever drafts projects,
	// edited by whoever the policy lets update it.
	editInterventions := auth.Need(access.Update, access.Interventions)
	a.handle(mux, "GET /api/v1/interventions", editInterventions.Or(auth.Need(access.Update, access.Cases)), a.listInterventions)
	a.handle(mux, "POST /api/v1/interventions", auth.Need(access.Create, access.Interventions), a.createIntervention)
	a.handle(mux, "PUT /api/v1/interventions/{code}", editInterventions, a.updateIntervention)

	mux.HandleFunc("/api/", a.notFound)
}
