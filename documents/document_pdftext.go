package documents

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
)

// PDF text comes from github.com/ledongthuc/pdf (pure Go, a maintained fork
// of rsc.io/pdf) for the file structure, streams and filters. The text
// operators are walked here rather than by its GetPlainText, because its
// ToUnicode decoding adds a range offset to the last byte only: gofpdf's
// UTF-8 fonts map <0000>-<FFFF> in one range, so every character past U+00FF
// (œ, ’, €, —) came out wrong. readToUnicode below does the arithmetic on
// the whole code.

var (
	errTextFull   = errors.New("documents: text limit reached")
	errPDFTimeout = errors.New("documents: PDF text took too long")
)

// pdfText returns the text of a PDF, up to about limit bytes, giving up at
// deadline. A page that cannot be read is skipped; the error is returned
// with the text of the others.
func pdfText(content []byte, limit int, deadline time.Time) (text string, err error) {
	x := &pdfWalker{limit: limit, deadline: deadline}
	defer func() {
		if p := recover(); p != nil { // the library reports malformed files by panicking
			text = x.b.String()
			if e, ok := p.(error); ok && errors.Is(e, errPDFTimeout) {
				err = e
				return
			}
			err = fmt.Errorf("documents: unreadable PDF: %v", p)
		}
	}()
	r, err := pdf.NewReader(deadlineReader{bytes.NewReader(content), deadline}, int64(len(content)))
	if err != nil {
		return "", fmt.Errorf("documents: unreadable PDF: %w", err)
	}
	var firstErr error
	for i := 1; i <= r.NumPage(); i++ {
		err := x.page(r.Page(i))
		if errors.Is(err, errTextFull) || errors.Is(err, errPDFTimeout) {
			return x.b.String(), err
		}
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("documents: PDF page %d: %w", i, err)
		}
	}
	return x.b.String(), firstErr
}

type pdfWalker struct {
	b        strings.Builder
	limit    int
	deadline time.Time
	ops      int
}

// page writes one page's text; a panic of the library or of the limits
// ends the page only.
func (x *pdfWalker) page(p pdf.Page) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok && (errors.Is(e, errTextFull) || errors.Is(e, errPDFTimeout)) {
				err = e
				return
			}
			err = fmt.Errorf("%v", r)
		}
	}()
	if p.V.IsNull() || p.V.Key("Contents").Kind() == pdf.Null {
		return nil
	}
	x.content(p.V.Key("Contents"), p.Resources(), 0)
	x.write("\n")
	return nil
}

// content interprets a content stream with its resources; form XObjects
// (Do) are followed a few levels deep, as letterheads often are forms.
func (x *pdfWalker) content(strm, res pdf.Value, depth int) {
	fonts := map[string]textDecoder{}
	var dec textDecoder = rawDecoder{}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		if x.ops++; x.ops%256 == 0 && time.Now().After(x.deadline) {
			panic(errPDFTimeout)
		}
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		last := func() pdf.Value {
			if len(args) == 0 {
				return pdf.Value{}
			}
			return args[len(args)-1]
		}
		switch op {
		case "BT", "T*":
			x.write("\n")
		case "Td", "TD":
			if len(args) == 2 && args[1].Float64() != 0 {
				x.write("\n")
			} else {
				x.write(" ")
			}
		case "Tm":
			x.write(" ")
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				if _, ok := fonts[name]; !ok {
					fonts[name] = fontDecoder(res.Key("Font").Key(name))
				}
				dec = fonts[name]
			}
		case "'", "\"":
			x.write("\n")
			x.write(dec.decode(last().RawString()))
		case "Tj":
			x.write(dec.decode(last().RawString()))
		case "TJ":
			a := last()
			for i := 0; i < a.Len(); i++ {
				switch v := a.Index(i); v.Kind() {
				case pdf.String:
					x.write(dec.decode(v.RawString()))
				case pdf.Integer, pdf.Real:
					// A shift left of a fifth of an em or more is a word gap.
					if v.Float64() < -200 {
						x.write(" ")
					}
				}
			}
		case "Do":
			xo := res.Key("XObject").Key(last().Name())
			if depth < 4 && xo.Key("Subtype").Name() == "Form" {
				inner := xo.Key("Resources")
				if inner.IsNull() {
					inner = res
				}
				x.content(xo, inner, depth+1)
			}
		}
	})
}

func (x *pdfWalker) write(s string) {
	x.b.WriteString(s)
	if x.b.Len() > x.limit {
		panic(errTextFull)
	}
}

// deadlineReader stops the library past the deadline: it reads the file
// for every object it resolves, so this bounds the loops that a crafted
// file can send it into (a cyclic xref Prev chain, a cyclic page tree).
type deadlineReader struct {
	r        io.ReaderAt
	deadline time.Time
}

func (d deadlineReader) ReadAt(p []byte, off int64) (int, error) {
	if time.Now().After(d.deadline) {
		panic(errPDFTimeout)
	}
	return d.r.ReadAt(p, off)
}

// textDecoder turns the codes of a shown string into text.
type textDecoder interface {
	decode(raw string) string
}

// fontDecoder prefers the font's ToUnicode map, which the PDF standard
// names as the source of a text's characters, then the library's encodings.
func fontDecoder(font pdf.Value) textDecoder {
	if tu := font.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		if m := readToUnicode(tu); m != nil {
			return m
		}
	}
	if font.IsNull() {
		return rawDecoder{}
	}
	f := pdf.Font{V: font}
	return libDecoder{f.Encoder()}
}

type libDecoder struct{ enc pdf.TextEncoding }

func (d libDecoder) decode(raw string) string { return d.enc.Decode(raw) }

// rawDecoder is for text shown without a known font: bytes as Latin-1.
type rawDecoder struct{}

func (rawDecoder) decode(raw string) string {
	r := make([]rune, len(raw))
	for i := 0; i < len(raw); i++ {
		r[i] = rune(raw[i])
	}
	return string(r)
}
