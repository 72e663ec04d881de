// Package refdata holds the reference lists Approdo's forms and exports share:
// countries (ISO 3166-1) and languages (ISO 639), each with its English and
// Italian name.
//
// The data comes from Debian's iso-codes package (LGPL-2.1-or-later; see
// ISO-CODES-COPYRIGHT and SOURCE in this folder for the version and the
// inputs). scripts/refdata.sh regenerates countries.tsv and languages.tsv
// from it; the files are embedded and parsed once, on first use, into maps,
// so lookups cost a map access and listings a copy of a precomputed slice.
//
// Names are asked for with a language tag: "en" (or any "en-…" tag) gives
// the English name; anything else gives the Italian one, Approdo's default,
// which falls back to English where iso-codes has no Italian translation.
package refdata

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
)

//go:embed countries.tsv
var countriesTSV string

//go:embed languages.tsv
var languagesTSV string

// data is the parsed content of the embedded files.
type data struct {
	countries     []Country          // by alpha-2
	countryByCode map[string]Country // alpha-2 and alpha-3, upper case
	countriesIT   []Country          // by Italian name
	countriesEN   []Country          // by English name

	languages      []Language          // by canonical code
	languageByCode map[string]Language // alpha-2, alpha-3 and 639-2/B, lower case
	languagesIT    []Language          // by Italian name
	languagesEN    []Language          // by English name
}

var (
	loadOnce sync.Once
	loaded   *data
)

// get returns the parsed data, parsing it on first use. The files are
// generated and tested, so a failure to parse them is a broken build and
// panics.
func get() *data {
	loadOnce.Do(func() {
		d, err := parse()
		if err != nil {
			panic(err)
		}
		loaded = d
	})
	return loaded
}

func parse() (*data, error) {
	d := &data{
		countryByCode:  map[string]Country{},
		languageByCode: map[string]Language{},
	}
	crows, err := readTSV("countries.tsv", countriesTSV, "alpha2", "alpha3", "numeric", "english", "italian")
	if err != nil {
		return nil, err
	}
	for _, r := range crows {
		c := Country{Alpha2: r[0], Alpha3: r[1], Numeric: r[2], English: r[3], Italian: r[4]}
		if len(c.Alpha2) != 2 || len(c.Alpha3) != 3 || len(c.Numeric) != 3 || c.English == "" {
			return nil, fmt.Errorf("refdata: bad country row %q", r)
		}
		for _, code := range []string{c.Alpha2, c.Alpha3} {
			if _, dup := d.countryByCode[code]; dup {
				return nil, fmt.Errorf("refdata: country code %s appears twice", code)
			}
			d.countryByCode[code] = c
		}
		d.countries = append(d.countries, c)
	}
	lrows, err := readTSV("languages.tsv", languagesTSV, "alpha2", "alpha3", "alpha3b", "scope", "english", "italian")
	if err != nil {
		return nil, err
	}
	for _, r := range lrows {
		l := Language{Alpha2: r[0], Alpha3: r[1], Alpha3B: r[2], English: r[4], Italian: r[5]}
		switch r[3] {
		case "I":
			l.Scope = Individual
		case "M":
			l.Scope = Macrolanguage
		case "C":
			l.Scope = Collective
		default:
			return nil, fmt.Errorf("refdata: language %s has unknown scope %q", l.Alpha3, r[3])
		}
		if (l.Alpha2 != "" && len(l.Alpha2) != 2) || len(l.Alpha3) != 3 || (l.Alpha3B != "" && len(l.Alpha3B) != 3) || l.English == "" {
			return nil, fmt.Errorf("refdata: bad language row %q", r)
		}
		for _, code := range []string{l.Alpha2, l.Alpha3, l.Alpha3B} {
			if code == "" {
				continue
			}
			if _, dup := d.languageByCode[code]; dup {
				return nil, fmt.Errorf("refdata: language code %s appears twice", code)
			}
			d.languageByCode[code] = l
		}
		d.languages = append(d.languages, l)
	}
	slices.SortFunc(d.countries, func(a, b Country) int { return strings.Compare(a.Alpha2, b.Alpha2) })
	slices.SortFunc(d.languages, func(a, b Language) int { return strings.Compare(a.Code(), b.Code()) })
	d.countriesIT = sortedByName(d.countries, func(c Country) (string, string) { return c.Name("it"), c.Alpha2 })
	d.countriesEN = sortedByName(d.countries, func(c Country) (string, string) { return c.Name("en"), c.Alpha2 })
	d.languagesIT = sortedByName(d.languages, func(l Language) (string, string) { return l.Name("it"), l.Code() })
	d.languagesEN = sortedByName(d.languages, func(l Language) (string, string) { return l.Name("en"), l.Code() })
	return d, nil
}

