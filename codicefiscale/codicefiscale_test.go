package codicefiscale_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"approdo/codicefiscale"
)

// Hand-verified personal codes. Odd positions (1, 3, … 15) count with the
// odd table — A/0 1, B/1 0, C/2 5, D/3 7, E/4 9, F/5 13, G/6 15, H/7 17,
// I/8 19, J/9 21, K 2, L 4, M 18, N 20, O 11, P 3, Q 6, R 8, S 12, T 14,
// U 16, V 10, W 22, X 25, Y 24, Z 23 — even positions with 0-9 and A=0 … Z=25;
// the check letter is the sum modulo 26 (A=0).
const (
	// Mario Rossi, born in Assisi (A562) on 10 December 1985: the example
	// published with the rules.
	//   odd  R8 S12 R8 8→19 T14 0→1 5→13 2→5 = 80
	//   even S18 M12 A0 5 1 A0 6             = 42
	//   122 = 4×26 + 18 → S
	rossi = "RSSMRA85T10A562S"
	// Anna Bianchi (BNC: first three consonants; NNA: consonants N N, then
	// the vowel A), a woman (day 1+40), born on 1 January 2007 abroad (Z330).
	//   odd  B0 C5 N20 0→1 A1 1→0 3→7 0→1 = 35
	//   even N13 N13 A0 7 4 Z25 3          = 65
	//   100 = 3×26 + 22 → W
	bianchi = "BNCNNA07A41Z330W"
	// Ahmed Ali (LAI: the consonant L, then the vowels A I; HMD), born on
	// 29 February 2004 abroad (Z336).
	//   odd  L4 I19 M18 0→1 B0 9→21 3→7 6→15 = 85
	//   even A0 H7 D3 4 2 Z25 3               = 44
	//   129 = 4×26 + 25 → Z
	ali = "LAIHMD04B29Z336Z"
	// Omocodia of Rossi's code, digits replaced from the right
	// (0-9 → L M N P Q R S T U V), check letter recomputed:
	//   position 15, 2→N (odd 5→20):  122+15 = 137 = 5×26 + 7  → H
	rossiOmo1 = "RSSMRA85T10A56NH"
	//   position 14, 6→S (even 6→18): 137+12 = 149 = 5×26 + 19 → T
	rossiOmo2 = "RSSMRA85T10A5SNT"
	//   all seven: 8→U (odd 19→16) −3, 5→R (even 5→17) +12, 1→M (even
	//   1→12) +11, 0→L (odd 1→4) +3, 5→R (odd 13→8) −5, 6→S +12, 2→N +15:
	//   122+45 = 167 = 6×26 + 11 → L
	rossiOmo7 = "RSSMRAURTMLARSNL"
)

// Hand-verified provisional codes: digits in odd positions count as they
// are, those in even positions doubled (less 9 above 9); the check digit
// brings the sum to a multiple of 10.
const (
	// 0 6 3 6 3 3 9 1 0 0: odd 0+3+3+9+0 = 15; even 12→3, 12→3, 6, 2, 0 = 14;
	// 29 → 1. (The Agenzia delle Entrate's own code.)
	agenzia = "06363391001"
	// 0 1 2 3 4 5 6 7 8 9: odd 0+2+4+6+8 = 20; even 2, 6, 10→1, 14→5,
	// 18→9 = 23; 43 → 7.
	counting = "01234567897"
	// 1 2 3 4 5 6 7 8 9 0: odd 1+3+5+7+9 = 25; even 4, 8, 12→3, 16→7, 0
	// = 22; 47 → 3.
	counting1 = "12345678903"
)

