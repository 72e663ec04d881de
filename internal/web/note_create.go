package web

import (
	"net/http"
	"strconv"

	"approdo"
	"approdo/internal/auth"
)

// createNote adds a note or interview to a case, with the file attached to
// it if one was chosen, or a correction of one of the actor's notes when the
// form names it in corrects_id. htmx gets the section back with the note in
// it; a plain form is sent back to the section. Invalid input shows the form
// again with what was typed and a message on each field.
func (h *Handler) createNote(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	form, upload, err := readNoteForm(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := form.input()
	in.File = upload
	n, err := h.Cases.WriteNote(r.Context(), auth.ActorFrom(r.Context()), id, in, auth.ClientFrom(r.Context()))
	switch approdo.ErrorCode(err) {
	case "":
	case approdo.EINVALID:
		h.renderNotes(w, r, http.StatusUnprocessableEntity, notesState{form: &form, errors: h.noteFormErrors(r, err), fileLost: upload != nil})
		return
	default:
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		h.renderNotes(w, r, http.StatusOK, notesState{saved: true})
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"/notes?saved=1#note-"+strconv.FormatInt(n.ID, 10), http.StatusSeeOther)
}
