package names

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// KeysVersion numbers the rules by which Keys and QueryKeys derive keys.
// Stored blind indexes are only comparable with keys of the same version:
// when it changes, the indexes must be rebuilt from the decrypted names.
const KeysVersion = 1

// MaxKeys is the most keys Keys returns for one name.
const MaxKeys = 24

// PrefixLen is the length, in letters, of Prefix and SoundPrefix keys.
const PrefixLen = 3

// KeyKind says what a Key was derived from. Keys of different kinds never
// match each other.
type KeyKind uint8

// The kinds of key.
const (
	// Full is the whole name: its canonical tokens (Tokens without the
	// parts), sorted and joined by spaces, so the order of given and family
	// names does not matter.
	Full KeyKind = iota + 1
	// Exact is one folded, canonical token or part ("mohamed",
	// "abdalrahman", "rahman").
	Exact
	// Sound is the Skeleton of a token, in each of its readings ("mhmd").
	Sound
	// Prefix is the first PrefixLen letters of a folded word, for search as
	// you type ("moh").
	Prefix
	// SoundPrefix is the first PrefixLen letters of a token's Skeleton
	// ("mhm"), for sound-alike search as you type.
	SoundPrefix
)

// String returns the stable name of the kind, as Key.String writes it.
func (k KeyKind) String() string {
	switch k {
	case Full:
		return "full"
	case Exact:
		return "exact"
	case Sound:
		return "sound"
	case Prefix:
		return "prefix"
	case SoundPrefix:
		return "sprefix"
	}
	return "unknown"
}

// Key is one lookup key derived from a name. The application stores a keyed
// hash (HMAC) of Key.String() for each key of a person's names, and looks
// candidates up by the hashes of the keys of a query.
type Key struct {
	Kind  KeyKind
	Value string
}

// String returns the key as "kind:value", the form to hash.
func (k Key) String() string {
	return k.Kind.String() + ":" + k.Value
}

// Keys returns the lookup keys of a full name, at most MaxKeys, without
// duplicates, in this order of priority (when the cap is reached, the rest
// are left out):
//
//  1. Full: the canonical tokens sorted and joined (one key);
//  2. for each canonical token, in the order of the name: Exact, and Sound
//     in the plain reading;
//  3. for each canonical token, Sound in the other readings (h after a
//     consonant read apart, Somali c and x); for each part of a compound,
//     Exact and Sound in every reading;
//  4. Prefix: the first three letters of each written word that is a name
//     (particles such as "el" and "ben" have none) and of each canonical
//     token that differs from the written words;
//  5. SoundPrefix: the first three letters of each canonical token's
//     Skeleton, when it has three.
//
// Tokens of one letter (initials) give no keys; Exact and Sound need two
// letters, Prefix and SoundPrefix three. A name of two words gives about 8
// to 10 keys and one of three or four words 12 to 16, so only long names
// (five or more words, or several compounds, such as "Mohamed Ahmed Mahmoud
// Abdel Rahman El Sayed") reach the cap and lose some keys of tiers 4 and
// 5; the keys of tiers 1 to 3 fit for names of up to about seven tokens.
//
// A name with no letters gives no keys.
func Keys(fullName string) []Key {
	gs := analyse(fullName)
	if len(gs) == 0 {
		return nil
	}
	ks := keySet{seen: make(map[Key]bool, MaxKeys), out: make([]Key, 0, MaxKeys), max: MaxKeys}
	ks.add(Full, fullValue(gs))
	readings := make([][]string, len(gs))
	for i, g := range gs {
		if letters(g.primary) < 2 {
			continue
		}
		readings[i] = soundReadings(g.primary)
		ks.add(Exact, g.primary)
		if len(readings[i]) > 0 {
			ks.add(Sound, readings[i][0])
		}
	}
	for i, g := range gs {
		if len(readings[i]) > 1 {
			for _, k := range readings[i][1:] {
				ks.add(Sound, k)
			}
		}
		for _, p := range g.parts {
			if letters(p) < 2 {
				continue
			}
			ks.add(Exact, p)
			for _, k := range soundReadings(p) {
				ks.add(Sound, k)
			}
		}
	}
	for _, g := range gs {
		for _, p := range prefixes(g) {
			ks.add(Prefix, p)
		}
	}
	for i := range gs {
		if len(readings[i]) > 0 {
			if p := prefix(readings[i][0]); p != "" {
				ks.add(SoundPrefix, p)
			}
		}
	}
	return ks.out
}

