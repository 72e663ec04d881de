package codicefiscale

import "fmt"

// Reason says why a code was refused. Its values are stable and short, fit
// to be part of a translation key ("codicefiscale.check").
type Reason string

// The reasons for refusing a code.
const (
	// WrongLength: after normalising, the code has neither 16 characters
	// (personal) nor 11 (provisional).
	WrongLength Reason = "length"
	// BadFormat: a character is not of the kind its position requires
	// (a letter, a digit or a letter of omocodia), or a provisional code
	// is all zeros, a common placeholder.
	BadFormat Reason = "format"
	// BadMonth: the ninth character is a letter but not a month letter.
	BadMonth Reason = "month"
	// BadDay: the day is not 1-31 or 41-71, or not a day of that month.
	BadDay Reason = "day"
	// BadCheck: the check letter of a personal code is wrong, usually a
	// sign of a typing error.
	BadCheck Reason = "check"
	// BadProvisionalCheck: the check digit of a provisional code is wrong.
	BadProvisionalCheck Reason = "provisional_check"
	// NotPersonal: Decode was given a valid provisional code, which
	// carries no personal data.
	NotPersonal Reason = "not_personal"
)

var descriptions = map[Reason]string{
	WrongLength:         "the code has neither 16 characters nor 11 digits",
	BadFormat:           "unexpected character",
	BadMonth:            "not a month letter",
	BadDay:              "not a day of birth",
	BadCheck:            "wrong check character",
	BadProvisionalCheck: "wrong check digit",
	NotPersonal:         "a provisional code carries no personal data",
}

// Error is why a code was refused. Callers map Reason to a message in the
// user's language and may point at Position.
type Error struct {
	Reason Reason
	// Position is the 1-based position, in the normalised code, of the
	// character at fault, or 0 when the reason concerns the whole code.
	Position int
}

// Error returns a developer-facing description, such as
// "codicefiscale: wrong check character at position 16".
func (e *Error) Error() string {
	d, ok := descriptions[e.Reason]
	if !ok {
		d = string(e.Reason)
	}
	if e.Position > 0 {
		return fmt.Sprintf("codicefiscale: %s at position %d", d, e.Position)
	}
	return "codicefiscale: " + d
}
