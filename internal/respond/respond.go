// Package respond writes HTTP responses for the UI and the JSON API: JSON
// bodies, redirects, and the one table that maps an application error code
// to an HTTP status.
package respond

import (
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"approdo"
	"approdo/internal/i18n"
)

// Status returns the HTTP status for an application error code.
func Status(code string) int {
	switch code {
	case approdo.EINVALID:
		return http.StatusUnprocessableEntity
	case approdo.ENOTFOUND:
		return http.StatusNotFound
	case approdo.ECONFLICT:
		return http.StatusConflict
	case approdo.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case approdo.EFORBIDDEN:
		return http.StatusForbidden
	case approdo.ETOOMANY:
		return http.StatusTooManyRequests
	case approdo.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// JSON writes v as a JSON body with the given status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		slog.Debug("respond: client went away while writing JSON", "err", err)
	}
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail describes an error: its code, a message in the request's
// language, and for invalid input one entry per field.
type ErrorDetail struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldIssue `json:"fields,omitempty"`
}

// FieldIssue is one invalid field of a request.
type FieldIssue struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// JSONError writes err as an ErrorBody in lang with the status of its code.
// Internal errors are logged with the request's route and shown only as
// "Internal error".
func JSONError(w http.ResponseWriter, r *http.Request, cat *i18n.Catalogue, lang string, err error) {
	code := approdo.ErrorCode(err)
	if code == approdo.EINTERNAL {
		slog.Error("internal error", "route", r.Pattern, "err", err)
	}
	key, args := approdo.ErrorMessage(err)
	body := ErrorBody{Error: ErrorDetail{Code: code, Message: cat.T(lang, key, args...)}}
	for _, f := range approdo.ErrorFields(err) {
		body.Error.Fields = append(body.Error.Fields, FieldIssue{Field: f.Field, Message: FieldMessage(cat, lang, f)})
	}
	JSON(w, Status(code), body)
}

// FieldMessage translates a field problem, naming the field by its label
// (see FieldLabel) as the message's first argument.
func FieldMessage(cat *i18n.Catalogue, lang string, f approdo.FieldError) string {
	args := append([]any{FieldLabel(cat, lang, f.Field)}, f.Args...)
	return cat.T(lang, f.Message, args...)
}

// FieldLabel returns the label of a field: "field.<name>" in the catalogue.
// A field of one row of a list, named list.N.name with N counting from 0
// (such as budget_lines.2.amount_cents), is labelled by the key of the
// list's field without the row (field.budget_lines.amount_cents) and the
// row's number from 1, put together by the key "field.row".
//
// The goals of an individual project are named by domain, as
// goals.DOMAIN.FIELD and goals.DOMAIN.actions.N.FIELD, and labelled by the
// domain ("project.domain.DOMAIN"), the action's number ("project.action_n")
// and the field ("project.field.FIELD").
func FieldLabel(cat *i18n.Catalogue, lang, field string) string {
	if rest, ok := strings.CutPrefix(field, "goals."); ok {
		parts := strings.Split(rest, ".")
		label := cat.T(lang, "project.domain."+parts[0])
		switch {
		case len(parts) == 2:
			return label + " — " + cat.T(lang, "project.field."+parts[1])
		case len(parts) == 4 && parts[1] == "actions":
			n, _ := strconv.Atoi(parts[2])
			return label + " — " + cat.T(lang, "project.action_n", n+1) + " — " + cat.T(lang, "project.field."+parts[3])
		}
	}
	if list, rest, ok := strings.Cut(field, "."); ok {
		if num, name, ok := strings.Cut(rest, "."); ok {
			if n, err := strconv.Atoi(num); err == nil {
				return cat.T(lang, "field.row", cat.T(lang, "field."+list+"."+name), n+1)
			}
		}
	}
	return cat.T(lang, "field."+field)
}

// SeeOther redirects a browser after a successful form post.
func SeeOther(w http.ResponseWriter, r *http.Request, url string) {
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// Download writes content as a file download named name, of type
// contentType, with the headers that keep a browser from showing, sniffing
// or caching it: what it sends is case data.
func Download(w http.ResponseWriter, name, contentType string, content []byte) {
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