// QueryKeys returns the keys to look up for a search typed by an operator:
// the Full key of the query, then the keys of QueryTerms, without
// duplicates. A record holding any of them is a candidate; the caller ranks
// candidates by Similarity after decrypting their names, and keeps, for
// words typed in part, only those whose words start with what was typed.
func QueryKeys(query string) []Key {
	gs := analyse(query)
	if len(gs) == 0 {
		return nil
	}
	ks := keySet{seen: make(map[Key]bool), max: -1}
	ks.add(Full, fullValue(gs))
	for _, term := range queryTerms(gs) {
		for _, k := range term {
			ks.add(k.Kind, k.Value)
		}
	}
	return ks.out
}

// QueryTerms returns the keys of a search query grouped by name token: a
// record matches a term when it holds any key of the term, and matches the
// query when it matches every term, so the caller can intersect the
// candidates of the terms. Each term holds, for one token of the query:
// Exact for the token and its parts; Sound for every reading of them;
// Prefix for each written word of three letters or more, which matches
// names that start with what was typed (the last word of a query is often
// incomplete); and SoundPrefix when the token's Skeleton has three letters,
// which matches sound-alike names that start the same way ("muham" finds
// Mohamed). Tokens of one letter give no term.
func QueryTerms(query string) [][]Key {
	return queryTerms(analyse(query))
}

func queryTerms(gs []group) [][]Key {
	var terms [][]Key
	for _, g := range gs {
		ks := keySet{seen: make(map[Key]bool), max: -1}
		for _, t := range append([]string{g.primary}, g.parts...) {
			if letters(t) < 2 {
				continue
			}
			ks.add(Exact, t)
			for _, k := range soundReadings(t) {
				ks.add(Sound, k)
			}
		}
		for _, p := range prefixes(g) {
			ks.add(Prefix, p)
		}
		if p := soundPrefix(g.primary); p != "" {
			ks.add(SoundPrefix, p)
		}
		if len(ks.out) > 0 {
			terms = append(terms, ks.out)
		}
	}
	return terms
}

// keySet collects distinct keys up to a maximum (none when max < 0).
type keySet struct {
	seen map[Key]bool
	out  []Key
	max  int
}

func (s *keySet) add(kind KeyKind, value string) {
	if value == "" || (s.max >= 0 && len(s.out) >= s.max) {
		return
	}
	k := Key{kind, value}
	if !s.seen[k] {
		s.seen[k] = true
		s.out = append(s.out, k)
	}
}

// fullValue is the value of the Full key: the canonical tokens, sorted.
func fullValue(gs []group) string {
	ts := make([]string, len(gs))
	for i, g := range gs {
		ts[i] = g.primary
	}
	sort.Strings(ts)
	return strings.Join(ts, " ")
}

// prefixes returns the Prefix values of a group: the first letters of its
// written words that are names, and of its canonical token when that
// differs from them.
func prefixes(g group) []string {
	var ps []string
	for _, w := range g.words {
		if !isParticle(w) {
			if p := prefix(w); p != "" {
				ps = append(ps, p)
			}
		}
	}
	if len(g.words) != 1 || g.words[0] != g.primary {
		if p := prefix(g.primary); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

// prefix returns the first PrefixLen letters of s, or "" when s is shorter.
func prefix(s string) string {
	n := 0
	for i := range s {
		if n == PrefixLen {
			return s[:i]
		}
		n++
	}
	if n == PrefixLen {
		return s
	}
	return ""
}

// soundPrefix returns the first PrefixLen letters of a token's plain
// Skeleton, or "" when it is shorter.
func soundPrefix(token string) string {
	return prefix(skeleton(token, readPlain))
}

// letters counts the letters of a folded token.
func letters(s string) int {
	return utf8.RuneCountInString(s)
}
