package web

import (
	"strings"

	"approdo/cases"
	"approdo/internal/casework"
)

// workflowEventText writes the timeline events of the workflow in lang,
// with their codes translated: closure with its reason, changes of
// concerns and programme, reassignment and transfers with the names they
// carry. It reports false for any other event.
func (h *Handler) workflowEventText(lang string, e cases.Event) (string, bool) {
	d := e.Detail
	t := func(key string, args ...any) string { return h.Catalogue.T(lang, key, args...) }
	switch e.Kind {
	case cases.Closed:
		if d["reason"] == "" {
			return "", false
		}
		return t("event.closed_because", t("closure_reason."+d["reason"])), true
	case cases.Reopened:
		return t("event.reopened"), true
	case cases.ConcernsChanged:
		if _, ok := d["to"]; !ok {
			return "", false
		}
		return t("event.concerns_set", h.codesText(lang, "concern.", d["to"])), true
	case casework.ProgrammeChanged:
		return t("event.programme_changed"), true
	case cases.Reassigned:
		if d["to"] == "" {
			return "", false
		}
		return t("event.reassigned_to", d["to"]), true
	case cases.TransferRequested:
		if d["to"] == "" {
			return "", false
		}
		return t("event.transfer_requested_to", d["to"]), true
	case cases.TransferAccepted:
		if d["to"] == "" {
			return "", false
		}
		return t("event.transfer_accepted_by", d["to"]), true
	case cases.TransferDeclined:
		if d["to"] == "" {
			return "", false
		}
		return t("event.transfer_declined_by", d["to"]), true
	}
	return "", false
}

// codesText translates codes joined by commas, each as prefix+code, or
// says there are none.
func (h *Handler) codesText(lang, prefix, codes string) string {
	if codes == "" {
		return h.Catalogue.T(lang, "case.no_concerns")
	}
	var out []string
	for _, c := range strings.Split(codes, ",") {
		out = append(out, h.Catalogue.T(lang, prefix+c))
	}
	return strings.Join(out, ", ")
}
