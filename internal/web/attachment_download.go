package web

import (
	"mime"
	"net/http"
	"strconv"

	"approdo/internal/auth"
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
	serveAttachment(w, att.Name, att.ContentType, content)
}

// serveAttachment writes content as a file download named name, of type
// contentType, with the headers that keep a browser from showing, sniffing
// or caching it.
func serveAttachment(w http.ResponseWriter, name, contentType string, content []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(content)))
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(content)
}
