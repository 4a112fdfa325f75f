package tax

import (
	"reflect"
	"testing"
)

func TestCompute(t *testing.T) {
	s20 := Amount{Category: "S", RateBP: 2000}
	e261 := Amount{Category: "E", VATEX: "VATEX-FR-CGI261-4", MentionKey: MentionExempt261}
	s85 := Amount{Category: "S", RateBP: 850}
	line := func(a Amount, net int64) Amount { a.Net = net; return a }
	tests := []struct {
		name  string
		lines []Amount
		want  Totals
	}{
		{"empty", nil, Totals{}},
		{
			// Per line 3 × round(0.2 × 0.03)... per group: 3 lines of 0.03 € → base 9 cents, VAT round(1.8) = 2;
			// per line it would be 3 × round(0.6) = 3.
			"VAT rounded per rate, not per line",
			[]Amount{line(s20, 3), line(s20, 3), line(s20, 3)},
			Totals{Net: 9, VAT: 2, Gross: 11, Subtotals: []Subtotal{{Category: "S", RateBP: 2000, Base: 9, VAT: 2}}},
		},
		{
			"mixed invoice: exempt training, taxable room, disbursement",
			[]Amount{line(e261, 180000), line(s20, 25050), {OutOfBase: true, MentionKey: MentionDisbursement, Net: 4200}, line(e261, 1500)},
			Totals{Net: 206550, VAT: 5010, OutOfBase: 4200, Gross: 215760, Subtotals: []Subtotal{
				{Category: "S", RateBP: 2000, Base: 25050, VAT: 5010},
				{Category: "E", VATEX: "VATEX-FR-CGI261-4", MentionKey: MentionExempt261, Base: 181500},
			}},
		},
		{
			"order: rate descending, then category, then VATEX",
			[]Amount{line(Amount{Category: "E", VATEX: "X"}, 1), line(s85, 100), line(Amount{Category: "AE", VATEX: "VATEX-EU-AE"}, 1), line(s20, 100), line(Amount{Category: "E"}, 1)},
			Totals{Net: 203, VAT: 29, Gross: 232, Subtotals: []Subtotal{
				{Category: "S", RateBP: 2000, Base: 100, VAT: 20},
				{Category: "S", RateBP: 850, Base: 100, VAT: 9}, // 8.5 → 9, half away from zero
				{Category: "AE", VATEX: "VATEX-EU-AE", Base: 1},
				{Category: "E", Base: 1},
				{Category: "E", VATEX: "X", Base: 1},
			}},
		},
		{
			"credit note: negative amounts round away from zero",
			[]Amount{line(s85, -100), line(s20, -3), line(s20, -3), line(s20, -3), {OutOfBase: true, Net: -4200}},
			Totals{Net: -109, VAT: -11, OutOfBase: -4200, Gross: -4320, Subtotals: []Subtotal{
				{Category: "S", RateBP: 2000, Base: -9, VAT: -2},
				{Category: "S", RateBP: 850, Base: -100, VAT: -9},
			}},
		},
		{
			"discount line inside a group",
			[]Amount{line(s20, 100000), line(s20, -10000)},
			Totals{Net: 90000, VAT: 18000, Gross: 108000, Subtotals: []Subtotal{{Category: "S", RateBP: 2000, Base: 90000, VAT: 18000}}},
		},
	}
	for _, tt := range tests {
		got := Compute(tt.lines)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestAmountOf(t *testing.T) {
	d, err := Decide(Input{Seller: exempt, Regime: FRB2B, Kind: TrainingFPC, SupplyDate: supply})
	if err != nil {
		t.Fatal(err)
	}
	got := AmountOf(d, 1234)
	want := Amount{Category: "E", VATEX: "VATEX-FR-CGI261-4", MentionKey: MentionExempt261, Net: 1234}
	if got != want {
		t.Errorf("AmountOf = %+v, want %+v", got, want)
	}
}
