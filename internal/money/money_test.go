package money

import (
	"math"
	"testing"
)

func TestRoundDiv(t *testing.T) {
	tests := []struct {
		num, den, want int64
	}{
		{0, 7, 0},
		{10, 5, 2},
		{5, 2, 3},   // 2.5 → 3
		{-5, 2, -3}, // -2.5 → -3, away from zero
		{5, -2, -3}, // sign from the denominator
		{-5, -2, 3}, // two negatives
		{7, 2, 4},   // 3.5 → 4
		{4, 3, 1},   // 1.33 → 1
		{5, 3, 2},   // 1.67 → 2
		{-4, 3, -1}, // -1.33 → -1
		{-5, 3, -2}, // -1.67 → -2
		{149, 100, 1},
		{150, 100, 2},
		{-149, 100, -1},
		{-150, 100, -2},
		{math.MaxInt64, 1, math.MaxInt64},
		{math.MinInt64, 1, math.MinInt64},
		{math.MaxInt64, 2, 1 << 62}, // (2^63-1)/2 = 2^62 - 0.5 → 2^62
		{math.MinInt64, 2, -(1 << 62)},
		{1, math.MaxInt64, 0},
		{math.MaxInt64 / 2, math.MaxInt64, 0},   // just under a half
		{math.MaxInt64/2 + 1, math.MaxInt64, 1}, // just over a half
		{-(math.MaxInt64/2 + 1), math.MaxInt64, -1}, // mirrored
	}
	for _, tt := range tests {
		if got := RoundDiv(tt.num, tt.den); got != tt.want {
			t.Errorf("RoundDiv(%d, %d) = %d, want %d", tt.num, tt.den, got, tt.want)
		}
	}
}

func TestOfRate(t *testing.T) {
	tests := []struct {
		name           string
		base, bp, want int64
	}{
		{"20 % of 100.00", 10000, 2000, 2000},
		{"20 % of 0.01", 1, 2000, 0},
		{"20 % of 0.03 rounds 0.6 up", 3, 2000, 1},
		{"8.5 % of 100.00", 10000, 850, 850},
		{"8.5 % of 1.00 is 8.5 cents, half up", 100, 850, 9},
		{"8.5 % of -1.00 credit note, half away", -100, 850, -9},
		{"20 % of 0.025 does not exist: 2.5 cents base", 25, 2000, 5},
		{"20 % of 12.34", 1234, 2000, 247}, // 246.8
		{"20 % of -12.34", -1234, 2000, -247},
		{"5.5 % of 0.10 is 0.55 cent", 10, 550, 1},
		{"5.5 % of -0.10", -10, 550, -1},
		{"0 %", 123456, 0, 0},
		{"2.1 % of 33.33", 3333, 210, 70}, // 69.993
		{"large base over 2^63/10000", 1 << 60, 2000, 1 << 60 / 5},
	}
	for _, tt := range tests {
		if got := OfRate(tt.base, tt.bp); got != tt.want {
			t.Errorf("%s: OfRate(%d, %d) = %d, want %d", tt.name, tt.base, tt.bp, got, tt.want)
		}
	}
}

func TestLineNet(t *testing.T) {
	tests := []struct {
		name                  string
		qty, unit, disc, want int64
	}{
		{"1 day at 1,200.00", 1000, 120000, 0, 120000},
		{"1.5 days at 1,200.00", 1500, 120000, 0, 180000},
		{"2.5 h at 0.01: 2.5 cents → 3", 2500, 1, 0, 3},
		{"0.333 h at 10.00 = 3.33", 333, 1000, 0, 333},
		{"0.3335 does not exist; 0.001 × 0.05 = 0.005 cent → 0", 1, 5, 0, 0},
		{"3 × 0.5 cent... 0.003 × 500 = 1.5 → 2", 3, 500, 0, 2},
		{"with a discount", 2000, 50000, 5000, 95000},
		{"credit-note line, negative quantity", -1500, 120000, 0, -180000},
		{"credit-note half cent goes away from zero", -2500, 1, 0, -3},
		{"credit note with negative discount", -2000, 50000, -5000, -95000},
		{"discount larger than the line", 1000, 100, 150, -50},
	}
	for _, tt := range tests {
		if got := LineNet(tt.qty, tt.unit, tt.disc); got != tt.want {
			t.Errorf("%s: LineNet(%d, %d, %d) = %d, want %d", tt.name, tt.qty, tt.unit, tt.disc, got, tt.want)
		}
	}
}

func TestFromTTC(t *testing.T) {
	tests := []struct {
		name            string
		gross, bp, want int64
	}{
		{"120.00 TTC at 20 %", 12000, 2000, 10000},
		{"100.00 TTC at 20 % is 83.333", 10000, 2000, 8333},
		{"1,000.00 TTC at 8.5 %", 100000, 850, 92166}, // 92165.9
		{"0 %", 4321, 0, 4321},
		{"negative", -12000, 2000, -10000},
		{"3 cents at 20 %: 2.5 → 3", 3, 2000, 3},
		{"-3 cents at 20 %: -2.5 → -3", -3, 2000, -3},
	}
	for _, tt := range tests {
		if got := FromTTC(tt.gross, tt.bp); got != tt.want {
			t.Errorf("%s: FromTTC(%d, %d) = %d, want %d", tt.name, tt.gross, tt.bp, got, tt.want)
		}
	}
}

func TestWithinTTC(t *testing.T) {
	for _, bp := range []int64{0, 210, 550, 850, 1000, 2000} {
		for gross := int64(-2000); gross <= 2000; gross++ {
			base := WithinTTC(gross, bp)
			ttc := base + OfRate(base, bp)
			if abs(ttc) > abs(gross) {
				t.Fatalf("WithinTTC(%d, %d) = %d: TTC %d exceeds the ceiling", gross, bp, base, ttc)
			}
			next := base + 1
			if gross < 0 {
				next = base - 1
			}
			if gross != 0 && abs(next+OfRate(next, bp)) <= abs(gross) {
				t.Fatalf("WithinTTC(%d, %d) = %d: %d would still fit", gross, bp, base, next)
			}
		}
	}
	// The case FromTTC gets one cent over.
	if got := WithinTTC(3, 2000); got != 2 {
		t.Errorf("WithinTTC(3, 2000) = %d, want 2", got)
	}
}

func TestOverflowPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"division by zero", func() { RoundDiv(1, 0) }},
		{"product too large", func() { OfRate(math.MaxInt64, 20000) }},
		{"negative result too large", func() { MulDiv(math.MinInt64, 2, 1) }},
		{"MinInt64 / -1", func() { RoundDiv(math.MinInt64, -1) }},
		{"line minus discount", func() { LineNet(1000, math.MaxInt64, -1) }},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
}
