package names

import "strings"

// Limits that keep the work and the output bounded whatever the input.
const (
	// MaxWords is the number of words of a name that are read; the rest are
	// ignored. Real names, even Egyptian ones with father's, grandfather's
	// and family names, have fewer.
	MaxWords = 12
	// MaxTokenLen is the length in bytes past which a folded word is cut.
	MaxTokenLen = 40
	// MaxInputLen is the length in bytes of a name past which Tokens,
	// Skeleton, Keys, QueryKeys, QueryTerms and Similarity ignore the rest. No real name
	// comes close; the bound keeps the cost of hostile input small.
	MaxInputLen = 1024
)

// Tokens splits a full name into name tokens, folded (see Fold), with Arabic
// compounds and particles joined into canonical tokens. The canonical
// tokens come first, in the order of the name; the parts of compounds that
// are names on their own follow. Duplicates are removed.
//
// Compounds with "abd" (servant of): "Abd al-Rahman", "Abdel Rahman",
// "Abdelrahman", "Abdul Rahman", "Abdurrahman", "Abdirahman" (Somali) and
// "Abdrahman" all give the canonical "abdalrahman" (abd + the article al +
// the noun), and the part "rahman". The noun keeps its spelling, so
// "Abderrahmane" gives "abdalrahmane" and the Somali "Cabdiraxmaan"
// "abdalraxmaan", which share the sound key of "abdalrahman" (see
// Skeleton). The connector between abd and the noun may be a vowel (abdi,
// abdou), a vowel and l (abdel, abdul, abdoul) or a vowel and the doubled
// first consonant of the noun (abdur-rahman, abdes-salam); Abd Allah in any
// spelling (Abdallah, Abdullahi, Abdoulaye) is "abdallah". The heads abdi,
// abdo, abdou and abdu are also names on their own (Somali and West African
// Abdi, Egyptian Abdo), so written apart they are joined only to one of the
// divine names that follow abd (Rahman, Karim, Aziz, Qadir…), and they are
// kept as a part.
//
// Compounds with "al-Din" (of the faith): "Nour El Din", "Nour Eddine",
// "Noureddine", "Nuruddin", "Nourdine" all give "nouraldin" and the part
// "nour"; "Salah Uddin" and "Salahuddin" give "salahaldin" and "salah".
//
// The article (al, el, ul, il, ol, and the assimilated ad, ed, ud, ar, er,
// ur, as, es, us, at, et, ut, an, en, az, ez, ash, esh) written apart is
// glued to the next word ("El Sayed" → "elsayed") with that word as a part;
// written together it is kept ("Elsayed") and the word after it is added as a
// part when it is long enough to be a name ("sayed"; also "Ezzahra" →
// "zahra"). Kinship particles are glued to the next word the same way, with
// one canonical spelling: "Ben Ali", "Bin Ali", "Ibn Ali" and "Benali" give
// "benali" and "ali"; "Abu Bakr", "Abou Bakr" and "Aboubakr" give
// "abubakr" and "bakr"; "Bou", "Bint" (daughter of), "Ould" (son of, in
// Mauritania), "Ag" (son of, among the Tuareg) and "Ait" (sons of, in
// Berber names) likewise. A particle before another particle or before a
// compound stays a token of its own ("Ould Abdel Aziz" gives "ould",
// "abdalaziz" and "aziz").
//
// Abbreviations of Muhammad (Md, Mohd, Muhd, Mhd, used in Bangladesh,
// Pakistan and Syria) become "mohammad"; the Bangladeshi honorifics for women
// (Mst, Mosammat and spellings) and Mr and Mrs are dropped, since they are
// not part of the name. Single letters (initials) are kept.
func Tokens(fullName string) []string {
	gs := analyse(fullName)
	out := make([]string, 0, 2*len(gs))
	seen := make(map[string]bool, 2*len(gs))
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, g := range gs {
		add(g.primary)
	}
	for _, g := range gs {
		for _, p := range g.parts {
			add(p)
		}
	}
	return out
}

// group is one name token of a full name: its canonical form, the parts of
// a compound that are names on their own, and the folded words as written,
// which prefix search uses.
type group struct {
	primary string
	parts   []string
	words   []string
}

// analyse folds a full name and groups its words into name tokens.
func analyse(fullName string) []group {
	words := strings.Fields(Fold(cut(fullName, MaxInputLen)))
	if len(words) > MaxWords {
		words = words[:MaxWords]
	}
	for i, w := range words {
		words[i] = cut(w, MaxTokenLen)
	}
	var gs []group
	for i := 0; i < len(words); {
		g, n := readGroup(words[i:])
		i += n
		if g.primary != "" {
			gs = append(gs, g)
		}
	}
	return gs
}

