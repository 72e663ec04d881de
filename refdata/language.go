package refdata

import "slices"

// Language is a language of ISO 639, as iso-codes lists it.
type Language struct {
	// Alpha2 is the ISO 639-1 code in lower case ("ti"), or "" when the
	// language has none.
	Alpha2 string
	// Alpha3 is the ISO 639-3 code ("tir"); for the collective "ber"
	// (Berber languages), which ISO 639-3 lacks, the ISO 639-2 code.
	Alpha3 string
	// Alpha3B is the ISO 639-2 bibliographic code when it differs from
	// Alpha3 ("fre" for French, "alb" for Albanian), else "". LookupLanguage
	// accepts it, since older systems and library records use it.
	Alpha3B string
	// Scope says whether the code names one language, a macrolanguage or a
	// group of languages.
	Scope Scope
	// English is the ISO 639-3 reference name ("Pushto", "Panjabi", "Bini"),
	// without the " (macrolanguage)" suffix iso-codes gives a few.
	English string
	// Italian is the Italian name from iso-codes' catalogues, or "" when
	// they have none (Dari, Western Panjabi, Nigerian Pidgin, Northern
	// Kurdish); Name falls back to English then.
	Italian string
}

// Scope is the ISO 639-3 scope of a language code.
type Scope string

// The scopes of the codes in Languages.
const (
	// Individual is a single language ("tir", Tigrinya).
	Individual Scope = "individual"
	// Macrolanguage groups closely related languages that are often
	// spoken of as one ("ara", Arabic; "sqi", Albanian; "kur", Kurdish).
	Macrolanguage Scope = "macrolanguage"
	// Collective names a family or group ("ber", Berber languages).
	Collective Scope = "collective"
)

// Code returns the canonical code Approdo stores for the language: the
// two-letter code when there is one, otherwise the three-letter one.
func (l Language) Code() string {
	if l.Alpha2 != "" {
		return l.Alpha2
	}
	return l.Alpha3
}

// Name returns the language's name in lang: English for "en" (and "en-…"
// tags), Italian otherwise, falling back to English when there is no Italian
// name.
func (l Language) Name(lang string) string {
	return name(lang, l.Italian, l.English)
}

// Languages returns the languages Approdo offers, ordered by canonical code.
// The slice is the caller's to change.
//
// Not all of ISO 639-3's ~8,000 languages are kept, only those an operator
// is likely to pick for a person, a mediator or a service:
//
//   - every ISO 639-3 language or macrolanguage that has an ISO 639-1
//     two-letter code (184, including ar, fa, ps, sq and ku, which are
//     macrolanguages, and a few ancient or constructed ones such as la and
//     eo, kept so that any two-letter code resolves);
//   - languages without a two-letter code that the people served by
//     Approdo speak: from the Horn of Africa, Tigre (tig); from Afghanistan,
//     Pakistan and Bangladesh, Dari (prs), Western Panjabi (pnb), Sylheti
//     (syl), Chittagonian (ctg); from West Africa, Pulaar (fuc) and Pular
//     (fuf) beside Fulah (ff), Mandinka (mnk), Soninke (snk), Susu (sus),
//     Krio (kri), Dyula (dyu), Nigerian Pidgin (pcm), and Edo (bin) and Esan
//     (ish) of Edo State, where most Nigerian trafficking victims come from;
//     from North Africa and the Middle East, the Tamazight (Berber)
//     languages Central Atlas Tamazight (tzm), Standard Moroccan Tamazight
//     (zgh), Kabyle (kab), Tachelhit (shi) and Tarifit (rif), the spoken
//     Arabics of Egypt (arz), Tunisia (aeb), Morocco (ary), Algeria (arq),
//     Libya (ayl) and Sudan (apd), North and South Levantine Arabic (apc,
//     ajp), and Central (ckb, Sorani) and Northern (kmr, Kurmanji) Kurdish;
//   - the collective ISO 639-2 code ber, Berber languages, for when the
//     variety is not known.
//
// The two-letter codes cover the rest of the languages Approdo's users
// asked for: ti, ha, yo, ig, wo, bm, pa, ps, ur, bn, sq, uk, ru, so, am, ku.
func Languages() []Language {
	return slices.Clone(get().languages)
}

// LanguagesByName returns the languages ordered by their name in lang, as
// a select box lists them: accents and case do not count. The slice is the
// caller's to change.
func LanguagesByName(lang string) []Language {
	d := get()
	return listFor(lang, d.languagesIT, d.languagesEN)
}

// LookupLanguage returns the language of an ISO 639 code: two-letter
// ("ti"), three-letter ISO 639-3 or 639-2 ("tir", "prs") or ISO 639-2
// bibliographic ("fre"). Case and surrounding spaces do not matter. The
// Language's Code is the canonical code to store. It returns false for a code
// that is unknown or not among Languages.
func LookupLanguage(code string) (Language, bool) {
	code, ok := asciiCase(code, false)
	if !ok {
		return Language{}, false
	}
	l, ok := get().languageByCode[code]
	return l, ok
}
