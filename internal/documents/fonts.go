package documents

import (
	"encoding/binary"
	"errors"
	"sync"
)

// The embedded fonts draw many letters as composites of other glyphs: an
// Arabic letter in one of its forms is its bare shape plus its dots, and
// the bare shape is itself a moved copy of another glyph. The PDF library
// keeps, in the font subset it embeds, the components of the glyphs a
// document uses but not the components of those components, so such
// letters would lose their shape or their dots. flattenComposites makes
// every such component name the glyph it copies directly, which keeps the
// glyph table's layout and so changes no other table.

// Flags of a component of a composite glyph (OpenType "glyf" table).
const (
	argsAreWords  = 0x0001
	argsAreXY     = 0x0002
	hasScale      = 0x0008
	moreComps     = 0x0020
	hasXYScale    = 0x0040
	hasTwoByTwo   = 0x0080
	transformMask = hasScale | hasXYScale | hasTwoByTwo
)

// component is one component of a composite glyph: where its record starts
// in the font, its flags, the glyph it copies and how far it moves it.
type component struct {
	at     int
	flags  uint16
	glyph  int
	dx, dy int
}

// glyphTable locates the glyphs of a TrueType font.
type glyphTable struct {
	font      []byte
	glyf      int
	loca      int
	longLoca  bool
	numGlyphs int
}

// readGlyphTable finds the tables a TrueType font keeps its glyphs in.
func readGlyphTable(font []byte) (*glyphTable, error) {
	if len(font) < 12 {
		return nil, errors.New("documents: the font is truncated")
	}
	t := &glyphTable{font: font}
	var head, maxp int
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil, errors.New("documents: the font's table directory is truncated")
		}
		at := int(binary.BigEndian.Uint32(font[rec+8:]))
		switch string(font[rec : rec+4]) {
		case "glyf":
			t.glyf = at
		case "loca":
			t.loca = at
		case "head":
			head = at
		case "maxp":
			maxp = at
		}
	}
	if t.glyf == 0 || t.loca == 0 || head == 0 || maxp == 0 {
		return nil, errors.New("documents: the font has no TrueType glyphs")
	}
	t.longLoca = binary.BigEndian.Uint16(font[head+50:]) == 1
	t.numGlyphs = int(binary.BigEndian.Uint16(font[maxp+4:]))
	return t, nil
}

// offset returns where glyph g starts in the glyph table.
func (t *glyphTable) offset(g int) int {
	if t.longLoca {
		return int(binary.BigEndian.Uint32(t.font[t.loca+4*g:]))
	}
	return 2 * int(binary.BigEndian.Uint16(t.font[t.loca+2*g:]))
}

// components returns the components of glyph g, or nil when it is simple
// or empty.
func (t *glyphTable) components(g int) []component {
	if g < 0 || g >= t.numGlyphs {
		return nil
	}
	start, end := t.glyf+t.offset(g), t.glyf+t.offset(g+1)
	if start == end || int16(binary.BigEndian.Uint16(t.font[start:])) >= 0 {
		return nil
	}
	var out []component
	for at := start + 10; at+4 <= end; {
		c := component{at: at, flags: binary.BigEndian.Uint16(t.font[at:]), glyph: int(binary.BigEndian.Uint16(t.font[at+2:]))}
		next := at + 4
		if c.flags&argsAreWords != 0 {
			c.dx, c.dy = int(int16(binary.BigEndian.Uint16(t.font[next:]))), int(int16(binary.BigEndian.Uint16(t.font[next+2:])))
			next += 4
		} else {
			c.dx, c.dy = int(int8(t.font[next])), int(int8(t.font[next+1]))
			next += 2
		}
		switch {
		case c.flags&hasScale != 0:
			next += 2
		case c.flags&hasXYScale != 0:
			next += 4
		case c.flags&hasTwoByTwo != 0:
			next += 8
		}
		out = append(out, c)
		if c.flags&moreComps == 0 {
			break
		}
		at = next
	}
	return out
}

// movedCopy reports whether c only moves the glyph it copies.
func movedCopy(c component) bool { return c.flags&argsAreXY != 0 && c.flags&transformMask == 0 }

// direct returns the glyph component c should name instead of the one it
// names, and its offsets, when c moves a glyph that only moves one other
// glyph and the added offsets still fit c's record.
func (t *glyphTable) direct(c component) (glyph, dx, dy int, ok bool) {
	inner := t.components(c.glyph)
	if !movedCopy(c) || len(inner) != 1 || !movedCopy(inner[0]) {
		return 0, 0, 0, false
	}
	dx, dy = c.dx+inner[0].dx, c.dy+inner[0].dy
	limit := 127
	if c.flags&argsAreWords != 0 {
		limit = 32767
	}
	if dx < -limit-1 || dx > limit || dy < -limit-1 || dy > limit {
		return 0, 0, 0, false
	}
	return inner[0].glyph, dx, dy, true
}

// flattenComposites rewrites font in place so that no component of a
// composite glyph names a composite glyph that only moves one other glyph:
// it names that glyph, moved by both offsets. A component whose offsets
// would no longer fit its record is left as it is.
func flattenComposites(font []byte) error {
	t, err := readGlyphTable(font)
	if err != nil {
		return err
	}
	for range 8 { // nesting deeper than this does not occur in practice
		changed := false
		for g := range t.numGlyphs {
			for _, c := range t.components(g) {
				glyph, dx, dy, ok := t.direct(c)
				if !ok {
					continue
				}
				args := c.at + 4
				if c.flags&argsAreWords != 0 {
					binary.BigEndian.PutUint16(font[args:], uint16(int16(dx)))
					binary.BigEndian.PutUint16(font[args+2:], uint16(int16(dy)))
				} else {
					font[args], font[args+1] = byte(int8(dx)), byte(int8(dy))
				}
				binary.BigEndian.PutUint16(font[c.at+2:], uint16(glyph))
				changed = true
			}
		}
		if !changed {
			return nil
		}
	}
	return nil
}

// fontData returns the embedded font file, flattened once for the life of
// the process.
var fontData = sync.OnceValues(func() (map[string][]byte, error) {
	out := map[string][]byte{}
	for family, file := range map[string]string{regular: "fonts/DejaVuSans.ttf", bold: "fonts/DejaVuSans-Bold.ttf"} {
		data, err := fonts.ReadFile(file)
		if err != nil {
			return nil, err
		}
		// embed.FS gives the bytes of the binary itself: work on a copy.
		data = append([]byte(nil), data...)
		if err := flattenComposites(data); err != nil {
			return nil, err
		}
		out[family] = data
	}
	return out, nil
})
