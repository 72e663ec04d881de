package web

import "net/http"

// reactivateUser lets a deactivated user sign in again and shows their page.
func (h *Handler) reactivateUser(w http.ResponseWriter, r *http.Request) {
	h.setUserActive(w, r, true)
}
