package fec

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// benchEntries posts n invoices of the usual shapes (3 or 4 lines each).
func benchEntries(b *testing.B, n int) ([]Entry, int) {
	es := make([]Entry, 0, n)
	lines := 0
	for i := range n {
		s := Sale{Number: fmt.Sprintf("F2026-%06d", i+1), Date: day(2026, time.Month(1+i%12), 1+i%28),
			ClientAux: fmt.Sprintf("C%06d", i%5000), ClientLabel: "Société d’exemple n° " + fmt.Sprint(i%5000),
			ClientAccount: "411000", Revenue: []Posting{{"706100", "Formations", 100000}},
			VAT: []Posting{{"44571", "TVA collectée 20 %", 20000}}, Total: 120000}
		if i%2 == 0 {
			s.Transit = []Posting{{"467000", "Débours", 5000}}
			s.Total += 5000
		}
		e, err := PostSale(s, "VE")
		if err != nil {
			b.Fatal(err)
		}
		lines += len(e.Lines)
		es = append(es, e)
	}
	Number(es)
	return es, lines
}

func BenchmarkWrite100k(b *testing.B) {
	es, lines := benchEntries(b, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Write(io.Discard, es, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines), "lines")
}
