package cases

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
)

// The workflow of a case follows the network's protocol: report, screening,
// taking charge, assessment, individual project, monitoring, closure and
// follow-up. A case moves forward one stage at a time; it goes back one stage
// only with a written reason; from taking charge onwards it may close at any
// stage, with a closure reason and outcomes; after closure it may go on to
// follow-up, or be reopened with a reason, which takes it back to monitoring.

// MoveKind is what a change of stage is.
type MoveKind string

// The kinds of change of stage.
const (
	Forward MoveKind = "forward" // to the next stage
	Back    MoveKind = "back"    // to the previous stage, with a reason
	Close   MoveKind = "close"   // to closure, with a closure reason and outcomes
	Reopen  MoveKind = "reopen"  // from closure or follow-up back to monitoring, with a reason
)

// Reasons for going back, reopening, transferring or declining are between
// MinReasonChars and MaxReasonChars characters long.
const (
	MinReasonChars = 10
	MaxReasonChars = 2000
)

// Next returns the stage after s, or "" after follow-up.
func (s Stage) Next() Stage {
	if i := s.Index(); i >= 0 && i+1 < len(Stages) {
		return Stages[i+1]
	}
	return ""
}

// Previous returns the stage before s, or "" before the report.
func (s Stage) Previous() Stage {
	if i := s.Index(); i > 0 {
		return Stages[i-1]
	}
	return ""
}

// MayClose reports whether a case at stage s may close: from taking charge
// to monitoring.
func (s Stage) MayClose() bool {
	return s.Index() >= StageTakenCharge.Index() && s.Index() <= StageMonitoring.Index()
}

// CheckMove tells what kind of move takes a case from stage from to stage to,
// or returns EINVALID on the field "stage" saying why the protocol does not
// allow it. Going back needs a reason, closing needs a closure reason and
// outcomes, reopening needs a reason: the caller checks those with
// CheckReason and CheckClosure.
func CheckMove(from, to Stage) (MoveKind, error) {
	refuse := func(msg string) (MoveKind, error) {
		return "", approdo.Invalid(approdo.FieldError{Field: "stage", Message: msg})
	}
	switch {
	case to == "":
		return refuse("error.field.required")
	case !to.Valid():
		return refuse("error.field.unknown_value")
	case to == from:
		return refuse("error.stage.same")
	case to == StageClosure && from == StageFollowUp:
		return Back, nil
	case to == StageClosure && from.MayClose():
		return Close, nil
	case to == StageClosure:
		return refuse("error.stage.close_too_early")
	case to == StageMonitoring && (from == StageClosure || from == StageFollowUp):
		return Reopen, nil
	case to == StageFollowUp && from == StageClosure:
		return Forward, nil
	case to == StageFollowUp:
		return refuse("error.stage.follow_up_after_closure")
	case from == StageClosure || from == StageFollowUp:
		return refuse("error.stage.closed")
	case to == from.Next():
		return Forward, nil
	case to == from.Previous():
		return Back, nil
	}
	return refuse("error.stage.not_allowed")
}

// CheckReason checks a reason written for a change: required, between
// MinReasonChars and MaxReasonChars characters. It returns EINVALID on field.
func CheckReason(field, reason string) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(reason)); {
	case n == 0:
		return approdo.Invalid(approdo.FieldError{Field: field, Message: "error.field.required"})
	case n < MinReasonChars:
		return approdo.Invalid(approdo.FieldError{Field: field, Message: "error.field.too_short", Args: []any{MinReasonChars}})
	case n > MaxReasonChars:
		return approdo.Invalid(approdo.FieldError{Field: field, Message: "error.field.too_long", Args: []any{MaxReasonChars}})
	}
	return nil
}

// CheckClosure checks why a case closes and what the person achieved: a
// reason among ClosureReasons and at least one outcome among
// ClosureOutcomes, "none" alone or not at all. It returns the outcomes in the
// order of ClosureOutcomes, without repeats, or EINVALID naming the fields
// "closure_reason" and "outcomes".
func CheckClosure(reason string, outcomes []string) ([]string, error) {
	var problems []approdo.FieldError
	switch {
	case reason == "":
		problems = append(problems, approdo.FieldError{Field: "closure_reason", Message: "error.field.required"})
	case !slices.Contains(ClosureReasons, reason):
		problems = append(problems, approdo.FieldError{Field: "closure_reason", Message: "error.field.unknown_value"})
	}
	out, err := Codes(outcomes, ClosureOutcomes, "outcomes")
	switch {
	case err != nil:
		problems = append(problems, approdo.ErrorFields(err)...)
	case len(out) == 0:
		problems = append(problems, approdo.FieldError{Field: "outcomes", Message: "error.field.required"})
	case len(out) > 1 && slices.Contains(out, "none"):
		problems = append(problems, approdo.FieldError{Field: "outcomes", Message: "error.closure.none_alone"})
	}
	if len(problems) > 0 {
		return nil, approdo.Invalid(problems...)
	}
	return out, nil
}