// cut shortens s to at most n bytes without splitting a rune.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// readGroup reads the name token at the start of words and reports how many
// words it took.
func readGroup(words []string) (group, int) {
	w := words[0]
	if honorifics[w] {
		return group{}, 1
	}
	if full, ok := abbreviations[w]; ok {
		return group{primary: full, words: words[:1]}, 1
	}
	// abd, optionally an article, and a noun.
	if head := abdHead(w); head != noHead && len(words) > 1 {
		j := 1
		if articles[words[j]] && len(words) > 2 {
			j = 2
		}
		noun := words[j]
		if j == 1 {
			// Arabic script writes the article joined: عبد الرحمن, "abd alrhmn".
			if rest, ok := strings.CutPrefix(noun, "al"); ok && len(rest) >= 2 && !isAllahWord(noun) {
				noun = rest
			}
		}
		switch {
		case isAllahWord(noun):
			return group{primary: "abdallah", words: words[:j+1]}, j + 1
		case head == strongHead || isDivineName(noun):
			g := group{primary: "abdal" + noun, parts: []string{noun}, words: words[:j+1]}
			if head == weakHead {
				g.parts = append(g.parts, w)
			}
			return g, j + 1
		}
	}
	// A head followed by al-Din, in one word or two.
	if len(words) > 1 && !isParticle(w) {
		if dinTails[words[1]] {
			return group{primary: w + "aldin", parts: []string{w}, words: words[:2]}, 2
		}
		if len(words) > 2 && articles[words[1]] && bareDin[words[2]] {
			return group{primary: w + "aldin", parts: []string{w}, words: words[:3]}, 3
		}
	}
	// Kinship particles and the article, glued to the next word.
	if len(words) > 1 && !isParticle(words[1]) {
		if canon, ok := kinParticles[w]; ok {
			next := canonicalToken(words[1])
			return group{primary: canon + next, parts: []string{next}, words: words[:2]}, 2
		}
		if articles[w] {
			return group{primary: w + words[1], parts: []string{words[1]}, words: words[:2]}, 2
		}
	}
	return singleGroup(w), 1
}

// singleGroup reads one word that may hold a joined compound.
func singleGroup(w string) group {
	g := group{primary: w, words: []string{w}}
	if canon, noun, ok := splitAbd(w); ok {
		g.primary = canon
		if noun != "" {
			g.parts = []string{noun}
		}
		return g
	}
	if head, ok := splitDin(w); ok {
		g.primary = head + "aldin"
		g.parts = []string{head}
		return g
	}
	if canon, rest, ok := splitKin(w); ok {
		g.primary = canon + rest
		g.parts = []string{rest}
		return g
	}
	if rest, ok := splitArticle(w); ok {
		g.parts = []string{rest}
	}
	return g
}

// canonicalToken returns the canonical form of a single word, as the first
// token Tokens would give for it.
func canonicalToken(w string) string {
	return singleGroup(w).primary
}

type headKind uint8

const (
	noHead     headKind = iota
	strongHead          // abd, abdel, abdul, abdur…: never a name alone
	weakHead            // abdi, abdo, abdou, abdu: also a name alone
)

// abdHead tells whether w is "abd" with a connector and no noun.
func abdHead(w string) headKind {
	rest, ok := cutAbd(w)
	if !ok {
		return noHead
	}
	switch rest {
	case "i", "o", "ou", "u":
		return weakHead
	case "":
		return strongHead
	}
	v := leadingVowel(rest)
	if len(v) == 0 {
		return noHead
	}
	switch c := rest[len(v):]; c {
	case "l", "r", "s", "z", "t", "d", "n", "sh":
		return strongHead
	}
	return noHead
}

// cutAbd removes the "abd" of w, spelled "abd" or, in Somali, "cabd".
func cutAbd(w string) (string, bool) {
	switch {
	case strings.HasPrefix(w, "abd"):
		return w[3:], true
	case strings.HasPrefix(w, "cabd"):
		return w[4:], true
	}
	return "", false
}

// leadingVowel returns the connector vowel at the start of s: one vowel, or
// "ou" or "oo".
func leadingVowel(s string) string {
	if strings.HasPrefix(s, "ou") || strings.HasPrefix(s, "oo") {
		return s[:2]
	}
	if s != "" && strings.IndexByte("aeiou", s[0]) >= 0 {
		return s[:1]
	}
	return ""
}

