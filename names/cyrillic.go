package names

import "strings"

// Cyrillic to Latin, after the Ukrainian passport romanisation (the national
// table of 2010), since most Cyrillic names Approdo sees belong to Ukrainian
// minors, with Russian words recognised and romanised the Russian way.
//
// A word is taken as Russian when it has one of ы э ъ ё and none of the
// Ukrainian-only і ї є ґ; otherwise as Ukrainian. The two differ in:
//
//   - г: Ukrainian h (Олег Oleh, Ганна Hanna), Russian g (Олег Oleg);
//   - и: Ukrainian y (Микола Mykola), Russian i (Николай Nikolai).
//
// Common to both: а a, б b, в v, д d, е e, ж zh, з z, й y (first letter) or
// i, к k, л l, м m, н n, о o, п p, р r, с s, т t, у u, ф f, х kh, ц ts,
// ч ch, ш sh, щ shch, ю yu/iu and я ya/ia (first letter/elsewhere),
// ь and ъ nothing, ы y, э e, ё e. Ukrainian ґ g, і i, ї yi/i, є ye/ie.
// Belarusian ў u and the Serbian and Macedonian letters ђ dj, ј j, љ lj,
// њ nj, ћ c, џ dz, ѓ gj, ќ kj, ѕ dz are included because they cost nothing.
// Other letters pass through unchanged.
func cyrillicToLatin(b *strings.Builder, run []rune) {
	russian := isRussian(run)
	for i, r := range run {
		first := i == 0
		switch r {
		case 'г':
			if russian {
				b.WriteString("g")
			} else {
				b.WriteString("h")
			}
		case 'и':
			if russian {
				b.WriteString("i")
			} else {
				b.WriteString("y")
			}
		case 'й':
			b.WriteString(pick(first, "y", "i"))
		case 'ю':
			b.WriteString(pick(first, "yu", "iu"))
		case 'я':
			b.WriteString(pick(first, "ya", "ia"))
		case 'ї':
			b.WriteString(pick(first, "yi", "i"))
		case 'є':
			b.WriteString(pick(first, "ye", "ie"))
		default:
			if l, ok := cyrillicLetters[r]; ok {
				b.WriteString(l)
			} else {
				b.WriteRune(r)
			}
		}
	}
}

// isRussian reports whether a Cyrillic word shows Russian-only letters and
// no Ukrainian-only ones.
func isRussian(run []rune) bool {
	ru := false
	for _, r := range run {
		switch r {
		case 'і', 'ї', 'є', 'ґ':
			return false
		case 'ы', 'э', 'ъ', 'ё':
			ru = true
		}
	}
	return ru
}

// pick returns a when first holds and b otherwise.
func pick(first bool, a, b string) string {
	if first {
		return a
	}
	return b
}

// cyrillicLetters is the context-free part of the Cyrillic table.
var cyrillicLetters = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'ґ': "g", 'д': "d", 'е': "e", 'ж': "zh",
	'з': "z", 'і': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh",
	'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "", 'ъ': "", 'ы': "y",
	'э': "e", 'ё': "e", 'ў': "u", 'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj",
	'ћ': "c", 'џ': "dz", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
}
