package pdf

import (
	"io"
	"testing"

	"github.com/jung-kurt/gofpdf"
)

// Benchmarks: a convocation, the 40-trainee × 10-day attendance sheet, a
// one-page invoice, and as the floor a bare gofpdf page with the same
// embedded fonts. FontParse isolates what gofpdf spends reading the two
// TTFs, which it does again for each document.

func BenchmarkConvocation(b *testing.B) {
	doc := convocation(b, "fr", false)
	l := Select(KindConvocation, "fr", nil)
	for b.Loop() {
		if err := l.Render(io.Discard, doc); err != nil {
			b.Fatal(err)
		}
	}
	reportMS(b)
}

func BenchmarkAttendance40x10(b *testing.B) {
	doc := attendance(b, "fr", 40, 10)
	l := Select(KindAttendance, "fr", nil)
	for b.Loop() {
		if err := l.Render(io.Discard, doc); err != nil {
			b.Fatal(err)
		}
	}
	reportMS(b)
}

func BenchmarkInvoice(b *testing.B) {
	doc := invoice(b)
	l := Select(KindInvoice, "fr", nil)
	for b.Loop() {
		if err := l.Render(io.Discard, doc); err != nil {
			b.Fatal(err)
		}
	}
	reportMS(b)
}

func BenchmarkBareGofpdfPage(b *testing.B) {
	for b.Loop() {
		f := gofpdf.New("P", "mm", "A4", "")
		addFonts(f)
		f.AddPage()
		f.SetFont(family, "", 11)
		f.Cell(100, 10, "Convocation à la formation — 1 234,50 €")
		f.SetFont(family, "B", 11)
		f.Cell(100, 10, "Hygiène et sécurité alimentaire")
		if err := f.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	reportMS(b)
}

func BenchmarkFontParse(b *testing.B) {
	for b.Loop() {
		f := gofpdf.New("P", "mm", "A4", "")
		addFonts(f)
		if f.Err() {
			b.Fatal(f.Error())
		}
	}
	reportMS(b)
}

// reportMS adds ms/op, easier to read than ns/op at this scale.
func reportMS(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/op")
}
