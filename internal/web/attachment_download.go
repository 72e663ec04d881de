package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/respond"
)

// downloadAttachment sends an attachment to someone who may read its note,
// always as a download of its stored type, never to be shown or sniffed by
// the browser, and never cached.
func (h *Handler) downloadAttachment(w http.ResponseWriter, r *http.Request) {
	caseID, id := pathID(r, "id"), pathID(r, "attachment")
	if caseID == 0 || id == 0 {
		h.notFound(w, r)
		return
	}
	att, content, err := h.Cases.Attachment(r.Context(), auth.ActorFrom(r.Context()), caseID, id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	respond.Download(w, att.Name, att.ContentType, content)
}
