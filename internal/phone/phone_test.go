package phone

import (
	"errors"
	"testing"

	"github.com/courtier-crm/courtier/internal/errs"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		raw, region, want string
	}{
		// What French staff type.
		{"01 23 45 67 89", "", "+33123456789"},
		{"01.23.45.67.89", "FR", "+33123456789"},
		{"0123456789", "fr", "+33123456789"},
		{"06-12-34-56-78", "", "+33612345678"},
		{"06/12/34/56/78", "", "+33612345678"},
		{"07 81 23 45 67", "", "+33781234567"},
		{" 09\u00a072\u00a012\u00a034\u00a056 ", "", "+33972123456"},
		{"0 800 123 456", "", "+33800123456"},
		{"612345678", "", "+33612345678"}, // a spreadsheet dropped the 0
		{"Tél. : 01 23 45 67 89", "", "+33123456789"},
		{"Mobile: 06 12 34 56 78", "", "+33612345678"},
		{"01 23 45 67 89 (standard)", "", "+33123456789"},
		{"06 12 34 56 78 portable", "", "+33612345678"},
		// International forms.
		{"+33 1 23 45 67 89", "", "+33123456789"},
		{"+33 (0)1 23 45 67 89", "", "+33123456789"},
		{"+33(0)612345678", "", "+33612345678"},
		{"0033 (0)1 23 45 67 89", "", "+33123456789"},
		{"+33 01 23 45 67 89", "", "+33123456789"},
		{"0033123456789", "", "+33123456789"},
		{"33123456789", "", "+33123456789"}, // Asterisk
		{"tel:+33123456789", "", "+33123456789"},
		{"+32 2 123 45 67", "", "+3221234567"},
		{"+41 44 668 18 00", "", "+41446681800"},
		{"+44 (0)20 7946 0958", "", "+442079460958"},
		{"+49 30 1234567", "", "+49301234567"},
		{"+1 (212) 555-0123", "", "+12125550123"},
		{"+39 06 1234 5678", "", "+390612345678"},
		{"00 49 30 1234567", "", "+49301234567"},
		{"+352 26 12 34 56", "XX", "+35226123456"}, // international needs no known region
		// Overseas departments in the French plan.
		{"0262 12 34 56", "", "+262262123456"},
		{"0263 01 23 45", "", "+262263012345"},
		{"0269 61 23 45", "", "+262269612345"},
		{"0639 01 23 45", "", "+262639012345"},
		{"0692 12 34 56", "RE", "+262692123456"},
		{"0693 12 34 56", "", "+262693123456"},
		{"0590 20 12 34", "", "+590590201234"},
		{"0690 00 12 34", "GP", "+590690001234"},
		{"0691 23 45 67", "", "+590691234567"},
		{"0594 10 12 34", "", "+594594101234"},
		{"0694 20 12 34", "", "+594694201234"},
		{"0596 30 12 34", "", "+596596301234"},
		{"0696 20 12 34", "", "+596696201234"},
		{"0697 27 12 34", "", "+596697271234"},
		{"0939 91 23 45", "", "+262939912345"},
		{"0976 01 23 45", "", "+590976012345"},
		{"+262 262 12 34 56", "", "+262262123456"},
		{"+262 0262 12 34 56", "", "+262262123456"},
		{"00262262123456", "", "+262262123456"},
		{"262262123456", "", "+262262123456"},
		{"+33 2 62 12 34 56", "", "+262262123456"}, // naive 0→+33 of a Réunion number
		{"+33 6 92 12 34 56", "", "+262692123456"},
		// ARCEP's fiction block 06 39 98 stays metropolitan, unlike Mayotte's 0639.
		{"06 39 98 12 34", "", "+33639981234"},
		{"+33639981234", "", "+33639981234"},
		// Territories with their own plans.
		{"41 23 45", "PM", "+508412345"},
		{"+508 41 23 45", "", "+508412345"},
		{"28 12 34", "NC", "+687281234"},
		{"40 12 34 56", "PF", "+68940123456"},
		{"+681 72 12 34", "", "+681721234"},
		// Other regions' national forms.
		{"02 123 45 67", "BE", "+3221234567"},
		{"044 668 18 00", "CH", "+41446681800"},
		{"030 1234567", "DE", "+49301234567"},
		{"06 1234 5678", "IT", "+390612345678"},
		{"(212) 555-0123", "US", "+12125550123"},
		{"1-212-555-0123", "US", "+12125550123"},
		{"011 33 1 23 45 67 89", "US", "+33123456789"},
		{"93 90 12 34", "MC", "+37793901234"},
		// Extensions are dropped.
		{"01 23 45 67 89 poste 123", "", "+33123456789"},
		{"01 23 45 67 89 Poste: 12", "", "+33123456789"},
		{"01 23 45 67 89 x123", "", "+33123456789"},
		{"01 23 45 67 89 ext. 12", "", "+33123456789"},
		{"01 23 45 67 89 extension 4", "", "+33123456789"},
		{"0123456789#12", "", "+33123456789"},
		{"01 23 45 67 89 (p. 123)", "", "+33123456789"},
		{"+33123456789;ext=12", "", "+33123456789"},
	}
	for _, c := range cases {
		got, err := Normalize(c.raw, c.region)
		if err != nil || got != c.want {
			t.Errorf("Normalize(%q, %q): got %q, %v; want %q", c.raw, c.region, got, err, c.want)
		}
	}
}

