package approdo

import (
	"errors"
	"fmt"
)

// Error codes name the kinds of failure every layer agrees on. The web UI and
// the JSON API map each code to one HTTP status in one place.
const (
	EINVALID      = "invalid"      // the input breaks a rule; nothing was written
	ENOTFOUND     = "not_found"    // no such record, or the caller may not know it exists
	ECONFLICT     = "conflict"     // a stale version or a duplicate; nothing was overwritten
	EUNAUTHORIZED = "unauthorized" // the caller is not signed in
	EFORBIDDEN    = "forbidden"    // signed in, but the policy refuses the action
	ETOOMANY      = "too_many"     // throttled; try again later
	EUNAVAILABLE  = "unavailable"  // a dependency such as the database is unreachable
	EINTERNAL     = "internal"     // a bug or an unexpected failure
)

// Error is the application error. Its Message is a key of the translation
// catalogue, never a sentence, so that the UI and the API can show it in the
// operator's language. Fields lists per-field problems of invalid input.
type Error struct {
	Code    string
	Message string
	Args    []any
	Fields  []FieldError
}

// FieldError is one problem with one input field. Field is the field's name as
// the form and the JSON body spell it; Message is a catalogue key.
type FieldError struct {
	Field   string
	Message string
	Args    []any
}

// Error returns a developer-facing description; users see the translated
// Message instead.
func (e *Error) Error() string {
	s := fmt.Sprintf("approdo: %s: %s", e.Code, e.Message)
	for _, f := range e.Fields {
		s += fmt.Sprintf("; %s: %s", f.Field, f.Message)
	}
	return s
}

// Errorf returns an Error with the given code, catalogue key and arguments.
func Errorf(code, message string, args ...any) *Error {
	return &Error{Code: code, Message: message, Args: args}
}

// Invalid returns an EINVALID error listing the given field problems under the
// general message "error.invalid".
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: EINVALID, Message: "error.invalid", Fields: fields}
}

// ErrorCode returns the code of err when it is, or wraps, an *Error, and
// EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the catalogue key and arguments of err when it is, or
// wraps, an *Error, and "error.internal" otherwise, so that internal details
// never reach a user.
func ErrorMessage(err error) (string, []any) {
	var e *Error
	if errors.As(err, &e) {
		return e.Message, e.Args
	}
	return "error.internal", nil
}

// ErrorFields returns the per-field problems of err, or nil.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
