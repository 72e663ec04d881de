package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"approdo/access"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/network"
)

// userForm is the form of a new (invited) or edited user, as typed.
type userForm struct {
	formState
	ID             int64 // 0 for a new user
	Version        int
	Username       string
	DisplayName    string
	Email          string
	OrganisationID int64
	Profession     string
	Languages      string // ISO 639 codes separated by commas or spaces
	Locale         string
	Roles          []network.Role
	AreaIDs        []int64
	// RolesLocked shows the roles without letting them change, for an actor
	// who may not assign roles.
	RolesLocked bool

	Organisations []network.Organisation
	Areas         []network.Area
	RoleChoices   []roleChoice
	Locales       []string
	MaxName       int
	MaxEmail      int
}

// roleChoice is a role a form offers, with its label.
type roleChoice struct {
	Code  network.Role
	Label string
}

// HasRole reports whether the form gives the role.
func (f userForm) HasRole(code network.Role) bool { return slices.Contains(f.Roles, code) }

// InArea reports whether the form lists area id.
func (f userForm) InArea(id int64) bool { return slices.Contains(f.AreaIDs, id) }

func newUserForm(u *network.User) userForm {
	return userForm{ID: u.ID, Version: u.Version, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email,
		OrganisationID: u.OrganisationID, Profession: u.Profession, Languages: strings.Join(u.Languages, ", "),
		Locale: u.Locale, Roles: u.Roles, AreaIDs: u.AreaIDs}
}

// splitLanguages reads language codes separated by commas, semicolons or
// spaces.
func splitLanguages(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
}

// readUserForm reads the posted form into the form, to show again, and the
// user, to save.
func readUserForm(r *http.Request, id int64) (userForm, *network.User) {
	u := &network.User{ID: id, Version: formVersion(r), Username: r.PostFormValue("username"),
		DisplayName: r.PostFormValue("display_name"), Email: r.PostFormValue("email"),
		OrganisationID: formID(r, "organisation_id"), Profession: r.PostFormValue("profession"),
		Languages: splitLanguages(r.PostFormValue("languages")), Locale: r.PostFormValue("locale"),
		AreaIDs: formIDs(r, "area_ids")}
	for _, code := range r.PostForm["roles"] {
		u.Roles = append(u.Roles, network.Role(code))
	}
	f := newUserForm(u)
	f.Languages = r.PostFormValue("languages")
	return f, u
}

// roleLabels returns the label of every role: the catalogue's for a
// built-in role, the name an administrator gave for the others.
func (h *Handler) roleLabels(r *http.Request) (map[network.Role]string, []roleChoice, error) {
	roles, err := h.Sessions.Roles.Roles(r.Context())
	if err != nil {
		return nil, nil, err
	}
	l := lang(r.Context())
	labels := map[network.Role]string{}
	var choices []roleChoice
	for _, code := range network.Roles {
		if roles[code] != nil {
			labels[code] = h.Catalogue.T(l, "role."+string(code))
			choices = append(choices, roleChoice{Code: code, Label: labels[code]})
		}
	}
	var custom []roleChoice
	for code, role := range roles {
		if _, ok := labels[code]; !ok {
			labels[code] = roleLabel(h.Catalogue, l, role)
			custom = append(custom, roleChoice{Code: code, Label: labels[code]})
		}
	}
	slices.SortFunc(custom, func(a, b roleChoice) int { return strings.Compare(a.Label, b.Label) })
	return labels, append(choices, custom...), nil
}

// roleLabel returns the label of a role.
func roleLabel(cat *i18n.Catalogue, l string, r *access.Role) string {
	if r.Builtin && cat.Has(l, "role."+string(r.Code)) {
		return cat.T(l, "role."+string(r.Code))
	}
	if r.Name != "" {
		return r.Name
	}
	return string(r.Code)
}

// renderUserForm shows the user form with status.
func (h *Handler) renderUserForm(w http.ResponseWriter, r *http.Request, status int, f userForm) {
	ctx := r.Context()
	var err error
	f.Areas, f.Organisations, err = h.areasAndOrganisations(ctx)
	if err == nil {
		_, f.RoleChoices, err = h.roleLabels(r)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.RolesLocked = !admin.MayAssignRoles(auth.ActorFrom(ctx))
	f.Locales, f.MaxName, f.MaxEmail = i18n.Languages, network.MaxName, network.MaxEmail
	title := "admin.users.new"
	if f.ID != 0 {
		title = "admin.users.edit"
	}
	h.render(w, r, status, "admin_user_form", h.newPage(r, title, f))
}

// userSaved writes a saved value of a user's field for a conflict note.
func (h *Handler) userSaved(r *http.Request, u *network.User) func(string) string {
	ctx := r.Context()
	// A note that cannot name what it refers to is still worth showing:
	// without the directory or the roles, those fields are left blank.
	dir, _ := h.readDirectory(ctx)
	labels, _, _ := h.roleLabels(r)
	return func(field string) string {
		var parts []string
		switch field {
		case "display_name":
			return u.DisplayName
		case "email":
			return u.Email
		case "profession":
			return u.Profession
		case "languages":
			return strings.Join(u.Languages, ", ")
		case "locale":
			return h.Catalogue.T(lang(ctx), "language.name."+u.Locale)
		case "organisation_id":
			if dir != nil && dir.orgByID[u.OrganisationID] != nil {
				return dir.orgByID[u.OrganisationID].Name
			}
		case "area_ids":
			for _, id := range u.AreaIDs {
				if dir != nil && dir.area(id) != nil {
					parts = append(parts, dir.area(id).Name)
				}
			}
		case "roles":
			for _, code := range u.Roles {
				parts = append(parts, labels[code])
			}
		}
		return strings.Join(parts, ", ")
	}
}

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }
