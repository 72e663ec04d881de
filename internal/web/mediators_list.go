package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/casework"
	"approdo/internal/store"
	"approdo/mediation"
	"approdo/network"
	"approdo/refdata"
)

// mediatorsData is what the registry of mediators shows: the profiles that
// pass the filters, which stay in the URL.
type mediatorsData struct {
	Rows      []mediatorRow
	Language  string
	AreaID    int64
	Active    bool
	Areas     []network.Area
	Languages []choice
	CanCreate bool
	Saved     bool
}

// mediatorRow is a profile as the registry lists it.
type mediatorRow struct {
	casework.MediatorView
	LanguageNames string
	Areas         string
	Slots         string
}

// listMediators shows the registry of mediators, filtered by language,
// area and whether they take bookings.
func (h *Handler) listMediators(w http.ResponseWriter, r *http.Request) {
	a, ctx, l := auth.ActorFrom(r.Context()), r.Context(), lang(r.Context())
	q := r.URL.Query()
	d := mediatorsData{Language: strings.TrimSpace(q.Get("language")), AreaID: parseID(q.Get("area")),
		Active: q.Get("active") != "", CanCreate: auth.Can(a, access.Create, access.Mediators), Saved: q.Has("saved"),
		Languages: languageChoices(l)}
	f := store.MediatorFilter{AreaID: max(d.AreaID, 0), ActiveOnly: d.Active}
	known := true
	if d.Language != "" {
		var x refdata.Language
		if x, known = refdata.LookupLanguage(d.Language); known {
			f.Language, d.Language = x.Code(), x.Code()
		}
	}
	var list []casework.MediatorView
	if known { // a language Approdo does not know is spoken by nobody
		var err error
		if list, err = h.Cases.Mediators(ctx, a, f); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if err := h.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		d.Areas, err = store.ListAreas(ctx, tx)
		return err
	}); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, v := range list {
		row := mediatorRow{MediatorView: v, LanguageNames: languageNames(v.Languages, l), Areas: strings.Join(v.AreaNames, ", ")}
		var slots []string
		for _, s := range v.Slots {
			slots = append(slots, h.Catalogue.T(l, "mediation.weekday_short."+strconv.Itoa(s.Weekday))+" "+
				mediation.Clock(s.From)+"–"+mediation.Clock(s.To))
		}
		row.Slots = strings.Join(slots, ", ")
		d.Rows = append(d.Rows, row)
	}
	h.render(w, r, http.StatusOK, "mediators", h.newPage(r, "mediators.title", d))
}
