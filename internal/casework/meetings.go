package casework

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/meetings"
)

// Meetings bring together people of several organisations on several
// cases. The meeting itself follows the policy on "meeting": its organiser
// (scope own) and its participants (scope team) read its logistics and
// write its minutes and decisions. What it says of a case follows the
// case's policy: a reader who may not read a case on the agenda sees it
// redacted, with no code, no minutes and no decisions, and nobody writes
// minutes on a case they cannot see. A decision becomes a task on its case,
// with the case's task machinery: sealed title, audit entry, timeline event
// and a notification to the one responsible.

// MeetingInput is a new meeting as its organiser writes it.
type MeetingInput struct {
	Kind           meetings.Kind
	Title          string
	StartsAt       time.Time
	Place          string
	Link           string
	ParticipantIDs []int64
	CaseIDs        []int64
	// Problems are those the caller met reading the input, such as a date
	// it could not read; they are reported with the others.
	Problems []approdo.FieldError
}

// MinutesInput is the minutes of a meeting: general with CaseID 0, or of a
// case on its agenda.
type MinutesInput struct {
	CaseID  int64
	Minutes string
}

// DecisionInput is a decision as a participant writes it.
type DecisionInput struct {
	CaseID        int64
	Text          string
	ResponsibleID int64
	DueAt         time.Time
	Problems      []approdo.FieldError
}

// MeetingRow is a line of the list of meetings: logistics only.
type MeetingRow struct {
	ID           int64
	Kind         meetings.Kind
	Title        string
	StartsAt     time.Time
	Place        string
	Link         string
	Organiser    string
	Participants int
	Cases        int
	Organising   bool
}

// MeetingView is a meeting as its reader sees it.
type MeetingView struct {
	ID           int64
	Kind         meetings.Kind
	Title        string
	StartsAt     time.Time
	Place        string
	Link         string
	OrganiserID  int64
	Organiser    string
	OrganiserOrg string
	Participants []MemberView
	Minutes      string
	MinutesBy    string
	MinutesAt    time.Time
	Agenda       []AgendaView
	// CanWrite says whether the reader writes minutes and decisions.
	CanWrite  bool
	CreatedAt time.Time
	Version   int
}

// AgendaView is a case on a meeting's agenda as the reader sees it. A
// redacted item carries nothing but its place in the agenda.
type AgendaView struct {
	CaseID    int64
	Code      string
	Redacted  bool
	Minutes   string
	MinutesBy string
	MinutesAt time.Time
	Decisions []DecisionView
	// CanDecide says whether the reader may give the case tasks; Team is
	// who may be responsible for them.
	CanDecide bool
	Team      []MemberView
}

// DecisionView is a decision as its reader sees it.
type DecisionView struct {
	ID            int64
	CaseID        int64
	CaseCode      string
	Text          string
	ResponsibleID int64
	Responsible   string
	DueAt         time.Time
	TaskID        int64
	CreatedBy     string
	CreatedAt     time.Time
}

// MeetingChoices is what the form of a new meeting offers its organiser:
// the people who may take part and the cases they may put on the agenda.
type MeetingChoices struct {
	Kinds        []meetings.Kind
	Participants []TeamCandidate
	Cases        []cases.Case
}

// MeetingTarget returns what the policy needs to know about a meeting.
func MeetingTarget(m *meetings.Meeting) auth.Target {
	return auth.Target{Resource: access.Meetings, OwnerID: m.OrganiserID, TeamUserIDs: m.Participants}
}

func meetingMinutesAAD(id int64) []byte {
	return []byte("meetings.minutes:" + strconv.FormatInt(id, 10))
}