// splitAbd reads a joined abd compound: "abd", a connector, and a noun of at
// least three letters, or Allah. It returns the canonical token and the
// noun ("" for Allah).
func splitAbd(w string) (canon, noun string, ok bool) {
	rest, ok := cutAbd(w)
	if !ok || rest == "" {
		return "", "", false
	}
	v := leadingVowel(rest)
	after := rest[len(v):]
	if isAllahTail(after) {
		return "abdallah", "", true
	}
	switch {
	case strings.HasPrefix(after, "ll"): // abdel-latif
		noun = after[1:]
	case strings.HasPrefix(after, "l") && v != "":
		noun = after[1:]
	case len(after) > 1 && after[0] == after[1] && strings.IndexByte("aeiouy", after[0]) < 0: // abdur-rahman
		noun = after[1:]
	default:
		noun = after
	}
	if len(noun) < 3 || !hasVowel(noun) {
		return "", "", false
	}
	return "abdal" + noun, noun, true
}

// isAllahTail reports whether s, what follows "abd" and its connector vowel,
// spells (A)llah: one or more l and one of the endings the name takes
// (Abdallah, Abdullahi, Abdoulaye, Abdulai, Abdella).
func isAllahTail(s string) bool {
	ls := len(s) - len(strings.TrimLeft(s, "l"))
	if ls == 0 {
		return false
	}
	switch s[ls:] {
	case "a", "ah", "ahi", "aye", "ai", "ay", "ahu", "e", "eh", "i":
		return true
	case "":
		return ls >= 2
	}
	return false
}

// isAllahWord reports whether w, written apart after abd, is Allah.
func isAllahWord(w string) bool {
	switch w {
	case "allah", "alla", "allahi", "ullah", "ulla", "ullahi", "lah", "llah", "ollah", "ellah", "illah":
		return true
	}
	return false
}

// hasVowel reports whether s has a Latin vowel.
func hasVowel(s string) bool {
	return strings.ContainsAny(s, "aeiouy")
}

// splitDin reads a joined al-Din compound: a head of at least three letters,
// a connector and "din", "dine" or "deen". With an explicit connector
// (Noureddine, Nuruddin, Alaeddine, Zinedine) any head is accepted; without
// one (Nourdine) only the heads that are known to take al-Din, so that
// Claudine and Amandine stay as they are.
func splitDin(w string) (head string, ok bool) {
	for _, suf := range dinSuffixes {
		if !strings.HasSuffix(w, suf.s) {
			continue
		}
		head = w[:len(w)-len(suf.s)]
		if len(head) < 3 || !hasVowel(head) {
			return "", false
		}
		if suf.connector {
			return head, true
		}
		// Without a written connector, the head may still end with one
		// (Salahudin, Bahaudin).
		if h := strings.TrimRight(head, "aeiou"); len(h) >= 3 && h != head && dinHeads[skeleton(h, readPlain)] {
			return h, true
		}
		if dinHeads[skeleton(head, readPlain)] {
			return head, true
		}
		return "", false
	}
	return "", false
}

// dinSuffixes are the spellings of al-Din at the end of a joined word, the
// longest first.
var dinSuffixes = []struct {
	s         string
	connector bool
}{
	{"eddine", true}, {"uddine", true}, {"uddeen", true}, {"eldine", true},
	{"aldine", true}, {"eddin", true}, {"uddin", true}, {"addin", true},
	{"iddin", true}, {"oddin", true}, {"aldin", true}, {"eldin", true},
	{"udeen", true}, {"edine", true}, {"dine", false}, {"deen", false},
	{"din", false},
}

// dinHeads are the sound keys (Skeleton) of the nouns that most often come
// before al-Din: Nur, Salah, Ala, Kamal, Jamal/Gamal, Badr, Nasr, Izz, Sayf,
// Shams, Fakhr, Khayr, Zayn, Taj, Nizam, Muin, Qamar, Imad, Husam, Baha,
// Sharaf, Muhyi, Ghiyath, Shihab, Jalal, Diya, Sadr, Nasir, Wali,
// Siraj, Rukn, Mu'izz. (Amin is left out: its key is Amandine's.)
var dinHeads = setOf("nr", "slh", "sl", "al", "kml", "jml", "bdr", "nsr",
	"az", "sf", "xms", "fhr", "hr", "zn", "tj", "nzm", "mn", "kmr", "amd",
	"hsm", "bh", "xrf", "mh", "js", "jsd", "xhb", "jll", "d", "z", "sdr",
	"wl", "srj", "rkn", "mz")

