package pdf

import (
	"bytes"
	"fmt"
	"io"
	"sort"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// drawFunc draws a document on a started page.
type drawFunc func(p *page, doc Document) error

// layout is a registered way of drawing a kind.
type layout struct {
	draw      drawFunc
	landscape bool
}

// layouts is the registry: for each kind, the default layout under "" and
// the client-specific variants under their names. A client selects a
// variant by setting its name as the override for that kind (see
// docs/documents.md to add one).
var layouts = map[Kind]map[string]layout{
	KindProposal:    {"": {draw: drawProposal}},
	KindAgreement:   {"": {draw: drawAgreement}},
	KindProgramme:   {"": {draw: drawProgramme}},
	KindConvocation: {"": {draw: drawConvocation}, "acme": {draw: drawConvocationAcme}},
	KindAttendance:  {"": {draw: drawAttendance, landscape: true}},
	KindCertificate: {"": {draw: drawCertificate}},
	KindRealisation: {"": {draw: drawRealisation}},
	KindInvoice:     {"": {draw: drawInvoice}},
}

// Layout is the layout chosen for a document: its kind, the variant (""
// for the default) and the language it renders in.
type Layout struct {
	Kind    Kind
	Variant string
	Lang    string
	l       layout
}

// Select returns the layout for a kind in a client's language: the variant
// named in overrides[kind] when it is registered, else the kind's default;
// French unless lang is English. An unknown variant name falls back to the
// default (Layout.Variant then says ""); check names with Variants when a
// client's settings are saved.
func Select(kind Kind, lang string, overrides map[Kind]string) Layout {
	lang = i18n.Normalize(lang)
	byName := layouts[kind]
	if name := overrides[kind]; name != "" {
		if l, ok := byName[name]; ok {
			return Layout{Kind: kind, Variant: name, Lang: lang, l: l}
		}
	}
	return Layout{Kind: kind, Lang: lang, l: byName[""]}
}

// Variants lists the variant names registered for a kind, sorted.
func Variants(kind Kind) []string {
	var names []string
	for name := range layouts[kind] {
		if name != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Render writes doc as a PDF with this layout.
func (l Layout) Render(w io.Writer, doc Document) error {
	if l.l.draw == nil {
		return fmt.Errorf("pdf: no layout for kind %q", l.Kind)
	}
	if doc.Kind() != l.Kind {
		return fmt.Errorf("pdf: a %s layout cannot render a %s", l.Kind, doc.Kind())
	}
	fr := doc.frame()
	p, err := newPage(fr, l.Lang, titleOf(fr, l.Lang, l.Kind), l.l.landscape)
	if err != nil {
		return err
	}
	if err := l.l.draw(p, doc); err != nil {
		return err
	}
	return p.output(w)
}

// Bytes renders doc with this layout into memory.
func (l Layout) Bytes(doc Document) ([]byte, error) {
	var b bytes.Buffer
	err := l.Render(&b, doc)
	return b.Bytes(), err
}

// titleOf is the frame's title, else the kind's default title in lang.
func titleOf(fr Frame, lang string, kind Kind) string {
	if fr.Title != "" {
		return fr.Title
	}
	return text(lang, "title."+string(kind))
}