func TestNormalizeInvalid(t *testing.T) {
	cases := []struct {
		raw, region string
		short       bool
	}{
		{"", "", false},
		{"   ", "", false},
		{"n/a", "", false},
		{"01 23 45 67", "", false},         // 8 digits
		{"01 23 45 67 89 0", "", false},    // 11 digits
		{"0033 0 12 34 56 7", "", false},   // short after +33
		{"+33 1 23 45 67 8", "", false},    // 8 digits after +33
		{"+33 1 23 45 67 89 0", "", false}, // 10 digits after +33
		{"+262 12 34 56", "", false},
		{"+1 212 555 012", "", false},
		{"+508 41 23 4", "", false},
		{"+0 1 23", "", false},
		{"+123", "", false},
		{"+12 3456 7890 1234 56", "", false}, // 16 digits
		{"+44 20 7946 0958 12345678901", "", false},
		{"01 23 45 67 89 ou 06 12 34 56 78", "", false},
		{"01 23 45 67 89 x12a", "", false},
		{"01 23 * 45 67 89", "", false},
		{"1-800-FLOWERS", "", false},
		{"0612345678portable", "", false},
		{"++33123456789", "", false},
		{"33+123456789", "", false},
		{"012 345 678", "XX", false}, // national form in an unknown region
		{"201", "", true},
		{"poste 201", "", true},
		{"3949", "", true},
		{"15", "", true},
		{"12345", "", true},
		{"1234", "DE", true},
	}
	for _, c := range cases {
		got, err := Normalize(c.raw, c.region)
		if err == nil {
			t.Errorf("Normalize(%q, %q): got %q, want an error", c.raw, c.region, got)
			continue
		}
		if !errors.Is(err, ErrInvalid) || !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Normalize(%q, %q): error %v does not unwrap to ErrInvalid and errs.ErrInvalid", c.raw, c.region, err)
		}
		if errors.Is(err, ErrShortNumber) != c.short {
			t.Errorf("Normalize(%q, %q): errors.Is(%v, ErrShortNumber) = %v, want %v", c.raw, c.region, err, !c.short, c.short)
		}
	}
}

func TestNormalizeErrorText(t *testing.T) {
	_, err := Normalize("01 23", "")
	if err == nil || err.Error() != `phone: "01 23": short number, not a public one (an internal extension?)` {
		t.Errorf("got %v", err)
	}
	_, err = Normalize("01 23 45 67 8", "")
	if err == nil || err.Error() != `phone: "01 23 45 67 8": want 10 digits starting with 0 for a French number` {
		t.Errorf("got %v", err)
	}
}

// TestNormalizeIdempotent checks that an E.164 result normalises to itself,
// so re-importing stored numbers changes nothing.
func TestNormalizeIdempotent(t *testing.T) {
	for _, in := range []string{"+33123456789", "+262692123456", "+590590201234", "+508412345", "+12125550123", "+442079460958"} {
		if got, err := Normalize(in, "US"); got != in || err != nil {
			t.Errorf("Normalize(%q): got %q, %v", in, got, err)
		}
	}
}

func TestFormat(t *testing.T) {
	cases := []struct{ in, want string }{
		{"+33123456789", "+33 1 23 45 67 89"},
		{"+33612345678", "+33 6 12 34 56 78"},
		{"+262262123456", "+262 262 12 34 56"},
		{"+262692123456", "+262 692 12 34 56"},
		{"+590690001234", "+590 690 00 12 34"},
		{"+594594101234", "+594 594 10 12 34"},
		{"+596696201234", "+596 696 20 12 34"},
		{"+508412345", "+508 41 23 45"},
		{"+681721234", "+681 72 12 34"},
		{"+687281234", "+687 28 12 34"},
		{"+68940123456", "+689 40 12 34 56"},
		{"+2697731234", "+269 773 12 34"},
		{"+37793901234", "+377 93 90 12 34"},
		{"+377612345678", "+377 6 12 34 56 78"},
		{"+12125550123", "+1 212 555 0123"},
		{"+41446681800", "+41 44 668 18 00"},
		{"+32470123456", "+32 470 12 34 56"},
		{"+3221234567", "+32 2 123 45 67"},
		{"+3250123456", "+32 50 12 34 56"},
		{"+34912345678", "+34 912 34 56 78"},
		{"+442079460958", "+44 207 946 0958"},
		{"+49301234567", "+49 301 234 567"},
		{"+4930123456", "+49 30 123 456"},
		{"+35226123456", "+352 26 123 456"},
		{"+861012345678", "+86 101 234 5678"},
		// Not E.164: unchanged.
		{"", ""},
		{"0123456789", "0123456789"},
		{"+33 1 23 45 67 89", "+33 1 23 45 67 89"},
		{"+0123456789", "+0123456789"},
		{"201", "201"},
	}
	for _, c := range cases {
		if got := Format(c.in); got != c.want {
			t.Errorf("Format(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTelURI(t *testing.T) {
	cases := []struct{ in, want string }{
		{"+33123456789", "tel:+33123456789"},
		{"+262262123456", "tel:+262262123456"},
		{"0123456789", ""},
		{"+33 1 23 45 67 89", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := TelURI(c.in); got != c.want {
			t.Errorf("TelURI(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

// TestRoundTrip checks that every number Normalize returns is E.164 that
// Format groups without losing a digit.
func TestRoundTrip(t *testing.T) {
	for _, raw := range []string{"0123456789", "0262 12 34 56", "41 23 45", "+1 212 555 0123", "+49 30 1234567", "+86 10 1234 5678"} {
		region := ""
		if raw == "41 23 45" {
			region = "PM"
		}
		e, err := Normalize(raw, region)
		if err != nil {
			t.Fatalf("Normalize(%q): %v", raw, err)
		}
		if back, err := Normalize(Format(e), ""); back != e || err != nil {
			t.Errorf("Normalize(Format(%q)) = %q, %v", e, back, err)
		}
	}
}
