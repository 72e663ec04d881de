package cases

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"approdo"
	"approdo/refdata"
)

// NoteKind is what a note records.
type NoteKind string

// The kinds of note.
const (
	PlainNote    NoteKind = "note"      // an observation or a step taken
	Interview    NoteKind = "interview" // a "colloquio" with the person
	FollowUpNote NoteKind = "follow_up" // a contact after closure
)

// NoteKinds lists the kinds of note.
var NoteKinds = []NoteKind{PlainNote, Interview, FollowUpNote}

// Confidentiality bounds who reads a note within those who read the case.
type Confidentiality string

// The confidentiality levels of a note.
const (
	TeamNote       Confidentiality = "team"         // everyone who reads the case
	OrgNote        Confidentiality = "organisation" // the author's organisation only
	RestrictedNote Confidentiality = "restricted"   // the author and the case owner only
)

// Confidentialities lists the levels, widest first.
var Confidentialities = []Confidentiality{TeamNote, OrgNote, RestrictedNote}

// Valid reports whether k is one of NoteKinds.
func (k NoteKind) Valid() bool { return slices.Contains(NoteKinds, k) }

// Valid reports whether c is one of Confidentialities.
func (c Confidentiality) Valid() bool { return slices.Contains(Confidentialities, c) }

// NoteFieldGroups lists the sensitive field groups a note may be filed in.
// A note in a group is read only by those the policy grants the group; the
// others see that it exists, when it happened and who wrote it, never its
// content.
var NoteFieldGroups = []string{"health", "violence", "judicial", "sexual_life", "religion"}

// MaxParticipantsLength bounds the participants of a note.
const MaxParticipantsLength = 2000

// Note is an entry of a case's notes and interviews. Notes are
// append-only: a correction is a new note whose CorrectsID names the one it
// corrects. Participants and body are sealed; FieldGroup puts the note in a
// sensitive field group such as health.
type Note struct {
	ID              int64
	CaseID          int64
	Kind            NoteKind
	OccurredAt      time.Time
	AuthorID        int64
	AuthorOrgID     int64
	MediatorID      int64
	Language        string // ISO 639 code of the language the interview was held in
	Confidentiality Confidentiality
	FieldGroup      string
	Participants    string
	Body            string
	CorrectsID      int64
	CreatedAt       time.Time
	Attachments     []Attachment
}

// MaxNoteLength bounds a note's body.
const MaxNoteLength = 50000

// Validate checks a new note at day: a known kind, confidentiality and
// field group, a language of ISO 639, a body and participants of reasonable
// length, a date not in the future. It returns EINVALID naming each field.
func (n *Note) Validate(day time.Time) error {
	var problems []approdo.FieldError
	add := func(field, msg string, args ...any) {
		problems = append(problems, approdo.FieldError{Field: field, Message: msg, Args: args})
	}
	if !slices.Contains(NoteKinds, n.Kind) {
		add("kind", "error.field.unknown_value")
	}
	if !slices.Contains(Confidentialities, n.Confidentiality) {
		add("confidentiality", "error.field.unknown_value")
	}
	if n.FieldGroup != "" && !slices.Contains(NoteFieldGroups, n.FieldGroup) {
		add("field_group", "error.field.unknown_value")
	}
	if n.Language != "" {
		if _, ok := refdata.LookupLanguage(n.Language); !ok {
			add("language", "error.note.language")
		}
	}
	switch l := utf8.RuneCountInString(n.Body); {
	case strings.TrimSpace(n.Body) == "":
		add("body", "error.field.required")
	case l > MaxNoteLength:
		add("body", "error.field.too_long", MaxNoteLength)
	}
	if utf8.RuneCountInString(n.Participants) > MaxParticipantsLength {
		add("participants", "error.field.too_long", MaxParticipantsLength)
	}
	if n.OccurredAt.IsZero() {
		add("occurred_at", "error.field.required")
	} else if n.OccurredAt.After(day.Add(5 * time.Minute)) {
		add("occurred_at", "error.field.future")
	}
	if len(problems) > 0 {
		return approdo.Invalid(problems...)
	}
	return nil
}

// Attachment is a file attached to a note. Its name and content are sealed.
type Attachment struct {
	ID          int64
	NoteID      int64
	CaseID      int64
	Name        string
	ContentType string
	Size        int64
	SHA256      []byte
	CreatedAt   time.Time
}