// Codes checks that every value is one of known and returns them in the
// order of known, without repeats, or EINVALID on field.
func Codes(values, known []string, field string) ([]string, error) {
	seen := map[string]bool{}
	for _, v := range values {
		if !slices.Contains(known, v) {
			return nil, approdo.Invalid(approdo.FieldError{Field: field, Message: "error.field.unknown_value"})
		}
		seen[v] = true
	}
	out := []string{}
	for _, k := range known {
		if seen[k] {
			out = append(out, k)
		}
	}
	return out, nil
}

// Change is one field of a case that an edit changed, with its value
// before and after, written as text: a code, an id, or codes joined by
// commas.
type Change struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Revision is one saved edit of a case: the version it made, who made it,
// when, and what it changed.
type Revision struct {
	CaseID  int64
	Version int
	At      time.Time
	ActorID int64
	Changes []Change
}

// The fields of a case that edits change and revisions record.
const (
	FieldStage         = "stage"
	FieldRisk          = "risk"
	FieldConcerns      = "concerns"
	FieldProgramme     = "programme_id"
	FieldCaseWorker    = "case_worker_id"
	FieldOwner         = "owner_organisation_id"
	FieldClosureReason = "closure_reason"
	FieldOutcomes      = "outcomes"
)

// Diff returns the fields whose values differ between before and after, in
// a fixed order.
func Diff(before, after *Case) []Change {
	id := func(v int64) string {
		if v == 0 {
			return ""
		}
		return strconv.FormatInt(v, 10)
	}
	pairs := []Change{
		{FieldStage, string(before.Stage), string(after.Stage)},
		{FieldRisk, string(before.Risk), string(after.Risk)},
		{FieldConcerns, strings.Join(before.Concerns, ","), strings.Join(after.Concerns, ",")},
		{FieldProgramme, id(before.ProgrammeID), id(after.ProgrammeID)},
		{FieldCaseWorker, id(before.CaseWorkerID), id(after.CaseWorkerID)},
		{FieldOwner, id(before.OwnerOrgID), id(after.OwnerOrgID)},
		{FieldClosureReason, before.ClosureReason, after.ClosureReason},
		{FieldOutcomes, strings.Join(before.Outcomes, ","), strings.Join(after.Outcomes, ",")},
	}
	var out []Change
	for _, p := range pairs {
		if p.From != p.To {
			out = append(out, p)
		}
	}
	return out
}

// Net folds revisions, oldest first, into the net change of each field:
// its value before the first and after the last, with the last actor who
// changed it. Fields that came back to where they were are left out.
func Net(revisions []Revision) []NetChange {
	var out []NetChange
	index := map[string]int{}
	for _, r := range revisions {
		for _, c := range r.Changes {
			i, ok := index[c.Field]
			if !ok {
				index[c.Field] = len(out)
				out = append(out, NetChange{Change: c, ActorID: r.ActorID, At: r.At})
				continue
			}
			out[i].To, out[i].ActorID, out[i].At = c.To, r.ActorID, r.At
		}
	}
	kept := out[:0]
	for _, c := range out {
		if c.From != c.To {
			kept = append(kept, c)
		}
	}
	return kept
}

// NetChange is the net change of one field over several revisions, with who
// changed it last and when.
type NetChange struct {
	Change
	ActorID int64
	At      time.Time
}

// TransferState is where a transfer stands.
type TransferState string

// The states of a transfer.
const (
	AwaitingDecision TransferState = "pending"
	AcceptedTransfer TransferState = "accepted"
	DeclinedTransfer TransferState = "declined"
)

// Transfer moves a case to another organisation, which must accept it.
// While it is pending nothing about the case changes; once accepted the
// receiving organisation holds the case, the social worker who accepted is
// its case worker, and the previous case worker stays on the team as a
// contributor unless the request said otherwise. The reasons are sealed.
type Transfer struct {
	ID          int64
	CaseID      int64
	FromOrgID   int64
	ToOrgID     int64
	RequestedBy int64
	RequestedAt time.Time
	Reason      string
	// RequesterStays keeps the previous case worker on the team as a
	// contributor once the transfer is accepted.
	RequesterStays bool
	State          TransferState
	DecidedBy      int64
	DecidedAt      time.Time
	// DeclineReason says why the receiving organisation declined.
	DeclineReason string
}

// SavedList is a working list a user saved: a name and the filters of the
// case list, as a URL query. Only its owner sees it.
type SavedList struct {
	ID        int64
	UserID    int64
	Name      string
	Query     string
	CreatedAt time.Time
}

// MaxListName bounds the name of a saved list, and MaxSavedLists how many
// lists one user keeps.
const (
	MaxListName   = 100
	MaxSavedLists = 50
)

// StageChange is a change of stage recorded with its reason, where one was
// written (going back, reopening). The reason is sealed.
type StageChange struct {
	ID      int64
	CaseID  int64
	At      time.Time
	ActorID int64
	From    Stage
	To      Stage
	Kind    MoveKind
	Reason  string
}
