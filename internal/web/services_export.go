package web

import (
	"bytes"
	"net/http"

	"approdo/internal/auth"
	servicedir "approdo/internal/directory"
	"approdo/internal/respond"
)

// exportServices downloads the whole directory as HSDS: JSON, or CSV with
// ?format=csv. The export is audited.
func (h *Handler) exportServices(w http.ResponseWriter, r *http.Request) {
	format := "json"
	if r.URL.Query().Get("format") == "csv" {
		format = "csv"
	}
	list, err := h.serviceDirectory().Export(r.Context(), auth.ActorFrom(r.Context()), format)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if format == "csv" {
		err = servicedir.WriteCSV(&buf, list)
	} else {
		err = servicedir.WriteJSON(&buf, list)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if format == "csv" {
		respond.Download(w, "approdo-services.csv", "text/csv; charset=utf-8", buf.Bytes())
		return
	}
	respond.Download(w, "approdo-services.json", "application/json", buf.Bytes())
}
