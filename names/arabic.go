package names

import (
	"slices"
	"strings"
)

// Arabic script (Arabic, Persian/Dari, Urdu, Pashto) to Latin.
//
// Conventions, chosen to land close to the way the same names are spelled in
// Latin documents of Egypt, the Maghreb, Pakistan, Afghanistan and Somalia,
// not to be reversible:
//
//   - Consonants map to one Latin letter or a common digraph:
//     ب b, ت ط t, ث th, ج j, ح ه h, خ kh, د ض d, ذ dh, ر r, ز ظ z, س ص s,
//     ش sh, غ gh, ف f, ق q, ك ک k, ل l, م m, ن n; Persian and Urdu
//     پ p, چ ch, ژ zh, گ g, ٹ t, ڈ d, ڑ r, ں n; Pashto ټ t, ډ d, ړ r,
//     ږ zh, ښ sh, ځ dz, څ ts, ڼ n.
//   - Short vowels are not written, so none are invented: "محمد" gives
//     "mhmd". The sound keys (Skeleton) drop vowels too, which is how the
//     script and the Latin forms meet. Vowel marks, when a text has them,
//     are used: fatha a, damma u, kasra i, and shadda doubles the consonant.
//   - Alef and its hamza forms (ا أ آ) give a, except إ, which gives i;
//     alef maqsura ى and ta marbuta ة give a. A word-final ه after at least
//     two letters gives a too, since Persian writes its final -e/-a with it
//     (فاطمه Fatemeh).
//   - Ayn ع gives a: it carries a vowel sound in every Latin spelling
//     (Ali, Omar, Saad, Ismail), and the sound keys treat all vowels alike.
//     Bare hamza ء gives nothing; ؤ gives u and ئ gives i.
//   - و and ي are consonants (w, y) at the start of a word or of the word
//     after the article ال, and next to an alef (مروان mrwan, زياد ziyad);
//     elsewhere they are long vowels (u, i): يوسف yusf, علي ali.
//   - The article ال stays "al"; assimilation to sun letters is not
//     written in the script and is not added.
func arabicToLatin(b *strings.Builder, run []rune) {
	n := len(run)
	start := 0 // where the word proper begins, after the article
	if n > 3 && run[0] == 'ا' && run[1] == 'ل' {
		start = 2
	}
	// Units are collected so that a shadda, which canonical ordering puts
	// after the vowel mark of its consonant, can double the consonant in
	// its place: مَّ is "mma", not "mam".
	units := make([]string, 0, n+2)
	lastCons := -1
	for i, r := range run {
		var prev, next rune
		if i > 0 {
			prev = run[i-1]
		}
		if i+1 < n {
			next = run[i+1]
		}
		out := ""
		switch r {
		case 'و':
			if i == 0 || i == start || isAlef(next) || isAlef(prev) {
				out = "w"
			} else {
				out = "u"
			}
		case 'ي', 'ی', 'ې':
			switch {
			case i == 0 || i == start || isAlef(next) || isAlef(prev) || next == 'و':
				out = "y"
			case r == 'ې':
				out = "e"
			default:
				out = "i"
			}
		case 'ه', 'ہ', 'ۂ':
			if i == n-1 && n > 2 {
				out = "a"
			} else {
				out = "h"
			}
		case 'ّ': // shadda
			if lastCons >= 0 && prev != 'ّ' {
				units = slices.Insert(units, lastCons+1, units[lastCons])
			}
			continue
		default:
			out = arabicLetters[r]
		}
		if out == "" {
			continue
		}
		units = append(units, out)
		if !isArabicVowelMark(r) {
			lastCons = len(units) - 1
		}
	}
	for _, u := range units {
		b.WriteString(u)
	}
}

// isArabicVowelMark reports whether r is a vowel mark or the shadda, which
// canonical ordering may place between a consonant and its shadda.
func isArabicVowelMark(r rune) bool {
	return r >= 0x064B && r <= 0x0652 || r == 0x0670
}

// isAlef reports whether r is one of the alef letters, next to which و and
// ي are consonants.
func isAlef(r rune) bool {
	switch r {
	case 'ا', 'أ', 'إ', 'آ', 'ى', 'ٱ':
		return true
	}
	return false
}

// arabicLetters is the context-free part of the Arabic-script table. Runes
// missing from it (tatweel, Quranic marks, tanwin, sukun) give nothing.
var arabicLetters = map[rune]string{
	'ء': "", 'آ': "a", 'أ': "a", 'ؤ': "u", 'إ': "i", 'ئ': "i", 'ا': "a", 'ٱ': "a",
	'ب': "b", 'ة': "a", 'ۃ': "a", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h",
	'خ': "kh", 'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh",
	'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'ع': "a", 'غ': "gh", 'ف': "f",
	'ق': "q", 'ك': "k", 'ک': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ى': "a",
	// Vowel marks.
	'َ': "a", 'ُ': "u", 'ِ': "i", 'ٰ': "a",
	// Persian and Urdu.
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ٹ': "t", 'ڈ': "d", 'ڑ': "r",
	'ں': "n", 'ھ': "h", 'ے': "e", 'ۓ': "e", 'ۀ': "e",
	// Pashto.
	'ټ': "t", 'ډ': "d", 'ړ': "r", 'ږ': "zh", 'ښ': "sh", 'ځ': "dz", 'څ': "ts",
	'ڼ': "n", 'ۍ': "i",
}
