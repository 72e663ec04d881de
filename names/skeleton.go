package names

import (
	"strings"
	"unicode/utf8"
)

// Skeleton returns the sound key of one name token: a short string that
// spelling variants of the same name share.
//
// The argument is folded (see Fold) and its words are glued together, so
// "Abd al-Rahman" is read as one token; joined compounds are first put in
// their canonical form (see Tokens), so "Abdurrahman" and "Abdelrahman"
// give the same key. The letters are then read into sound classes, left to
// right, with these rules (each fixes variants seen in the names Approdo
// serves):
//
//   - Vowels fall into three classes, a, i (e, i, y) and u (o, u); the key
//     keeps only whether the token starts with a vowel (written "a") and
//     drops every other vowel. Arabic script writes no short vowels and Latin
//     spellings disagree on them (Mohamed/Muhammad, Ahmed/Ahmad,
//     Youssef/Yusuf, Fatima/Fatma, Ibrahim/Ebrahim, Oussama/Usama/Osama), so
//     only the consonants and the initial vowel are stable. The vowel classes
//     still serve Similarity, which weighs the vowels of tokens whose keys
//     agree.
//   - y is a consonant, of the j class, only at the start before a vowel
//     (Youssef/Jusuf/Iosif, Yasmin/Jasmin); elsewhere it is a vowel
//     (Ayesha/Aisha, Rayan/Raian). So is i at the start before a vowel, as
//     Ukrainian and Romanian spellings write it (Iuliia/Yuliia, Ioan).
//   - w is a consonant only at the start (Walid); elsewhere it stands for
//     the u sound and is a vowel (Marwa/Maroua, Marwan/Marouane,
//     Dawud/Daoud, Tawfiq/Toufik, Jallow/Diallo). "ou" before a vowel at the
//     start is w (Oualid, Ouattara); v is w (Vahid/Wahid, Volodymyr/
//     Wolodymyr).
//   - j, dj, dzh, zh, g, gh and Albanian xh are one class: Egyptian Arabic
//     says g for ج (Gamal/Jamal/Djamel, Ragab/Rajab, Naguib/Najib), French
//     spellings write dj, Ukrainian dzh and zh, Albanian xh (Xhemal). The
//     French di before a vowel at the start, or after an initial n, is j too
//     (Diallo/Jallow, Ndiaye/Njie).
//   - k, q, ck and c (except before e, i, y, where it is s: Youcef, Houcine)
//     are one class; x is k and s (Olexandr/Oleksandr/Alexander).
//   - sh, ch, sch, tch, tsch and shch are one class, written "x" in the key
//     (Aisha/Aicha, Cheikh/Sheikh, Shevchenko).
//   - kh is h, not k: Turkish, Balkan and Romanian spellings drop the k
//     (Khaled/Haled, Khalil/Halil, Mykhailo/Mihail), while an Italian
//     clerk rarely writes k alone. ph is f (Moustapha/Mustafa); th is t,
//     dh is d, bh is b, jh is j.
//   - A doubled letter counts once (Muhammad, Youssef, Hassan). A final h
//     after a vowel is dropped (Sarah/Sara, Fatimah/Fatima, Abdullah/
//     Abdulla); a final t is d (Ahmet/Ahmed, Mehmet/Mehmed).
//   - Any other letter is its own class; letters of scripts without a
//     transliteration table stay as they are.
//
// Finally a short table maps the keys of a few names that are the same name
// in two traditions but differ in a consonant onto one key: Mykola/Nikolai,
// Olha/Olga and Oleh/Oleg, Serhii/Sergei, Halyna/Galina, Hryhorii/Grigorii,
// Heorhii/Georgii, Ihor/Igor, Yevhen/Evgenii, Bohdan/Bogdan (Ukrainian h
// against Russian g), Boubacar/Aboubacar and Fatoumata/Fatima (West African
// forms). Mamadou is not mapped to Mohamed: the West African form is the
// child's name as used, and mapping it would pull every Mamadou into every
// Mohamed's candidates.
//
// Skeleton("Mohamed"), Skeleton("Muhammad") and Skeleton("Mehmet") are all
// "mhmd"; Skeleton("Aïcha") is "ax". A token without letters gives "".
func Skeleton(token string) string {
	t := strings.ReplaceAll(Fold(cut(token, MaxInputLen)), " ", "")
	t = cut(t, MaxTokenLen)
	return skeleton(canonicalToken(t), readPlain)
}