func agendaMinutesAAD(id, caseID int64) []byte {
	return []byte("meeting_cases.minutes:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(caseID, 10))
}

func decisionAAD(id, caseID int64) []byte {
	return []byte("meeting_decisions.text:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(caseID, 10))
}

// MeetingChoices returns the choices of the form of a new meeting, or
// ENOTFOUND when a may not organise meetings. The cases it lists are
// recorded as a read of a case list.
func (s *Service) MeetingChoices(ctx context.Context, a *auth.Actor, client string) (*MeetingChoices, error) {
	if !auth.Can(a, access.Create, access.Meetings) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	out := &MeetingChoices{Kinds: organisable(a)}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, u := range n.users {
			if u.Active && canJoin(&u) {
				out.Participants = append(out.Participants, TeamCandidate{ID: u.ID, Name: u.DisplayName, Organisation: n.orgs[u.OrganisationID].Name})
			}
		}
		slices.SortFunc(out.Participants, func(x, y TeamCandidate) int {
			if c := strings.Compare(x.Organisation, y.Organisation); c != 0 {
				return c
			}
			return strings.Compare(x.Name, y.Name)
		})
		scope := CaseScope(a, access.List, access.Cases)
		if scope.Empty() {
			return nil
		}
		list, _, err := store.ListCases(ctx, tx, scope, store.CaseFilter{Limit: 200})
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.ClosedAt.IsZero() {
				out.Cases = append(out.Cases, c)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: string(access.Cases) + "_list", Client: client})
}

// organisable returns the kinds of meeting a organises: multidisciplinary
// meetings need the right to update cases.
func organisable(a *auth.Actor) []meetings.Kind {
	if auth.Can(a, access.Update, access.Cases) {
		return meetings.Kinds
	}
	return []meetings.Kind{meetings.Steering}
}

// CreateMeeting records a new meeting organised by a. It returns the
// meeting, ENOTFOUND when a may not organise meetings, and EINVALID naming
// the field at fault: "kind" (unknown, or multidisciplinary for someone
// who updates no case), "meeting_title", "starts_at", "place", "link",
// "participants" (none, or someone who does not work on cases) and
// "cases" (a case a may not read).
func (s *Service) CreateMeeting(ctx context.Context, a *auth.Actor, in MeetingInput, client string) (*meetings.Meeting, error) {
	if !auth.Can(a, access.Create, access.Meetings) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	m := &meetings.Meeting{Kind: in.Kind, Title: strings.TrimSpace(in.Title), StartsAt: in.StartsAt,
		Place: strings.TrimSpace(in.Place), Link: strings.TrimSpace(in.Link), OrganiserID: a.User.ID,
		OrganiserOrgID: a.Organisation.ID, CreatedAt: s.Now().UTC()}
	for _, id := range in.ParticipantIDs {
		if !slices.Contains(m.Participants, id) {
			m.Participants = append(m.Participants, id)
		}
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		problems := withProblems(in.Problems, meetings.Check(m))
		if m.Kind.Valid() && !slices.Contains(organisable(a), m.Kind) {
			problems = append(problems, approdo.FieldError{Field: "kind", Message: "error.meeting.kind_not_allowed"})
		}
		for _, id := range m.Participants {
			u, err := store.FindUser(ctx, tx, id)
			if approdo.ErrorCode(err) == approdo.ENOTFOUND || err == nil && (!u.Active || !canJoin(u)) || id <= 0 {
				problems = append(problems, approdo.FieldError{Field: "participants", Message: "error.meeting.unknown_participant"})
				break
			} else if err != nil {
				return err
			}
		}
		var agenda []*cases.Case
		for _, id := range in.CaseIDs {
			if m.OnAgenda(id) != nil {
				continue
			}
			c, err := store.FindCase(ctx, tx, id)
			if approdo.ErrorCode(err) == approdo.ENOTFOUND || err == nil && !auth.Allowed(a, access.Read, Target(c, access.Cases)) || id <= 0 {
				problems = append(problems, approdo.FieldError{Field: "cases", Message: "error.meeting.case_not_visible"})
				break
			} else if err != nil {
				return err
			}
			m.Agenda = append(m.Agenda, meetings.AgendaItem{CaseID: id})
			agenda = append(agenda, c)
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		if err := store.InsertMeeting(ctx, tx, m); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "meeting", RecordID: strconv.FormatInt(m.ID, 10),
			Fields: []string{"kind", "meeting_title", "starts_at", "place", "link", "participants", "cases"}, Client: client}); err != nil {
			return err
		}
		for _, c := range agenda {
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
				RecordType: "meeting_case", RecordID: strconv.FormatInt(m.ID, 10), CaseID: c.ID, Fields: []string{"agenda"},
				Client: client}); err != nil {
				return err
			}
			if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: m.CreatedAt, ActorID: a.User.ID,
				Kind: meetings.CaseScheduled, RefID: m.ID, Detail: map[string]string{"kind": string(m.Kind)}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Meetings returns the meetings a organises or takes part in, the latest
// first, as logistics only.
func (s *Service) Meetings(ctx context.Context, a *auth.Actor) ([]MeetingRow, error) {
	if !auth.Can(a, access.List, access.Meetings) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	var out []MeetingRow
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		ids, err := store.ListMeetingIDs(ctx, tx, a.User.ID)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			m, err := store.FindMeeting(ctx, tx, id)
			if err != nil {
				return err
			}
			if !auth.Allowed(a, access.List, MeetingTarget(m)) {
				continue
			}
			out = append(out, MeetingRow{ID: m.ID, Kind: m.Kind, Title: m.Title, StartsAt: m.StartsAt, Place: m.Place,
				Link: m.Link, Organiser: n.users[m.OrganiserID].DisplayName, Participants: len(m.Participants),
				Cases: len(m.Agenda), Organising: m.OrganiserID == a.User.ID})
		}
		return nil
	})
	return out, err
}

