package refdata_test

import (
	"slices"
	"strings"
	"testing"

	"approdo/refdata"
)

func TestCountryNames(t *testing.T) {
	tests := []struct {
		code, it, en string
	}{
		{"IT", "Italia", "Italy"},
		{"EG", "Egitto", "Egypt"},
		{"TN", "Tunisia", "Tunisia"},
		{"MA", "Marocco", "Morocco"},
		{"GM", "Gambia", "Gambia"},
		{"GN", "Guinea", "Guinea"},
		{"BD", "Bangladesh", "Bangladesh"},
		{"PK", "Pakistan", "Pakistan"},
		{"AL", "Albania", "Albania"},
		{"UA", "Ucraina", "Ukraine"},
		{"CI", "Costa d'Avorio", "Côte d'Ivoire"},
		{"ER", "Eritrea", "Eritrea"},
		{"SO", "Somalia", "Somalia"},
		{"AF", "Afghanistan", "Afghanistan"},
		{"NG", "Nigeria", "Nigeria"},
		{"SN", "Senegal", "Senegal"},
		{"ML", "Mali", "Mali"},
		// The common name, not the formal one, in both languages.
		{"IR", "Iran", "Iran"},
		{"SY", "Siria", "Syria"},
		{"BO", "Bolivia", "Bolivia"},
		// The local correction: iso-codes has no Italian name for Türkiye.
		{"TR", "Turchia", "Türkiye"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c, ok := refdata.LookupCountry(tt.code)
			if !ok {
				t.Fatalf("LookupCountry(%q) not found", tt.code)
			}
			if c.Italian == "" {
				t.Errorf("%s has no Italian name of its own", tt.code)
			}
			if got := c.Name("it"); got != tt.it {
				t.Errorf("Name(it) = %q, want %q", got, tt.it)
			}
			if got := c.Name("en"); got != tt.en {
				t.Errorf("Name(en) = %q, want %q", got, tt.en)
			}
		})
	}
}

