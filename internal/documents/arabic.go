package documents

import (
	"slices"
	"strings"
	"unicode"
)

// A PDF shows glyphs in the order it is given them, left to right, and
// knows nothing of how Arabic letters join. Before Arabic text is written,
// visual gives each letter the form its neighbours call for (isolated,
// final, initial or medial, from Unicode's Arabic Presentation Forms-B,
// which the embedded font covers) and puts the line in display order.

// arabicForms holds, for each Arabic letter, its isolated, final, initial
// and medial presentation forms; letters that join only the letter before
// them have no initial or medial form (0).
var arabicForms = map[rune][4]rune{
	'\u0621': {0xFE80, 0, 0, 0},
	'\u0622': {0xFE81, 0xFE82, 0, 0},
	'\u0623': {0xFE83, 0xFE84, 0, 0},
	'\u0624': {0xFE85, 0xFE86, 0, 0},
	'\u0625': {0xFE87, 0xFE88, 0, 0},
	'\u0626': {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C},
	'\u0627': {0xFE8D, 0xFE8E, 0, 0},
	'\u0628': {0xFE8F, 0xFE90, 0xFE91, 0xFE92},
	'\u0629': {0xFE93, 0xFE94, 0, 0},
	'\u062A': {0xFE95, 0xFE96, 0xFE97, 0xFE98},
	'\u062B': {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C},
	'\u062C': {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0},
	'\u062D': {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4},
	'\u062E': {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8},
	'\u062F': {0xFEA9, 0xFEAA, 0, 0},
	'\u0630': {0xFEAB, 0xFEAC, 0, 0},
	'\u0631': {0xFEAD, 0xFEAE, 0, 0},
	'\u0632': {0xFEAF, 0xFEB0, 0, 0},
	'\u0633': {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4},
	'\u0634': {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8},
	'\u0635': {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC},
	'\u0636': {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0},
	'\u0637': {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4},
	'\u0638': {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8},
	'\u0639': {0xFEC9, 0xFECA, 0xFECB, 0xFECC},
	'\u063A': {0xFECD, 0xFECE, 0xFECF, 0xFED0},
	'\u0641': {0xFED1, 0xFED2, 0xFED3, 0xFED4},
	'\u0642': {0xFED5, 0xFED6, 0xFED7, 0xFED8},
	'\u0643': {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC},
	'\u0644': {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0},
	'\u0645': {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4},
	'\u0646': {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8},
	'\u0647': {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC},
	'\u0648': {0xFEED, 0xFEEE, 0, 0},
	'\u0649': {0xFEEF, 0xFEF0, 0, 0},
	'\u064A': {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4},
}

// lamAlef holds the isolated and final ligatures of lam with each alef.
var lamAlef = map[rune][2]rune{
	'\u0622': {0xFEF5, 0xFEF6},
	'\u0623': {0xFEF7, 0xFEF8},
	'\u0625': {0xFEF9, 0xFEFA},
	'\u0627': {0xFEFB, 0xFEFC},
}

const (
	lam     = '\u0644'
	tatweel = '\u0640'
)

// transparent reports whether r is a mark that letters join across, such
// as a short vowel.
func transparent(r rune) bool {
	return unicode.Is(unicode.Mn, r)
}

// joinsAfter reports whether r joins the letter that follows it.
func joinsAfter(r rune) bool {
	f, ok := arabicForms[r]
	return r == tatweel || ok && f[2] != 0
}

// joinsBefore reports whether r joins the letter that precedes it.
func joinsBefore(r rune) bool {
	_, ok := arabicForms[r]
	return r == tatweel || ok && r != '\u0621'
}