// readTSV splits an embedded tab-separated file into rows, checking its
// header and that every row has as many fields.
func readTSV(name, text string, header ...string) ([][]string, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 2 || lines[0] != strings.Join(header, "\t") {
		return nil, fmt.Errorf("refdata: %s: header is not %q", name, strings.Join(header, "\t"))
	}
	rows := make([][]string, 0, len(lines)-1)
	for i, line := range lines[1:] {
		r := strings.Split(line, "\t")
		if len(r) != len(header) {
			return nil, fmt.Errorf("refdata: %s: line %d has %d fields, want %d", name, i+2, len(r), len(header))
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// sortedByName returns a copy of items ordered by sortKey of their name,
// ties broken by code.
func sortedByName[T any](items []T, nameAndCode func(T) (string, string)) []T {
	type keyed struct {
		key, code string
		item      T
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		n, code := nameAndCode(it)
		ks[i] = keyed{sortKey(n), code, it}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.code, b.code)
	})
	out := make([]T, len(ks))
	for i, k := range ks {
		out[i] = k.item
	}
	return out
}

// sortKey returns the key the listings order names by:
// the name in lower case with the accents of Latin letters removed ("Åland"
// sorts as "aland", "Côte d'Ivoire" as "cote d'ivoire"), so accented names
// sit among their unaccented neighbours as in an Italian dictionary. It is a
// simple stand-in for full Unicode collation, enough for the Latin-script
// names of this package.
func sortKey(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		r = unicode.ToLower(r)
		if base, ok := latinBase[r]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// latinBase maps lower-case accented Latin letters to their base letters.
var latinBase = func() map[rune]string {
	m := map[rune]string{'æ': "ae", 'œ': "oe", 'ß': "ss", 'ø': "o", 'đ': "d", 'ł': "l", 'ı': "i"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăą",
		"c": "çćĉċč",
		"e": "èéêëēĕėęě",
		"g": "ĝğġģ",
		"i": "ìíîïĩīĭįǐ",
		"n": "ñńņňŉ",
		"o": "òóôõöōŏőǒ",
		"s": "śŝşšș",
		"t": "ţťț",
		"u": "ùúûüũūŭůűųǔ",
		"y": "ýÿŷ",
		"z": "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// english reports whether the language tag lang asks for English: "en" or
// a tag whose primary subtag is "en" ("en-GB", "en_US"), in any case.
func english(lang string) bool {
	if len(lang) < 2 || lang[0]|0x20 != 'e' || lang[1]|0x20 != 'n' {
		return false
	}
	return len(lang) == 2 || lang[2] == '-' || lang[2] == '_'
}

// name picks the name for lang: English when lang asks for it, otherwise
// Italian, falling back to English when there is no Italian name.
func name(lang, italian, englishName string) string {
	if english(lang) || italian == "" {
		return englishName
	}
	return italian
}

// asciiCase returns code trimmed of spaces and mapped to upper (upper true)
// or lower case, and false when it is empty, longer than three characters
// or holds anything but ASCII letters, so that no Unicode case mapping ("ı"
// to "I") can make a code match. A code already in the right case is
// returned without copying.
func asciiCase(code string, upper bool) (string, bool) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 3 {
		return "", false
	}
	same := true
	for i := 0; i < len(code); i++ {
		c := code[i] | 0x20 // lower case for letters
		if c < 'a' || c > 'z' {
			return "", false
		}
		same = same && (code[i] == c) != upper
	}
	if same {
		return code, true
	}
	if upper {
		return strings.ToUpper(code), true
	}
	return strings.ToLower(code), true
}

// listFor returns a copy of the Italian or English list for lang.
func listFor[T any](lang string, italian, englishList []T) []T {
	if english(lang) {
		return slices.Clone(englishList)
	}
	return slices.Clone(italian)
}