// reading selects how soundUnits reads ambiguous spellings.
type reading uint8

const (
	// readPlain is the reading Skeleton documents.
	readPlain reading = iota
	// readSplitH reads h after a consonant as a letter of its own, not as
	// part of a digraph. Transliterated Arabic has no written short vowels,
	// so letters that meet by accident look like digraphs: سهيل is "shyl"
	// (Suhail), جهاد is "jhad" (Jihad), فتحي is "fthi" (Fathi).
	readSplitH
	// readSomali reads c as the ayn and x as the h of the Somali
	// orthography: Maxamed is Mohamed, Cali is Ali, Xasan is Hassan.
	readSomali
)

// Vowel classes in a sequence of sound units.
const (
	vowelA = 'A'
	vowelI = 'I'
	vowelU = 'U'
)

func isVowelUnit(u rune) bool { return u == vowelA || u == vowelI || u == vowelU }

// isVowelLetter reports whether c is one of the Latin vowels a e i o u.
func isVowelLetter(c rune) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// soundUnits reads a folded token into sound units: vowel classes (vowelA,
// vowelI, vowelU) and consonant classes (lowercase letters, "x" for the sh
// class), with doubled units collapsed and the final rules applied.
func soundUnits(token string, mode reading, buf []rune) []rune {
	var tk [MaxTokenLen]rune
	t := tk[:0]
	for _, r := range token {
		if len(t) == len(tk) {
			break
		}
		t = append(t, r)
	}
	n := len(t)
	at := func(i int) rune {
		if i < n {
			return t[i]
		}
		return 0
	}
	split := mode == readSplitH
	out := buf[:0]
	for i := 0; i < n; {
		c, c1, c2 := t[i], at(i+1), at(i+2)
		u, w := c, 1
		switch c {
		case 'a':
			u = vowelA
		case 'e':
			u = vowelI
		case 'i', 'y':
			if i == 0 && isVowelLetter(c1) {
				u = 'j'
			} else {
				u = vowelI
			}
		case 'o':
			if i == 0 && c1 == 'u' && isVowelLetter(c2) {
				u, w = 'w', 2
			} else {
				u = vowelU
			}
		case 'u':
			u = vowelU
		case 'w':
			if i == 0 {
				u = 'w'
			} else {
				u = vowelU
			}
		case 'v':
			u = 'w'
		case 'b':
			if c1 == 'h' && !split {
				w = 2
			}
		case 'c':
			switch {
			case mode == readSomali:
				u = vowelA
			case c1 == 'h' && !split:
				u, w = 'x', 2
			case c1 == 'k':
				u, w = 'k', 2
			case c1 == 'e' || c1 == 'i' || c1 == 'y':
				u = 's'
			default:
				u = 'k'
			}
		case 'd':
			switch {
			case c1 == 'j':
				u, w = 'j', 2
			case c1 == 'z' && c2 == 'h':
				u, w = 'j', 3
			case c1 == 'i' && isVowelLetter(c2) && (i == 0 || (i == 1 && t[0] == 'n')):
				u, w = 'j', 2
			case c1 == 'h' && !split:
				w = 2
			}
		case 'g':
			u = 'j'
			if c1 == 'h' && !split || c1 == 'u' && (c2 == 'e' || c2 == 'i') {
				w = 2
			}
		case 'j':
			if c1 == 'h' && !split {
				w = 2
			}
		case 'k':
			if c1 == 'h' && !split {
				u, w = 'h', 2
			}
		case 'p':
			if c1 == 'h' && !split {
				u, w = 'f', 2
			}
		case 'q':
			u = 'k'
		case 's':
			switch {
			case split:
			case c1 == 'h':
				u, w = 'x', 2
			case c1 == 'c' && c2 == 'h':
				u, w = 'x', 3
			}
		case 't':
			switch {
			case split:
			case c1 == 'h':
				w = 2
			case c1 == 'c' && c2 == 'h':
				u, w = 'x', 3
			case c1 == 's' && c2 == 'c' && at(i+3) == 'h':
				u, w = 'x', 4
			}
		case 'x':
			switch {
			case c1 == 'h':
				u, w = 'j', 2
			case mode == readSomali:
				u = 'h'
			default:
				out = appendUnit(out, 'k')
				u = 's'
			}
		case 'z':
			if c1 == 'h' && !split {
				u, w = 'j', 2
			}
		}
		out = appendUnit(out, u)
		i += w
	}
	// A final h after a vowel is silent; a final t is d.
	if m := len(out); m > 2 && out[m-1] == 'h' && isVowelUnit(out[m-2]) {
		out = out[:m-1]
	}
	if m := len(out); m > 1 && out[m-1] == 't' {
		out[m-1] = 'd'
	}
	return out
}

