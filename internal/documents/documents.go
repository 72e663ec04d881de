// Package documents prints the documents of a case as PDF, in pure Go: the
// approved individual project in Italian, ready for signatures, and the
// plain summary of it for the person, with its fixed wording in Italian,
// English, French or Arabic. The fonts are embedded, so a document looks
// the same wherever it is opened, and Arabic is shaped and laid out right
// to left before it is written.
package documents

import (
	"embed"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"approdo"
	"approdo/internal/i18n"
)

//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf
var fonts embed.FS

// The font families a page writes with.
const (
	regular = "sans"
	bold    = "sans-bold"
)

// Page geometry, in points on an A4 sheet.
const (
	marginX      = 56.0
	marginTop    = 56.0
	marginBottom = 64.0
	lineGap      = 1.35 // line height as a multiple of the font size
)

// page writes text down A4 pages, starting a new page when one is full.
// The first error stops it; err reports it.
type page struct {
	pdf *gopdf.GoPdf
	y   float64
	// rtl lays headings and labels out right to left.
	rtl bool
	// footer is written at the bottom of each page, with its number.
	footer func(n int) string
	pages  int
	err    error
}

// newPage starts a document with the embedded fonts and the given title
// in its properties.
func newDocument(title string, created time.Time, footer func(n int) string) (*page, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Creator: "Approdo", Producer: "Approdo", CreationDate: created})
	data, err := fontData()
	if err != nil {
		return nil, err
	}
	for _, family := range []string{regular, bold} {
		if err := pdf.AddTTFFontData(family, data[family]); err != nil {
			return nil, fmt.Errorf("documents: font %s: %w", family, err)
		}
	}
	p := &page{pdf: pdf, footer: footer}
	p.newPage()
	return p, p.err
}

// width is the width text may take on a line.
func (p *page) width() float64 { return gopdf.PageSizeA4.W - 2*marginX }

// newPage closes the page being written, if any, and starts the next.
func (p *page) newPage() {
	p.pdf.AddPage()
	p.pages++
	p.y = marginTop
	if p.footer != nil {
		p.setFont(regular, 8)
		p.pdf.SetTextColor(90, 90, 90)
		p.put(marginX, gopdf.PageSizeA4.H-marginBottom/2, p.footer(p.pages), false)
		p.pdf.SetTextColor(0, 0, 0)
	}
}

// setFont sets the font of what is written next.
func (p *page) setFont(family string, size float64) {
	if p.err == nil {
		p.err = p.pdf.SetFont(family, "", size)
	}
}

// room makes sure h points fit below the current line, starting a new page
// when they do not.
func (p *page) room(h float64) {
	if p.y+h > gopdf.PageSizeA4.H-marginBottom {
		p.newPage()
	}
}

// put writes one line of text, already in display order, at x, y; right
// aligns it so that it ends at the right margin.
func (p *page) put(x, y float64, line string, right bool) {
	if p.err != nil {
		return
	}
	if right {
		w, err := p.pdf.MeasureTextWidth(line)
		if err != nil {
			p.err = err
			return
		}
		x = gopdf.PageSizeA4.W - marginX - w
	}
	p.pdf.SetXY(x, y)
	p.err = p.pdf.Text(line)
}

// text writes a paragraph in family at size, indented by indent, wrapped
// to the width of the page. Each paragraph is laid out in the direction of
// its first letter, so what a person wrote in Arabic reads right to left
// in an Italian document; one with no letters, such as a date, follows the
// document's direction.
func (p *page) text(s string, family string, size, indent float64) {
	p.setFont(family, size)
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		rtl, ok := baseRTL(para)
		if !ok {
			rtl = p.rtl
		}
		for _, line := range p.wrap(para, rtl, p.width()-indent) {
			if p.err != nil {
				return
			}
			p.room(size * lineGap)
			// gopdf writes text from its baseline; y is the top of the line.
			p.put(marginX+indent, p.y+size, visual(line, rtl), rtl)
			p.y += size * lineGap
		}
	}
}

// heading writes a title in bold, with space around it, in the document's
// direction.
func (p *page) heading(s string, size float64) {
	p.room(size*lineGap*2 + 24)
	p.y += size * 0.6
	p.text(s, bold, size, 0)
	p.y += size * 0.3
}

// field writes a label in bold and its value after it on the next line, in
// a smaller size, skipping it when the value is empty.
func (p *page) field(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	p.room(9*lineGap + 10*lineGap)
	p.text(label, bold, 9, 0)
	p.text(value, regular, 10, 0)
	p.y += 4
}

// rule draws a thin line across the page.
func (p *page) rule() {
	p.room(8)
	p.pdf.SetLineWidth(0.5)
	p.pdf.SetStrokeColor(150, 150, 150)
	p.pdf.Line(marginX, p.y+3, gopdf.PageSizeA4.W-marginX, p.y+3)
	p.pdf.SetStrokeColor(0, 0, 0)
	p.y += 8
}

// wrap cuts a paragraph, written right to left or not, into lines that fit width once laid out, breaking
// at spaces, and inside words only when a word alone is too wide.
func (p *page) wrap(para string, rtl bool, width float64) []string {
	fits := func(s string) bool {
		w, err := p.pdf.MeasureTextWidth(visual(s, rtl))
		if err != nil {
			p.err = err
			return true
		}
		return w <= width
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(para) {
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		if fits(candidate) {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		// A word wider than the page is cut where it must be.
		line = ""
		for _, r := range word {
			if line != "" && !fits(line+string(r)) {
				lines = append(lines, line)
				line = ""
			}
			line += string(r)
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// write finishes the document into w.
func (p *page) write(w io.Writer) error {
	if p.err != nil {
		return p.err
	}
	_, err := p.pdf.WriteTo(w)
	return err
}

// day writes a day the Italian way, in Rome.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(approdo.Rome).Format("02/01/2006")
}

// euro writes an amount in cents the Italian way: "3.600,00 €".
func euro(cents int64) string { return i18n.Euro(cents, "it") }
