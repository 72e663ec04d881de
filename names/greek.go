package names

import "strings"

// Greek to Latin, a simplified form of the Greek passport romanisation
// (ELOT 743): one Latin letter or digraph per letter (β v, γ g, η i, θ th,
// υ y, φ f, χ ch, ψ ps, ω o), with the digraphs names most often show:
// ου ou, αυ av, ευ ev, and μπ b and ντ d at the start of a word. Accented
// letters are listed with their base letters.
func greekToLatin(b *strings.Builder, run []rune) {
	for i := 0; i < len(run); i++ {
		r := run[i]
		var next rune
		if i+1 < len(run) {
			next = run[i+1]
		}
		switch {
		case greekBase(r) == 'ο' && greekBase(next) == 'υ':
			b.WriteString("ou")
			i++
		case (greekBase(r) == 'α' || greekBase(r) == 'ε') && greekBase(next) == 'υ':
			b.WriteString(greekLetters[r] + "v")
			i++
		case i == 0 && r == 'μ' && next == 'π':
			b.WriteString("b")
			i++
		case i == 0 && r == 'ν' && next == 'τ':
			b.WriteString("d")
			i++
		default:
			if l, ok := greekLetters[r]; ok {
				b.WriteString(l)
			} else {
				b.WriteRune(r)
			}
		}
	}
}

// greekBase returns the unaccented form of the Greek vowels that take part
// in digraphs.
func greekBase(r rune) rune {
	switch r {
	case 'ά':
		return 'α'
	case 'έ':
		return 'ε'
	case 'ό':
		return 'ο'
	case 'ύ', 'ϋ', 'ΰ':
		return 'υ'
	}
	return r
}

// greekLetters maps each Greek letter, accented or not, to Latin.
var greekLetters = map[rune]string{
	'α': "a", 'ά': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'έ': "e",
	'ζ': "z", 'η': "i", 'ή': "i", 'θ': "th", 'ι': "i", 'ί': "i", 'ϊ': "i",
	'ΐ': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o",
	'ό': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y",
	'ύ': "y", 'ϋ': "y", 'ΰ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
	'ώ': "o",
}
