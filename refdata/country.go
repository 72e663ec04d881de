package refdata

import "slices"

// Country is a country or territory of ISO 3166-1, as iso-codes lists it.
type Country struct {
	// Alpha2 is the ISO 3166-1 alpha-2 code in upper case ("IT"), the code
	// Approdo stores for a nationality or a country of birth.
	Alpha2 string
	// Alpha3 is the alpha-3 code ("ITA"), the one passports print in their
	// machine-readable zone.
	Alpha3 string
	// Numeric is the three-digit numeric code with its leading zeros ("004").
	Numeric string
	// English is the short English name: iso-codes' common name when it has
	// one ("Bolivia", "Iran", "South Korea"), otherwise its name.
	English string
	// Italian is the Italian name from iso-codes' Italian catalogue, or ""
	// when it has none; Name falls back to English then. Only TR is
	// corrected locally ("Turchia"; see SOURCE).
	Italian string
}

// Name returns the country's name in lang: English for "en" (and "en-…"
// tags), Italian otherwise, falling back to English when there is no Italian
// name.
func (c Country) Name(lang string) string {
	return name(lang, c.Italian, c.English)
}

// Countries returns all 249 countries and territories of ISO 3166-1, ordered
// by alpha-2 code. The slice is the caller's to change.
func Countries() []Country {
	return slices.Clone(get().countries)
}

// CountriesByName returns all countries ordered by their name in lang, as a
// select box lists them: accents do not count ("Åland" sorts as "Aland")
// and neither does case. The slice is the caller's to change.
func CountriesByName(lang string) []Country {
	d := get()
	return listFor(lang, d.countriesIT, d.countriesEN)
}

// LookupCountry returns the country of an ISO 3166-1 alpha-2 code ("IT",
// "eg"), or, for the machine-readable zones of passports, of an alpha-3 code
// ("ITA"). Case and surrounding spaces do not matter. It returns false for
// an unknown code.
func LookupCountry(code string) (Country, bool) {
	code, ok := asciiCase(code, true)
	if !ok {
		return Country{}, false
	}
	c, ok := get().countryByCode[code]
	return c, ok
}
