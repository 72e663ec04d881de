// Package codicefiscale validates and decodes the Italian tax code (codice
// fiscale) of a person.
//
// Two kinds of code identify a person:
//
//   - the personal code of 16 characters, computed from the person's data:
//     three letters for the surname, three for the given name, the last two
//     digits of the year of birth, a letter for the month (A B C D E H L M P
//     R S T for January to December), two digits for the day of birth (plus
//     40 for women), the Belfiore code of the municipality or, with Z and
//     three digits, of the foreign state of birth, and a check letter;
//   - the provisional code of 11 digits (codice fiscale provvisorio or
//     numerico), which the Agenzia delle Entrate assigns, for example to a
//     foreigner before the data for a personal code are established; its last
//     digit is a check digit computed like that of a partita IVA.
//
// When two people would get the same personal code (omocodia), the Agenzia
// replaces digits with letters (0-9 become L M N P Q R S T U V), starting
// from the rightmost digit, and computes the check letter on the result.
// Validate accepts such codes and Decode resolves them.
//
// The rules are the public ones of D.M. 23 December 1976 and the Agenzia
// delle Entrate; this package implements them with the standard library
// only.
package codicefiscale

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the kind of a valid code.
type Kind int

// The kinds of code. The zero Kind is no kind: Validate returns it with an
// error.
const (
	// Personal is the 16-character code computed from a person's data.
	Personal Kind = iota + 1
	// Provisional is the 11-digit numeric code.
	Provisional
)

// String returns "personal", "provisional" or "invalid".
func (k Kind) String() string {
	switch k {
	case Personal:
		return "personal"
	case Provisional:
		return "provisional"
	}
	return "invalid"
}

// Normalize returns code as Validate reads it: without spaces (any Unicode
// white space, as pasted from documents) and with the letters a-z in upper
// case. Other characters are kept as they are, so that Validate can report
// them.
func Normalize(code string) string {
	var b strings.Builder
	b.Grow(len(code))
	for i := 0; i < len(code); {
		c := code[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z':
				b.WriteByte(c - 'a' + 'A')
			case c == ' ' || '\t' <= c && c <= '\r':
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(code[i:])
		if r == utf8.RuneError || !unicode.IsSpace(r) {
			b.WriteString(code[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Validate reports whether code, once normalised (see Normalize), is a valid
// personal or provisional code, and which. A 16-character code must have
// letters and digits in their places (letters of omocodia allowed), a month
// letter, a day of 1-31 or 41-71 that exists in that month (29 February
// is always accepted, since the century is not known) and the right check
// letter. An 11-character code must be all digits, not all zeros, with the
// right check digit.
//
// The error is an *Error whose Reason says what is wrong: WrongLength,
// BadFormat, BadMonth, BadDay, BadCheck or BadProvisionalCheck. On error
// the Kind is zero.
func Validate(code string) (Kind, error) {
	c := Normalize(code)
	if err := asciiOnly(c); err != nil {
		return 0, err
	}
	switch len(c) {
	case 16:
		if _, err := decode(c); err != nil {
			return 0, err
		}
		return Personal, nil
	case 11:
		if err := validateProvisional(c); err != nil {
			return 0, err
		}
		return Provisional, nil
	}
	return 0, &Error{Reason: WrongLength}
}

// asciiOnly refuses a normalised code with a character outside ASCII: with
// BadFormat at that character when the code has as many characters as a
// valid one, else with WrongLength.
func asciiOnly(c string) error {
	pos := 0
	for _, r := range c {
		pos++
		if r >= utf8.RuneSelf {
			if n := utf8.RuneCountInString(c); n == 16 || n == 11 {
				return &Error{Reason: BadFormat, Position: pos}
			}
			return &Error{Reason: WrongLength}
		}
	}
	return nil
}

func validateProvisional(c string) error {
	zeros := true
	for i := 0; i < len(c); i++ {
		if !isDigit(c[i]) {
			return &Error{Reason: BadFormat, Position: i + 1}
		}
		zeros = zeros && c[i] == '0'
	}
	if zeros {
		return &Error{Reason: BadFormat}
	}
	want, _ := ProvisionalCheckDigit(c[:10])
	if c[10] != want {
		return &Error{Reason: BadProvisionalCheck, Position: 11}
	}
	return nil
}

// ProvisionalCheckDigit returns the check digit of a provisional code whose
// first ten digits are digits: counting positions from 1, the digits in odd
// positions are added as they are, those in even positions are doubled (less
// 9 when the double exceeds 9) and added; the check digit is what brings the
// sum to a multiple of 10. It is the partita IVA's check. It returns an
// *Error (WrongLength or BadFormat) when digits is not ten digits.
func ProvisionalCheckDigit(digits string) (byte, error) {
	if len(digits) != 10 {
		return 0, &Error{Reason: WrongLength}
	}
	sum := 0
	for i := range 10 {
		c := digits[i]
		if !isDigit(c) {
			return 0, &Error{Reason: BadFormat, Position: i + 1}
		}
		d := int(c - '0')
		if i%2 == 1 { // even position, counting from 1
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10), nil
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' }
