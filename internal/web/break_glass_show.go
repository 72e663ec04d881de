package web

import "net/http"

// breakGlassForm is what the break-glass page shows.
type breakGlassForm struct {
	Code   string
	Reason string
	Hours  int
	Errors []formError
}

// FieldError returns the message of the named field, or "".
func (f breakGlassForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// showBreakGlass shows the form to open a case outside one's scope.
func (h *Handler) showBreakGlass(w http.ResponseWriter, r *http.Request) {
	form := breakGlassForm{Code: r.URL.Query().Get("case_code"), Hours: int(h.Cases.BreakGlassFor.Hours())}
	h.render(w, r, http.StatusOK, "break_glass", h.newPage(r, "break_glass.title", form))
}
