package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
	"approdo/meetings"
)

// InsertMeeting records a new meeting with its participants and agenda, and
// sets its ID and version. Its minutes, if any, must already be sealed.
func InsertMeeting(ctx context.Context, tx *Tx, m *meetings.Meeting) error {
	m.Version = 1
	err := tx.QueryRow(ctx, `INSERT INTO meetings (kind, title, starts_at, place, link, organiser_id, organiser_org_id,
		created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(m.Kind), m.Title, m.StartsAt.UTC(), m.Place, m.Link, m.OrganiserID, m.OrganiserOrgID, m.CreatedAt.UTC(),
		m.Version).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a meeting: %w", err)
	}
	for _, p := range m.Participants {
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_participants (meeting_id, user_id) VALUES (?, ?)`, m.ID, p); err != nil {
			return fmt.Errorf("store: unable to record a participant of meeting %d: %w", m.ID, err)
		}
	}
	for i, a := range m.Agenda {
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_cases (meeting_id, case_id, position) VALUES (?, ?, ?)`,
			m.ID, a.CaseID, i); err != nil {
			return fmt.Errorf("store: unable to put case %d on the agenda of meeting %d: %w", a.CaseID, m.ID, err)
		}
	}
	return nil
}

// FindMeeting returns meeting id with its participants, its agenda and its
// sealed minutes, or ENOTFOUND.
func FindMeeting(ctx context.Context, tx *Tx, id int64) (*meetings.Meeting, error) {
	var m meetings.Meeting
	var kind string
	var at sql.NullTime
	err := tx.QueryRow(ctx, `SELECT id, kind, title, starts_at, place, link, organiser_id, organiser_org_id, minutes_sealed,
		COALESCE(minutes_by, 0), minutes_at, created_at, version FROM meetings WHERE id = ?`, id).Scan(&m.ID, &kind, &m.Title,
		&m.StartsAt, &m.Place, &m.Link, &m.OrganiserID, &m.OrganiserOrgID, &m.Minutes, &m.MinutesBy, &at, &m.CreatedAt, &m.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find meeting %d: %w", id, err)
	}
	m.Kind, m.MinutesAt = meetings.Kind(kind), at.Time
	rows, err := tx.Query(ctx, `SELECT user_id FROM meeting_participants WHERE meeting_id = ? ORDER BY user_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the participants of meeting %d: %w", id, err)
	}
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read a participant: %w", err)
		}
		m.Participants = append(m.Participants, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT case_id, minutes_sealed, COALESCE(minutes_by, 0), minutes_at FROM meeting_cases
		WHERE meeting_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the agenda of meeting %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a meetings.AgendaItem
		var at sql.NullTime
		if err := rows.Scan(&a.CaseID, &a.Minutes, &a.MinutesBy, &at); err != nil {
			return nil, fmt.Errorf("store: unable to read an agenda item: %w", err)
		}
		a.MinutesAt = at.Time
		m.Agenda = append(m.Agenda, a)
	}
	return &m, rows.Err()
}

// ListMeetingIDs returns the meetings user userID organises or takes part
// in, the latest first.
func ListMeetingIDs(ctx context.Context, tx *Tx, userID int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM meetings WHERE organiser_id = ?
		OR id IN (SELECT meeting_id FROM meeting_participants WHERE user_id = ?) ORDER BY starts_at DESC, id DESC LIMIT 500`,
		userID, userID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list meetings: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: unable to read a meeting: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SetMeetingMinutes replaces the general minutes of meeting id, sealed, and
// bumps its version.
func SetMeetingMinutes(ctx context.Context, tx *Tx, id int64, sealed string, by int64, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE meetings SET minutes_sealed = ?, minutes_by = ?, minutes_at = ?, version = version + 1
		WHERE id = ?`, sealed, by, at.UTC(), id); err != nil {
		return fmt.Errorf("store: unable to record the minutes of meeting %d: %w", id, err)
	}
	return nil
}

// SetAgendaMinutes replaces the minutes of case caseID on the agenda of
// meeting id, sealed.
func SetAgendaMinutes(ctx context.Context, tx *Tx, id, caseID int64, sealed string, by int64, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE meeting_cases SET minutes_sealed = ?, minutes_by = ?, minutes_at = ?
		WHERE meeting_id = ? AND case_id = ?`, sealed, by, at.UTC(), id, caseID); err != nil {
		return fmt.Errorf("store: unable to record the minutes of case %d at meeting %d: %w", caseID, id, err)
	}
	_, err := tx.Exec(ctx, `UPDATE meetings SET version = version + 1 WHERE id = ?`, id)
	return err
}

// InsertDecision records a decision of a meeting, whose text must already
// be sealed and whose task exists, and sets its ID.
func InsertDecision(ctx context.Context, tx *Tx, d *meetings.Decision) error {
	err := tx.QueryRow(ctx, `INSERT INTO meeting_decisions (meeting_id, case_id, text_sealed, responsible_id, due_at, task_id,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.MeetingID, d.CaseID, d.Text, d.ResponsibleID,
		d.DueAt.UTC(), d.TaskID, d.CreatedBy, d.CreatedAt.UTC()).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a decision of meeting %d: %w", d.MeetingID, err)
	}
	return nil
}

