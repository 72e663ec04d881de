package documents

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"approdo"
	"approdo/internal/casework"
)

// The documents printed from an approved project, as the audit trail
// names their reading.
const (
	ProjectSheet  = "project_document"
	PersonSummary = "project_summary"
)

// Query reads a request for a document of a project: "version", the number
// of an approved version (none: the last), and, for the person's summary,
// "lang", one of SummaryLanguages (none: Italian). It returns what it could
// not read as problems naming the field.
func Query(q url.Values, summary bool) (version int, lang string, problems []approdo.FieldError) {
	if v := q.Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			problems = append(problems, approdo.FieldError{Field: "version", Message: "error.field.unknown_value"})
		}
		version = n
	}
	lang = "it"
	if summary {
		if l := q.Get("lang"); l != "" {
			if !SupportedSummary(l) {
				problems = append(problems, approdo.FieldError{Field: "lang", Message: "error.field.unknown_value"})
			}
			lang = l
		}
	}
	return version, lang, problems
}

// Print prints d, as the person's summary in lang when summary is set or
// as the project to sign, and returns the file's name and content.
func Print(d *casework.ProjectDocument, summary bool, lang string, printed time.Time) (string, []byte, error) {
	var b bytes.Buffer
	if summary {
		if err := WriteSummary(&b, d, lang, printed); err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("riepilogo-%s-v%d-%s.pdf", d.Case.Code, d.Number, lang), b.Bytes(), nil
	}
	if err := WriteProject(&b, d, printed); err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("progetto-%s-v%d.pdf", d.Case.Code, d.Number), b.Bytes(), nil
}