// dinTails are al-Din written as a word of its own after its head.
var dinTails = setOf("eddine", "eddin", "edine", "uddin", "uddine", "uddeen",
	"udeen", "addin", "aldin", "eldin", "aldine", "eldine", "aldeen", "eldeen",
	"din", "dine", "deen")

// bareDin are al-Din without its article, after an article written apart
// ("El Din", "Ud Din").
var bareDin = setOf("din", "dine", "deen")

// splitKin reads a kinship particle joined to a name: ben, bin or ibn (son
// of) and abu or abou (father of). The name after it must have three letters
// (four after bin and ibn, so that Bintou and Binta stay whole).
func splitKin(w string) (canon, rest string, ok bool) {
	for _, p := range []struct {
		prefix, canon string
		min           int
	}{
		{"abou", "abu", 3}, {"abu", "abu", 3}, {"ben", "ben", 3},
		{"bin", "ben", 4}, {"ibn", "ben", 3},
	} {
		if strings.HasPrefix(w, p.prefix) {
			rest = w[len(p.prefix):]
			if len(rest) >= p.min && hasVowel(rest) {
				return p.canon, rest, true
			}
			return "", "", false
		}
	}
	return "", "", false
}

// splitArticle reads an article joined to a name: al or el before a
// consonant and at least four more letters (Elsayed, Alhassan), or a vowel
// and a doubled consonant, the article assimilated to it (Essayed,
// Ezzahra, Ennaji). It returns the name without the article.
func splitArticle(w string) (string, bool) {
	if len(w) >= 6 && (w[0] == 'a' || w[0] == 'e') && w[1] == 'l' && strings.IndexByte("aeiouy", w[2]) < 0 {
		return w[2:], true
	}
	if len(w) >= 5 && strings.IndexByte("aeu", w[0]) >= 0 && w[1] == w[2] && strings.IndexByte("tdrzsn", w[1]) >= 0 {
		return w[2:], true
	}
	return "", false
}

// isDivineName reports whether w is, by its sound, one of the names of God
// that follow abd in personal names. The list is short and holds the common
// ones: Rahman, Rahim, Karim, Aziz, Qadir, Hamid, Majid, Latif, Hakim,
// Halim, Jalil, Salam, Samad, Wahab, Razzaq, Ghani, Malik, Hadi, Nasir,
// Rauf, Wahid, Basit, Hafiz, Jabbar, Fattah, Alim, Khaliq, Bari, Sattar,
// Ghaffar, Wadud, Mannan, Baqi, Jawad, Mumin, Mujib, Wali, Qayyum, Quddus.
func isDivineName(w string) bool {
	for _, r := range soundReadings(w) {
		if divineNames[r] {
			return true
		}
	}
	return false
}

var divineNames = setOf("rhmn", "rhm", "krm", "azz", "kdr", "hmd", "mjd", "ltf",
	"hkm", "hlm", "jll", "slm", "smd", "whb", "rzk", "jn", "mlk", "hd", "nsr",
	"rf", "whd", "bsd", "hfz", "jbr", "ft", "alm", "hlk", "br", "str", "jfr",
	"wdd", "mnn", "bk", "jd", "mmn", "mjb", "wl", "km", "kds")

// articles are the forms of the Arabic article written as a word of its own.
var articles = setOf("al", "el", "ul", "il", "ol", "ad", "ed", "ud", "ar", "er",
	"ur", "as", "es", "us", "at", "et", "ut", "an", "en", "az", "ez", "ash", "esh")

// kinParticles are the kinship particles written as a word of their own,
// with their canonical spelling.
var kinParticles = map[string]string{
	"ben": "ben", "bin": "ben", "ibn": "ben", "iben": "ben", "ebn": "ben",
	"bint": "bint", "bent": "bint",
	"abu": "abu", "abou": "abu", "abo": "abu", "bou": "abu",
	"ould": "ould", "uld": "ould", "wuld": "ould",
	"ag": "ag", "ait": "ait",
}

// abbreviations of Muhammad.
var abbreviations = map[string]string{
	"md": "mohammad", "mohd": "mohammad", "muhd": "mohammad", "mhd": "mohammad",
}

// honorifics are words written with names that are not part of them.
var honorifics = setOf("mst", "mosammat", "mosammot", "musammat", "mosamat", "mossammat", "mrs", "mr")

// isParticle reports whether w is an article, a kinship particle, an abd
// head or al-Din written apart: a word that is not a name by itself.
func isParticle(w string) bool {
	if articles[w] || dinTails[w] || abdHead(w) == strongHead {
		return true
	}
	_, ok := kinParticles[w]
	return ok
}

// setOf builds a set of strings.
func setOf(ss ...string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