func TestCheckCharacter(t *testing.T) {
	for _, code := range []string{rossi, bianchi, ali, rossiOmo1, rossiOmo2, rossiOmo7} {
		got, err := codicefiscale.CheckCharacter(code[:15])
		if err != nil || got != code[15] {
			t.Errorf("CheckCharacter(%q) = %q, %v; want %q", code[:15], got, err, code[15])
		}
	}
	for _, tt := range []struct {
		in     string
		reason codicefiscale.Reason
	}{
		{"RSSMRA85T10A56", codicefiscale.WrongLength},
		{"RSSMRA85T10A562S", codicefiscale.WrongLength},
		{"RSSMRA85T10A5A2", codicefiscale.BadFormat},
		{"RSSMR485T10A562", codicefiscale.BadFormat},
	} {
		_, err := codicefiscale.CheckCharacter(tt.in)
		if reasonOf(err) != tt.reason {
			t.Errorf("CheckCharacter(%q) error %v, want %s", tt.in, err, tt.reason)
		}
	}
}

func TestProvisionalCheckDigit(t *testing.T) {
	for _, code := range []string{agenzia, counting, counting1} {
		got, err := codicefiscale.ProvisionalCheckDigit(code[:10])
		if err != nil || got != code[10] {
			t.Errorf("ProvisionalCheckDigit(%q) = %q, %v; want %q", code[:10], got, err, code[10])
		}
	}
	if _, err := codicefiscale.ProvisionalCheckDigit("123456789"); reasonOf(err) != codicefiscale.WrongLength {
		t.Errorf("9 digits: %v", err)
	}
	if _, err := codicefiscale.ProvisionalCheckDigit("12345X7890"); reasonOf(err) != codicefiscale.BadFormat {
		t.Errorf("a letter: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		kind   codicefiscale.Kind
		reason codicefiscale.Reason // "" when valid
		pos    int
	}{
		{"published example", rossi, codicefiscale.Personal, "", 0},
		{"woman born abroad", bianchi, codicefiscale.Personal, "", 0},
		{"29 February", ali, codicefiscale.Personal, "", 0},
		{"omocodia, one digit", rossiOmo1, codicefiscale.Personal, "", 0},
		{"omocodia, two digits", rossiOmo2, codicefiscale.Personal, "", 0},
		{"omocodia, all digits", rossiOmo7, codicefiscale.Personal, "", 0},
		{"lower case", strings.ToLower(rossi), codicefiscale.Personal, "", 0},
		{"spaces", " RSS MRA 85T10 A562S ", codicefiscale.Personal, "", 0},
		{"tab and no-break space", "RSSMRA\t85T10\u00a0A562S\n", codicefiscale.Personal, "", 0},
		{"provisional", agenzia, codicefiscale.Provisional, "", 0},
		{"provisional 2", counting, codicefiscale.Provisional, "", 0},
		{"provisional with spaces", "0123 4567 897", codicefiscale.Provisional, "", 0},

		{"empty", "", 0, codicefiscale.WrongLength, 0},
		{"only spaces", "   ", 0, codicefiscale.WrongLength, 0},
		{"15 characters", rossi[:15], 0, codicefiscale.WrongLength, 0},
		{"17 characters", rossi + "X", 0, codicefiscale.WrongLength, 0},
		{"10 digits", agenzia[:10], 0, codicefiscale.WrongLength, 0},
		{"12 digits", agenzia + "0", 0, codicefiscale.WrongLength, 0},
		{"15 characters and an accent", "RSSMRA85T10A56È", 0, codicefiscale.WrongLength, 0},

		{"digit in the surname", "R5SMRA85T10A562S", 0, codicefiscale.BadFormat, 2},
		{"letter not of omocodia in the year", "RSSMRA8AT10A562S", 0, codicefiscale.BadFormat, 8},
		{"O for zero in the day", "RSSMRA85T1OA562S", 0, codicefiscale.BadFormat, 11},
		{"digit for the Belfiore letter", "RSSMRA85T100562S", 0, codicefiscale.BadFormat, 12},
		{"digit as check", "RSSMRA85T10A5620", 0, codicefiscale.BadFormat, 16},
		{"punctuation", "RSSMRA85T10-A562", 0, codicefiscale.BadFormat, 12},
		{"accented letter", "RSSMRA85T10A562È", 0, codicefiscale.BadFormat, 16},
		{"invalid UTF-8", "RSSMRA85T10A562\xff", 0, codicefiscale.BadFormat, 16},
		{"letter in a provisional code", "0636339100A", 0, codicefiscale.BadFormat, 11},
		{"all zeros", "00000000000", 0, codicefiscale.BadFormat, 0},

		{"F is no month", "RSSMRA85F10A562S", 0, codicefiscale.BadMonth, 9},
		{"Z is no month", "RSSMRA85Z10A562S", 0, codicefiscale.BadMonth, 9},

		{"day 00", "RSSMRA85T00A562S", 0, codicefiscale.BadDay, 10},
		{"day 32", "RSSMRA85T32A562S", 0, codicefiscale.BadDay, 10},
		{"day 40", "RSSMRA85T40A562S", 0, codicefiscale.BadDay, 10},
		{"day 72", "RSSMRA85T72A562S", 0, codicefiscale.BadDay, 10},
		{"31 April", "RSSMRA85D31A562S", 0, codicefiscale.BadDay, 10},
		{"30 February", "LAIHMD04B30Z336Z", 0, codicefiscale.BadDay, 10},
		{"30 February, woman", "LAIHMD04B70Z336Z", 0, codicefiscale.BadDay, 10},

		{"wrong check letter", "RSSMRA85T10A562T", 0, codicefiscale.BadCheck, 16},
		{"omocode with the original check", "RSSMRA85T10A56NS", 0, codicefiscale.BadCheck, 16},
		{"swapped digits", "RSSMRA58T10A562S", 0, codicefiscale.BadCheck, 16},
		{"wrong check digit", "06363391002", 0, codicefiscale.BadProvisionalCheck, 11},
		{"swapped digits, provisional", "06363391010", 0, codicefiscale.BadProvisionalCheck, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, err := codicefiscale.Validate(tt.in)
			if kind != tt.kind {
				t.Errorf("kind %v, want %v", kind, tt.kind)
			}
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			var e *codicefiscale.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
			if e.Reason != tt.reason || e.Position != tt.pos {
				t.Errorf("error %s at %d (%v), want %s at %d", e.Reason, e.Position, err, tt.reason, tt.pos)
			}
		})
	}
}

