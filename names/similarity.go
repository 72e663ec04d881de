package names

// Thresholds on Similarity, calibrated by the tests on the spelling pairs the
// package must match and on clear non-matches.
const (
	// LikelySame is the score from which two names are very probably the
	// same name written two ways: a duplicate to show first.
	LikelySame = 0.85
	// Possible is the score from which two names may be the same and an
	// operator should compare the records.
	Possible = 0.70
)

// unmatchedWeight is what a token of one name with no counterpart in the
// other costs, against 1 for a matched pair: a child registered as "Mohamed
// Ali" in one organisation is often "Mohamed Ali Hassan Mahmoud" (with
// father's and grandfather's names) in another.
const unmatchedWeight = 0.25

// jwFloor is the Jaro-Winkler similarity that counts as nothing in common;
// the scale above it is stretched to [0, 1].
const jwFloor = 0.6

// maxSimilarityTokens bounds the tokens of each name that Similarity
// compares.
const maxSimilarityTokens = 8

// Similarity scores how alike two full names are, from 0 (nothing in common)
// to 1 (the same canonical tokens). It is symmetric and ignores the order of
// the tokens, since given and family names are written in either order.
//
// Each name is read into canonical tokens with their parts (see Tokens).
// Two tokens score 1 when equal; otherwise the best of two scores:
//
//   - their Jaro-Winkler similarity, with the range below 0.6 counting as
//     nothing and the range above stretched to [0, 1], since unrelated
//     names share letters (Oleksandr and Olena have 0.85 raw, 0.63 here);
//   - when they share a sound key (see Skeleton) in any reading, 0.5 plus
//     half of how well their vowels agree, slot by slot between the
//     consonants: Mohamed/Muhammad 0.96, Youssef/Yusuf 0.875,
//     Mohamed/Mahmoud 0.67, and 0.875 when one side is written without
//     vowels, as Arabic script is (محمد/Mohamed).
//
// A one-letter token (an initial) scores 0.6 against a token it begins. A
// token with parts scores the best of its forms ("Elsayed" against "Sayed"
// is 1). The tokens of the two names are then paired to maximise the total
// score, and the score of the names is that total divided by the number of
// pairs plus a quarter for each token left without a pair: "Mohamed Ali"
// against "Mohamed Ali Hassan" is 0.89, against "Mohamed Ali Hassan
// Mahmoud" 0.8. At most the first eight tokens of each name are compared.
//
// Names without letters score 0 against anything.
func Similarity(a, b string) float64 {
	ta, tb := simTokens(analyse(a)), simTokens(analyse(b))
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	var m [maxSimilarityTokens][maxSimilarityTokens]float64
	for i := range ta {
		for j := range tb {
			m[i][j] = groupSim(ta[i], tb[j])
		}
	}
	total := bestAssignment(&m, len(ta), len(tb))
	pairs := float64(len(ta))
	s := total / (pairs + unmatchedWeight*float64(len(tb)-len(ta)))
	if s > 1 {
		s = 1
	}
	return s
}

// simForm is one form of a token, prepared for comparison.
type simForm struct {
	text  string
	runes []rune
	keys  []string
	units []rune
}

// simToken is a canonical token and its parts.
type simToken []simForm

func simTokens(gs []group) []simToken {
	if len(gs) > maxSimilarityTokens {
		gs = gs[:maxSimilarityTokens]
	}
	ts := make([]simToken, len(gs))
	for i, g := range gs {
		forms := make(simToken, 0, 1+len(g.parts))
		for _, t := range append([]string{g.primary}, g.parts...) {
			forms = append(forms, simForm{
				text:  t,
				runes: []rune(t),
				keys:  soundReadings(t),
				units: soundUnits(t, readPlain, nil),
			})
		}
		ts[i] = forms
	}
	return ts
}

// groupSim is the best score between the forms of two tokens.
func groupSim(a, b simToken) float64 {
	best := 0.0
	for i := range a {
		for j := range b {
			if s := formSim(&a[i], &b[j]); s > best {
				best = s
			}
		}
	}
	return best
}

// formSim scores two forms of tokens.
func formSim(a, b *simForm) float64 {
	if a.text == b.text {
		return 1
	}
	if len(a.runes) == 1 || len(b.runes) == 1 {
		if len(a.runes) >= 1 && len(b.runes) >= 1 && a.runes[0] == b.runes[0] {
			return 0.6
		}
		return 0
	}
	s := jaroWinkler(a.runes, b.runes)
	// Unrelated names still share letters (Oleksandr and Olena score
	// 0.85), so only the top of the Jaro-Winkler scale counts.
	s = max(0, (s-jwFloor)/(1-jwFloor))
	if shareKey(a.keys, b.keys) {
		if snd := 0.5 + 0.5*vowelAgreement(a.units, b.units); snd > s {
			s = snd
		}
	}
	return s
}