// shapeArabic returns s, in logical order, with its Arabic letters in their
// contextual presentation forms and lam-alef ligatures.
func shapeArabic(s []rune) []rune {
	out := make([]rune, 0, len(s))
	// neighbour returns the nearest letter from i in direction step,
	// skipping transparent marks, or 0.
	neighbour := func(i, step int) rune {
		for j := i + step; j >= 0 && j < len(s); j += step {
			if !transparent(s[j]) {
				return s[j]
			}
		}
		return 0
	}
	for i := 0; i < len(s); i++ {
		r := s[i]
		forms, ok := arabicForms[r]
		if !ok {
			out = append(out, r)
			continue
		}
		prev := neighbour(i, -1)
		joinPrev := joinsAfter(prev) && joinsBefore(r)
		if r == lam {
			j := i + 1
			for j < len(s) && transparent(s[j]) {
				j++
			}
			if j < len(s) {
				if lig, ok := lamAlef[s[j]]; ok {
					if joinPrev {
						out = append(out, lig[1])
					} else {
						out = append(out, lig[0])
					}
					out = append(out, s[i+1:j]...)
					i = j
					continue
				}
			}
		}
		joinNext := joinsAfter(r) && joinsBefore(neighbour(i, 1))
		switch {
		case joinPrev && joinNext:
			out = append(out, forms[3])
		case joinPrev:
			out = append(out, forms[1])
		case joinNext:
			out = append(out, forms[2])
		default:
			out = append(out, forms[0])
		}
	}
	return out
}

// rightToLeft reports whether r is a letter of a script written right to
// left.
func rightToLeft(r rune) bool {
	return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana)
}

// leftToRight reports whether r is a strong left-to-right character: a
// letter or digit of any other script.
func leftToRight(r rune) bool {
	return !rightToLeft(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// baseRTL reports whether text is a right-to-left paragraph: whether its
// first letter belongs to a script written right to left. ok is false when
// text has no letters.
func baseRTL(text string) (rtl, ok bool) {
	for _, r := range text {
		if unicode.IsLetter(r) {
			return rightToLeft(r), true
		}
	}
	return false, false
}

// mirrored swaps the paired punctuation a right-to-left run shows
// reversed.
var mirrored = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '«': '»', '»': '«', '<': '>', '>': '<'}

// visual returns one line of a paragraph written right to left (rtl) or
// left to right in the order a PDF shows it: unchanged when it holds no
// right-to-left letters, otherwise shaped and reordered. It follows the
// simple case of the Unicode bidirectional algorithm: runs of the other
// direction than the paragraph's keep their own order; spaces and
// punctuation between two characters of one direction take that
// direction, and otherwise the paragraph's.
func visual(line string, rtl bool) string {
	if !strings.ContainsFunc(line, rightToLeft) {
		return line
	}
	s := shapeArabic([]rune(line))
	// level[i] is true where s[i] is shown right to left.
	level := make([]bool, len(s))
	for i, r := range s {
		switch {
		case rightToLeft(r) || unicode.Is(unicode.Mn, r) && i > 0 && level[i-1]:
			level[i] = true
		case leftToRight(r):
			level[i] = false
		default:
			before, after := rtl, rtl
			for j := i - 1; j >= 0; j-- {
				if rightToLeft(s[j]) || leftToRight(s[j]) {
					before = rightToLeft(s[j])
					break
				}
			}
			for j := i + 1; j < len(s); j++ {
				if rightToLeft(s[j]) || leftToRight(s[j]) {
					after = rightToLeft(s[j])
					break
				}
			}
			level[i] = rtl
			if before == after {
				level[i] = before
			}
		}
	}
	// Cut s into runs of one direction, then lay them out.
	type run struct {
		text []rune
		rtl  bool
	}
	var runs []run
	for i, r := range s {
		if len(runs) == 0 || runs[len(runs)-1].rtl != level[i] {
			runs = append(runs, run{rtl: level[i]})
		}
		runs[len(runs)-1].text = append(runs[len(runs)-1].text, r)
	}
	for i := range runs {
		if runs[i].rtl {
			runs[i].text = reverseClusters(runs[i].text)
		}
	}
	if rtl {
		slices.Reverse(runs)
	}
	var b strings.Builder
	for _, r := range runs {
		b.WriteString(string(r.text))
	}
	return b.String()
}

// reverseClusters returns s in reverse order, keeping each mark after the
// letter it sits on, and with paired punctuation mirrored.
func reverseClusters(s []rune) []rune {
	out := make([]rune, 0, len(s))
	for end := len(s); end > 0; {
		start := end - 1
		for start > 0 && transparent(s[start]) {
			start--
		}
		for _, r := range s[start:end] {
			if m, ok := mirrored[r]; ok {
				r = m
			}
			out = append(out, r)
		}
		end = start
	}
	return out
}
