package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Broker is the broker's legal identity, printed in every page's footer, and
// its branding.
type Broker struct {
	Name      string `json:"name"`
	Address   string `json:"address"`              // one line, or several separated by "\n"
	SIRET     string `json:"siret"`                // 14 digits
	NDA       string `json:"nda,omitempty"`        // numéro de déclaration d'activité
	NDARegion string `json:"nda_region,omitempty"` // "Île-de-France": the region whose prefect registered it
	VATNumber string `json:"vat_number,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Logo      []byte `json:"logo,omitempty"`   // PNG or JPEG
	Colour    string `json:"colour,omitempty"` // hex, "#1f3a5f"
}

// Party is a company or person on the other side of a document.
type Party struct {
	Name           string `json:"name"`
	Address        string `json:"address,omitempty"`
	SIRET          string `json:"siret,omitempty"`
	VATNumber      string `json:"vat_number,omitempty"`
	Contact        string `json:"contact,omitempty"` // person the document is addressed to
	Email          string `json:"email,omitempty"`
	Representative string `json:"representative,omitempty"` // who signs for the party
	Role           string `json:"role,omitempty"`           // the representative's title
}

// Signatory is who signs a document for the broker.
type Signatory struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

// Frame is what every document shares: language, broker, client branding,
// title, reference and date.
type Frame struct {
	Lang         string    `json:"lang"` // the client's language: fr or en; anything else is fr
	Broker       Broker    `json:"broker"`
	ClientLogo   []byte    `json:"client_logo,omitempty"`
	ClientColour string    `json:"client_colour,omitempty"`
	Title        string    `json:"title,omitempty"`     // replaces the kind's default title
	Reference    string    `json:"reference,omitempty"` // document number, shown under the title
	Date         time.Time `json:"date"`                // printed as the document's date and set as the PDF creation date; zero is now
}

func (f Frame) frame() Frame { return f }

// Page geometry in millimetres. The body starts below the header and stops
// above the footer; layouts never draw outside it.
const (
	marginX      = 15.0
	bodyTop      = 31.0
	bodyBottom   = 22.0 // distance from the bottom edge where the body stops
	footerHeight = 19.0
)

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	defaultAccent = rgb{0x1f, 0x3a, 0x5f}
	black         = rgb{0x1a, 0x1a, 0x1a}
	grey          = rgb{0x59, 0x59, 0x59}
	lightGrey     = rgb{0xbf, 0xbf, 0xbf}
)

// parseColour reads "#rrggbb", "rrggbb" or "#rgb"; anything else is ok=false.
func parseColour(s string) (rgb, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return rgb{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return rgb{}, false
	}
	return rgb{int(v >> 16), int(v >> 8 & 0xff), int(v & 0xff)}, true
}

// tint mixes c with white; share is the part of c kept, 0..1.
func (c rgb) tint(share float64) rgb {
	mix := func(v int) int { return int(float64(v)*share + 255*(1-share) + 0.5) }
	return rgb{mix(c.r), mix(c.g), mix(c.b)}
}

// page is one document being drawn: gofpdf plus the frame, the language and
// the drawing helpers of draw.go.
type page struct {
	f      *gofpdf.Fpdf
	lang   string
	fr     Frame
	accent rgb // headings, rules, table heads: the broker's colour
	second rgb // the client's colour when set, else the accent
	w, h   float64
	logos  [2]logo // broker, client
}

// logo is a registered image and its size on the page.
type logo struct {
	name string
	w, h float64
}

// newPage starts a document: A4, fonts, frame, metadata. title goes to the
// PDF metadata.
func newPage(fr Frame, lang, title string, landscape bool) (*page, error) {
	orientation := "P"
	if landscape {
		orientation = "L"
	}
	f := gofpdf.New(orientation, "mm", "A4", "")
	p := &page{f: f, lang: lang, fr: fr, accent: defaultAccent}
	if c, ok := parseColour(fr.Broker.Colour); ok {
		p.accent = c
	}
	p.second = p.accent
	if c, ok := parseColour(fr.ClientColour); ok {
		p.second = c
	}
	p.w, p.h = f.GetPageSize()

	// Set before the fonts, as gofpdf's examples do: it reads the alias when
	// it registers a UTF-8 font.
	f.AliasNbPages("{nb}")
	addFonts(f)
	f.SetMargins(marginX, bodyTop, marginX)
	f.SetAutoPageBreak(true, bodyBottom)
	f.SetCatalogSort(true) // same input, same bytes

	date := fr.Date
	if date.IsZero() {
		date = time.Now()
	}
	f.SetTitle(title, true)
	f.SetAuthor(fr.Broker.Name, true)
	f.SetCreator("Courtier", true)
	// gofpdf writes the date without a zone, which readers take as UTC.
	f.SetCreationDate(date.UTC())
	f.SetModificationDate(date.UTC())

	var err error
	if p.logos[0], err = p.register("broker-logo", fr.Broker.Logo, 45, 14); err != nil {
		return nil, fmt.Errorf("pdf: broker logo: %w", err)
	}
	if p.logos[1], err = p.register("client-logo", fr.ClientLogo, 45, 14); err != nil {
		return nil, fmt.Errorf("pdf: client logo: %w", err)
	}
	f.SetHeaderFuncMode(p.header, true)
	f.SetFooterFunc(p.footer)
	return p, nil
}

// register loads a PNG or JPEG and fits it in maxW × maxH, keeping its ratio.
func (p *page) register(name string, img []byte, maxW, maxH float64) (logo, error) {
	if len(img) == 0 {
		return logo{}, nil
	}
	var typ string
	switch {
	case bytes.HasPrefix(img, []byte("\x89PNG")):
		typ = "PNG"
	case bytes.HasPrefix(img, []byte{0xff, 0xd8}):
		typ = "JPG"
	default:
		return logo{}, fmt.Errorf("not a PNG or JPEG image")
	}
	info := p.f.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: typ}, bytes.NewReader(img))
	if err := p.f.Error(); err != nil {
		return logo{}, err
	}
	w, h := info.Width(), info.Height()
	if w <= 0 || h <= 0 {
		return logo{}, fmt.Errorf("empty image")
	}
	scale := min(maxW/w, maxH/h)
	return logo{name: name, w: w * scale, h: h * scale}, nil
}

// header draws the logos (or the broker's name) and the coloured rules.
func (p *page) header() {
	f := p.f
	const top = 9.0
	if l := p.logos[0]; l.name != "" {
		f.ImageOptions(l.name, marginX, top, l.w, l.h, false, gofpdf.ImageOptions{}, 0, "")
	} else {
		p.font(true, 12, p.accent)
		f.SetXY(marginX, top+3)
		f.CellFormat(p.w/2, 6, p.fr.Broker.Name, "", 0, "L", false, 0, "")
	}
	if l := p.logos[1]; l.name != "" {
		f.ImageOptions(l.name, p.w-marginX-l.w, top, l.w, l.h, false, gofpdf.ImageOptions{}, 0, "")
	}
	p.rule(25, p.accent, 0.6)
	if p.second != p.accent {
		p.rule(26.2, p.second, 0.6)
	}
}

// rule draws a horizontal line across the body width at y.
func (p *page) rule(y float64, c rgb, width float64) {
	p.f.SetDrawColor(c.r, c.g, c.b)
	p.f.SetLineWidth(width)
	p.f.Line(marginX, y, p.w-marginX, y)
	p.f.SetLineWidth(0.2)
}

// footer draws the broker's legal identity and the page number "n/N".
func (p *page) footer() {
	f := p.f
	top := p.h - footerHeight
	p.rule(top, lightGrey, 0.2)
	b := p.fr.Broker
	line1 := []string{b.Name, strings.ReplaceAll(b.Address, "\n", ", ")}
	if b.SIRET != "" {
		line1 = append(line1, "SIRET "+b.SIRET)
	}
	if b.VATNumber != "" {
		line1 = append(line1, p.t("frame.vat")+" "+b.VATNumber)
	}
	lines := []string{join(" · ", line1...)}
	if b.NDA != "" {
		lines = append(lines, p.nda())
	}
	if c := join(" · ", b.Email, b.Phone); c != "" {
		lines = append(lines, c)
	}
	p.font(false, 6.5, grey)
	f.SetXY(marginX, top+1.5)
	f.MultiCell(p.w-2*marginX-22, 2.9, strings.Join(lines, "\n"), "", "L", false)

	// The total is an alias replaced at output: keep "n/" right-aligned on a
	// fixed point and let the total run to its right, whatever its width.
	p.font(false, 8, grey)
	n := fmt.Sprintf("%d/", f.PageNo())
	x := p.w - marginX - 6
	f.Text(x-f.GetStringWidth(n), top+4.5, n)
	f.Text(x, top+4.5, "{nb}")
}

// nda is the declaration sentence with the notice the law requires wherever
// the NDA is shown (art. L6352-12 Code du travail: it is no state approval).
func (p *page) nda() string {
	b := p.fr.Broker
	if b.NDARegion != "" {
		return p.t("frame.nda.region", b.NDA, b.NDARegion) + " " + p.t("frame.nda.notice")
	}
	return p.t("frame.nda", b.NDA) + " " + p.t("frame.nda.notice")
}

// output closes the document and writes it.
func (p *page) output(w io.Writer) error {
	if err := p.f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// join joins the non-empty parts.
func join(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, sep)
}