// shareKey reports whether two lists of sound keys have one in common.
func shareKey(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// vowelAgreement compares the vowels of two tokens whose consonants agree,
// slot by slot (before the first consonant, between consonants, after the
// last), from 0 to 1. The same class agrees fully; a against i (Ahmed/Ahmad)
// three quarters; i against u (Youssef/Yusuf) half; a against u a quarter;
// a vowel against none (Fatima/Fatma) a quarter, or half when the token
// without it is vowel-poor, as Arabic script gives (محمود "mhmud"). A token
// with no vowel after its first consonant ("mhmd") has unknown vowels:
// the agreement is 0.75. So is it when the tokens have different numbers of
// slots (keys that met through the equivalence table).
func vowelAgreement(a, b []rune) float64 {
	sa, sb := vowelSlots(a), vowelSlots(b)
	if len(sa) != len(sb) || !hasInnerVowel(sa) || !hasInnerVowel(sb) {
		return 0.75
	}
	poorA, poorB := vowelPoor(sa), vowelPoor(sb)
	sum, n := 0.0, 0
	for i := range sa {
		x, y := sa[i], sb[i]
		if x == 0 && y == 0 {
			continue
		}
		n++
		switch {
		case x == y:
			sum++
		case x == 0 && poorA || y == 0 && poorB:
			sum += 0.5
		case x == 0 || y == 0:
			sum += 0.25
		case x == vowelA && y == vowelI || x == vowelI && y == vowelA:
			sum += 0.75
		case x == vowelI && y == vowelU || x == vowelU && y == vowelI:
			sum += 0.5
		default:
			sum += 0.25
		}
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}

// vowelPoor reports whether fewer than half of the slots between
// consonants have a vowel.
func vowelPoor(slots []rune) bool {
	inner := slots[1 : len(slots)-1]
	v := 0
	for _, s := range inner {
		if s != 0 {
			v++
		}
	}
	return 2*v < len(inner)
}

// vowelSlots returns, for each position around the consonants of a token's
// sound units, the class of the first vowel there, or 0 for none.
func vowelSlots(units []rune) []rune {
	slots := make([]rune, 1, 8)
	for _, u := range units {
		if isVowelUnit(u) {
			if slots[len(slots)-1] == 0 {
				slots[len(slots)-1] = u
			}
			continue
		}
		slots = append(slots, 0)
	}
	return slots
}

// hasInnerVowel reports whether any slot after the first has a vowel.
func hasInnerVowel(slots []rune) bool {
	for _, s := range slots[1:] {
		if s != 0 {
			return true
		}
	}
	return false
}

// bestAssignment returns the largest total score of a pairing of each of
// the n rows of m with a distinct column among k (n ≤ k ≤
// maxSimilarityTokens), by dynamic programming over sets of used columns.
func bestAssignment(m *[maxSimilarityTokens][maxSimilarityTokens]float64, n, k int) float64 {
	var best [1 << maxSimilarityTokens]float64
	var seen [1 << maxSimilarityTokens]bool
	seen[0] = true
	result := 0.0
	// Masks are visited in increasing order; the row to place next is the
	// number of columns the mask already uses.
	for mask := 0; mask < 1<<k; mask++ {
		if !seen[mask] {
			continue
		}
		row := popcount(mask)
		if row == n {
			if best[mask] > result {
				result = best[mask]
			}
			continue
		}
		for j := 0; j < k; j++ {
			if mask&(1<<j) != 0 {
				continue
			}
			next := mask | 1<<j
			if s := best[mask] + m[row][j]; !seen[next] || s > best[next] {
				best[next], seen[next] = s, true
			}
		}
	}
	return result
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// jaroWinkler returns the Jaro-Winkler similarity of two strings, with the
// usual prefix scale of 0.1 over at most four letters.
func jaroWinkler(a, b []rune) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	window := max(len(a), len(b))/2 - 1
	if window < 0 {
		window = 0
	}
	var am, bm [MaxTokenLen]bool
	la, lb := min(len(a), MaxTokenLen), min(len(b), MaxTokenLen)
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !bm[j] && a[i] == b[j] {
				am[i], bm[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := 0; i < la; i++ {
		if !am[i] {
			continue
		}
		for !bm[j] {
			j++
		}
		if a[i] != b[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(transpositions)/2)/m) / 3
	prefix := 0
	for prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