// readableMeeting loads meeting id for a, who must be allowed v on it;
// ENOTFOUND otherwise, exactly as for a meeting that does not exist.
func readableMeeting(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64, v access.Verb) (*meetings.Meeting, error) {
	m, err := store.FindMeeting(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !auth.Allowed(a, v, MeetingTarget(m)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return m, nil
}

// Meeting returns meeting id as a sees it: its logistics, the general
// minutes, and for each case on the agenda that a may read, its code,
// minutes and decisions; the others redacted. The read is recorded for the
// meeting and for each case shown. A meeting a neither organises nor takes
// part in is ENOTFOUND.
func (s *Service) Meeting(ctx context.Context, a *auth.Actor, id int64, client string) (*MeetingView, error) {
	var v *MeetingView
	var shown []int64
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		m, err := readableMeeting(ctx, tx, a, id, access.Read)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		v = &MeetingView{ID: m.ID, Kind: m.Kind, Title: m.Title, StartsAt: m.StartsAt, Place: m.Place, Link: m.Link,
			OrganiserID: m.OrganiserID, Organiser: n.users[m.OrganiserID].DisplayName,
			OrganiserOrg: n.orgs[m.OrganiserOrgID].Name, MinutesBy: n.users[m.MinutesBy].DisplayName, MinutesAt: m.MinutesAt,
			CanWrite: auth.Allowed(a, access.Update, MeetingTarget(m)), CreatedAt: m.CreatedAt, Version: m.Version}
		for _, p := range m.Participants {
			u := n.users[p]
			v.Participants = append(v.Participants, MemberView{Member: cases.Member{UserID: p}, Name: u.DisplayName,
				Organisation: n.orgs[u.OrganisationID].Name})
		}
		if v.Minutes, err = s.Vault.OpenString(ctx, m.Minutes, meetingMinutesAAD(m.ID)); err != nil {
			return err
		}
		decisions, err := store.ListDecisions(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		for _, item := range m.Agenda {
			c, err := store.FindCase(ctx, tx, item.CaseID)
			if err != nil {
				return err
			}
			if !auth.Allowed(a, access.Read, Target(c, access.Cases)) {
				v.Agenda = append(v.Agenda, AgendaView{Redacted: true})
				continue
			}
			shown = append(shown, c.ID)
			av := AgendaView{CaseID: c.ID, Code: c.Code, MinutesBy: n.users[item.MinutesBy].DisplayName, MinutesAt: item.MinutesAt,
				CanDecide: v.CanWrite && auth.Allowed(a, access.Update, Target(c, access.Cases))}
			if av.Minutes, err = s.Vault.OpenString(ctx, item.Minutes, agendaMinutesAAD(m.ID, c.ID)); err != nil {
				return err
			}
			if av.CanDecide {
				av.Team = taskTeam(n, c)
			}
			for _, d := range decisions {
				if d.CaseID != c.ID {
					continue
				}
				dv, err := s.decisionView(ctx, n, &d, c.Code)
				if err != nil {
					return err
				}
				av.Decisions = append(av.Decisions, dv)
			}
			v.Agenda = append(v.Agenda, av)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Read,
			RecordType: "meeting", RecordID: strconv.FormatInt(id, 10), Fields: []string{"meeting"}, Client: client}); err != nil {
			return err
		}
		for _, c := range shown {
			if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Read,
				RecordType: "case", RecordID: strconv.FormatInt(c, 10), CaseID: c, Fields: []string{"meetings"},
				Client: client}); err != nil {
				return err
			}
		}
		return nil
	})
}

// decisionView opens d for its reader.
func (s *Service) decisionView(ctx context.Context, n *names, d *meetings.Decision, code string) (DecisionView, error) {
	v := DecisionView{ID: d.ID, CaseID: d.CaseID, CaseCode: code, ResponsibleID: d.ResponsibleID,
		Responsible: n.users[d.ResponsibleID].DisplayName, DueAt: d.DueAt, TaskID: d.TaskID,
		CreatedBy: n.users[d.CreatedBy].DisplayName, CreatedAt: d.CreatedAt}
	var err error
	v.Text, err = s.Vault.OpenString(ctx, d.Text, decisionAAD(d.MeetingID, d.CaseID))
	return v, err
}

