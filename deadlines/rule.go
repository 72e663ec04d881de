package deadlines

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
)

// Event is something that happens on a case and starts or stops a clock:
// a closed vocabulary, so that rules and recorded events meet.
type Event string

// The events of the vocabulary.
const (
	Placement403            Event = "placement_403"
	OralNotice403           Event = "prosecutor_oral_notice"
	ProsecutorTransmission  Event = "prosecutor_transmission"
	ProsecutorRequest       Event = "prosecutor_request"
	ValidationDecree        Event = "validation_decree"
	HearingHeld             Event = "hearing_held"
	FirstReceptionEntry     Event = "first_reception_entry"
	InterviewHeld           Event = "interview_held"
	IdentificationDone      Event = "identification_done"
	GuardianRequested       Event = "guardian_requested"
	SecondReceptionTransfer Event = "second_reception_transfer"
	AdultCentreEntry        Event = "adult_centre_entry"
	AgeAssessmentOrder      Event = "age_assessment_order"
	AgeDecisionNotified     Event = "age_decision_notified"
	AgeAppealFiled          Event = "age_appeal_filed"
	EighteenthBirthday      Event = "eighteenth_birthday"
	ConversionRequested     Event = "permit_conversion_requested"
	ProsieguoRequested      Event = "prosieguo_requested"
	PermitIssued            Event = "permit_issued"
	PermitExpiry            Event = "permit_expiry"
	PermitRenewed           Event = "permit_renewed"
	OffenceRegistered       Event = "offence_registered"
	VictimHeard             Event = "victim_heard"
	PrecautionaryDecision   Event = "precautionary_decision"
	OffenceOccurred         Event = "offence_occurred"
	ComplaintFiled          Event = "complaint_filed"
	ReportReceived          Event = "report_received"
	ReferralSent            Event = "referral_sent"
	ReferralAnswered        Event = "referral_answered"
	ProjectApproved         Event = "project_approved"
	ProjectReviewed         Event = "project_reviewed"
	CaseClosed              Event = "case_closed"
	FollowUpDone            Event = "follow_up_done"
)

// Events lists the vocabulary, in the order forms show it.
var Events = []Event{Placement403, OralNotice403, ProsecutorTransmission, ProsecutorRequest, ValidationDecree, HearingHeld,
	FirstReceptionEntry, InterviewHeld, IdentificationDone, GuardianRequested, SecondReceptionTransfer, AdultCentreEntry,
	AgeAssessmentOrder, AgeDecisionNotified, AgeAppealFiled, EighteenthBirthday, ConversionRequested, ProsieguoRequested,
	PermitIssued, PermitExpiry, PermitRenewed, OffenceRegistered, VictimHeard, PrecautionaryDecision, OffenceOccurred,
	ComplaintFiled, ReportReceived, ReferralSent, ReferralAnswered, ProjectApproved, ProjectReviewed, CaseClosed, FollowUpDone}

// Valid reports whether e is one of Events.
func (e Event) Valid() bool { return slices.Contains(Events, e) }

// OpensBefore reports whether a clock started by e may fall due before it:
// a date known in advance (the 18th birthday, a permit's expiry) opens
// windows before it; an event that has just happened cannot.
func (e Event) OpensBefore() bool { return e == EighteenthBirthday || e == PermitExpiry }

// Recorded reports whether e is recorded by hand on a case. The 18th
// birthday follows from the main person's birth date instead.
func (e Event) Recorded() bool { return e.Valid() && e != EighteenthBirthday }

// Bound is which of the possible 18th birthdays of an uncertain birth date
// a rule counts from.
type Bound string

// The bounds.
const (
	// Earliest opens rights as soon as they may apply: the permit
	// conversion window, the pre-18 alert for prosieguo.
	Earliest Bound = "earliest"
	// Latest ends care only when the person is surely of age.
	Latest Bound = "latest"
)

// CaseWorker names the case's worker as the one responsible for a clock.
const CaseWorker = "case_worker"

