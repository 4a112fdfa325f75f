package pdf

import "sort"

// Line is one priced line of a proposal or an agreement. Amounts are cents
// of euros, the quantity is in hundredths (150 = 1.5 days) and the VAT rate
// in basis points (2000 = 20 %).
type Line struct {
	Label     string `json:"label"`
	Detail    string `json:"detail,omitempty"`
	Quantity  int64  `json:"quantity_hundredths"`
	Unit      string `json:"unit,omitempty"` // in the document's language: "jours", "days"
	UnitCents int64  `json:"unit_cents"`
	VATRateBP int64  `json:"vat_rate_bp"`
}

// Total is the line's amount excluding VAT, rounded to the cent.
func (l Line) Total() int64 { return divRound(l.Quantity*l.UnitCents, 100) }

// Totals sums lines: excluding VAT, VAT, including VAT, and VAT by rate.
type Totals struct {
	ExclVAT int64       `json:"excl_vat"`
	VAT     int64       `json:"vat"`
	InclVAT int64       `json:"incl_vat"`
	ByRate  []RateTotal `json:"by_rate"` // by increasing rate
}

// RateTotal is the base and the VAT of one rate.
type RateTotal struct {
	RateBP int64 `json:"rate_bp"`
	Base   int64 `json:"base"`
	VAT    int64 `json:"vat"`
}

// Sum computes the totals of lines. VAT is computed once per rate on the
// sum of its lines' bases (as invoices do, CGI art. 242 nonies A), so
// rounding does not pile up line by line.
func Sum(lines []Line) Totals {
	bases := map[int64]int64{}
	var t Totals
	for _, l := range lines {
		bases[l.VATRateBP] += l.Total()
		t.ExclVAT += l.Total()
	}
	for rate, base := range bases {
		vat := divRound(base*rate, 10000)
		t.ByRate = append(t.ByRate, RateTotal{RateBP: rate, Base: base, VAT: vat})
		t.VAT += vat
	}
	sort.Slice(t.ByRate, func(i, j int) bool { return t.ByRate[i].RateBP < t.ByRate[j].RateBP })
	t.InclVAT = t.ExclVAT + t.VAT
	return t
}

// divRound divides a by b (b > 0), rounding half away from zero.
func divRound(a, b int64) int64 {
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}
