package web

import (
	"net/http"
	"strconv"
	"strings"

	"approdo/access"
	"approdo/cases"
)

// indicatorSetForm is the form of a screening checklist and its
// indicators, as typed.
type indicatorSetForm struct {
	formState
	Existing bool // an edit of a saved checklist, whose code is fixed
	Code     string
	NameIT   string
	NameEN   string
	Source   string
	Position string
	Active   bool
	Rows     []indicatorRow
	Groups   []access.FieldGroup
}

// indicatorRow is one indicator of the form.
type indicatorRow struct {
	Saved      bool // saved before, so that its code is fixed
	Code       string
	LabelIT    string
	LabelEN    string
	FieldGroup string
	Position   string
	Active     bool
}

// FieldError returns the message of the named field, or "".
func (f indicatorSetForm) FieldError(name string) string { return fieldError(f.Errors, name) }

// RowError returns the message of field name of row i, or "".
func (f indicatorSetForm) RowError(i int, name string) string {
	return fieldError(f.Errors, "indicators."+strconv.Itoa(i)+"."+name)
}

// blankIndicatorRows is how many empty rows a checklist's form offers for new
// indicators.
const blankIndicatorRows = 3

// indicatorSetFormOf fills the form of a saved checklist, with blank rows
// for new indicators.
func indicatorSetFormOf(s *cases.IndicatorSet) indicatorSetForm {
	f := indicatorSetForm{Existing: s.Code != "", Code: s.Code, NameIT: s.NameIT, NameEN: s.NameEN, Source: s.Source,
		Position: strconv.Itoa(s.Position), Active: s.Active}
	for _, i := range s.Indicators {
		f.Rows = append(f.Rows, indicatorRow{Saved: true, Code: i.Code, LabelIT: i.LabelIT, LabelEN: i.LabelEN,
			FieldGroup: i.FieldGroup, Position: strconv.Itoa(i.Position), Active: i.Active})
	}
	return f.withBlankRows()
}

// withBlankRows adds the empty rows for new indicators.
func (f indicatorSetForm) withBlankRows() indicatorSetForm {
	next := len(f.Rows) + 1
	for range blankIndicatorRows {
		f.Rows = append(f.Rows, indicatorRow{Position: strconv.Itoa(next), Active: true})
		next++
	}
	return f
}

// readIndicatorSetForm reads the posted form into the form, to show again,
// and into the checklist, to save. Rows left empty are not indicators; the
// returned function renames the fields of the checklist's indicators to
// the rows of the form.
func readIndicatorSetForm(r *http.Request, code string) (indicatorSetForm, *cases.IndicatorSet, func(string) string) {
	f := indicatorSetForm{Existing: code != "", Code: code, NameIT: r.PostFormValue("name_it"), NameEN: r.PostFormValue("name_en"),
		Source: r.PostFormValue("source"), Position: r.PostFormValue("position"), Active: r.PostFormValue("active") != ""}
	if code == "" {
		f.Code = r.PostFormValue("code")
	}
	pos, _ := strconv.Atoi(strings.TrimSpace(f.Position))
	set := &cases.IndicatorSet{Code: f.Code, NameIT: f.NameIT, NameEN: f.NameEN, Source: f.Source, Position: pos, Active: f.Active}
	var rowOf []int
	for i := 0; i < 1000; i++ {
		p := "indicators." + strconv.Itoa(i) + "."
		if _, ok := r.PostForm[p+"code"]; !ok {
			break
		}
		row := indicatorRow{Saved: r.PostFormValue(p+"saved") != "", Code: r.PostFormValue(p + "code"),
			LabelIT: r.PostFormValue(p + "label_it"), LabelEN: r.PostFormValue(p + "label_en"),
			FieldGroup: r.PostFormValue(p + "field_group"), Position: r.PostFormValue(p + "position"),
			Active: r.PostFormValue(p+"active") != ""}
		f.Rows = append(f.Rows, row)
		if !row.Saved && strings.TrimSpace(row.Code+row.LabelIT+row.LabelEN) == "" {
			continue
		}
		n, _ := strconv.Atoi(strings.TrimSpace(row.Position))
		set.Indicators = append(set.Indicators, cases.Indicator{SetCode: f.Code, Code: row.Code, LabelIT: row.LabelIT,
			LabelEN: row.LabelEN, FieldGroup: row.FieldGroup, Position: n, Active: row.Active})
		rowOf = append(rowOf, i)
	}
	rename := func(field string) string {
		rest, ok := strings.CutPrefix(field, "indicators.")
		if !ok {
			return field
		}
		num, name, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n >= len(rowOf) {
			return field
		}
		return "indicators." + strconv.Itoa(rowOf[n]) + "." + name
	}
	return f, set, rename
}

// renderIndicatorSetForm shows the checklist form with status.
func (h *Handler) renderIndicatorSetForm(w http.ResponseWriter, r *http.Request, status int, f indicatorSetForm) {
	f.Groups = access.FieldGroups
	title := "indicators.new"
	if f.Existing {
		title = "indicators.edit"
	}
	h.render(w, r, status, "indicators_form", h.newPage(r, title, f))
}
