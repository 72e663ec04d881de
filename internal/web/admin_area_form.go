package web

import (
	"net/http"
	"strconv"

	"approdo/network"
)

// areaForm is the form of a new or edited area, as typed.
type areaForm struct {
	formState
	ID      int64 // 0 for a new area
	Version int
	Code    string
	Name    string
	Region  string
	MaxCode int
	MaxName int
}

func newAreaForm(a *network.Area) areaForm {
	return areaForm{ID: a.ID, Version: a.Version, Code: a.Code, Name: a.Name, Region: a.Region,
		MaxCode: network.MaxCode, MaxName: network.MaxName}
}

// readAreaForm reads the posted form into the form, to show again, and the
// area, to save.
func readAreaForm(r *http.Request, id int64) (areaForm, *network.Area) {
	a := &network.Area{ID: id, Version: formVersion(r), Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		Region: r.PostFormValue("region")}
	return newAreaForm(a), a
}

// renderAreaForm shows the area form with status.
func (h *Handler) renderAreaForm(w http.ResponseWriter, r *http.Request, status int, f areaForm) {
	title := "admin.areas.new"
	if f.ID != 0 {
		title = "admin.areas.edit"
	}
	h.render(w, r, status, "admin_area_form", h.newPage(r, title, f))
}

// areaSaved writes a saved value of an area's field for a conflict note.
func areaSaved(a *network.Area) func(string) string {
	return func(field string) string {
		switch field {
		case "code":
			return a.Code
		case "name":
			return a.Name
		case "region":
			return a.Region
		}
		return ""
	}
}

func areaPath(id int64) string { return "/admin/areas/" + strconv.FormatInt(id, 10) }