// agendaCase loads the case caseID of meeting m for a, who must read it; a
// case not on the agenda and a case a may not read are refused alike, as
// EINVALID naming "case_id", so that nothing tells them apart.
func agendaCase(ctx context.Context, tx *store.Tx, a *auth.Actor, m *meetings.Meeting, caseID int64) (*cases.Case, *approdo.FieldError, error) {
	refused := &approdo.FieldError{Field: "case_id", Message: "error.meeting.case_not_visible"}
	if m.OnAgenda(caseID) == nil {
		return nil, refused, nil
	}
	c, err := store.FindCase(ctx, tx, caseID)
	if err != nil {
		return nil, nil, err
	}
	if !auth.Allowed(a, access.Read, Target(c, access.Cases)) {
		return nil, refused, nil
	}
	return c, nil, nil
}

// RecordMinutes writes the minutes of meeting id, general or of a case on
// its agenda, replacing those written before. It returns ENOTFOUND when a
// may not write the meeting's minutes, and EINVALID naming "case_id" (a
// case not on the agenda, or one a may not read: nothing is written) or
// "minutes".
func (s *Service) RecordMinutes(ctx context.Context, a *auth.Actor, id int64, in MinutesInput, client string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		m, err := readableMeeting(ctx, tx, a, id, access.Update)
		if err != nil {
			return err
		}
		var problems []approdo.FieldError
		var c *cases.Case
		if in.CaseID != 0 {
			var refused *approdo.FieldError
			if c, refused, err = agendaCase(ctx, tx, a, m, in.CaseID); err != nil {
				return err
			} else if refused != nil {
				problems = append(problems, *refused)
			}
		}
		problems = append(problems, approdo.ErrorFields(meetings.CheckMinutes(in.Minutes))...)
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		now := s.Now().UTC()
		minutes := strings.TrimSpace(in.Minutes)
		entry := &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Update, RecordType: "meeting",
			RecordID: strconv.FormatInt(id, 10), Fields: []string{"minutes"}, Client: client}
		if c == nil {
			sealed, err := s.Vault.SealString(minutes, meetingMinutesAAD(id))
			if err != nil {
				return err
			}
			if err := store.SetMeetingMinutes(ctx, tx, id, sealed, a.User.ID, now); err != nil {
				return err
			}
			return audit.Append(ctx, tx, entry)
		}
		sealed, err := s.Vault.SealString(minutes, agendaMinutesAAD(id, c.ID))
		if err != nil {
			return err
		}
		if err := store.SetAgendaMinutes(ctx, tx, id, c.ID, sealed, a.User.ID, now); err != nil {
			return err
		}
		entry.CaseID, entry.Fields = c.ID, []string{"agenda.minutes"}
		if err := audit.Append(ctx, tx, entry); err != nil {
			return err
		}
		return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: now, ActorID: a.User.ID,
			Kind: meetings.MinutesRecorded, RefID: id})
	})
}

