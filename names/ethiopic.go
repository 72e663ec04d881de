package names

import "strings"

// Ethiopic (Ge'ez script, as written for Tigrinya and Amharic) to Latin.
//
// Each syllable sign is a consonant in one of seven vowel orders, laid out in
// rows of eight code points from U+1200. A syllable becomes its consonant
// followed by the vowel of its order, with the values Eritrean and Ethiopian
// names show in Latin documents:
//
//	order 1 (ä) e, 2 u, 3 i, 4 a, 5 e, 6 (ə) nothing, 7 o, 8 wa
//
// so ሰላም is "selam" and ተስፋይ is "tesfay". Two adjustments follow common
// spelling: the first order is "a" after the laryngeals ሀ ሐ ኀ አ ዐ, where it
// is pronounced so (ሐጎስ Hagos, አብርሃም Abraham), and the sixth order of
// the glottal and pharyngeal rows is "e", since a vowel-less sign there
// would leave no letter at all (እዮብ Eyob).
//
// Consonants: ሀ ሐ ኀ h, ለ l, መ m, ሠ ሰ s, ረ r, ሸ sh, ቀ ቐ q, በ b, ቨ v,
// ተ ጠ t, ቸ ጨ ch, ነ n, ኘ ny, አ ዐ none, ከ k, ኸ kh, ወ w, ዘ z, ዠ zh, የ y,
// ደ ዸ d, ጀ j, ገ ጘ g, ጰ ፐ p, ጸ ፀ ts, ፈ f. The labialised rows (ቈ, ኰ, ጐ…)
// add w before the vowel. Gemination is not written in the script and is
// not added. The Ethiopic word space ፡ and other punctuation become word
// breaks.
func ethiopicToLatin(b *strings.Builder, run []rune) {
	for _, r := range run {
		switch r {
		case 0x1358:
			b.WriteString("rya")
			continue
		case 0x1359:
			b.WriteString("mya")
			continue
		case 0x135A:
			b.WriteString("fya")
			continue
		}
		off := int(r - 0x1200)
		row, order := off/8, off%8
		if row < 0 || row >= len(ethiopicRows) {
			b.WriteByte(' ')
			continue
		}
		cons := ethiopicRows[row]
		laryngeal := cons == "h" || cons == ""
		labial := false
		switch row {
		case 9, 11, 17, 22, 24, 34: // ቈ ቘ ኈ ኰ ዀ ጐ
			labial = true
		}
		b.WriteString(cons)
		if labial {
			b.WriteByte('w')
		}
		switch order {
		case 0:
			if laryngeal {
				b.WriteByte('a')
			} else {
				b.WriteByte('e')
			}
		case 1:
			b.WriteByte('u')
		case 2:
			b.WriteByte('i')
		case 3:
			b.WriteByte('a')
		case 4:
			b.WriteByte('e')
		case 5:
			if cons == "" {
				b.WriteByte('e')
			}
		case 6:
			b.WriteByte('o')
		case 7:
			b.WriteString("wa")
		}
	}
}

// ethiopicRows gives the consonant of each row of eight signs from U+1200;
// the glottal and pharyngeal rows (አ, ዐ) have none.
var ethiopicRows = [...]string{
	"h", "l", "h", "m", "s", "r", "s", "sh", // ሀ ለ ሐ መ ሠ ረ ሰ ሸ
	"q", "q", "q", "q", "b", "v", "t", "ch", // ቀ ቈ ቐ ቘ በ ቨ ተ ቸ
	"h", "h", "n", "ny", "", "k", "k", "kh", // ኀ ኈ ነ ኘ አ ከ ኰ ኸ
	"kh", "w", "", "z", "zh", "y", "d", "d", // ዀ ወ ዐ ዘ ዠ የ ደ ዸ
	"j", "g", "g", "g", "t", "ch", "p", "ts", // ጀ ገ ጐ ጘ ጠ ጨ ጰ ጸ
	"ts", "f", "p", // ፀ ፈ ፐ
}
