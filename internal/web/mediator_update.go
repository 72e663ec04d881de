package web

import (
	"net/http"

	"approdo/internal/auth"
)

// updateMediator saves a profile: the whole of it for whom manages it, the
// availability alone for the mediator keeping their own. A mediator goes
// back to their bookings, anyone else to the registry.
func (h *Handler) updateMediator(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "mediator")
	if id == 0 {
		h.notFound(w, r)
		return
	}
	a, ctx, client := auth.ActorFrom(r.Context()), r.Context(), auth.ClientFrom(r.Context())
	v, err := h.Cases.Mediator(ctx, a, id)
	if err == nil && !v.CanUpdate {
		h.notFound(w, r)
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	f, p := readMediatorForm(r)
	f.Existing, f.ID, f.Name, f.Full = true, id, v.Name, v.CanManage
	if v.CanManage {
		_, err = h.Cases.UpdateMediator(ctx, a, id, p, f.Version, client)
	} else {
		_, err = h.Cases.UpdateAvailability(ctx, a, id, p.Slots, p.AvailabilityNotes, f.Version, client)
	}
	if err != nil {
		if !f.Full {
			f.Dialects, f.AreaIDs, f.Gender, f.Active, f.Languages = v.Dialects, v.AreaIDs, string(v.Gender), v.Active, nil
		}
		h.mediatorSaveFailed(w, r, f, err)
		return
	}
	if v.UserID == a.User.ID {
		http.Redirect(w, r, "/mediation/mine?saved=1", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/mediators?saved=1", http.StatusSeeOther)
}