// AddDecision records a decision of meeting id on a case of its agenda and
// turns it into a task on that case, whose responsible is told. It returns
// the decision, ENOTFOUND when a may not write the meeting's decisions,
// and EINVALID naming "case_id" (not on the agenda, not readable, or a case
// a may not give tasks), "text", "responsible_id" (missing, or not the case
// worker nor on the case's team) or "due_at"; nothing is written then.
func (s *Service) AddDecision(ctx context.Context, a *auth.Actor, id int64, in DecisionInput, client string) (*DecisionView, error) {
	var v DecisionView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		m, err := readableMeeting(ctx, tx, a, id, access.Update)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		d := &meetings.Decision{MeetingID: id, CaseID: in.CaseID, Text: strings.TrimSpace(in.Text),
			ResponsibleID: in.ResponsibleID, DueAt: in.DueAt, CreatedBy: a.User.ID, CreatedAt: now}
		problems := withProblems(in.Problems, meetings.CheckDecision(d))
		var c *cases.Case
		if in.CaseID != 0 {
			var refused *approdo.FieldError
			if c, refused, err = agendaCase(ctx, tx, a, m, in.CaseID); err != nil {
				return err
			}
			switch {
			case refused != nil:
				problems = append(problems, *refused)
			case !auth.Allowed(a, access.Update, Target(c, access.Cases)):
				problems = append(problems, approdo.FieldError{Field: "case_id", Message: "error.meeting.case_not_writable"})
				c = nil
			}
		}
		if c != nil && d.ResponsibleID != 0 && !slices.Contains(responsibleIDs(c), d.ResponsibleID) {
			problems = append(problems, approdo.FieldError{Field: "responsible_id", Message: "error.meeting.not_on_team"})
		}
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		t := &cases.Task{CaseID: c.ID, Title: d.Text, DueAt: d.DueAt, ResponsibleID: d.ResponsibleID, CreatedBy: a.User.ID,
			CreatedAt: now}
		if err := RecordTask(ctx, tx, s.Vault, t); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Create, RecordType: "case_task", RecordID: strconv.FormatInt(t.ID, 10), CaseID: c.ID,
			Fields: []string{"title", "due_at", "responsible_id"}, Client: client}); err != nil {
			return err
		}
		if err := notifyUsers(ctx, tx, c, "task_assigned", a.User.ID, t.ResponsibleID); err != nil {
			return err
		}
		d.TaskID = t.ID
		sealed, err := s.Vault.SealString(d.Text, decisionAAD(id, c.ID))
		if err != nil {
			return err
		}
		stored := *d
		stored.Text = sealed
		if err := store.InsertDecision(ctx, tx, &stored); err != nil {
			return err
		}
		d.ID = stored.ID
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Create, RecordType: "meeting_decision", RecordID: strconv.FormatInt(d.ID, 10), CaseID: c.ID,
			Fields: []string{"text", "responsible_id", "due_at", "task_id"}, Client: client}); err != nil {
			return err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: now, ActorID: a.User.ID,
			Kind: meetings.DecisionTaken, RefID: id}); err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		v = DecisionView{ID: d.ID, CaseID: c.ID, CaseCode: c.Code, Text: d.Text, ResponsibleID: d.ResponsibleID,
			Responsible: n.users[d.ResponsibleID].DisplayName, DueAt: d.DueAt, TaskID: d.TaskID,
			CreatedBy: a.User.DisplayName, CreatedAt: now}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// RecordMeeting stores m, whose minutes are in clear, with its agenda's
// events on the cases' timelines, in tx, with no policy check: it is for
// seeders and importers. It sets m's ID and version.
func RecordMeeting(ctx context.Context, tx *store.Tx, v *vault.Vault, m *meetings.Meeting) error {
	if err := store.InsertMeeting(ctx, tx, m); err != nil {
		return err
	}
	if m.Minutes != "" {
		sealed, err := v.SealString(m.Minutes, meetingMinutesAAD(m.ID))
		if err != nil {
			return err
		}
		if err := store.SetMeetingMinutes(ctx, tx, m.ID, sealed, m.MinutesBy, m.MinutesAt); err != nil {
			return err
		}
	}
	for _, item := range m.Agenda {
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: item.CaseID, At: m.CreatedAt, ActorID: m.OrganiserID,
			Kind: meetings.CaseScheduled, RefID: m.ID, Detail: map[string]string{"kind": string(m.Kind)}}); err != nil {
			return err
		}
		if item.Minutes == "" {
			continue
		}
		sealed, err := v.SealString(item.Minutes, agendaMinutesAAD(m.ID, item.CaseID))
		if err != nil {
			return err
		}
		if err := store.SetAgendaMinutes(ctx, tx, m.ID, item.CaseID, sealed, item.MinutesBy, item.MinutesAt); err != nil {
			return err
		}
	}
	return nil
}

// RecordDecision stores d, whose text is in clear, with the task it
// became, in tx, with no policy check: it is for seeders and importers. It
// sets d's ID and TaskID.
func RecordDecision(ctx context.Context, tx *store.Tx, v *vault.Vault, d *meetings.Decision) error {
	t := &cases.Task{CaseID: d.CaseID, Title: d.Text, DueAt: d.DueAt, ResponsibleID: d.ResponsibleID, CreatedBy: d.CreatedBy,
		CreatedAt: d.CreatedAt}
	if err := RecordTask(ctx, tx, v, t); err != nil {
		return err
	}
	d.TaskID = t.ID
	sealed, err := v.SealString(d.Text, decisionAAD(d.MeetingID, d.CaseID))
	if err != nil {
		return err
	}
	stored := *d
	stored.Text = sealed
	if err := store.InsertDecision(ctx, tx, &stored); err != nil {
		return err
	}
	d.ID = stored.ID
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: d.CaseID, At: d.CreatedAt, ActorID: d.CreatedBy,
		Kind: meetings.DecisionTaken, RefID: d.MeetingID})
}