// ListDecisions returns the decisions of meeting id, with their sealed
// texts, in the order they were taken.
func ListDecisions(ctx context.Context, tx *Tx, id int64) ([]meetings.Decision, error) {
	rows, err := tx.Query(ctx, `SELECT id, meeting_id, case_id, text_sealed, responsible_id, due_at, task_id, created_by,
		created_at FROM meeting_decisions WHERE meeting_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the decisions of meeting %d: %w", id, err)
	}
	defer rows.Close()
	var out []meetings.Decision
	for rows.Next() {
		var d meetings.Decision
		if err := rows.Scan(&d.ID, &d.MeetingID, &d.CaseID, &d.Text, &d.ResponsibleID, &d.DueAt, &d.TaskID, &d.CreatedBy,
			&d.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: unable to read a decision: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// InsertConsultation records a new consultation, whose question must
// already be sealed, and sets its ID, state and version.
func InsertConsultation(ctx context.Context, tx *Tx, c *meetings.Consultation) error {
	c.State, c.Version = meetings.Requested, 1
	err := tx.QueryRow(ctx, `INSERT INTO consultations (case_id, to_org_id, requested_by, requested_at, question_sealed, state,
		version) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.CaseID, c.ToOrgID, c.RequestedBy, c.RequestedAt.UTC(), c.Question,
		string(c.State), c.Version).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a consultation of case %d: %w", c.CaseID, err)
	}
	return nil
}

const consultationColumns = `id, case_id, to_org_id, requested_by, requested_at, question_sealed, state, advice_sealed,
	COALESCE(advice_by, 0), advice_at, version`

func scanConsultation(row interface{ Scan(...any) error }, c *meetings.Consultation) error {
	var state string
	var at sql.NullTime
	if err := row.Scan(&c.ID, &c.CaseID, &c.ToOrgID, &c.RequestedBy, &c.RequestedAt, &c.Question, &state, &c.Advice,
		&c.AdviceBy, &at, &c.Version); err != nil {
		return err
	}
	c.State, c.AdviceAt = meetings.ConsultationState(state), at.Time
	return nil
}

// ListCaseConsultations returns the consultations of case caseID with their
// sessions, sealed, the latest first.
func ListCaseConsultations(ctx context.Context, tx *Tx, caseID int64) ([]meetings.Consultation, error) {
	rows, err := tx.Query(ctx, `SELECT `+consultationColumns+` FROM consultations WHERE case_id = ?
		ORDER BY requested_at DESC, id DESC`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the consultations of case %d: %w", caseID, err)
	}
	var out []meetings.Consultation
	for rows.Next() {
		var c meetings.Consultation
		if err := scanConsultation(rows, &c); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read a consultation: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Sessions, err = listSessions(ctx, tx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FindConsultation returns consultation id of case caseID with its
// sessions, sealed, or ENOTFOUND.
func FindConsultation(ctx context.Context, tx *Tx, caseID, id int64) (*meetings.Consultation, error) {
	var c meetings.Consultation
	err := scanConsultation(tx.QueryRow(ctx, `SELECT `+consultationColumns+` FROM consultations WHERE id = ? AND case_id = ?`,
		id, caseID), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find consultation %d: %w", id, err)
	}
	c.Sessions, err = listSessions(ctx, tx, id)
	return &c, err
}

func listSessions(ctx context.Context, tx *Tx, id int64) ([]meetings.Session, error) {
	rows, err := tx.Query(ctx, `SELECT id, consultation_id, case_id, held_at, attendees_sealed, recorded_by, recorded_at
		FROM consultation_sessions WHERE consultation_id = ? ORDER BY held_at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the sessions of consultation %d: %w", id, err)
	}
	defer rows.Close()
	var out []meetings.Session
	for rows.Next() {
		var s meetings.Session
		if err := rows.Scan(&s.ID, &s.ConsultationID, &s.CaseID, &s.HeldAt, &s.Attendees, &s.RecordedBy, &s.RecordedAt); err != nil {
			return nil, fmt.Errorf("store: unable to read a session: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// InsertConsultationSession records a session of a consultation, whose
// attendees must already be sealed, and sets its ID.
func InsertConsultationSession(ctx context.Context, tx *Tx, s *meetings.Session) error {
	err := tx.QueryRow(ctx, `INSERT INTO consultation_sessions (consultation_id, case_id, held_at, attendees_sealed, recorded_by,
		recorded_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, s.ConsultationID, s.CaseID, s.HeldAt.UTC(), s.Attendees,
		s.RecordedBy, s.RecordedAt.UTC()).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record a session of consultation %d: %w", s.ConsultationID, err)
	}
	return nil
}

// AnswerConsultation records the sealed advice of consultation c, marks it
// answered and bumps its version.
func AnswerConsultation(ctx context.Context, tx *Tx, c *meetings.Consultation, sealed string, by int64, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE consultations SET advice_sealed = ?, advice_by = ?, advice_at = ?, state = 'answered',
		version = version + 1 WHERE id = ?`, sealed, by, at.UTC(), c.ID); err != nil {
		return fmt.Errorf("store: unable to record the advice of consultation %d: %w", c.ID, err)
	}
	c.Advice, c.AdviceBy, c.AdviceAt, c.State, c.Version = sealed, by, at.UTC(), meetings.Answered, c.Version+1
	return nil
}