// Limits of a rule's texts, in characters.
const (
	MaxName   = 200
	MaxTitle  = 300
	MaxSource = 1000
	MaxURL    = 500
	MaxAmount = 1200 // in any unit: a hundred years of months
)

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,62}$`)

// Rule is a clock as data: the event that starts it, how long it runs, who
// answers for it, what the task says, and the event that completes it. A
// rule of a programme overrides the network's rule with the same code for
// that programme's cases.
type Rule struct {
	Code        string
	ProgrammeID int64 // 0: the network's rule
	NameIT      string
	NameEN      string
	Starts      Event
	Offset      Offset
	// Birthday says which 18th birthday a rule started by
	// EighteenthBirthday counts from.
	Birthday Bound
	// Responsible is CaseWorker or a role in the case's team
	// (cases.TeamRole); without such a member, the case worker.
	Responsible string
	TitleIT     string
	TitleEN     string
	// Completes is the event that marks the task done, or "".
	Completes  Event
	SourceText string
	SourceURL  string
	Enabled    bool
	Version    int
	UpdatedAt  time.Time
}

// Name returns the rule's name in lang.
func (r *Rule) Name(lang string) string {
	if lang == "en" && r.NameEN != "" {
		return r.NameEN
	}
	return r.NameIT
}

// Title returns the title of the rule's task in lang.
func (r *Rule) Title(lang string) string {
	if lang == "en" && r.TitleEN != "" {
		return r.TitleEN
	}
	return r.TitleIT
}

// Due returns when the clock of r started at start falls due.
func (r *Rule) Due(start time.Time) time.Time { return r.Offset.From(start) }

// Normalize trims the texts of r.
func (r *Rule) Normalize() {
	for _, s := range []*string{&r.Code, &r.NameIT, &r.NameEN, &r.Responsible, &r.TitleIT, &r.TitleEN, &r.SourceText, &r.SourceURL} {
		*s = strings.TrimSpace(*s)
	}
	if r.Starts != EighteenthBirthday {
		r.Birthday = ""
	} else if r.Birthday == "" {
		r.Birthday = Latest
	}
}

// Validate checks r alone: a code of lowercase letters, digits and
// underscores; both names and titles; a known starting event, unit and
// completing event; a negative offset only for the events that open
// windows before a date; a known bound for the 18th birthday; someone
// responsible (CaseWorker or one of teamRoles); a legal source, and an
// http(s) address if any. It returns EINVALID naming every field at fault.
func (r *Rule) Validate(teamRoles []string) error {
	var p []approdo.FieldError
	add := func(field, msg string, args ...any) {
		p = append(p, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	text := func(field, v string, max int) {
		switch {
		case v == "":
			add(field, "error.field.required")
		case utf8.RuneCountInString(v) > max:
			add(field, "error.field.too_long", max)
		}
	}
	switch {
	case r.Code == "":
		add("code", "error.field.required")
	case !codePattern.MatchString(r.Code):
		add("code", "error.deadline.code")
	}
	text("name_it", r.NameIT, MaxName)
	text("name_en", r.NameEN, MaxName)
	text("title_it", r.TitleIT, MaxTitle)
	text("title_en", r.TitleEN, MaxTitle)
	text("source_text", r.SourceText, MaxSource)
	switch {
	case r.Starts == "":
		add("start_event", "error.field.required")
	case !r.Starts.Valid():
		add("start_event", "error.deadline.unknown_event")
	}
	if r.Completes != "" && !r.Completes.Valid() {
		add("completion_event", "error.deadline.unknown_event")
	} else if r.Completes != "" && r.Completes == r.Starts {
		add("completion_event", "error.deadline.cycle")
	}
	switch {
	case r.Offset.Unit == "":
		add("offset_unit", "error.field.required")
	case !r.Offset.Unit.Valid():
		add("offset_unit", "error.deadline.unknown_unit")
	}
	switch {
	case r.Offset.Amount < 0 && r.Starts.Valid() && !r.Starts.OpensBefore():
		add("offset_amount", "error.deadline.negative")
	case r.Offset.Amount > MaxAmount || r.Offset.Amount < -MaxAmount:
		add("offset_amount", "error.deadline.amount", MaxAmount)
	}
	if r.Starts == EighteenthBirthday && r.Birthday != Earliest && r.Birthday != Latest {
		add("birthday", "error.field.unknown_value")
	}
	switch {
	case r.Responsible == "":
		add("responsible", "error.field.required")
	case r.Responsible != CaseWorker && !slices.Contains(teamRoles, r.Responsible):
		add("responsible", "error.field.unknown_value")
	}
	if r.SourceURL != "" {
		if u, err := url.Parse(r.SourceURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add("source_url", "error.deadline.url")
		} else if utf8.RuneCountInString(r.SourceURL) > MaxURL {
			add("source_url", "error.field.too_long", MaxURL)
		}
	}
	if len(p) > 0 {
		return approdo.Invalid(p...)
	}
	return nil
}

// Effective returns the rules that apply to the cases of programme: the
// network's, each replaced by the programme's rule with the same code, and
// the programme's own; disabled rules included.
func Effective(rules []Rule, programme int64) []Rule {
	byCode := map[string]int{}
	var out []Rule
	for _, r := range rules {
		if r.ProgrammeID != 0 && (programme == 0 || r.ProgrammeID != programme) {
			continue
		}
		if i, ok := byCode[r.Code]; ok {
			if r.ProgrammeID != 0 {
				out[i] = r
			}
			continue
		}
		byCode[r.Code] = len(out)
		out = append(out, r)
	}
	return out
}

// CheckCycles checks that no chain of enabled rules leads back to where it
// started: rule A completes on the event that starts rule B, which
// completes on the event that starts A. Recording one event of such a
// chain would close the clocks it had just opened. It returns EINVALID on
// "completion_event" naming the rules of the cycle, or nil.
func CheckCycles(rules []Rule) error {
	next := map[Event][]Event{}
	for _, r := range rules {
		if r.Enabled && r.Completes != "" {
			next[r.Starts] = append(next[r.Starts], r.Completes)
		}
	}
	const (
		white = iota
		grey
		black
	)
	colour := map[Event]int{}
	var path []Event
	var cycle []Event
	var visit func(e Event) bool
	visit = func(e Event) bool {
		colour[e] = grey
		path = append(path, e)
		for _, n := range next[e] {
			switch colour[n] {
			case grey:
				i := slices.Index(path, n)
				cycle = append(slices.Clone(path[i:]), n)
				return true
			case white:
				if visit(n) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		colour[e] = black
		return false
	}
	starts := make([]Event, 0, len(next))
	for e := range next {
		starts = append(starts, e)
	}
	slices.Sort(starts)
	for _, e := range starts {
		if colour[e] == white && visit(e) {
			names := make([]string, len(cycle))
			for i, c := range cycle {
				names[i] = string(c)
			}
			return approdo.Invalid(approdo.FieldError{Field: "completion_event", Message: "error.deadline.cycle_path",
				Args: []any{strings.Join(names, " → ")}})
		}
	}
	return nil
}

// Check validates r and checks that, with the other rules, it makes no
// cycle in the rules that apply to its programme's cases (or to any
// programme's, for a network rule). It returns EINVALID naming each field.
func Check(r *Rule, all []Rule, teamRoles []string) error {
	if err := r.Validate(teamRoles); err != nil {
		return err
	}
	var set []Rule
	replaced := false
	for _, o := range all {
		if o.Code == r.Code && o.ProgrammeID == r.ProgrammeID {
			set, replaced = append(set, *r), true
			continue
		}
		set = append(set, o)
	}
	if !replaced {
		set = append(set, *r)
	}
	programmes := map[int64]bool{0: true}
	for _, o := range set {
		programmes[o.ProgrammeID] = true
	}
	for p := range programmes {
		if r.ProgrammeID != 0 && p != r.ProgrammeID {
			continue
		}
		if err := CheckCycles(Effective(set, p)); err != nil {
			return err
		}
	}
	return nil
}

// Changes names the fields that differ between r and n, as forms and the
// API name them.
func (r *Rule) Changes(n *Rule) []string {
	var out []string
	for _, f := range []struct {
		name    string
		changed bool
	}{
		{"name_it", r.NameIT != n.NameIT}, {"name_en", r.NameEN != n.NameEN}, {"start_event", r.Starts != n.Starts},
		{"offset_amount", r.Offset.Amount != n.Offset.Amount}, {"offset_unit", r.Offset.Unit != n.Offset.Unit},
		{"birthday", r.Birthday != n.Birthday}, {"responsible", r.Responsible != n.Responsible},
		{"title_it", r.TitleIT != n.TitleIT}, {"title_en", r.TitleEN != n.TitleEN}, {"completion_event", r.Completes != n.Completes},
		{"source_text", r.SourceText != n.SourceText}, {"source_url", r.SourceURL != n.SourceURL}, {"enabled", r.Enabled != n.Enabled},
	} {
		if f.changed {
			out = append(out, f.name)
		}
	}
	return out
}
