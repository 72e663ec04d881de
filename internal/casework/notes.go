package casework

import (
	"cmp"
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
	"approdo/network"
	"approdo/refdata"
	"approdo/referrals"
)

// NotePage is how many notes, each with its corrections, a page of a case's
// notes holds by default; MaxNotePage is the most a caller may ask for.
const (
	NotePage    = 20
	MaxNotePage = 100
)

// NoteInput is a note or interview as its author wrote it. CorrectsID names
// the note it corrects, or 0 for a new note; a correction keeps the
// confidentiality and field group of the note it corrects, so those may be
// left empty. File, when not nil, is attached to the note.
type NoteInput struct {
	Kind            cases.NoteKind
	OccurredAt      time.Time
	MediatorID      int64
	Language        string
	Confidentiality cases.Confidentiality
	FieldGroup      string
	Participants    string
	Body            string
	CorrectsID      int64
	File            *Upload
	// Problems are what the adapter found wrong while reading the input,
	// such as a malformed date: they are reported with the service's own,
	// after the policy has admitted the writer.
	Problems []approdo.FieldError
}

// Upload is a file as a client sent it. Size is the size the client
// announced; an adapter that saw it exceed cases.MaxAttachmentSize may leave
// Content unread, and the file is refused as too large.
type Upload struct {
	Name         string
	DeclaredType string
	Size         int64
	Content      []byte
	// Problem is the catalogue key of what the adapter found wrong with
	// the request that carried the file (a malformed form): it is reported
	// on the field "file" once the policy has admitted the caller.
	Problem string
}

// NoteView is a note as one reader sees it. A note in a sensitive field
// group the reader may not see is not Readable: its participants, body and
// attachments are left empty, and only that it exists, when it happened and
// who wrote it is shown.
type NoteView struct {
	cases.Note
	Readable  bool
	Author    string
	AuthorOrg string
	Mediator  string
	// CorrectedBy lists the notes that correct this one, oldest first.
	CorrectedBy []int64
	// Mine reports that the reader wrote the note: they may correct it and
	// attach files to it.
	Mine bool
}

// NoteThread is a note with the corrections made to it: the original
// first, then each correction in the order it was written.
type NoteThread struct {
	Notes []NoteView
}

// NotesPage is a page of a case's notes as one reader sees them, with what
// the form to add a note offers when the reader may write.
type NotesPage struct {
	Case     *cases.Case
	Threads  []NoteThread
	Total    int
	Offset   int
	Limit    int
	CanWrite bool
	// Mediators are the active users with the mediator role, by name.
	Mediators []network.User
	// FieldGroups are the sensitive groups the reader may file notes in.
	FieldGroups []string
}

// noteReader returns how far a reads the notes of case c by
// confidentiality: the case's keeper (its case worker, or an owner on its
// team) reads its restricted notes.
func noteReader(a *auth.Actor, c *cases.Case) store.NoteReader {
	r := store.NoteReader{UserID: a.User.ID, OrgID: a.Organisation.ID, Keeper: c.CaseWorkerID == a.User.ID}
	for _, m := range c.Team {
		if m.UserID == a.User.ID && m.Role == cases.Owner {
			r.Keeper = true
		}
	}
	return r
}

// readsGroup reports whether a reads the content of a note of case c in
// field group g ("" for none).
func readsGroup(a *auth.Actor, c *cases.Case, g string) bool {
	return g == "" || auth.SeesField(a, access.FieldGroup(g), c.OwnerOrgID)
}

