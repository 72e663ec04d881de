package names

import "strings"

// Bengali to Latin, as Bangladeshi names are spelled in passports.
//
// Bengali is an abugida: a consonant carries the inherent vowel unless a
// vowel sign replaces it or the virama (্) removes it. The inherent vowel is
// written "a" (রহমান Rahman, not Rohoman), and, as in speech, it is dropped
// at the end of a word of more than one syllable and inside a word between a
// vowelled syllable and a following vowelled one (the usual schwa-deletion
// rule): মোহাম্মদ is "mohammad", রহমান is "rahman", ইসলাম is "islam".
//
// Consonants: ক k, খ kh, গ g, ঘ gh, ঙ ng, চ ch, ছ chh, জ ঝ j (jh), ঞ n,
// ট ত t, ঠ থ th, ড দ d, ঢ ধ dh, ণ ন n, প p, ফ f, ব b, ভ bh, ম m, য j
// (y after a virama), র ড় r, ঢ় rh, ল l, শ ষ sh, স s, হ h, য় y, ৎ t.
// Vowels (letters and signs): অ a, আ া a, ই ি ঈ ী i, উ ু ঊ ূ u, ঋ ৃ ri,
// এ ে e, ঐ ৈ oi, ও ো o, ঔ ৌ ou. Anusvara ং gives ng; candrabindu and
// visarga give nothing.
func bengaliToLatin(b *strings.Builder, run []rune) {
	type syllable struct {
		cons     string
		vowel    string
		inherent bool
	}
	var syl []syllable
	for i := 0; i < len(run); i++ {
		r := run[i]
		if v, ok := bengaliVowels[r]; ok { // independent vowel
			syl = append(syl, syllable{vowel: v})
			continue
		}
		if v, ok := bengaliSigns[r]; ok { // vowel sign on the last consonant
			if n := len(syl); n > 0 && syl[n-1].inherent {
				syl[n-1].vowel, syl[n-1].inherent = v, false
			} else {
				syl = append(syl, syllable{vowel: v})
			}
			continue
		}
		switch r {
		case 0x09CD: // virama: the consonant has no vowel
			if n := len(syl); n > 0 && syl[n-1].inherent {
				syl[n-1].vowel, syl[n-1].inherent = "", false
				// A following consonant joins this syllable's cluster
				// (real clusters have at most three or four consonants).
				if i+1 < len(run) && len(syl[n-1].cons) < maxBengaliCluster {
					if c, ok := bengaliConsonant(run, i+1); ok {
						if c.cons == "j" {
							c.cons = "y"
						}
						syl[n-1].cons += c.cons
						syl[n-1].vowel, syl[n-1].inherent = "a", true
						i += c.width
					}
				}
			}
			continue
		case 0x0982: // anusvara
			if n := len(syl); n > 0 {
				if syl[n-1].inherent {
					syl[n-1].inherent = false
				}
				syl[n-1].vowel += "ng"
			}
			continue
		case 0x0981, 0x0983, 0x09BC: // candrabindu, visarga, stray nukta
			continue
		}
		if c, ok := bengaliConsonant(run, i); ok {
			if c.cons == "t" && r == 0x09CE { // khanda ta has no vowel
				syl = append(syl, syllable{cons: "t"})
			} else {
				syl = append(syl, syllable{cons: c.cons, vowel: "a", inherent: true})
			}
			i += c.width - 1
			continue
		}
		syl = append(syl, syllable{cons: string(r)})
	}
	// Schwa deletion: the final inherent vowel, then, right to left, an
	// inherent vowel between two vowelled syllables.
	n := len(syl)
	if n > 1 && syl[n-1].inherent {
		syl[n-1].vowel, syl[n-1].inherent = "", false
	}
	for i := n - 2; i >= 1; i-- {
		if syl[i].inherent && syl[i-1].vowel != "" && syl[i+1].vowel != "" && syl[i+1].cons != "" {
			syl[i].vowel, syl[i].inherent = "", false
		}
	}
	for _, s := range syl {
		b.WriteString(s.cons)
		b.WriteString(s.vowel)
	}
}

// maxBengaliCluster bounds, in bytes of Latin, the consonant cluster a
// virama can build, so that a run of viramas costs linear time.
const maxBengaliCluster = 8

// bengaliCons is a consonant read at some position: its Latin value and the
// number of runes it took (two with a nukta).
type bengaliCons struct {
	cons  string
	width int
}

// bengaliConsonant reads the consonant at run[i], with a following nukta.
func bengaliConsonant(run []rune, i int) (bengaliCons, bool) {
	r := run[i]
	nukta := i+1 < len(run) && run[i+1] == 0x09BC
	if nukta {
		switch r {
		case 'ড':
			return bengaliCons{"r", 2}, true
		case 'ঢ':
			return bengaliCons{"rh", 2}, true
		case 'য':
			return bengaliCons{"y", 2}, true
		}
	}
	if c, ok := bengaliConsonants[r]; ok {
		return bengaliCons{c, 1}, true
	}
	return bengaliCons{}, false
}

var bengaliConsonants = map[rune]string{
	'ক': "k", 'খ': "kh", 'গ': "g", 'ঘ': "gh", 'ঙ': "ng", 'চ': "ch", 'ছ': "chh",
	'জ': "j", 'ঝ': "jh", 'ঞ': "n", 'ট': "t", 'ঠ': "th", 'ড': "d", 'ঢ': "dh",
	'ণ': "n", 'ত': "t", 'থ': "th", 'দ': "d", 'ধ': "dh", 'ন': "n", 'প': "p",
	'ফ': "f", 'ব': "b", 'ভ': "bh", 'ম': "m", 'য': "j", 'র': "r", 'ল': "l",
	'শ': "sh", 'ষ': "sh", 'স': "s", 'হ': "h", '\u09DC': "r", '\u09DD': "rh", '\u09DF': "y",
	'ৎ': "t", 'ৰ': "r", 'ৱ': "w",
}

var bengaliVowels = map[rune]string{
	'অ': "a", 'আ': "a", 'ই': "i", 'ঈ': "i", 'উ': "u", 'ঊ': "u", 'ঋ': "ri",
	'ঌ': "li", 'এ': "e", 'ঐ': "oi", 'ও': "o", 'ঔ': "ou",
}

var bengaliSigns = map[rune]string{
	'া': "a", 'ি': "i", 'ী': "i", 'ু': "u", 'ূ': "u", 'ৃ': "ri", 'ৄ': "ri",
	'ে': "e", 'ৈ': "oi", 'ো': "o", 'ৌ': "ou", 'ৗ': "ou",
}