func TestNameLanguageTags(t *testing.T) {
	eg, _ := refdata.LookupCountry("EG")
	for lang, want := range map[string]string{
		"it": "Egitto", "it-IT": "Egitto", "": "Egitto", "fr": "Egitto", "e": "Egitto", "ent": "Egitto",
		"en": "Egypt", "EN": "Egypt", "en-GB": "Egypt", "en_US": "Egypt",
	} {
		if got := eg.Name(lang); got != want {
			t.Errorf("Name(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestLookupCountry(t *testing.T) {
	tests := []struct {
		in     string
		alpha2 string // "" when not found
	}{
		{"IT", "IT"},
		{"it", "IT"},
		{" eg ", "EG"},
		{"ITA", "IT"},
		{"civ", "CI"},
		{"", ""},
		{"XX", ""},
		{"I", ""},
		{"ITAL", ""},
		{"380", ""},
		{"ıt", ""}, // dotless i must not upper-case to I
		{"I\u0307T", ""},
	}
	for _, tt := range tests {
		c, ok := refdata.LookupCountry(tt.in)
		if ok != (tt.alpha2 != "") || c.Alpha2 != tt.alpha2 {
			t.Errorf("LookupCountry(%q) = %q, %v; want %q", tt.in, c.Alpha2, ok, tt.alpha2)
		}
	}
	it, _ := refdata.LookupCountry("IT")
	if it.Alpha3 != "ITA" || it.Numeric != "380" {
		t.Errorf("IT = %+v", it)
	}
	af, _ := refdata.LookupCountry("AF")
	if af.Numeric != "004" {
		t.Errorf("AF numeric = %q, want leading zeros", af.Numeric)
	}
}

func TestCountries(t *testing.T) {
	all := refdata.Countries()
	if len(all) != 249 {
		t.Errorf("%d countries, want the 249 of ISO 3166-1", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b refdata.Country) int { return strings.Compare(a.Alpha2, b.Alpha2) }) {
		t.Error("Countries is not ordered by alpha-2")
	}
	for _, c := range all {
		if c.Italian == "" {
			t.Errorf("%s has no Italian name", c.Alpha2)
		}
		if got, ok := refdata.LookupCountry(c.Alpha3); !ok || got != c {
			t.Errorf("LookupCountry(%q) = %+v, %v", c.Alpha3, got, ok)
		}
	}
	all[0].English = "changed"
	if refdata.Countries()[0].English == "changed" {
		t.Error("Countries shares its slice with the caller")
	}
}

func TestCountriesByName(t *testing.T) {
	tests := []struct {
		lang          string
		before, after string // codes: before must come earlier than after
	}{
		{"it", "CI", "CR"}, // Costa d'Avorio, Costa Rica
		{"it", "EG", "ER"}, // Egitto, Eritrea
		{"it", "AX", "IT"}, // Isole Åland, Italia: the accent does not count
		{"en", "AF", "AX"}, // Afghanistan, Åland Islands
		{"en", "AX", "AL"}, // Åland Islands, Albania
		{"en", "CR", "CI"}, // Costa Rica, Côte d'Ivoire
		{"en", "CI", "HR"}, // Côte d'Ivoire, Croatia
		{"en", "TN", "TR"}, // Tunisia, Türkiye
		{"it", "TN", "TR"}, // Tunisia, Turchia
		{"en", "DE", "IT"}, // Germany, Italy
		{"it", "DE", "IT"}, // Germania, Italia
	}
	for _, tt := range tests {
		list := refdata.CountriesByName(tt.lang)
		i := slices.IndexFunc(list, func(c refdata.Country) bool { return c.Alpha2 == tt.before })
		j := slices.IndexFunc(list, func(c refdata.Country) bool { return c.Alpha2 == tt.after })
		if i < 0 || j < 0 || i >= j {
			t.Errorf("CountriesByName(%q): %s at %d, %s at %d; want the first earlier", tt.lang, tt.before, i, tt.after, j)
		}
	}
	for _, lang := range []string{"it", "en"} {
		list := refdata.CountriesByName(lang)
		if len(list) != len(refdata.Countries()) {
			t.Errorf("CountriesByName(%q) has %d countries", lang, len(list))
		}
		if !slices.IsSortedFunc(list, func(a, b refdata.Country) int {
			return strings.Compare(strings.ToLower(plain(a.Name(lang))), strings.ToLower(plain(b.Name(lang))))
		}) {
			t.Errorf("CountriesByName(%q) is not ordered by name", lang)
		}
	}
}

// plain removes the accents of the letters that occur in country names.
func plain(s string) string {
	return strings.NewReplacer("Å", "A", "Ø", "O", "à", "a", "ã", "a", "å", "a", "æ", "ae", "ç", "c",
		"é", "e", "í", "i", "ô", "o", "ù", "u", "ü", "u").Replace(s)
}

func TestLanguageNames(t *testing.T) {
	tests := []struct {
		code      string // as looked up
		canon     string // Code()
		it, en    string
		noItalian bool // iso-codes has no Italian translation: Name("it") falls back to English
	}{
		{"ar", "ar", "Arabo", "Arabic", false},
		{"ti", "ti", "Tigrinya", "Tigrinya", false}, // the catalogue keeps the English form
		{"bn", "bn", "Bengalese", "Bengali", false},
		{"ur", "ur", "Urdu", "Urdu", false},
		{"ps", "ps", "Pashtu", "Pushto", false},
		{"sq", "sq", "Albanese", "Albanian", false},
		{"uk", "uk", "Ucraino", "Ukrainian", false},
		{"fr", "fr", "Francese", "French", false},
		{"en", "en", "Inglese", "English", false},
		{"it", "it", "Italiano", "Italian", false},
		{"so", "so", "Somalo", "Somali", false}, // from the ISO 639-2 catalogue
		{"am", "am", "Amarico", "Amharic", false},
		{"ru", "ru", "Russo", "Russian", false},
		{"ku", "ku", "Curdo", "Kurdish", false},
		{"wo", "wo", "Volof", "Wolof", false},
		{"ms", "ms", "Malese", "Malay", false}, // "(macrolanguage)" dropped
		{"tig", "tig", "Tigre", "Tigre", false},
		{"ctg", "ctg", "Chittagone", "Chittagonian", false},
		{"arz", "arz", "Arabo egiziano", "Egyptian Arabic", false},
		{"aeb", "aeb", "Arabo tunisino", "Tunisian Arabic", false},
		{"ary", "ary", "Arabo marocchino", "Moroccan Arabic", false},
		{"apd", "apd", "Arabo sudanese", "Sudanese Arabic", false},
		{"apc", "apc", "Arabo levantino settentrionale", "North Levantine Arabic", false},
		{"ckb", "ckb", "Curdo centrale", "Central Kurdish", false},
		{"tzm", "tzm", "Tamazight Atlas centrale", "Central Atlas Tamazight", false},
		{"dyu", "dyu", "Diula", "Dyula", false},
		{"ber", "ber", "Lingue berbere", "Berber languages", false},
		// No Italian translation in iso-codes: the English name stands in.
		{"prs", "prs", "Dari", "Dari", true},
		{"pnb", "pnb", "Western Panjabi", "Western Panjabi", true},
		{"pcm", "pcm", "Nigerian Pidgin", "Nigerian Pidgin", true},
		{"kmr", "kmr", "Northern Kurdish", "Northern Kurdish", true},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			l, ok := refdata.LookupLanguage(tt.code)
			if !ok {
				t.Fatalf("LookupLanguage(%q) not found", tt.code)
			}
			if l.Code() != tt.canon {
				t.Errorf("Code() = %q, want %q", l.Code(), tt.canon)
			}
			if got := l.Name("it"); got != tt.it {
				t.Errorf("Name(it) = %q, want %q", got, tt.it)
			}
			if got := l.Name("en"); got != tt.en {
				t.Errorf("Name(en) = %q, want %q", got, tt.en)
			}
			if (l.Italian == "") != tt.noItalian {
				t.Errorf("Italian = %q; want empty %v", l.Italian, tt.noItalian)
			}
		})
	}
}

func TestLanguagesIncludeThePeopleServed(t *testing.T) {
	codes := []string{
		"ti", "tig", "prs", "syl", "ctg", "ff", "fuc", "fuf", "mnk", "snk", "wo", "bm", "sus",
		"kri", "pcm", "bin", "ha", "yo", "ig", "ber", "tzm", "kab", "shi", "rif", "zgh", "arz",
		"aeb", "ary", "arq", "ayl", "apd", "apc", "ajp", "pa", "pnb", "ps", "ur", "bn", "sq",
		"uk", "ru", "so", "am", "ku", "ckb", "kmr", "dyu", "ish", "ar", "fa", "fr", "en", "it",
	}
	for _, code := range codes {
		l, ok := refdata.LookupLanguage(code)
		if !ok {
			t.Errorf("%s is missing", code)
			continue
		}
		if l.Code() != code {
			t.Errorf("LookupLanguage(%q).Code() = %q", code, l.Code())
		}
	}
}

func TestLookupLanguage(t *testing.T) {
	tests := []struct {
		in, code string // code "" when not found
	}{
		{"ti", "ti"},
		{"TI", "ti"},
		{" tir ", "ti"},
		{"ara", "ar"},
		{"fre", "fr"}, // ISO 639-2/B
		{"fra", "fr"},
		{"alb", "sq"},
		{"sqi", "sq"},
		{"ful", "ff"},
		{"Prs", "prs"},
		{"ber", "ber"},
		{"arb", ""}, // Standard Arabic: not kept, "ar" covers it
		{"xx", ""},
		{"", ""},
		{"e", ""},
		{"engl", ""},
		{"ı", ""},
	}
	for _, tt := range tests {
		l, ok := refdata.LookupLanguage(tt.in)
		if ok != (tt.code != "") || l.Code() != tt.code && ok {
			t.Errorf("LookupLanguage(%q) = %q, %v; want %q", tt.in, l.Code(), ok, tt.code)
		}
	}
	ar, _ := refdata.LookupLanguage("ar")
	if ar.Scope != refdata.Macrolanguage || ar.Alpha3 != "ara" {
		t.Errorf("ar = %+v", ar)
	}
	ber, _ := refdata.LookupLanguage("ber")
	if ber.Scope != refdata.Collective || ber.Alpha2 != "" {
		t.Errorf("ber = %+v", ber)
	}
}

func TestLanguages(t *testing.T) {
	all := refdata.Languages()
	two := 0
	for _, l := range all {
		if l.Alpha2 != "" {
			two++
		}
		if got, ok := refdata.LookupLanguage(l.Alpha3); !ok || got != l {
			t.Errorf("LookupLanguage(%q) = %+v, %v", l.Alpha3, got, ok)
		}
		if l.English == "" || strings.Contains(l.English, "macrolanguage") {
			t.Errorf("%s English name %q", l.Code(), l.English)
		}
	}
	if two != 184 || len(all) < 200 || len(all) > 250 {
		t.Errorf("%d languages, %d with two-letter codes; want 184 and a short list", len(all), two)
	}
	if !slices.IsSortedFunc(all, func(a, b refdata.Language) int { return strings.Compare(a.Code(), b.Code()) }) {
		t.Error("Languages is not ordered by code")
	}
	it := refdata.LanguagesByName("it")
	en := refdata.LanguagesByName("en")
	if len(it) != len(all) || len(en) != len(all) {
		t.Fatalf("LanguagesByName lengths %d, %d; want %d", len(it), len(en), len(all))
	}
	for _, list := range []struct {
		lang string
		l    []refdata.Language
	}{{"it", it}, {"en", en}} {
		if !slices.IsSortedFunc(list.l, func(a, b refdata.Language) int {
			return strings.Compare(strings.ToLower(plain(a.Name(list.lang))), strings.ToLower(plain(b.Name(list.lang))))
		}) {
			t.Errorf("LanguagesByName(%q) is not ordered by name", list.lang)
		}
	}
	if got := it[0].Name("it"); got != "Abkhazian" {
		t.Errorf("first language in Italian is %q, want Abkhazian", got)
	}
	if got := en[len(en)-1].Name("en"); got != "Zulu" {
		t.Errorf("last language in English is %q, want Zulu", got)
	}
}

func BenchmarkLookupCountry(b *testing.B) {
	for b.Loop() {
		refdata.LookupCountry("eg")
	}
}

func BenchmarkLookupLanguage(b *testing.B) {
	for b.Loop() {
		refdata.LookupLanguage("tir")
	}
}
