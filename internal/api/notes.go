package api

import (
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/respond"
)

// The routes that take a file, registered in routes.go.
const (
	uploadAttachmentRoute = "POST /api/v1/cases/{id}/notes/{note}/attachments"
	addExpenseRoute       = "POST /api/v1/cases/{id}/project/expenses"
)

// UploadRoutes lists the API routes whose requests carry a file: the
// server lets their bodies grow to an attachment and its form, and keeps
// every other body under its default limit.
func UploadRoutes() []string { return []string{uploadAttachmentRoute, addExpenseRoute} }

// noteJSON is a note as the API shows it. A note in a sensitive field group
// the caller may not see is not readable: it comes without participants,
// body and attachments.
type noteJSON struct {
	ID              int64            `json:"id"`
	CaseID          int64            `json:"case_id"`
	Kind            string           `json:"kind"`
	OccurredAt      string           `json:"occurred_at"`
	AuthorID        int64            `json:"author_id"`
	Author          string           `json:"author"`
	AuthorOrgID     int64            `json:"author_organisation_id"`
	MediatorID      *int64           `json:"mediator_id"`
	Language        string           `json:"language"`
	Confidentiality string           `json:"confidentiality"`
	FieldGroup      string           `json:"field_group"`
	Readable        bool             `json:"readable"`
	Participants    *string          `json:"participants,omitempty"`
	Body            *string          `json:"body,omitempty"`
	CorrectsID      *int64           `json:"corrects_id"`
	CorrectedBy     []int64          `json:"corrected_by"`
	CreatedAt       string           `json:"created_at"`
	Attachments     []attachmentJSON `json:"attachments"`
}

