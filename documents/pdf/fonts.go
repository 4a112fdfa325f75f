package pdf

import (
	"bytes"
	_ "embed"

	"github.com/jung-kurt/gofpdf"
)

// DejaVu Sans (Debian fonts-dejavu-core 2.37, Bitstream Vera licence in
// fonts/LICENSE) covers French, the euro sign, the narrow no-break space of
// French money and the ballot boxes of the certificat de réalisation. The
// PDF core fonts are never used: gofpdf does not embed them.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// family is the font family name every layout uses.
const family = "DejaVu"

// addFonts registers the embedded fonts on f. gofpdf parses the TTFs again
// for each document and cannot be given a parsed font: it lives in
// unexported per-document state, which the subsetting at output also
// mutates, so a sync.Once cache is impossible without patching gofpdf.
// Parsing is about a third of a bare page's cost and subsetting another half
// (BenchmarkFontParse, BenchmarkBareGofpdfPage).
//
// Each document gets its own copy of the bytes: when subsetting, gofpdf
// pads tables by appending to slices of the font data, which writes into
// the shared array (a data race between documents; TestConcurrent -race).
func addFonts(f *gofpdf.Fpdf) {
	f.AddUTF8FontFromBytes(family, "", bytes.Clone(fontRegular))
	f.AddUTF8FontFromBytes(family, "B", bytes.Clone(fontBold))
}
