package web

import (
	"net/http"

	"approdo/internal/auth"
	"approdo/internal/casework"
)

// transferForm is the page of one transfer, with the summary of its case
// and the forms that accept or decline it.
type transferForm struct {
	*casework.TransferView
	Version     int
	DeclineText string
	Errors      []formError
	Conflict    *caseConflict
	MaxReason   int
}

// FieldError returns the message of the named field, or "".
func (f transferForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// showTransfer shows a transfer to a social worker of the organisation
// that must decide it.
func (h *Handler) showTransfer(w http.ResponseWriter, r *http.Request) {
	v, ok := h.transferFor(w, r)
	if !ok {
		return
	}
	h.renderTransfer(w, r, http.StatusOK, transferForm{TransferView: v, Version: v.Case.Version})
}

// transferFor loads the transfer of the path for its page.
func (h *Handler) transferFor(w http.ResponseWriter, r *http.Request) (*casework.TransferView, bool) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return nil, false
	}
	v, err := h.Cases.Transfer(r.Context(), auth.ActorFrom(r.Context()), id, auth.ClientFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return v, true
}

// renderTransfer shows a transfer's page with status.
func (h *Handler) renderTransfer(w http.ResponseWriter, r *http.Request, status int, f transferForm) {
	f.MaxReason = 2000
	h.render(w, r, status, "case_transfer_decide", h.newPage(r, "case_transfer_decide.title", f))
}

// acceptTransfer accepts a transfer: the case moves to the actor's
// organisation, with the actor as its case worker, and the actor goes to
// it. When the case changed since the summary was read, the page comes back
// with what changed and the new version, to accept again.
func (h *Handler) acceptTransfer(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	a := auth.ActorFrom(r.Context())
	c, err := h.Cases.AcceptTransfer(r.Context(), a, id, formVersion(r), auth.ClientFrom(r.Context()))
	if err == nil {
		http.Redirect(w, r, casePagePath(c.ID)+"?saved", http.StatusSeeOther)
		return
	}
	h.transferFailed(w, r, err, transferForm{Version: formVersion(r)})
}

// declineTransfer declines a transfer with a reason and goes back to the
// list of transfers; without a reason the page comes back saying so.
func (h *Handler) declineTransfer(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	f := transferForm{DeclineText: r.PostFormValue("reason")}
	err := h.Cases.DeclineTransfer(r.Context(), auth.ActorFrom(r.Context()), id, f.DeclineText, auth.ClientFrom(r.Context()))
	if err == nil {
		http.Redirect(w, r, "/transfers?decided", http.StatusSeeOther)
		return
	}
	h.transferFailed(w, r, err, f)
}

// transferFailed shows a transfer's page again after a refused decision:
// with its problems, or with what changed on the case and its new version.
func (h *Handler) transferFailed(w http.ResponseWriter, r *http.Request, err error, f transferForm) {
	status := formStatus(err)
	switch s := casework.AsStale(err); {
	case s != nil:
		f.Conflict, f.Version = h.conflictOf(r, s), s.Version
	case status == http.StatusUnprocessableEntity || status == http.StatusConflict:
		f.Errors = h.formErrors(r, err)
	default:
		h.fail(w, r, err)
		return
	}
	v, ok := h.transferFor(w, r)
	if !ok {
		return
	}
	f.TransferView = v
	if f.Version == 0 {
		f.Version = v.Case.Version
	}
	h.renderTransfer(w, r, status, f)
}
