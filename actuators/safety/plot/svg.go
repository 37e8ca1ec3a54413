package plot

import (
	"bufio"
	"encoding/xml"
	"io"
	"math"
	"strconv"
)

// svgWriter writes SVG markup to a buffered writer and keeps the first
// error, so drawing code needs no error checks until the end.
type svgWriter struct {
	w   *bufio.Writer
	err error
	num []byte // scratch for number formatting
}

func newSVGWriter(w io.Writer) *svgWriter {
	return &svgWriter{w: bufio.NewWriterSize(w, 32<<10), num: make([]byte, 0, 32)}
}

// raw writes markup as is; only for literals and numbers.
func (s *svgWriter) raw(parts ...string) {
	for _, p := range parts {
		if s.err != nil {
			return
		}
		_, s.err = s.w.WriteString(p)
	}
}

// text writes character data escaped for element content and attribute
// values; characters XML cannot hold become U+FFFD.
func (s *svgWriter) text(v string) {
	if s.err != nil {
		return
	}
	s.err = xml.EscapeText(s.w, []byte(v))
}

// f writes a coordinate with one decimal ("12.5", "-3", "0").
func (s *svgWriter) f(v float64) {
	s.num = strconv.AppendFloat(s.num[:0], round1(v), 'f', -1, 64)
	if s.err == nil {
		_, s.err = s.w.Write(s.num)
	}
}

// round1 rounds to one decimal and folds -0 into 0, so the same input
// always prints the same bytes.
func round1(v float64) float64 {
	r := math.Round(v*10) / 10
	if r == 0 || math.IsNaN(r) {
		return 0
	}
	return r
}

// line draws a line from (x1, y1) to (x2, y2) with the given class.
func (s *svgWriter) line(class string, x1, y1, x2, y2 float64) {
	s.raw(`<line class="`, class, `" x1="`)
	s.f(x1)
	s.raw(`" y1="`)
	s.f(y1)
	s.raw(`" x2="`)
	s.f(x2)
	s.raw(`" y2="`)
	s.f(y2)
	s.raw("\"/>\n")
}

// rect draws a rectangle with the given class.
func (s *svgWriter) rect(class string, x, y, w, h float64) {
	s.raw(`<rect class="`, class, `" x="`)
	s.f(x)
	s.raw(`" y="`)
	s.f(y)
	s.raw(`" width="`)
	s.f(max(w, 0))
	s.raw(`" height="`)
	s.f(max(h, 0))
	s.raw("\"/>\n")
}

// label writes a text element at (x, y); anchor is start, middle or end.
func (s *svgWriter) label(class, anchor string, x, y float64, v string) {
	s.raw(`<text class="`, class, `" text-anchor="`, anchor, `" x="`)
	s.f(x)
	s.raw(`" y="`)
	s.f(y)
	s.raw(`">`)
	s.text(v)
	s.raw("</text>\n")
}

func (s *svgWriter) flush() error {
	if s.err == nil {
		s.err = s.w.Flush()
	}
	return s.err
}