// attachmentJSON is an attachment of a note.
type attachmentJSON struct {
	ID          int64  `json:"id"`
	NoteID      int64  `json:"note_id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	CreatedAt   string `json:"created_at"`
	URL         string `json:"url"`
}

func attachmentView(a cases.Attachment) attachmentJSON {
	return attachmentJSON{ID: a.ID, NoteID: a.NoteID, Name: a.Name, ContentType: a.ContentType, Size: a.Size,
		SHA256: hex.EncodeToString(a.SHA256), CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339),
		URL: "/api/v1/cases/" + strconv.FormatInt(a.CaseID, 10) + "/attachments/" + strconv.FormatInt(a.ID, 10)}
}

func noteView(v casework.NoteView) noteJSON {
	out := noteJSON{ID: v.ID, CaseID: v.CaseID, Kind: string(v.Kind), OccurredAt: v.OccurredAt.UTC().Format(time.RFC3339),
		AuthorID: v.AuthorID, Author: v.Author, AuthorOrgID: v.AuthorOrgID, MediatorID: optionalID(v.MediatorID),
		Language: v.Language, Confidentiality: string(v.Confidentiality), FieldGroup: v.FieldGroup, Readable: v.Readable,
		CorrectsID: optionalID(v.CorrectsID), CorrectedBy: v.CorrectedBy, CreatedAt: v.CreatedAt.UTC().Format(time.RFC3339),
		Attachments: []attachmentJSON{}}
	if out.CorrectedBy == nil {
		out.CorrectedBy = []int64{}
	}
	if v.Readable {
		participants, body := v.Participants, v.Body
		out.Participants, out.Body = &participants, &body
		for _, a := range v.Attachments {
			out.Attachments = append(out.Attachments, attachmentView(a))
		}
	}
	return out
}

// noteListJSON is a page of notes. Pages count threads: a note with the
// corrections made to it, which follow it in the items.
type noteListJSON struct {
	Items  []noteJSON `json:"items"`
	Total  int        `json:"total"`
	Offset int        `json:"offset"`
	Limit  int        `json:"limit"`
}

// listNotes returns a page of the notes of a case the caller may read,
// newest first, each followed by its corrections.
func (a *API) listNotes(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	if id == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	q := r.URL.Query()
	var problems []approdo.FieldError
	limit, offset := casework.NotePage, 0
	for _, p := range []struct {
		name string
		dst  *int
		max  int
	}{{"limit", &limit, casework.MaxNotePage}, {"offset", &offset, 1 << 30}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > p.max {
				problems = append(problems, approdo.FieldError{Field: p.name, Message: "error.field.unknown_value"})
			}
			*p.dst = n
		}
	}
	if len(problems) > 0 {
		a.fail(w, r, approdo.Invalid(problems...))
		return
	}
	p, err := a.Cases.Notes(r.Context(), auth.ActorFrom(r.Context()), id, offset, limit, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := noteListJSON{Items: []noteJSON{}, Total: p.Total, Offset: p.Offset, Limit: p.Limit}
	for _, t := range p.Threads {
		for _, v := range t.Notes {
			out.Items = append(out.Items, noteView(v))
		}
	}
	respond.JSON(w, http.StatusOK, out)
}

// notePath returns the case and note ids of the path, or zeros.
func notePath(r *http.Request) (int64, int64) {
	note, err := strconv.ParseInt(r.PathValue("note"), 10, 64)
	if err != nil || note <= 0 {
		return 0, 0
	}
	return pathID(r), note
}

// getNote returns one note of a case.
func (a *API) getNote(w http.ResponseWriter, r *http.Request) {
	caseID, noteID := notePath(r)
	if caseID == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	v, err := a.Cases.Note(r.Context(), auth.ActorFrom(r.Context()), caseID, noteID, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, noteView(*v))
}

// noteInputJSON is the body of a new note or correction.
type noteInputJSON struct {
	Kind            string `json:"kind"`
	OccurredAt      string `json:"occurred_at"`
	MediatorID      *int64 `json:"mediator_id"`
	Language        string `json:"language"`
	Confidentiality string `json:"confidentiality"`
	FieldGroup      string `json:"field_group"`
	Participants    string `json:"participants"`
	Body            string `json:"body"`
	CorrectsID      *int64 `json:"corrects_id"`
}

// input turns the body into what the service takes, with the problem of a
// date that cannot be read.
func (b noteInputJSON) input() casework.NoteInput {
	in := casework.NoteInput{Kind: cases.NoteKind(b.Kind), Language: b.Language,
		Confidentiality: cases.Confidentiality(b.Confidentiality), FieldGroup: b.FieldGroup,
		Participants: b.Participants, Body: b.Body}
	for _, p := range []struct {
		src *int64
		dst *int64
	}{{b.MediatorID, &in.MediatorID}, {b.CorrectsID, &in.CorrectsID}} {
		if p.src != nil {
			*p.dst = *p.src
			if *p.dst <= 0 {
				*p.dst = -1 // names nothing, and is reported as such
			}
		}
	}
	if strings.TrimSpace(b.OccurredAt) != "" {
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(b.OccurredAt))
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "occurred_at", Message: "error.note.occurred_at_rfc3339"})
		}
		in.OccurredAt = t
	}
	return in
}

// createNote adds a note or interview to a case, or a correction when the
// body names the note it corrects.
func (a *API) createNote(w http.ResponseWriter, r *http.Request) {
	var body noteInputJSON
	if err := a.decodeFor(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeNote(w, r, pathID(r), 0, body.input())
}

// correctNote adds a correction of the note in the path, which must be one
// of the caller's. It keeps the corrected note's confidentiality and field
// group.
func (a *API) correctNote(w http.ResponseWriter, r *http.Request) {
	caseID, noteID := notePath(r)
	if caseID == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	var body noteInputJSON
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	if body.CorrectsID != nil && *body.CorrectsID != noteID {
		a.fail(w, r, approdo.Invalid(approdo.FieldError{Field: "corrects_id", Message: "error.note.corrects_path"}))
		return
	}
	a.writeNote(w, r, caseID, noteID, body.input())
}

// writeNote writes in as a note of case caseID, or as a correction of note
// correcting when it is not 0, and answers with the note as stored.
func (a *API) writeNote(w http.ResponseWriter, r *http.Request, caseID, correcting int64, in casework.NoteInput) {
	actor := auth.ActorFrom(r.Context())
	var n *cases.Note
	var err error
	if correcting != 0 {
		n, err = a.Cases.CorrectNote(r.Context(), actor, caseID, correcting, in, auth.ClientFrom(r.Context()))
	} else {
		n, err = a.Cases.WriteNote(r.Context(), actor, caseID, in, auth.ClientFrom(r.Context()))
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := casework.NoteView{Note: *n, Readable: true, Author: actor.User.DisplayName, Mine: true}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(caseID, 10)+"/notes/"+strconv.FormatInt(n.ID, 10))
	respond.JSON(w, http.StatusCreated, noteView(v))
}

// uploadAttachment attaches the file sent as the part "file" of a
// multipart/form-data body to a note the caller wrote.
func (a *API) uploadAttachment(w http.ResponseWriter, r *http.Request) {
	caseID, noteID := notePath(r)
	if caseID == 0 {
		a.fail(w, r, errNotFound())
		return
	}
	att, err := a.Cases.AddAttachment(r.Context(), auth.ActorFrom(r.Context()), caseID, noteID, readUploadPart(r), auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(caseID, 10)+"/attachments/"+strconv.FormatInt(att.ID, 10))
	respond.JSON(w, http.StatusCreated, attachmentView(*att))
}

// readUploadPart reads the part "file" of a multipart body, stopping at the
// size limit. It returns nil when the body has no such part, and an upload
// carrying the problem when the body is not multipart or is cut short, for
// the service to report once the caller's access is checked.
func readUploadPart(r *http.Request) *casework.Upload {
	_, up := readMultipart(r)
	return up
}

// maxFieldBytes bounds each field of a multipart body other than the file.
const maxFieldBytes = 4096

// readMultipart reads a multipart body: its fields (each cut at
// maxFieldBytes) and its part "file" as readUploadPart returns it.
func readMultipart(r *http.Request) (url.Values, *casework.Upload) {
	fields := url.Values{}
	malformed := &casework.Upload{Problem: "error.attachment.multipart"}
	mr, err := r.MultipartReader()
	if err != nil {
		return fields, malformed
	}
	var tooBig *http.MaxBytesError
	var up *casework.Upload
	for {
		part, err := mr.NextPart()
		switch {
		case errors.Is(err, io.EOF):
			return fields, up
		case errors.As(err, &tooBig):
			return fields, &casework.Upload{Size: cases.MaxAttachmentSize + 1}
		case err != nil:
			return fields, malformed
		}
		if part.FormName() != "file" {
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes))
			part.Close()
			if err != nil {
				return fields, malformed
			}
			fields.Add(part.FormName(), string(b))
			continue
		}
		file := &casework.Upload{Name: part.FileName(), DeclaredType: part.Header.Get("Content-Type")}
		file.Content, err = io.ReadAll(io.LimitReader(part, cases.MaxAttachmentSize+1))
		part.Close()
		switch {
		case errors.As(err, &tooBig):
			return fields, &casework.Upload{Name: file.Name, Size: cases.MaxAttachmentSize + 1}
		case err != nil:
			return fields, malformed
		}
		file.Size = int64(len(file.Content))
		up = file
	}
}

// downloadAttachment sends an attachment to someone who may read its note,
// as a download of its stored type that browsers neither show, sniff nor
// cache.
func (a *API) downloadAttachment(w http.ResponseWriter, r *http.Request) {
	caseID := pathID(r)
	id, err := strconv.ParseInt(r.PathValue("attachment"), 10, 64)
	if caseID == 0 || err != nil || id <= 0 {
		a.fail(w, r, errNotFound())
		return
	}
	att, content, err := a.Cases.Attachment(r.Context(), auth.ActorFrom(r.Context()), caseID, id, auth.ClientFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.Download(w, att.Name, att.ContentType, content)
}
