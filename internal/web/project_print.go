package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/documents"
	"approdo/internal/respond"
)

// printProject sends an approved version of a case's project as a PDF:
// the project in Italian, ready for signatures, or, with summary, the
// plain summary for the person in the language asked ("lang"). "version"
// picks an older approved version.
func (h *Handler) printProject(summary bool) http.HandlerFunc {
	part := documents.ProjectSheet
	if summary {
		part = documents.PersonSummary
	}
	return func(w http.ResponseWriter, r *http.Request) {
		id := pathID(r, "id")
		if id == 0 {
			h.notFound(w, r)
			return
		}
		version, lang, problems := documents.Query(r.URL.Query(), summary)
		d, err := h.Cases.ProjectDocument(r.Context(), auth.ActorFrom(r.Context()), id, version, part, problems, auth.ClientFrom(r.Context()))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		name, content, err := documents.Print(d, summary, lang, h.Cases.Now())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		respond.Download(w, name, "application/pdf", content)
	}
}
