package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
	"approdo/internal/casework"
	"approdo/refdata"
)

// What the notes section's forms share: the values of the note form as
// typed, reading them and a file from a (multipart) request, and the choices
// the form offers.

// noteFieldPrefix prefixes the ids of the note form's inputs, so that they
// cannot clash with the inputs of other sections on the case page; the
// names the form sends are the bare field names.
const noteFieldPrefix = "note-"

// occurredLayout is how a datetime-local input sends a date and time.
const occurredLayout = "2006-01-02T15:04"

// noteForm is the note form as the user filled it in.
type noteForm struct {
	Kind            string
	OccurredAt      string
	MediatorID      string
	Language        string
	Confidentiality string
	FieldGroup      string
	Participants    string
	Body            string
	CorrectsID      string
}

// newNoteForm returns the form of a new note: a plain note, team-wide,
// happened now.
func newNoteForm(now time.Time) noteForm {
	return noteForm{Kind: string(cases.PlainNote), Confidentiality: string(cases.TeamNote),
		OccurredAt: now.In(approdo.Rome).Format(occurredLayout)}
}

// correctionForm returns the form of a correction of v, filled with what v
// says, for the author to change.
func correctionForm(v casework.NoteView) noteForm {
	f := noteForm{Kind: string(v.Kind), OccurredAt: v.OccurredAt.In(approdo.Rome).Format(occurredLayout),
		Language: v.Language, Confidentiality: string(v.Confidentiality), FieldGroup: v.FieldGroup,
		Participants: v.Participants, Body: v.Body, CorrectsID: strconv.FormatInt(v.ID, 10)}
	if v.MediatorID != 0 {
		f.MediatorID = strconv.FormatInt(v.MediatorID, 10)
	}
	return f
}

// input turns the form into what the service takes, with the problems of
// values that could not be read.
func (f noteForm) input() casework.NoteInput {
	in := casework.NoteInput{Kind: cases.NoteKind(f.Kind), MediatorID: parseID(f.MediatorID), Language: f.Language,
		Confidentiality: cases.Confidentiality(f.Confidentiality), FieldGroup: f.FieldGroup,
		Participants: f.Participants, Body: f.Body, CorrectsID: parseID(f.CorrectsID)}
	if s := strings.TrimSpace(f.OccurredAt); s != "" {
		t, err := time.ParseInLocation(occurredLayout, s, approdo.Rome)
		if err != nil {
			in.Problems = append(in.Problems, approdo.FieldError{Field: "occurred_at", Message: "error.note.occurred_at_format"})
		}
		in.OccurredAt = t
	}
	return in
}

// readForm parses the request's form, multipart or not, and returns the
// file sent as "file", if any. A body over the upload limit loses its
// fields; the file is then reported as too large.
func readForm(r *http.Request) (*casework.Upload, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return nil, r.ParseForm()
	}
	err := r.ParseMultipartForm(1 << 20)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &casework.Upload{Size: cases.MaxAttachmentSize + 1}, nil
	} else if err != nil {
		return &casework.Upload{Problem: "error.note.form_malformed"}, nil
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 || files[0].Filename == "" && files[0].Size == 0 {
		return nil, nil
	}
	return readUpload(files[0])
}

// readUpload reads a file of a multipart form, unless it is over the size
// limit.
func readUpload(fh *multipart.FileHeader) (*casework.Upload, error) {
	up := &casework.Upload{Name: fh.Filename, DeclaredType: fh.Header.Get("Content-Type"), Size: fh.Size}
	if fh.Size > cases.MaxAttachmentSize {
		return up, nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	up.Content, err = io.ReadAll(io.LimitReader(f, cases.MaxAttachmentSize+1))
	return up, err
}

// readNoteForm reads the note form of a request.
func readNoteForm(r *http.Request) (noteForm, *casework.Upload, error) {
	up, err := readForm(r)
	f := noteForm{Kind: r.PostFormValue("kind"), OccurredAt: r.PostFormValue("occurred_at"),
		MediatorID: r.PostFormValue("mediator_id"), Language: r.PostFormValue("language"),
		Confidentiality: r.PostFormValue("confidentiality"), FieldGroup: r.PostFormValue("field_group"),
		Participants: r.PostFormValue("participants"), Body: r.PostFormValue("body"),
		CorrectsID: r.PostFormValue("corrects_id")}
	return f, up, err
}

// choice is one option of a select or radio group.
type choice struct {
	Value string
	Label string // translated
	Hint  string // translated, or ""
}

// languageChoices lists the languages of refdata by their name in lang.
func languageChoices(lang string) []choice {
	var out []choice
	for _, l := range refdata.LanguagesByName(lang) {
		out = append(out, choice{Value: l.Code(), Label: l.Name(lang)})
	}
	return out
}

// languageName returns the name of a language code in lang, or the code.
func languageName(code, lang string) string {
	if l, ok := refdata.LookupLanguage(code); ok {
		return l.Name(lang)
	}
	return code
}

// fileSize writes a size in bytes as lang writes it: "850 B", "12 KB",
// "1,4 MB".
func fileSize(n int64, lang string) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatInt((n+1<<9)>>10, 10) + " KB"
	}
	s := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " MB"
}

// The routes that take a file, registered in routes.go.
const (
	createNoteRoute    = "POST /cases/{id}/notes"
	addAttachmentRoute = "POST /cases/{id}/notes/{note}/attachments"
	addExpenseRoute    = "POST /cases/{id}/project/expenses"
)

// UploadRoutes lists the UI routes whose requests carry a file: the server
// lets their bodies grow to an attachment and its form, and keeps every
// other body under its default limit.
func UploadRoutes() []string { return []string{createNoteRoute, addAttachmentRoute, addExpenseRoute} }