// Notes returns a page of the notes of case id that a may read, newest
// first, each with its corrections, and records the read. The case must be
// one a reads in full, otherwise it is ENOTFOUND; notes a's confidentiality
// level does not reach are left out, and notes in a sensitive field group a
// may not see are listed without their content.
func (s *Service) Notes(ctx context.Context, a *auth.Actor, id int64, offset, limit int, client string) (*NotesPage, error) {
	if limit <= 0 || limit > MaxNotePage {
		limit = NotePage
	}
	offset = max(offset, 0)
	p := &NotesPage{Offset: offset, Limit: limit}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, id, referrals.Notes)
		if err != nil {
			return err
		}
		p.Case = c
		reader := noteReader(a, c)
		roots, total, err := store.ListNotes(ctx, tx, id, reader, limit, offset)
		if err != nil {
			return err
		}
		p.Total = total
		corrections, err := store.ListCorrections(ctx, tx, id, reader)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		byCorrected := map[int64][]cases.Note{}
		for _, cn := range corrections {
			byCorrected[cn.CorrectsID] = append(byCorrected[cn.CorrectsID], cn)
		}
		var ids []int64
		for _, root := range roots {
			var t NoteThread
			var walk func(cases.Note)
			walk = func(note cases.Note) {
				v := NoteView{Note: note}
				for _, cn := range byCorrected[note.ID] {
					v.CorrectedBy = append(v.CorrectedBy, cn.ID)
				}
				t.Notes = append(t.Notes, v)
				ids = append(ids, note.ID)
				for _, cn := range byCorrected[note.ID] {
					walk(cn)
				}
			}
			walk(root)
			p.Threads = append(p.Threads, t)
		}
		files, err := store.ListNoteAttachments(ctx, tx, id, ids)
		if err != nil {
			return err
		}
		for i := range p.Threads {
			for j := range p.Threads[i].Notes {
				if err := s.describeNote(ctx, a, c, n, files, &p.Threads[i].Notes[j]); err != nil {
					return err
				}
			}
		}
		if p.CanWrite = auth.Allowed(a, access.Update, Target(c, access.Cases)); p.CanWrite {
			p.Mediators = n.mediators()
			p.FieldGroups = noteGroupsOf(a, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, s.recordRead(ctx, a, id, "notes", client)
}

// Note returns one note of case caseID as a may read it, and records the
// read. A note of another case, or one whose confidentiality keeps it from
// a, is ENOTFOUND, like a case a may not read in full.
func (s *Service) Note(ctx context.Context, a *auth.Actor, caseID, noteID int64, client string) (*NoteView, error) {
	var v NoteView
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, caseID, referrals.Notes)
		if err != nil {
			return err
		}
		note, err := s.visibleNote(ctx, tx, a, c, noteID)
		if err != nil {
			return err
		}
		v.Note = *note
		corrections, err := store.ListCorrections(ctx, tx, caseID, noteReader(a, c))
		if err != nil {
			return err
		}
		for _, cn := range corrections {
			if cn.CorrectsID == noteID {
				v.CorrectedBy = append(v.CorrectedBy, cn.ID)
			}
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		files, err := store.ListNoteAttachments(ctx, tx, caseID, []int64{noteID})
		if err != nil {
			return err
		}
		return s.describeNote(ctx, a, c, n, files, &v)
	})
	if err != nil {
		return nil, err
	}
	return &v, s.recordRead(ctx, a, caseID, "notes", client)
}

