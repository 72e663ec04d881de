package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"approdo"
	"approdo/cases"
)

// The notes and interviews of a case and their attachments. Notes are
// append-only (a trigger refuses UPDATE and DELETE on case_notes), so their
// sealed columns are bound to the note's id before the row exists: callers
// reserve the id with NextNoteID, seal with it, then insert.

// NextNoteID reserves the id of a note about to be inserted in tx, so that
// its sealed fields can name it.
func NextNoteID(ctx context.Context, tx *Tx) (int64, error) {
	return nextID(ctx, tx, "case_notes")
}

// NextAttachmentID reserves the id of an attachment about to be inserted in
// tx, so that its sealed name and content can name it.
func NextAttachmentID(ctx context.Context, tx *Tx) (int64, error) {
	return nextID(ctx, tx, "attachments")
}

// nextID returns the next id of table: from its identity sequence on
// PostgreSQL, and one past the highest on SQLite, whose write transactions
// hold the only writer connection. table is one of the constants above,
// never user input.
func nextID(ctx context.Context, tx *Tx, table string) (int64, error) {
	q := `SELECT COALESCE(MAX(id), 0) + 1 FROM ` + table
	if tx.Dialect() == Postgres {
		q = `SELECT nextval(pg_get_serial_sequence('` + table + `', 'id'))`
	}
	var id int64
	if err := tx.QueryRow(ctx, q).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: unable to reserve an id in %s: %w", table, err)
	}
	return id, nil
}

// InsertNote stores a new note under the id NextNoteID reserved. Its
// participants and body must already be sealed.
func InsertNote(ctx context.Context, tx *Tx, n *cases.Note) error {
	if n.ID == 0 {
		return errors.New("store: a note needs an id reserved with NextNoteID")
	}
	_, err := tx.Exec(ctx, insertNote, noteArgs(n)...)
	if err != nil {
		return fmt.Errorf("store: unable to add a note to case %d: %w", n.CaseID, err)
	}
	return nil
}

const insertNote = `INSERT INTO case_notes (id, case_id, kind, occurred_at, author_id, author_org_id, mediator_id,
	language, confidentiality, field_group, participants_sealed, body_sealed, corrects_id, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// noteArgs returns the values of insertNote for n.
func noteArgs(n *cases.Note) []any {
	return []any{n.ID, n.CaseID, string(n.Kind), n.OccurredAt.UTC(), n.AuthorID, n.AuthorOrgID, nullID(n.MediatorID),
		n.Language, string(n.Confidentiality), n.FieldGroup, n.Participants, n.Body, nullID(n.CorrectsID), n.CreatedAt.UTC()}
}

const noteColumns = `id, case_id, kind, occurred_at, author_id, author_org_id, COALESCE(mediator_id, 0), language,
	confidentiality, field_group, participants_sealed, body_sealed, COALESCE(corrects_id, 0), created_at`

func scanNote(row interface{ Scan(...any) error }, n *cases.Note) error {
	var kind, conf string
	if err := row.Scan(&n.ID, &n.CaseID, &kind, &n.OccurredAt, &n.AuthorID, &n.AuthorOrgID, &n.MediatorID, &n.Language,
		&conf, &n.FieldGroup, &n.Participants, &n.Body, &n.CorrectsID, &n.CreatedAt); err != nil {
		return err
	}
	n.Kind, n.Confidentiality = cases.NoteKind(kind), cases.Confidentiality(conf)
	return nil
}

// FindNote returns the note with the given id, its participants and body
// still sealed, or ENOTFOUND.
func FindNote(ctx context.Context, tx *Tx, id int64) (*cases.Note, error) {
	var n cases.Note
	err := scanNote(tx.QueryRow(ctx, `SELECT `+noteColumns+` FROM case_notes WHERE id = ?`, id), &n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find note %d: %w", id, err)
	}
	return &n, nil
}

// NoteReader is who reads the notes of a case, as far as confidentiality
// goes: a team note reaches every reader, an organisation note the readers
// of the author's organisation, and a restricted note its author and, when
// Keeper is set, the reader who keeps the case (its case worker or owner).
// Field groups are not filtered here: a note in a group the reader may not
// see is listed, and the caller hides its content.
type NoteReader struct {
	UserID int64
	OrgID  int64
	Keeper bool
}

// where returns the SQL condition of what the reader sees and its
// arguments.
func (r NoteReader) where() (string, []any) {
	return `(confidentiality = 'team' OR (confidentiality = 'organisation' AND author_org_id = ?)
		OR (confidentiality = 'restricted' AND (author_id = ? OR ?)))`, []any{r.OrgID, r.UserID, r.Keeper}
}

// Sees reports whether the reader sees note n, by the rule of where.
func (r NoteReader) Sees(n *cases.Note) bool {
	switch n.Confidentiality {
	case cases.TeamNote:
		return true
	case cases.OrgNote:
		return n.AuthorOrgID == r.OrgID
	case cases.RestrictedNote:
		return n.AuthorID == r.UserID || r.Keeper
	}
	return false
}

// ListNotes returns a page of the notes of case caseID that reader sees and
// that correct no other note, most recent first (by when they happened),
// with how many there are in all. Corrections are read with
// ListCorrections.
func ListNotes(ctx context.Context, tx *Tx, caseID int64, reader NoteReader, limit, offset int) ([]cases.Note, int, error) {
	seen, args := reader.where()
	where := `case_id = ? AND corrects_id IS NULL AND ` + seen
	args = append([]any{caseID}, args...)
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_notes WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: unable to count the notes of case %d: %w", caseID, err)
	}
	rows, err := tx.Query(ctx, `SELECT `+noteColumns+` FROM case_notes WHERE `+where+`
		ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list the notes of case %d: %w", caseID, err)
	}
	out, err := scanNotes(rows)
	return out, total, err
}

