package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold reduces a name to the form every other function of the package works
// on: lowercase Latin letters in words separated by single spaces.
//
// It applies Unicode compatibility normalisation (NFKC, so that Arabic
// presentation forms, ligatures and full-width letters become ordinary
// letters), transliterates the Arabic (with Persian, Urdu and Pashto
// letters), Cyrillic, Greek, Ethiopic and Bengali scripts to Latin with the
// tables documented beside each transliterator, then decomposes what is left
// (NFKD) and drops every combining mark, so "Aïcha" and "Aicha" fold alike.
// Apostrophes and similar marks (’ ʼ ʿ ` ´) are removed without splitting
// the word ("Sa'id" → "said"); hyphens, dots, digits and any other
// non-letter become word breaks ("Abd-al-Rahman" → "abd al rahman").
// Letters of scripts without a table (Chinese, Devanagari, Georgian…) are
// kept, lowercased and without marks, so they still match themselves.
//
// Fold never fails; a string without letters folds to "". Its result is a
// fixed point: Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	if isPlainASCII(s) {
		return foldASCII(s)
	}
	// Decomposition can uncover a letter of a transliterated script (ѐ is е
	// and a grave accent), so the result is folded again until no such
	// letter is left; twice is enough for any real text.
	out := foldOnce(s)
	for range 3 {
		if !hasTransliterable(out) {
			break
		}
		out = foldOnce(out)
	}
	return out
}

// hasTransliterable reports whether s has a rune that a transliteration
// table handles.
func hasTransliterable(s string) bool {
	for _, r := range s {
		if scriptOf(r) != scriptOther {
			return true
		}
	}
	return false
}

// foldOnce is one pass of Fold over non-ASCII input.
func foldOnce(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	// Pass 1: transliterate runs of one script; pass everything else
	// through, lowercased.
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		sc := scriptOf(r)
		if sc == scriptOther {
			if isApostrophe(r) {
				i += size
				continue
			}
			b.WriteRune(unicode.ToLower(r))
			i += size
			continue
		}
		// Collect the run of this script; apostrophes inside it are dropped.
		run := make([]rune, 0, 16)
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if isApostrophe(r) {
				i += size
				continue
			}
			if scriptOf(r) != sc {
				break
			}
			run = append(run, unicode.ToLower(r))
			i += size
		}
		switch sc {
		case scriptArabic:
			arabicToLatin(&b, run)
		case scriptCyrillic:
			cyrillicToLatin(&b, run)
		case scriptGreek:
			greekToLatin(&b, run)
		case scriptEthiopic:
			ethiopicToLatin(&b, run)
		case scriptBengali:
			bengaliToLatin(&b, run)
		}
	}
	// Pass 2: decompose, drop marks, keep letters, normalise spaces.
	return cleanLetters(norm.NFKD.String(b.String()))
}

// isPlainASCII reports whether s is ASCII, the common case Fold serves
// without normalisation.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is Fold for ASCII input.
func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			b = append(b, c)
			space = false
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
			space = false
		case c == '\'' || c == '`':
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// cleanLetters keeps the letters of a decomposed string, lowercased, with
// Latin letters that do not decompose spelled out (ß → ss, ø → o), every
// other rune turned into a word break, and spaces collapsed.
func cleanLetters(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && r >= 'a' && r <= 'z':
			b = append(b, byte(r))
			space = false
			continue
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			b = append(b, byte(r)+'a'-'A')
			space = false
			continue
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r) || isApostrophe(r):
			continue
		}
		if l, ok := latinSpecial[unicode.ToLower(r)]; ok {
			b = append(b, l...)
			space = false
			continue
		}
		if unicode.IsLetter(r) {
			b = utf8.AppendRune(b, unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b = append(b, ' ')
			space = true
		}
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// latinSpecial spells out Latin letters that NFKD does not decompose into a
// base letter and marks: Germanic and Nordic letters, the Serbo-Croatian
// đ, the dotless i of Turkish, and the hooked letters of the Fula (Pular)
// alphabet used in Guinea.
var latinSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "dj",
	'ð': "d", 'þ': "th", 'ı': "i", 'ŋ': "ng", 'ɛ': "e", 'ɔ': "o",
	'ɓ': "b", 'ɗ': "d", 'ƴ': "y", 'ħ': "h", 'ĸ': "k", 'ſ': "s",
}

// isApostrophe reports whether r is one of the marks that write an
// apostrophe, a glottal stop or an ayn inside a word; Fold removes them
// without splitting the word.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', '‘', '’', '‛', '′', 'ʹ', 'ʻ', 'ʼ', 'ʽ', 'ʾ', 'ʿ', 'ˈ', '＇':
		return true
	}
	return false
}

type script uint8

const (
	scriptOther script = iota
	scriptArabic
	scriptCyrillic
	scriptGreek
	scriptEthiopic
	scriptBengali
)

// scriptOf tells which transliteration table, if any, handles r. Digits and
// punctuation inside the blocks are left to the cleaning pass, which turns
// them into word breaks.
func scriptOf(r rune) script {
	switch {
	case r < 0x0370:
		return scriptOther
	case r <= 0x03FF:
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			return scriptGreek
		}
	case r >= 0x0400 && r <= 0x052F:
		if unicode.IsLetter(r) {
			return scriptCyrillic
		}
	case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0x08A0 && r <= 0x08FF:
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			return scriptArabic
		}
	case r >= 0x0980 && r <= 0x09FF:
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
			return scriptBengali
		}
	case r >= 0x1200 && r <= 0x135A:
		return scriptEthiopic
	}
	return scriptOther
}