// visibleNote loads note id of case c when a's confidentiality level
// reaches it, and answers ENOTFOUND otherwise.
func (s *Service) visibleNote(ctx context.Context, tx *store.Tx, a *auth.Actor, c *cases.Case, id int64) (*cases.Note, error) {
	n, err := store.FindNote(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if n.CaseID != c.ID || !noteReader(a, c).Sees(n) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return n, nil
}

// describeNote fills v with the names it shows and, when a may read its
// field group, opens its participants, body and attachments' names.
func (s *Service) describeNote(ctx context.Context, a *auth.Actor, c *cases.Case, n *names, files map[int64][]cases.Attachment, v *NoteView) error {
	author := n.users[v.AuthorID]
	v.Author, v.AuthorOrg = author.DisplayName, n.orgs[v.AuthorOrgID].Name
	v.Mediator = n.users[v.MediatorID].DisplayName
	v.Mine = v.AuthorID == a.User.ID
	v.Readable = readsGroup(a, c, v.FieldGroup)
	sealedParticipants, sealedBody := v.Participants, v.Body
	v.Participants, v.Body, v.Attachments = "", "", nil
	if !v.Readable {
		return nil
	}
	var err error
	if v.Participants, err = s.Vault.OpenString(ctx, sealedParticipants, noteAAD("participants_sealed", v.ID)); err != nil {
		return err
	}
	if v.Body, err = s.Vault.OpenString(ctx, sealedBody, noteAAD("body_sealed", v.ID)); err != nil {
		return err
	}
	for _, f := range files[v.ID] {
		if f.Name, err = s.Vault.OpenString(ctx, f.Name, attachmentNameAAD(f.ID)); err != nil {
			return err
		}
		v.Attachments = append(v.Attachments, f)
	}
	return nil
}

// mediators returns the active users with the mediator role, by name.
func (n *names) mediators() []network.User {
	var out []network.User
	for _, u := range n.users {
		if u.Active && u.Has(network.Mediator) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(x, y network.User) int {
		return cmp.Or(strings.Compare(x.DisplayName, y.DisplayName), cmp.Compare(x.ID, y.ID))
	})
	return out
}

// noteGroupsOf returns the field groups a may file a note of case c in:
// those of cases.NoteFieldGroups the policy lets them see.
func noteGroupsOf(a *auth.Actor, c *cases.Case) []string {
	var out []string
	for _, g := range cases.NoteFieldGroups {
		if readsGroup(a, c, g) {
			out = append(out, g)
		}
	}
	return out
}

// WriteNote adds a note or interview to case caseID, or, when in.CorrectsID
// is set, a correction of one of a's notes of that case, with in.File
// attached. Writing needs update on the case within a's scope: a case
// outside it is ENOTFOUND. The note is sealed, audited, and recorded on the
// case's timeline in one transaction. It returns EINVALID naming each field
// that is wrong, and writes nothing then: a missing body or date, an unknown
// kind, confidentiality, field group, language or mediator, a date in the
// future, text over its length, a field group a may not see, a follow-up
// contact on an open case, a correction of a note that is not one of a's
// notes of this case or that changes its confidentiality or group, and a
// file that is empty, too large or of a type not allowed.
func (s *Service) WriteNote(ctx context.Context, a *auth.Actor, caseID int64, in NoteInput, client string) (*cases.Note, error) {
	return s.write(ctx, a, caseID, in, false, client)
}

// CorrectNote adds a correction of note noteID of case caseID, as WriteNote
// does with in.CorrectsID set, except that a note a may not read is
// ENOTFOUND rather than a problem of the field corrects_id: it serves the
// adapters that name the corrected note in their path.
func (s *Service) CorrectNote(ctx context.Context, a *auth.Actor, caseID, noteID int64, in NoteInput, client string) (*cases.Note, error) {
	if noteID <= 0 {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	in.CorrectsID = noteID
	return s.write(ctx, a, caseID, in, true, client)
}

// write is WriteNote; strict makes an unreadable corrected note ENOTFOUND.
func (s *Service) write(ctx context.Context, a *auth.Actor, caseID int64, in NoteInput, strict bool, client string) (*cases.Note, error) {
	now := s.Now().UTC()
	n := &cases.Note{CaseID: caseID, Kind: cases.NoteKind(strings.TrimSpace(string(in.Kind))), OccurredAt: in.OccurredAt,
		AuthorID: a.User.ID, AuthorOrgID: a.Organisation.ID, MediatorID: in.MediatorID,
		Language:        strings.ToLower(strings.TrimSpace(in.Language)),
		Confidentiality: cases.Confidentiality(strings.TrimSpace(string(in.Confidentiality))),
		FieldGroup:      strings.TrimSpace(in.FieldGroup), Participants: strings.TrimSpace(in.Participants),
		Body: strings.TrimSpace(in.Body), CorrectsID: in.CorrectsID, CreatedAt: now}
	if l, ok := refdata.LookupLanguage(n.Language); ok {
		n.Language = l.Code()
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := store.FindCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Update, Target(c, access.Cases)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		problems := slices.Clone(in.Problems)
		add := func(field, msg string, args ...any) {
			problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
		}
		if n.CorrectsID != 0 {
			original, err := s.visibleNote(ctx, tx, a, c, n.CorrectsID)
			switch {
			case approdo.ErrorCode(err) == approdo.ENOTFOUND || err == nil && !readsGroup(a, c, original.FieldGroup):
				if strict {
					return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
				}
				add("corrects_id", "error.note.corrects_unknown")
			case err != nil:
				return err
			case original.AuthorID != a.User.ID:
				add("corrects_id", "error.note.corrects_not_yours")
			default:
				if n.Confidentiality != "" && n.Confidentiality != original.Confidentiality {
					add("confidentiality", "error.note.correction_keeps")
				}
				if n.FieldGroup != "" && n.FieldGroup != original.FieldGroup {
					add("field_group", "error.note.correction_keeps")
				}
				n.Confidentiality, n.FieldGroup = original.Confidentiality, original.FieldGroup
			}
		}
		if err := n.Validate(now); err != nil {
			problems = append(problems, approdo.ErrorFields(err)...)
		}
		if slices.Contains(cases.NoteFieldGroups, n.FieldGroup) && !readsGroup(a, c, n.FieldGroup) && n.CorrectsID == 0 {
			add("field_group", "error.note.field_group_not_yours")
		}
		if n.Kind == cases.FollowUpNote && !closed(c) {
			add("kind", "error.note.follow_up_open_case")
		}
		if n.MediatorID != 0 {
			u, err := store.FindUser(ctx, tx, n.MediatorID)
			if err != nil && approdo.ErrorCode(err) != approdo.ENOTFOUND {
				return err
			}
			if err != nil || !u.Active || !u.Has(network.Mediator) {
				add("mediator_id", "error.field.unknown_reference")
			}
		}
		var file *checkedUpload
		if in.File != nil {
			var fileProblems []approdo.FieldError
			file, fileProblems = checkUpload(in.File)
			problems = append(problems, fileProblems...)
		}
		if len(problems) > 0 {
			return approdo.Invalid(firstPerField(problems)...)
		}
		if err := RecordNote(ctx, tx, s.Vault, n); err != nil {
			return err
		}
		fields := []string{"kind", "occurred_at", "confidentiality", "body"}
		for _, f := range []struct {
			name string
			set  bool
		}{{"participants", n.Participants != ""}, {"mediator_id", n.MediatorID != 0}, {"language", n.Language != ""},
			{"field_group", n.FieldGroup != ""}, {"corrects_id", n.CorrectsID != 0}} {
			if f.set {
				fields = append(fields, f.name)
			}
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.Create, RecordType: "case_note", RecordID: strconv.FormatInt(n.ID, 10), CaseID: c.ID,
			Fields: fields, Client: client, At: now}); err != nil {
			return err
		}
		if file != nil {
			return s.attach(ctx, tx, a, n, file, now, client)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// firstPerField keeps the first problem of each field, so that a date the
// adapter could not read is not also reported missing.
func firstPerField(problems []approdo.FieldError) []approdo.FieldError {
	seen := map[string]bool{}
	var out []approdo.FieldError
	for _, p := range problems {
		if !seen[p.Field] {
			seen[p.Field] = true
			out = append(out, p)
		}
	}
	return out
}

// closed reports whether case c has closed, so that contacts after closure
// may be recorded on it.
func closed(c *cases.Case) bool {
	return !c.ClosedAt.IsZero() || c.Stage == cases.StageClosure || c.Stage == cases.StageFollowUp
}

// RecordNote stores note n under a newly reserved id, sealing its
// participants and body with v, and records it on its case's timeline. It
// checks nothing: WriteNote checks the policy and the note before calling
// it, and the demo calls it with notes it made itself.
func RecordNote(ctx context.Context, tx *store.Tx, v *vault.Vault, n *cases.Note) error {
	id, err := store.NextNoteID(ctx, tx)
	if err != nil {
		return err
	}
	n.ID = id
	sealed, err := SealNote(v, n)
	if err != nil {
		return err
	}
	if err := store.InsertNote(ctx, tx, &sealed); err != nil {
		return err
	}
	kind := cases.NoteAdded
	if n.CorrectsID != 0 {
		kind = cases.NoteCorrected
	}
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: n.CaseID, At: n.CreatedAt, ActorID: n.AuthorID, Kind: kind, RefID: id})
}

// SealNote returns note n, which has its id, with its participants and body
// sealed by v as case_notes stores them.
func SealNote(v *vault.Vault, n *cases.Note) (cases.Note, error) {
	sealed := *n
	var err error
	if n.Participants != "" {
		if sealed.Participants, err = v.SealString(n.Participants, noteAAD("participants_sealed", n.ID)); err != nil {
			return sealed, err
		}
	}
	sealed.Body, err = v.SealString(n.Body, noteAAD("body_sealed", n.ID))
	return sealed, err
}

// noteAAD binds a sealed column of a note to the note.
func noteAAD(column string, id int64) []byte {
	return []byte("case_notes." + column + ":" + strconv.FormatInt(id, 10))
}