// MaxAttachmentSize bounds an attachment.
const MaxAttachmentSize = 10 << 20

// AttachmentTypes lists the content types an attachment may have: PDF,
// images and office documents.
var AttachmentTypes = []string{
	"application/pdf", "image/jpeg", "image/png", "image/webp", "image/heic",
	"application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
	"text/plain",
}

// The office types that are ZIP containers (Office Open XML, OpenDocument)
// and those that are OLE compound files (the older Word and Excel).
var (
	zipOfficeTypes = []string{
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
	}
	oleOfficeTypes = []string{"application/msword", "application/vnd.ms-excel"}
)

// attachmentExtensions gives the type a file name's extension stands for,
// for clients that declare none or a generic one.
var attachmentExtensions = map[string]string{
	".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
	".webp": "image/webp", ".heic": "image/heic", ".heif": "image/heic", ".txt": "text/plain",
	".doc": "application/msword", ".xls": "application/vnd.ms-excel",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".odt":  "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}

// AttachmentType returns the type of an attachment from its content, and
// whether AttachmentTypes allows it. The content decides: PDF, JPEG, PNG,
// WebP and HEIC carry their own signature, and plain text must be UTF-8
// that sniffs as text. Office documents are ZIP or OLE containers whose
// signature does not tell a spreadsheet from a letter, so for them the type
// the client declared (or, when it declared none or a generic one, the file
// name's extension) is taken if it is an office type of that container. A
// declared type alone never makes a file acceptable.
func AttachmentType(content []byte, declared, name string) (string, bool) {
	claimed, _, _ := mime.ParseMediaType(declared)
	if claimed == "" || claimed == "application/octet-stream" || !slices.Contains(AttachmentTypes, claimed) {
		claimed = attachmentExtensions[strings.ToLower(path.Ext(name))]
	}
	switch {
	case bytes.HasPrefix(content, []byte("%PDF-")):
		return "application/pdf", true
	case bytes.HasPrefix(content, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", true
	case bytes.HasPrefix(content, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", true
	case len(content) >= 12 && string(content[:4]) == "RIFF" && string(content[8:12]) == "WEBP":
		return "image/webp", true
	case len(content) >= 12 && string(content[4:8]) == "ftyp" &&
		slices.Contains([]string{"heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"}, string(content[8:12])):
		return "image/heic", true
	case bytes.HasPrefix(content, []byte("PK\x03\x04")):
		return claimed, slices.Contains(zipOfficeTypes, claimed)
	case bytes.HasPrefix(content, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return claimed, slices.Contains(oleOfficeTypes, claimed)
	}
	sniffed := http.DetectContentType(content)
	if claimed == "text/plain" && sniffed == "text/plain; charset=utf-8" && utf8.Valid(content) {
		return "text/plain", true
	}
	return sniffed, false
}

// MaxAttachmentNameLength bounds the name of an attachment, in characters.
const MaxAttachmentNameLength = 200

// CleanAttachmentName returns the name an attachment is kept under: the
// last element of the name a client sent (browsers on some systems send a
// whole path), without control characters or surrounding spaces, cut to
// MaxAttachmentNameLength characters keeping its extension. It may be
// empty.
func CleanAttachmentName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name))
	if utf8.RuneCountInString(name) <= MaxAttachmentNameLength {
		return name
	}
	ext := path.Ext(name)
	if utf8.RuneCountInString(ext) > 16 {
		ext = ""
	}
	runes := []rune(strings.TrimSuffix(name, ext))
	return string(runes[:MaxAttachmentNameLength-utf8.RuneCountInString(ext)]) + ext
}

// ClosureReasons lists why a case closes.
var ClosureReasons = []string{"autonomy", "transfer", "age_18", "age_21_extension", "return", "lost_contact", "other"}

// Outcomes of a closed case: what the person achieved.
var ClosureOutcomes = []string{"housing", "work", "documents", "education", "family_reunification", "none"}

// Concerns lists the protection concerns a case may carry, shown as chips.
var Concerns = []string{"unaccompanied", "trafficking", "gbv", "child_abuse", "witnessed_violence", "exploitation",
	"health", "mental_health", "disability", "pregnancy", "missing_risk", "age_dispute", "documents", "lgbti"}
