package tax

import (
	"sort"

	"github.com/courtier-crm/courtier/internal/money"
)

// Amount is one line's net amount with its tax decision.
type Amount struct {
	Category   string
	RateBP     int64
	VATEX      string
	MentionKey string
	Net        int64 // cents, after the line discount; negative on credit notes
	OutOfBase  bool
}

// AmountOf pairs a line net with its decision.
func AmountOf(d Decision, net int64) Amount {
	return Amount{Category: d.Category, RateBP: d.RateBP, VATEX: d.VATEX, MentionKey: d.MentionKey, Net: net, OutOfBase: d.OutOfBase}
}

// Subtotal is one VAT breakdown row (EN 16931 BG-23).
type Subtotal struct {
	Category   string
	RateBP     int64
	VATEX      string
	MentionKey string // first mention met in the group (BT-120 text)
	Base, VAT  int64
}

// Totals are an invoice's amounts in cents.
type Totals struct {
	Net       int64 // Σ taxable bases, disbursements excluded (BT-109)
	VAT       int64 // Σ VAT of the subtotals (BT-110)
	OutOfBase int64 // disbursements
	Gross     int64 // Net + VAT + OutOfBase
	Subtotals []Subtotal
}

// Compute groups the lines per (category, rate, VATEX) and computes the VAT
// once per group, not per line, as the EN 16931 rules BR-CO-17 and BR-S-09
// expect. Subtotals come rate descending, then by category and VATEX.
func Compute(lines []Amount) Totals {
	type key struct {
		cat   string
		rate  int64
		vatex string
	}
	var t Totals
	idx := map[key]int{}
	for _, l := range lines {
		if l.OutOfBase {
			t.OutOfBase += l.Net
			continue
		}
		k := key{l.Category, l.RateBP, l.VATEX}
		i, ok := idx[k]
		if !ok {
			i = len(t.Subtotals)
			idx[k] = i
			t.Subtotals = append(t.Subtotals, Subtotal{Category: l.Category, RateBP: l.RateBP, VATEX: l.VATEX})
		}
		s := &t.Subtotals[i]
		s.Base += l.Net
		if s.MentionKey == "" {
			s.MentionKey = l.MentionKey
		}
	}
	sort.Slice(t.Subtotals, func(i, j int) bool {
		a, b := t.Subtotals[i], t.Subtotals[j]
		if a.RateBP != b.RateBP {
			return a.RateBP > b.RateBP
		}
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		return a.VATEX < b.VATEX
	})
	for i := range t.Subtotals {
		s := &t.Subtotals[i]
		s.VAT = money.OfRate(s.Base, s.RateBP)
		t.Net += s.Base
		t.VAT += s.VAT
	}
	t.Gross = t.Net + t.VAT + t.OutOfBase
	return t
}
