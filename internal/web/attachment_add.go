package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
)

// addAttachment attaches a file to a note its author wrote. htmx gets the
// section back; a plain form is sent back to the section at the note. A
// file that is missing, empty, too large or of a type not allowed shows the
// section again with the message beside the note's file field.
func (h *Handler) addAttachment(w http.ResponseWriter, r *http.Request) {
	caseID, noteID := pathID(r, "id"), pathID(r, "note")
	if caseID == 0 || noteID == 0 {
		h.notFound(w, r)
		return
	}
	upload, err := readForm(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, err = h.Cases.AddAttachment(r.Context(), auth.ActorFrom(r.Context()), caseID, noteID, upload, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
	case approdo.EINVALID:
		errs := h.formErrors(r, err)
		for i := range errs {
			if errs[i].Field != "" {
				errs[i].Field = "attach-" + strconv.FormatInt(noteID, 10)
			}
		}
		h.renderNotes(w, r, http.StatusUnprocessableEntity, notesState{attachTo: noteID, attachError: errs, errors: errs})
		return
	default:
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		h.renderNotes(w, r, http.StatusOK, notesState{saved: true})
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(caseID, 10)+"/notes?saved=1#note-"+strconv.FormatInt(noteID, 10), http.StatusSeeOther)
}