// appendUnit appends u unless it repeats the last unit.
func appendUnit(out []rune, u rune) []rune {
	if m := len(out); m > 0 && out[m-1] == u {
		return out
	}
	return append(out, u)
}

// skeleton returns the key of a folded, canonical token in one reading.
func skeleton(token string, mode reading) string {
	var buf [MaxTokenLen + 8]rune
	units := soundUnits(token, mode, buf[:0])
	var b [MaxTokenLen * 2]byte
	out := b[:0]
	for i, u := range units {
		switch {
		case isVowelUnit(u):
			if i == 0 {
				out = append(out, 'a')
			}
		default:
			out = utf8.AppendRune(out, u)
		}
	}
	s := string(out)
	if e, ok := equivalents[s]; ok {
		return e
	}
	return s
}

// soundReadings returns the distinct keys of a folded, canonical token: the
// plain reading first, then the split-h and Somali readings where they
// differ. There are at most three.
func soundReadings(token string) []string {
	keys := make([]string, 0, 3)
	keys = append(keys, skeleton(token, readPlain))
	if hasDigraphH(token) {
		if k := skeleton(token, readSplitH); k != keys[0] {
			keys = append(keys, k)
		}
	}
	if isSomaliLike(token) {
		if k := skeleton(token, readSomali); k != keys[0] && (len(keys) == 1 || k != keys[1]) {
			keys = append(keys, k)
		}
	}
	if keys[0] == "" {
		return nil
	}
	return keys
}

// isSomaliLike reports whether token may be in Somali spelling: it has a c
// or an x, and none of the French and English spellings "ch" and "ck" that
// Somali does not use (so Aicha or Cheikh get no Somali reading).
func isSomaliLike(token string) bool {
	return strings.ContainsAny(token, "cx") && !strings.Contains(token, "ch") && !strings.Contains(token, "ck")
}

// hasDigraphH reports whether token has an h after a consonant that forms a
// digraph with it.
func hasDigraphH(token string) bool {
	for i := 1; i < len(token); i++ {
		if token[i] == 'h' && strings.IndexByte("bcdgjkpstz", token[i-1]) >= 0 {
			return true
		}
	}
	return false
}

// equivalents maps the keys of names that are the same name in two
// traditions, but differ in a consonant, onto one key (see Skeleton).
var equivalents = map[string]string{
	"nkl":  "mkl",   // Nikolai, Nicola → Mykola
	"alj":  "alh",   // Olga, Oleg → Olha, Oleh
	"srj":  "srh",   // Sergei, Sergii → Serhii
	"jln":  "hln",   // Galina → Halyna
	"jrjr": "hrhr",  // Grigorii → Hryhorii
	"jrj":  "hrh",   // Georgii → Heorhii
	"ajr":  "ahr",   // Igor → Ihor
	"awjn": "jwhn",  // Evgenii → Yevhen
	"jwjn": "jwhn",  // Yevgeny → Yevhen
	"awhn": "jwhn",  // Evhen → Yevhen
	"bjdn": "bhdn",  // Bogdan → Bohdan
	"bbkr": "abbkr", // Boubacar → Aboubacar
	"ftmt": "ftm",   // Fatoumata, Fatmata → Fatima
}
