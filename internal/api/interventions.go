package api

import (
	"net/http"

	"approdo/cases"
	"approdo/internal/auth"
	"approdo/internal/i18n"
	"approdo/internal/respond"
	"approdo/projects"
)

// The catalogue of interventions that projects' actions draw on: read by
// whoever drafts projects, edited by its administrators through the same
// service as the UI. An update names the version it was made from and
// answers 409 when the entry moved on; an entry is retired with
// "active": false, never deleted.

// interventionJSON is an entry of the catalogue as the API shows it.
type interventionJSON struct {
	Code string `json:"code"`
	// Name is the entry's name in the request's language.
	Name       string   `json:"name"`
	NameIT     string   `json:"name_it"`
	NameEN     string   `json:"name_en"`
	Kinds      []string `json:"kinds"`
	CapMonths  int      `json:"cap_months"`
	CapCents   int64    `json:"cap_cents"`
	BudgetLine string   `json:"budget_line"`
	Position   int      `json:"position"`
	Active     bool     `json:"active"`
	Version    int      `json:"version"`
}

// interventionInput is an entry of the catalogue as the API takes it; a
// missing "active" means offered. The code of an update is the path's.
// "name" is taken and ignored, so that an entry read can be sent back.
type interventionInput struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	NameIT     string   `json:"name_it"`
	NameEN     string   `json:"name_en"`
	Kinds      []string `json:"kinds"`
	CapMonths  int      `json:"cap_months"`
	CapCents   int64    `json:"cap_cents"`
	BudgetLine string   `json:"budget_line"`
	Position   int      `json:"position"`
	Active     *bool    `json:"active"`
	Version    int      `json:"version"`
}

// interventionView writes entry i for the API in lang.
func interventionView(i projects.Intervention, lang string) interventionJSON {
	out := interventionJSON{Code: i.Code, Name: i.Name(lang), NameIT: i.NameIT, NameEN: i.NameEN, Kinds: []string{},
		CapMonths: i.CapMonths, CapCents: i.CapCents, BudgetLine: i.BudgetLine, Position: i.Position, Active: i.Active,
		Version: i.Version}
	for _, k := range i.Kinds {
		out.Kinds = append(out.Kinds, string(k))
	}
	return out
}

// intervention turns the body into an entry of the catalogue.
func (b interventionInput) intervention() *projects.Intervention {
	i := &projects.Intervention{Code: b.Code, NameIT: b.NameIT, NameEN: b.NameEN, CapMonths: b.CapMonths, CapCents: b.CapCents,
		BudgetLine: b.BudgetLine, Position: b.Position, Active: b.Active == nil || *b.Active, Version: b.Version}
	for _, k := range b.Kinds {
		i.Kinds = append(i.Kinds, cases.Kind(k))
	}
	return i
}

// listInterventions returns the whole catalogue, retired entries included,
// in its order.
func (a *API) listInterventions(w http.ResponseWriter, r *http.Request) {
	list, err := a.Cases.Interventions(r.Context(), auth.ActorFrom(r.Context()))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	l := i18n.LangFrom(r.Context())
	out := []interventionJSON{}
	for _, i := range list {
		out = append(out, interventionView(i, l))
	}
	respond.JSON(w, http.StatusOK, newList(out))
}

// createIntervention adds an entry to the catalogue.
func (a *API) createIntervention(w http.ResponseWriter, r *http.Request) {
	var body interventionInput
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	i := body.intervention()
	if err := a.Cases.CreateIntervention(r.Context(), auth.ActorFrom(r.Context()), i, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, interventionView(*i, i18n.LangFrom(r.Context())))
}

// updateIntervention saves the entry the path names from the version the
// body names.
func (a *API) updateIntervention(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	code := r.PathValue("code")
	// An entry that does not exist, or a caller who may not edit the
	// catalogue, is not found before the body is judged.
	if _, err := a.Cases.Intervention(r.Context(), actor, code); err != nil {
		a.fail(w, r, err)
		return
	}
	var body interventionInput
	if err := decodeJSON(r, &body); err != nil {
		a.fail(w, r, err)
		return
	}
	body.Code = code
	i := body.intervention()
	if err := a.Cases.UpdateIntervention(r.Context(), actor, i, auth.ClientFrom(r.Context())); err != nil {
		a.fail(w, r, err)
		return
	}
	saved, err := a.Cases.Intervention(r.Context(), actor, code)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, interventionView(*saved, i18n.LangFrom(r.Context())))
}
