package web

import (
	"net/http"
	"strconv"

	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/casework"
)

// notesData is what the notes section of a case shows: a page of notes,
// each with its corrections, and the form to add a note or, when the
// author asked to correct one of theirs, to correct it.
type notesData struct {
	Case    *cases.Case
	Threads []noteThread
	Total   int
	From    int
	To      int
	Prev    string
	Next    string

	CanWrite bool
	Form     noteForm
	Errors   []formError
	// Correcting is the note the form corrects, or nil for a new note.
	Correcting *noteItem
	// Open shows the form unfolded: after a failed submit, or to correct.
	Open  bool
	Saved bool
	// FileLost says that a file was sent with a form that failed: browsers
	// do not keep it, so it must be chosen again.
	FileLost bool

	Kinds             []choice
	Confidentialities []choice
	FieldGroups       []choice
	Mediators         []choice
	Languages         []choice
	MaxMB             int
	MaxBytes          int
	Accept            string
}

// FieldError returns the message of the note form's field name, or "".
func (d notesData) FieldError(name string) string { return fieldError(d.Errors, noteFieldPrefix+name) }

// noteThread is a note with its corrections, oldest first.
type noteThread struct {
	Notes []noteItem
}

// noteItem is one note as the section shows it.
type noteItem struct {
	casework.NoteView
	LanguageName string
	Files        []fileItem
	// Corrections are the notes that correct this one.
	Corrections []int64
	// AttachErrors are the problems of the last attempt to attach a file to
	// this note.
	AttachErrors []formError
}

// AttachID is the id of the note's attach form's file input.
func (n noteItem) AttachID() string { return "attach-" + strconv.FormatInt(n.ID, 10) }

// AttachError is the message beside the note's attach form's file input.
func (n noteItem) AttachError() string { return fieldError(n.AttachErrors, n.AttachID()) }

// fileItem is one attachment of a note.
type fileItem struct {
	cases.Attachment
	SizeText string
	Href     string
}

// notesState is what a submit leaves for the section to show.
type notesState struct {
	form        *noteForm
	errors      []formError
	saved       bool
	correct     int64
	attachTo    int64
	attachError []formError
	fileLost    bool
	open        bool
}

// showCaseNotes shows the notes and interviews of a case, newest first,
// with the form to add one; ?correct=ID opens the form on a correction of
// one of the actor's notes, ?kind=KIND opens it on a new note of that kind
// (the case page links a follow-up contact so), ?page=N turns the pages.
func (h *Handler) showCaseNotes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	correct, _ := strconv.ParseInt(q.Get("correct"), 10, 64)
	st := notesState{saved: q.Get("saved") == "1", correct: correct}
	if k := cases.NoteKind(q.Get("kind")); k.Valid() {
		f := newNoteForm(h.Cases.Now())
		f.Kind = string(k)
		st.form, st.open = &f, true
	}
	h.renderNotes(w, r, http.StatusOK, st)
}

// renderNotes loads the page of notes the request asks for and renders the
// section with st.
func (h *Handler) renderNotes(w http.ResponseWriter, r *http.Request, status int, st notesState) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	a := auth.ActorFrom(r.Context())
	p, err := h.Cases.Notes(r.Context(), a, id, (page-1)*casework.NotePage, casework.NotePage, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := lang(r.Context())
	base := "/cases/" + strconv.FormatInt(id, 10) + "/notes"
	d := notesData{Case: p.Case, Total: p.Total, CanWrite: p.CanWrite, Errors: st.errors, Saved: st.saved, FileLost: st.fileLost,
		From: p.Offset + 1, To: p.Offset + len(p.Threads), MaxMB: cases.MaxAttachmentSize >> 20,
		MaxBytes: cases.MaxAttachmentSize, Accept: attachmentAccept}
	if page > 1 {
		d.Prev = base + "?page=" + strconv.Itoa(page-1)
	}
	if p.Offset+len(p.Threads) < p.Total {
		d.Next = base + "?page=" + strconv.Itoa(page+1)
	}
	for _, t := range p.Threads {
		var nt noteThread
		for _, v := range t.Notes {
			item := noteItem{NoteView: v, LanguageName: languageName(v.Language, l), Corrections: v.CorrectedBy}
			for _, f := range v.Attachments {
				item.Files = append(item.Files, fileItem{Attachment: f, SizeText: fileSize(f.Size, l),
					Href: "/cases/" + strconv.FormatInt(id, 10) + "/attachments/" + strconv.FormatInt(f.ID, 10)})
			}
			if v.ID == st.attachTo {
				item.AttachErrors = st.attachError
			}
			if v.ID == st.correct && v.Mine && v.Readable && st.form == nil {
				c := item
				d.Correcting = &c
				f := correctionForm(v)
				st.form = &f
			}
			nt.Notes = append(nt.Notes, item)
		}
		d.Threads = append(d.Threads, nt)
	}
	if st.form != nil {
		d.Form = *st.form
	} else {
		d.Form = newNoteForm(h.Cases.Now())
	}
	if d.Correcting == nil && d.Form.CorrectsID != "" {
		// A failed correction: show which note it corrects.
		for _, t := range d.Threads {
			for _, n := range t.Notes {
				if strconv.FormatInt(n.ID, 10) == d.Form.CorrectsID {
					c := n
					d.Correcting = &c
				}
			}
		}
	}
	d.Open = st.open || len(d.Errors) > 0 && st.attachTo == 0 || d.Correcting != nil
	if d.CanWrite {
		for _, k := range cases.NoteKinds {
			d.Kinds = append(d.Kinds, choice{Value: string(k), Label: h.Catalogue.T(l, "note.kind."+string(k))})
		}
		for _, c := range cases.Confidentialities {
			d.Confidentialities = append(d.Confidentialities, choice{Value: string(c),
				Label: h.Catalogue.T(l, "note.confidentiality."+string(c)), Hint: h.Catalogue.T(l, "note.confidentiality_hint."+string(c))})
		}
		for _, g := range p.FieldGroups {
			d.FieldGroups = append(d.FieldGroups, choice{Value: g, Label: h.Catalogue.T(l, "access.field_group."+g)})
		}
		for _, m := range p.Mediators {
			d.Mediators = append(d.Mediators, choice{Value: strconv.FormatInt(m.ID, 10), Label: m.DisplayName})
		}
		d.Languages = languageChoices(l)
	}
	h.renderSection(w, r, status, "case_notes", h.newPage(r, "case.section.notes", d))
}

// attachmentAccept is the accept attribute of the file inputs: the
// extensions of the types cases.AttachmentTypes allows.
const attachmentAccept = ".pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,.doc,.docx,.xls,.xlsx,.odt,.ods,.txt"

// noteFormErrors translates the problems of err for the note form, naming
// each field by the id of its input.
func (h *Handler) noteFormErrors(r *http.Request, err error) []formError {
	return h.prefixedErrors(r, err, noteFieldPrefix)
}