// TestSingleChangeFails changes each character of valid codes to every
// other character its position allows. Every such code must be refused: the
// odd and even tables give the characters allowed in a position distinct
// values modulo 26 (and the provisional check is a permutation of the
// digits in every position), so a single change always moves the check.
func TestSingleChangeFails(t *testing.T) {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	const numeric = "0123456789LMNPQRSTUV"
	for _, code := range []string{rossi, bianchi, ali, rossiOmo1, rossiOmo7} {
		for i := range 16 {
			alphabet := letters
			switch i {
			case 6, 7, 9, 10, 12, 13, 14:
				alphabet = numeric
			}
			for _, r := range alphabet {
				if byte(r) == code[i] {
					continue
				}
				changed := code[:i] + string(r) + code[i+1:]
				if _, err := codicefiscale.Validate(changed); err == nil {
					t.Errorf("%s (position %d of %s changed) is valid", changed, i+1, code)
				}
			}
		}
	}
	for _, code := range []string{agenzia, counting, counting1} {
		for i := range 11 {
			for d := byte('0'); d <= '9'; d++ {
				if d == code[i] {
					continue
				}
				changed := code[:i] + string(d) + code[i+1:]
				if _, err := codicefiscale.Validate(changed); err == nil {
					t.Errorf("%s (position %d of %s changed) is valid", changed, i+1, code)
				}
			}
		}
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		in   string
		want codicefiscale.Info
	}{
		{rossi, codicefiscale.Info{Surname: "RSS", Name: "MRA", Year: 85, Month: time.December, Day: 10,
			Sex: codicefiscale.Male, Belfiore: "A562"}},
		{bianchi, codicefiscale.Info{Surname: "BNC", Name: "NNA", Year: 7, Month: time.January, Day: 1,
			Sex: codicefiscale.Female, Belfiore: "Z330", Foreign: true}},
		{ali, codicefiscale.Info{Surname: "LAI", Name: "HMD", Year: 4, Month: time.February, Day: 29,
			Sex: codicefiscale.Male, Belfiore: "Z336", Foreign: true}},
		{rossiOmo1, codicefiscale.Info{Surname: "RSS", Name: "MRA", Year: 85, Month: time.December, Day: 10,
			Sex: codicefiscale.Male, Belfiore: "A562", Omocode: true}},
		{rossiOmo7, codicefiscale.Info{Surname: "RSS", Name: "MRA", Year: 85, Month: time.December, Day: 10,
			Sex: codicefiscale.Male, Belfiore: "A562", Omocode: true}},
		{" rss mra 85t10 a562s", codicefiscale.Info{Surname: "RSS", Name: "MRA", Year: 85, Month: time.December, Day: 10,
			Sex: codicefiscale.Male, Belfiore: "A562"}},
	}
	for _, tt := range tests {
		got, err := codicefiscale.Decode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Decode(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestDecodeOmocodeOfWoman(t *testing.T) {
	// Bianchi's code with every numeric position replaced: 0→L 7→T, 4→Q 1→M,
	// 3→P 3→P 0→L, and the check letter recomputed.
	base := "BNCNNALTAQMZPPL"
	check, err := codicefiscale.CheckCharacter(base)
	if err != nil {
		t.Fatal(err)
	}
	info, err := codicefiscale.Decode(base + string(check))
	if err != nil {
		t.Fatal(err)
	}
	want := codicefiscale.Info{Surname: "BNC", Name: "NNA", Year: 7, Month: time.January, Day: 1,
		Sex: codicefiscale.Female, Belfiore: "Z330", Foreign: true, Omocode: true}
	if info != want {
		t.Errorf("Decode = %+v, want %+v", info, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		in     string
		reason codicefiscale.Reason
	}{
		{agenzia, codicefiscale.NotPersonal},
		{"06363391002", codicefiscale.BadProvisionalCheck},
		{"RSSMRA85T10A562T", codicefiscale.BadCheck},
		{"RSSMRA85", codicefiscale.WrongLength},
		{"RSSMRA85T10A562É", codicefiscale.BadFormat},
	}
	for _, tt := range tests {
		info, err := codicefiscale.Decode(tt.in)
		if reasonOf(err) != tt.reason || info != (codicefiscale.Info{}) {
			t.Errorf("Decode(%q) = %+v, %v; want %s", tt.in, info, err, tt.reason)
		}
	}
}

func TestBirthYear(t *testing.T) {
	now := time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)
	for year, want := range map[int]int{7: 2007, 85: 1985, 26: 2026, 27: 1927, 0: 2000, 99: 1999} {
		if got := (codicefiscale.Info{Year: year}).BirthYear(now); got != want {
			t.Errorf("BirthYear of %02d = %d, want %d", year, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		" rss mra 85t10 a562s ":        rossi,
		"rssmra\u00a085t10\u2003a562s": rossi,
		"0636 3391 001":                agenzia,
		"ıt":                           "ıT", // only a-z change case
		"é":                            "é",
		"\xff a":                       "\xffA",
		"":                             "",
	} {
		if got := codicefiscale.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorAndKindStrings(t *testing.T) {
	_, err := codicefiscale.Validate("RSSMRA85T10A562T")
	if got, want := err.Error(), "codicefiscale: wrong check character at position 16"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = codicefiscale.Validate("X")
	if got, want := err.Error(), "codicefiscale: the code has neither 16 characters nor 11 digits"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	for k, want := range map[codicefiscale.Kind]string{
		codicefiscale.Personal: "personal", codicefiscale.Provisional: "provisional", 0: "invalid",
	} {
		if k.String() != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), want)
		}
	}
}

func reasonOf(err error) codicefiscale.Reason {
	var e *codicefiscale.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
