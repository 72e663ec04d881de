package cases

import "time"

// EventKind names what happened on a case, for its timeline.
type EventKind string

// The kinds of event on a case's timeline. Each has a catalogue key
// "event.<kind>" whose arguments come from Event.Detail.
const (
	Opened            EventKind = "opened"
	Screened          EventKind = "screened"
	StageChanged      EventKind = "stage_changed"
	RiskChanged       EventKind = "risk_changed"
	ConcernsChanged   EventKind = "concerns_changed"
	Reassigned        EventKind = "reassigned"
	TransferRequested EventKind = "transfer_requested"
	TransferAccepted  EventKind = "transfer_accepted"
	TransferDeclined  EventKind = "transfer_declined"
	Closed            EventKind = "closed"
	Reopened          EventKind = "reopened"
	PersonAdded       EventKind = "person_added"
	PersonChanged     EventKind = "person_changed"
	PersonsMerged     EventKind = "persons_merged"
	NoteAdded         EventKind = "note_added"
	NoteCorrected     EventKind = "note_corrected"
	AttachmentAdded   EventKind = "attachment_added"
	MemberAdded       EventKind = "member_added"
	MemberRemoved     EventKind = "member_removed"
	GlassBroken       EventKind = "break_glass"
	TaskAdded         EventKind = "task_added"
	TaskCompleted     EventKind = "task_done"   // a task marked done
	TaskDropped       EventKind = "task_closed" // a task closed without being done, with a reason
	// AssessmentUpdated is a section of the assessment saved; its detail
	// names the section and the fields changed, never their values.
	AssessmentUpdated EventKind = "assessment_updated"
	ProjectSaved      EventKind = "project_saved"
	ProjectCoSigned   EventKind = "project_cosigned"
	ProjectSubmitted  EventKind = "project_submitted"
	ProjectApproved   EventKind = "project_approved"
	ProjectReturned   EventKind = "project_returned"
	ProjectReviewed   EventKind = "project_reviewed"
	ExpenseRecorded   EventKind = "project_expense"
	// MemberRoleChanged is a team member given another role in the case.
	MemberRoleChanged EventKind = "member_role_changed"
	// Referral events: the detail names the organisation it went to.
	ReferralSent      EventKind = "referral_sent"
	ReferralAccepted  EventKind = "referral_accepted"
	ReferralDeclined  EventKind = "referral_declined"
	ReferralCompleted EventKind = "referral_completed"
	ReferralCancelled EventKind = "referral_cancelled"
	ReferralExpired   EventKind = "referral_expired"
	ConsentRevoked    EventKind = "referral_consent_revoked"
)

// Event is one line of a case's timeline. Detail holds the catalogue
// arguments of the event, such as a stage's code or a user's id, never a
// sensitive value: the timeline is shown to everyone who reads the case.
type Event struct {
	ID      int64
	CaseID  int64
	At      time.Time
	ActorID int64
	Kind    EventKind
	RefID   int64 // the note, person or transfer the event is about
	Detail  map[string]string
}
