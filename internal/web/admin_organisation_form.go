package web

import (
	"net/http"
	"strconv"

	"approdo/internal/store"
	"approdo/network"
)

// organisationForm is the form of a new or edited organisation, as typed.
type organisationForm struct {
	formState
	ID      int64 // 0 for a new organisation
	Version int
	Code    string
	Name    string
	Kind    string
	AreaID  int64
	Kinds   []network.Kind
	Areas   []network.Area
	MaxCode int
	MaxName int
}

func newOrganisationForm(o *network.Organisation) organisationForm {
	return organisationForm{ID: o.ID, Version: o.Version, Code: o.Code, Name: o.Name, Kind: string(o.Kind),
		AreaID: o.AreaID, Kinds: network.Kinds, MaxCode: network.MaxCode, MaxName: network.MaxName}
}

// readOrganisationForm reads the posted form into the form, to show again,
// and the organisation, to save.
func readOrganisationForm(r *http.Request, id int64) (organisationForm, *network.Organisation) {
	o := &network.Organisation{ID: id, Version: formVersion(r), Code: r.PostFormValue("code"),
		Name: r.PostFormValue("name"), Kind: network.Kind(r.PostFormValue("kind")), AreaID: formID(r, "area_id")}
	return newOrganisationForm(o), o
}

// renderOrganisationForm shows the organisation form with status.
func (h *Handler) renderOrganisationForm(w http.ResponseWriter, r *http.Request, status int, f organisationForm) {
	ctx := r.Context()
	err := h.DB.Read(ctx, func(tx *store.Tx) (err error) {
		f.Areas, err = store.ListAreas(ctx, tx)
		return err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	title := "admin.organisations.new"
	if f.ID != 0 {
		title = "admin.organisations.edit"
	}
	h.render(w, r, status, "admin_organisation_form", h.newPage(r, title, f))
}

// organisationSaved writes a saved value of an organisation's field for a
// conflict note.
func (h *Handler) organisationSaved(r *http.Request, o *network.Organisation) func(string) string {
	return func(field string) string {
		switch field {
		case "code":
			return o.Code
		case "name":
			return o.Name
		case "kind":
			return h.Catalogue.T(lang(r.Context()), "kind."+string(o.Kind))
		case "area_id":
			return h.areaName(r, o.AreaID)
		}
		return ""
	}
}

// areaName returns the name of area id, or "" for none.
func (h *Handler) areaName(r *http.Request, id int64) string {
	if id == 0 {
		return ""
	}
	var name string
	ctx := r.Context()
	err := h.DB.Read(ctx, func(tx *store.Tx) error {
		a, err := store.FindArea(ctx, tx, id)
		if err == nil {
			name = a.Name
		}
		return err
	})
	if err != nil {
		// The conflict note leaves the area blank rather than fail.
		return ""
	}
	return name
}

func organisationPath(id int64) string { return "/admin/organisations/" + strconv.FormatInt(id, 10) }
