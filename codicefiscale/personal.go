package codicefiscale

import (
	"strings"
	"time"
)

// Sex is the sex a personal code records: the day of birth has 40 added for
// women.
type Sex string

// The sexes a personal code can record.
const (
	Male   Sex = "M"
	Female Sex = "F"
)

// Info is what a personal code says about its holder.
type Info struct {
	// Surname and Name are the three letters coding the surname and the
	// given name ("RSS", "MRA").
	Surname, Name string
	// Year is the year of birth's last two digits (0-99); see BirthYear.
	Year int
	// Month and Day are the month and day of birth (Day 1-31, the 40 of
	// women removed).
	Month time.Month
	Day   int
	// Sex is Female when the code's day is over 40, else Male.
	Sex Sex
	// Belfiore is the four-character code of the place of birth, with
	// omocodia resolved: a municipality ("A562", Assisi) or, when Foreign, a
	// foreign state ("Z" and three digits).
	Belfiore string
	// Foreign reports whether the person was born abroad: the Belfiore
	// code starts with Z.
	Foreign bool
	// Omocode reports whether letters replace some digits (omocodia).
	Omocode bool
}

// BirthYear returns the full year of birth: the one ending in Year's two
// digits that is not after now's year and less than 100 years before it.
// A code cannot tell someone born in 1925 from someone born in 2025; for the
// people Approdo serves, the most recent year is the right one.
func (i Info) BirthYear(now time.Time) int {
	return now.Year() - (now.Year()%100+100-i.Year)%100
}

// Decode returns what a personal code says about its holder, after
// normalising it (see Normalize) and resolving omocodia. It returns the
// *Error Validate would return for an invalid code, and an *Error with
// Reason NotPersonal for a valid provisional code, which carries no data.
func Decode(code string) (Info, error) {
	c := Normalize(code)
	if err := asciiOnly(c); err != nil {
		return Info{}, err
	}
	if len(c) == 11 {
		if err := validateProvisional(c); err != nil {
			return Info{}, err
		}
		return Info{}, &Error{Reason: NotPersonal}
	}
	if len(c) != 16 {
		return Info{}, &Error{Reason: WrongLength}
	}
	return decode(c)
}

// CheckCharacter returns the check letter of a personal code whose first
// fifteen characters are given, letters of omocodia included. Counting
// positions from 1, each character of an odd position is worth its value in
// the odd table, each of an even position its value in the even table
// (digits 0-9 and letters A-Z 0-25); the check letter is the sum modulo 26,
// as a letter (A for 0). It returns an *Error (WrongLength or BadFormat)
// when code is not fifteen characters in their places.
func CheckCharacter(code string) (byte, error) {
	c := Normalize(code)
	if len(c) != 15 {
		return 0, &Error{Reason: WrongLength}
	}
	if err := checkFormat(c); err != nil {
		return 0, err
	}
	return checkCharacter(c), nil
}

// oddValue is the value of a character in an odd position: for digits
// 0-9 and letters A-J alike, 1 0 5 7 9 13 15 17 19 21; then K-Z.
var oddValue = [26]int{
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // A-J and 0-9
	2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23, // K-Z
}

// checkCharacter computes the check letter of the first 15 characters of c,
// which checkFormat has accepted.
func checkCharacter(c string) byte {
	sum := 0
	for i := range 15 {
		v := index(c[i])
		if i%2 == 0 { // odd position, counting from 1
			v = oddValue[v]
		}
		sum += v
	}
	return byte('A' + sum%26)
}

// index is the position of a digit (0-9) or letter (A=0 … Z=25).
func index(c byte) int {
	if isDigit(c) {
		return int(c - '0')
	}
	return int(c - 'A')
}

// omocodia is the letters that replace the digits 0-9.
const omocodia = "LMNPQRSTUV"

// numeric are the 0-based positions that hold digits or letters of omocodia:
// year, day and the Belfiore code's number.
var numeric = [16]bool{6: true, 7: true, 9: true, 10: true, 12: true, 13: true, 14: true}

// checkFormat checks that each of the first 15 characters (and the 16th, if
// there) is of the kind its position requires.
func checkFormat(c string) error {
	for i := 0; i < len(c); i++ {
		ch := c[i]
		ok := isLetter(ch)
		if numeric[i] {
			ok = isDigit(ch) || strings.IndexByte(omocodia, ch) >= 0
		}
		if !ok {
			return &Error{Reason: BadFormat, Position: i + 1}
		}
	}
	return nil
}

// months is the month letters, January to December.
const months = "ABCDEHLMPRST"

// daysIn is the longest a month can be; February may have 29 days, since
// the century of the year is unknown.
var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// digit returns the digit a numeric position's character stands for.
func digit(ch byte) int {
	if isDigit(ch) {
		return int(ch - '0')
	}
	return strings.IndexByte(omocodia, ch)
}

// decode validates a normalised 16-character code and returns its data.
func decode(c string) (Info, error) {
	if err := checkFormat(c); err != nil {
		return Info{}, err
	}
	m := strings.IndexByte(months, c[8])
	if m < 0 {
		return Info{}, &Error{Reason: BadMonth, Position: 9}
	}
	info := Info{
		Surname: c[0:3],
		Name:    c[3:6],
		Year:    digit(c[6])*10 + digit(c[7]),
		Month:   time.Month(m + 1),
		Day:     digit(c[9])*10 + digit(c[10]),
		Sex:     Male,
	}
	if info.Day > 40 {
		info.Day -= 40
		info.Sex = Female
	}
	if info.Day < 1 || info.Day > daysIn[info.Month] {
		return Info{}, &Error{Reason: BadDay, Position: 10}
	}
	if checkCharacter(c) != c[15] {
		return Info{}, &Error{Reason: BadCheck, Position: 16}
	}
	belfiore := []byte(c[11:15])
	for i, ch := range belfiore[1:] {
		belfiore[i+1] = byte('0' + digit(ch))
	}
	info.Belfiore = string(belfiore)
	info.Foreign = belfiore[0] == 'Z'
	for i := range c {
		if numeric[i] && !isDigit(c[i]) {
			info.Omocode = true
		}
	}
	return info, nil
}
