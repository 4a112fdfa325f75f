// Package money holds the arithmetic of amounts: int64 cents, rates in basis
// points (2000 = 20 %), quantities in thousandths (1500 = 1.5), and one
// rounding mode, half away from zero, used by the PDF and the XML alike
// (EN 16931 checks BR-CO-10..16 on the rounded figures).
package money

import (
	"fmt"
	"math"
	"math/bits"
)

// BPScale is the basis-point denominator: a rate of 2000 bp is 20 %.
const BPScale = 10000

// QtyScale is the quantity denominator: 1500 is 1.5 units (days, hours...).
const QtyScale = 1000

// MulDiv returns a × b ÷ den rounded half away from zero. The product is
// computed on 128 bits, so it never overflows on the way; it panics when den
// is zero or when the result does not fit an int64 (about 92 quadrillion
// euros in cents: a bug upstream, not an amount to carry on with).
func MulDiv(a, b, den int64) int64 {
	if den == 0 {
		panic("money: division by zero")
	}
	neg := (a < 0) != (b < 0) != (den < 0)
	ua, ub, ud := abs(a), abs(b), abs(den)
	hi, lo := bits.Mul64(ua, ub)
	if hi >= ud {
		panic(fmt.Sprintf("money: %d × %d / %d overflows int64", a, b, den))
	}
	q, r := bits.Div64(hi, lo, ud)
	// r >= ud-r is 2r >= ud without the overflow of 2r: a half goes away from zero.
	if r >= ud-r {
		q++
	}
	if neg {
		if q > 1<<63 {
			panic(fmt.Sprintf("money: %d × %d / %d overflows int64", a, b, den))
		}
		return int64(-q) // q == 1<<63 wraps to MinInt64, which is the right answer
	}
	if q > math.MaxInt64 {
		panic(fmt.Sprintf("money: %d × %d / %d overflows int64", a, b, den))
	}
	return int64(q)
}

// RoundDiv returns num ÷ den rounded half away from zero (-2.5 → -3).
func RoundDiv(num, den int64) int64 { return MulDiv(num, 1, den) }

// OfRate returns the share of base at a rate in basis points, rounded:
// OfRate(10000, 2000) is the 20 % VAT on 100.00 €, 2000 cents.
func OfRate(base, bp int64) int64 { return MulDiv(base, bp, BPScale) }

// LineNet returns the net amount of an invoice line: quantity (thousandths) ×
// unit price, rounded, minus the line discount. A credit-note line is negative.
func LineNet(qtyMilli, unitCents, discountCents int64) int64 {
	gross := MulDiv(qtyMilli, unitCents, QtyScale)
	net := gross - discountCents
	// Subtraction overflows only when the operands have opposite signs and the
	// result's sign differs from gross.
	if (gross >= 0) != (discountCents >= 0) && (net >= 0) != (gross >= 0) {
		panic(fmt.Sprintf("money: line %d - %d overflows int64", gross, discountCents))
	}
	return net
}

// FromTTC returns the HT base contained in a TTC amount at a rate in basis
// points: round(gross × 10000 / (10000 + bp)). Adding OfRate(base, bp) back
// may differ from gross by a cent; use WithinTTC when gross is a ceiling.
func FromTTC(gross, bp int64) int64 { return MulDiv(gross, BPScale, BPScale+bp) }

// WithinTTC returns the largest HT base (in absolute value) whose TTC,
// base + OfRate(base, bp), does not exceed gross in absolute value. It is the
// base to invoice when a funder agreed a TTC ceiling (DOMAIN §7: the OPCO
// invoice is at most the agreed amount), where FromTTC may round one cent over.
func WithinTTC(gross, bp int64) int64 {
	if gross < 0 {
		return -WithinTTC(-gross, bp)
	}
	base := FromTTC(gross, bp)
	for base > 0 && base+OfRate(base, bp) > gross {
		base--
	}
	for base+1+OfRate(base+1, bp) <= gross {
		base++
	}
	return base
}

func abs(x int64) uint64 {
	if x < 0 {
		return uint64(-x) // -MinInt64 wraps to itself, and uint64 of it is 1<<63
	}
	return uint64(x)
}
