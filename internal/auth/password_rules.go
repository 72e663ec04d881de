package auth

import (
	"unicode/utf8"

	"approdo"
	"approdo/internal/auth/commonpasswords"
)

// The length rules of a password, counted in characters (not bytes), so
// that a passphrase in any language is measured alike. The upper bound only
// keeps hashing cheap; it is far beyond any passphrase a person types.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// CheckPassword is the one place that decides whether a new password is
// acceptable. Every form and API that sets a password calls it, so a rule
// added here applies everywhere. It returns nil, or an EINVALID error on the
// field "password" naming the broken rule.
func CheckPassword(password string) error {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLength:
		return approdo.Invalid(approdo.FieldError{Field: "password", Message: "error.field.too_short",
			Args: []any{MinPasswordLength}})
	case n > MaxPasswordLength:
		return approdo.Invalid(approdo.FieldError{Field: "password", Message: "error.field.too_long",
			Args: []any{MaxPasswordLength}})
	case commonpasswords.IsCommon(password):
		return approdo.Invalid(approdo.FieldError{Field: "password", Message: "error.field.password_common"})
	}
	return nil
}
