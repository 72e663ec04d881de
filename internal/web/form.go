package web

import (
	"net/http"

	"approdo"
	"approdo/internal/respond"
)

// formError is one problem a form shows: in the summary at the top, linked
// to the field, and beside the field itself.
type formError struct {
	Field   string // the input's name and id; "" for a problem with the whole form
	Message string // translated
}

// formErrors translates the problems of err for a form. An error that is not
// about fields becomes one general problem.
func (h *Handler) formErrors(r *http.Request, err error) []formError {
	l := lang(r.Context())
	var out []formError
	for _, f := range approdo.ErrorFields(err) {
		out = append(out, formError{Field: f.Field, Message: respond.FieldMessage(h.Catalogue, l, f)})
	}
	if len(out) == 0 {
		key, args := approdo.ErrorMessage(err)
		out = append(out, formError{Message: h.Catalogue.T(l, key, args...)})
	}
	return out
}

// fieldError returns the message of the named field among errs, or "".
func fieldError(errs []formError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}