// ListCorrections returns every note of case caseID that corrects another
// and that reader sees, oldest first.
func ListCorrections(ctx context.Context, tx *Tx, caseID int64, reader NoteReader) ([]cases.Note, error) {
	seen, args := reader.where()
	rows, err := tx.Query(ctx, `SELECT `+noteColumns+` FROM case_notes
		WHERE case_id = ? AND corrects_id IS NOT NULL AND `+seen+` ORDER BY created_at, id`, append([]any{caseID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the corrections of case %d: %w", caseID, err)
	}
	return scanNotes(rows)
}

func scanNotes(rows *sql.Rows) ([]cases.Note, error) {
	defer rows.Close()
	var out []cases.Note
	for rows.Next() {
		var n cases.Note
		if err := scanNote(rows, &n); err != nil {
			return nil, fmt.Errorf("store: unable to read a note: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// InsertAttachment stores an attachment under the id NextAttachmentID
// reserved, with its content. The name (in a.Name) and content must already
// be sealed; a.Size and a.SHA256 describe the plaintext.
func InsertAttachment(ctx context.Context, tx *Tx, a *cases.Attachment, sealedContent []byte) error {
	if a.ID == 0 {
		return errors.New("store: an attachment needs an id reserved with NextAttachmentID")
	}
	_, err := tx.Exec(ctx, `INSERT INTO attachments (id, note_id, case_id, name_sealed, content_type, size, sha256, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.NoteID, a.CaseID, a.Name, a.ContentType, a.Size, a.SHA256, a.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("store: unable to attach a file to note %d: %w", a.NoteID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO attachment_contents (attachment_id, content) VALUES (?, ?)`, a.ID, sealedContent); err != nil {
		return fmt.Errorf("store: unable to store the content of attachment %d: %w", a.ID, err)
	}
	return nil
}

const attachmentColumns = `id, note_id, case_id, name_sealed, content_type, size, sha256, created_at`

func scanAttachment(row interface{ Scan(...any) error }, a *cases.Attachment) error {
	return row.Scan(&a.ID, &a.NoteID, &a.CaseID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.CreatedAt)
}

// FindAttachment returns the attachment with the given id, its name still
// sealed and without its content, or ENOTFOUND.
func FindAttachment(ctx context.Context, tx *Tx, id int64) (*cases.Attachment, error) {
	var a cases.Attachment
	err := scanAttachment(tx.QueryRow(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE id = ?`, id), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find attachment %d: %w", id, err)
	}
	return &a, nil
}

// AttachmentContent returns the sealed content of attachment id.
func AttachmentContent(ctx context.Context, tx *Tx, id int64) ([]byte, error) {
	var content []byte
	if err := tx.QueryRow(ctx, `SELECT content FROM attachment_contents WHERE attachment_id = ?`, id).Scan(&content); err != nil {
		return nil, fmt.Errorf("store: unable to read the content of attachment %d: %w", id, err)
	}
	return content, nil
}

// ListNoteAttachments returns the attachments of the notes of case caseID
// named in noteIDs, by note, oldest first, with their names still sealed.
func ListNoteAttachments(ctx context.Context, tx *Tx, caseID int64, noteIDs []int64) (map[int64][]cases.Attachment, error) {
	out := map[int64][]cases.Attachment{}
	if len(noteIDs) == 0 {
		return out, nil
	}
	args := []any{caseID}
	for _, id := range noteIDs {
		args = append(args, id)
	}
	rows, err := tx.Query(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE case_id = ? AND note_id IN (`+
		placeholders(len(noteIDs))+`) ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the attachments of case %d: %w", caseID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a cases.Attachment
		if err := scanAttachment(rows, &a); err != nil {
			return nil, fmt.Errorf("store: unable to read an attachment: %w", err)
		}
		out[a.NoteID] = append(out[a.NoteID], a)
	}
	return out, rows.Err()
}
