package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/i18n"
	"approdo/internal/respond"
	"approdo/internal/store"
	"approdo/network"
)

// What the administration's pages and forms share: reading the directory,
// reading ids, versions, dates and amounts from a form, and showing an edit
// that lost a race.

// readDirectory reads the whole network, for a page that names areas,
// organisations and programmes.
func (h *Handler) readDirectory(ctx context.Context) (*directory, error) {
	var dir *directory
	err := h.DB.Read(ctx, func(tx *store.Tx) (err error) {
		dir, err = loadDirectory(ctx, tx)
		return err
	})
	return dir, err
}

// areasAndOrganisations reads the areas and organisations a form offers to
// choose from.
func (h *Handler) areasAndOrganisations(ctx context.Context) ([]network.Area, []network.Organisation, error) {
	var areas []network.Area
	var orgs []network.Organisation
	err := h.DB.Read(ctx, func(tx *store.Tx) (err error) {
		if areas, err = store.ListAreas(ctx, tx); err != nil {
			return err
		}
		orgs, err = store.ListOrganisations(ctx, tx)
		return err
	})
	return areas, orgs, err
}

// formState is the outcome of a failed submit that a form shows: the
// problems of its fields and, when someone else saved the record meanwhile,
// what they changed.
type formState struct {
	Errors []formError
	// Stale reports that the form was made from an older version of the
	// record; the form then carries the current version, so that saving
	// again applies it, and Conflict lists the fields whose saved values
	// differ from the form's.
	Stale    bool
	Conflict []changedField
}

// changedField is a field someone else changed, with its saved value.
type changedField struct {
	Label string // translated
	Saved string
}

// FieldError returns the message of the named field, or "".
func (f formState) FieldError(name string) string { return fieldError(f.Errors, name) }

// pathID returns the positive integer path value name, or 0.
func pathID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// formID returns the positive integer form value name, 0 when empty, or -1
// when it is not a number, so that validation reports an unknown reference
// rather than silently dropping it.
func formID(r *http.Request, name string) int64 {
	return parseID(r.PostFormValue(name))
}

// parseID reads an id as formID does.
func parseID(s string) int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return -1
	}
	return id
}

// formIDs returns the ids among the values of the form field name.
func formIDs(r *http.Request, name string) []int64 {
	var ids []int64
	for _, v := range r.PostForm[name] {
		if id := parseID(v); id != 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// formVersion returns the version a form was made from.
func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

// parseDate reads a date as a date field sends it, "2006-01-02". An empty
// value is the zero time; a malformed one adds a problem on field.
func parseDate(s, field string, problems *[]approdo.FieldError) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		*problems = append(*problems, approdo.FieldError{Field: field, Message: "error.field.date"})
	}
	return t
}

// isoDate writes a date for a date field, or "" for the zero time.
func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

var (
	digitsOnly = regexp.MustCompile(`^[0-9]+$`)
	grouped    = regexp.MustCompile(`^[0-9]{1,3}(?:[.,' ][0-9]{3})+$`)
)

// parseEuro reads an amount in euro as a person types it, in the
// conventions of lang ("1.250,50" in Italian, "1,250.50" in English; a
// lone separator followed by one or two digits is taken as the decimal
// one in either language), and returns it in cents. A leading minus sign
// is kept, so that a negative amount is reported as such.
func parseEuro(s, lang string) (int64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "€", ""), "\u00a0", " "))
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimSpace(strings.TrimPrefix(s, "-"))
	if s == "" {
		return 0, false
	}
	decimal := ","
	if lang == "en" {
		decimal = "."
	}
	whole, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		tail := s[i+1:]
		switch {
		case string(s[i]) == decimal && len(tail) <= 2:
			whole, frac = s[:i], tail
		case len(tail) <= 2 && strings.Count(s, string(s[i])) == 1:
			// "12.5" in Italian or "12,50" in English: one separator and
			// at most two digits after it can only be a decimal mark.
			whole, frac = s[:i], tail
		}
	}
	if whole == "" {
		whole = "0"
	}
	if grouped.MatchString(whole) {
		whole = strings.NewReplacer(".", "", ",", "", "'", "", " ", "").Replace(whole)
	}
	if !digitsOnly.MatchString(whole) || (frac != "" && !digitsOnly.MatchString(frac)) || len(whole) > 13 {
		return 0, false
	}
	euros, _ := strconv.ParseInt(whole, 10, 64)
	cents := int64(0)
	if frac != "" {
		c, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			c *= 10
		}
		cents = c
	}
	total := euros*100 + cents
	if neg {
		total = -total
	}
	return total, true
}

// formatEuro writes an amount in cents as lang writes euro: "1.250,50 €" in
// Italian, "€1,250.50" in English.
func formatEuro(cents int64, lang string) string { return i18n.Euro(cents, lang) }

// plainEuro writes an amount in cents for an input field, without the
// currency sign or thousands separators: "1250,50" in Italian.
func plainEuro(cents int64, lang string) string {
	dec := ","
	if lang == "en" {
		dec = "."
	}
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d%s%02d", sign, cents/100, dec, cents%100)
}

// fieldLabel returns the translated label of a form field, as error
// messages name it.
func (h *Handler) fieldLabel(r *http.Request, field string) string {
	return respond.FieldLabel(h.Catalogue, lang(r.Context()), field)
}

// stale marks a form that lost a race: it lists each field whose saved
// value differs from the form's, with the saved value written by saved.
func (h *Handler) stale(r *http.Request, f *formState, fields []string, saved func(field string) string) {
	f.Stale = true
	f.Conflict = make([]changedField, 0, len(fields))
	for _, name := range fields {
		f.Conflict = append(f.Conflict, changedField{Label: h.fieldLabel(r, name), Saved: saved(name)})
	}
}

// remapFields renames the fields of err's problems with rename, for forms
// whose rows are numbered differently from the record's list.
func remapFields(err error, rename func(string) string) error {
	e, ok := err.(*approdo.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]approdo.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = rename(f.Field)
		c.Fields[i] = f
	}
	return &c
}

// formStatus is the status of a form shown again after err: 422 for
// invalid input, 409 for a taken code or a stale version.
func formStatus(err error) int { return respond.Status(approdo.ErrorCode(err)) }
