package pdf

import (
	"slices"
	"testing"
)

func TestDivRound(t *testing.T) {
	for _, c := range []struct{ a, b, want int64 }{
		{5, 10, 1}, {4, 10, 0}, {-5, 10, -1}, {-4, 10, 0}, {15, 10, 2}, {-15, 10, -2}, {0, 100, 0},
		{4999950, 100, 50000}, // 1.5 × 333.33 € = 499.995 €
	} {
		if got := divRound(c.a, c.b); got != c.want {
			t.Errorf("divRound(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSum(t *testing.T) {
	// The proposal fixture: 2 × 1 234,50 + 1,5 × 333,33 + 265,55, all at 20 %.
	got := Sum(proposal(t, "fr").Lines)
	want := Totals{ExclVAT: 323455, VAT: 64691, InclVAT: 388146, ByRate: []RateTotal{{2000, 323455, 64691}}}
	if got.ExclVAT != want.ExclVAT || got.VAT != want.VAT || got.InclVAT != want.InclVAT || !slices.Equal(got.ByRate, want.ByRate) {
		t.Errorf("got %+v, want %+v", got, want)
	}

	// Mixed rates: VAT is rounded once per rate, on the rate's base.
	lines := []Line{
		{Quantity: 100, UnitCents: 1005, VATRateBP: 550},  // 10,05 € at 5,5 %
		{Quantity: 100, UnitCents: 1005, VATRateBP: 550},  // base 20,10 € → 1,1055 € → 1,11 €
		{Quantity: 300, UnitCents: 333, VATRateBP: 2000},  // 9,99 € → 1,998 € → 2,00 €
		{Quantity: 100, UnitCents: 120000, VATRateBP: 0},  // exempt training
		{Quantity: 100, UnitCents: -500, VATRateBP: 2000}, // a discount: base 4,99 € → 0,998 € → 1,00 €
	}
	got = Sum(lines)
	want = Totals{ExclVAT: 2010 + 999 - 500 + 120000, VAT: 111 + 100, ByRate: []RateTotal{{0, 120000, 0}, {550, 2010, 111}, {2000, 499, 100}}}
	want.InclVAT = want.ExclVAT + want.VAT
	if got.ExclVAT != want.ExclVAT || got.VAT != want.VAT || got.InclVAT != want.InclVAT || !slices.Equal(got.ByRate, want.ByRate) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestFormatting(t *testing.T) {
	fr, en := &page{lang: "fr"}, &page{lang: "en"}
	for _, c := range []struct{ got, want string }{
		{fr.decimal(150), "1,5"}, {en.decimal(150), "1.5"}, {fr.decimal(1200), "12"}, {fr.decimal(5), "0,05"}, {fr.decimal(-50), "-0,5"},
		{fr.rate(2000), "20\u00a0%"}, {en.rate(550), "5.5%"},
		{fr.duration(630), "10\u00a0h\u00a030"}, {en.duration(630), "10\u00a0h\u00a030\u00a0min"}, {fr.duration(840), "14\u00a0h"},
		{fr.day(fixedDate), "lun. 14/09/2026"}, {en.day(fixedDate), "Mon 14 Sep 2026"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	for s, want := range map[string]rgb{"#1f3a5f": {0x1f, 0x3a, 0x5f}, "ABC": {0xaa, 0xbb, 0xcc}} {
		if got, ok := parseColour(s); !ok || got != want {
			t.Errorf("parseColour(%q) = %v %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "#12345", "red", "#gggggg"} {
		if _, ok := parseColour(s); ok {
			t.Errorf("parseColour(%q) accepted", s)
		}
	}
}
