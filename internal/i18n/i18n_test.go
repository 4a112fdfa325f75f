package i18n

import (
	"strings"
	"testing"
	"time"
)

func TestCataloguesMatch(t *testing.T) {
	fr, en := Keys(FR), Keys(EN)
	if strings.Join(fr, "\n") != strings.Join(en, "\n") {
		inFR := map[string]bool{}
		for _, k := range fr {
			inFR[k] = true
		}
		for _, k := range en {
			if !inFR[k] {
				t.Errorf("key %q only in en.json", k)
			}
			delete(inFR, k)
		}
		for k := range inFR {
			t.Errorf("key %q only in fr.json", k)
		}
	}
	for _, lang := range Languages {
		for _, k := range Keys(lang) {
			if strings.TrimSpace(T(lang, k)) == "" {
				t.Errorf("%s: empty text for %q", lang, k)
			}
		}
	}
}

func TestNegotiate(t *testing.T) {
	cases := map[string]string{
		"":                        FR,
		"en-GB,en;q=0.9":          EN,
		"de-DE,de;q=0.9,en;q=0.8": EN,
		"fr-FR,fr;q=0.9,en;q=0.8": FR,
		"en;q=0.5,fr;q=0.9":       FR,
		"es":                      FR,
		"EN-us":                   EN,
	}
	for header, want := range cases {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestFormatting(t *testing.T) {
	// 23:30 UTC on 31 March is already 1 April in Paris (summer time).
	at := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	if got := Date(FR, at); got != "01/04/2026" {
		t.Errorf("fr date: %q", got)
	}
	if got := DateTime(EN, at); got != "1 Apr 2026, 01:30" {
		t.Errorf("en datetime: %q", got)
	}
	cases := []struct {
		lang  string
		cents int64
		want  string
	}{
		{FR, 123456, "1\u202f234,56\u00a0€"},
		{FR, 5, "0,05\u00a0€"},
		{FR, -100000000, "-1\u202f000\u202f000,00\u00a0€"},
		{EN, 123456, "€1,234.56"},
		{EN, 99, "€0.99"},
	}
	for _, c := range cases {
		if got := Money(c.lang, c.cents); got != c.want {
			t.Errorf("Money(%s, %d) = %q, want %q", c.lang, c.cents, got, c.want)
		}
	}
	if got := T("de", "app.name"); got != T(FR, "app.name") {
		t.Errorf("unknown language does not fall back to French: %q", got)
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]int64{"1 250,50": 125050, "1250.50": 125050, "1\u202f250 €": 125000, "0,5": 50,
		",99": 99, "-20": -2000, "950 EUR": 95000} {
		if got, ok := ParseMoney(in); !ok || got == nil || *got != want {
			t.Errorf("%q: %v %v, want %d", in, got, ok, want)
		}
	}
	if got, ok := ParseMoney("  "); !ok || got != nil {
		t.Errorf("empty: %v %v", got, ok)
	}
	for _, in := range []string{"12,345", "abc", "1.2.3", "1 250,5x", "1234567890123"} {
		if _, ok := ParseMoney(in); ok {
			t.Errorf("%q accepted", in)
		}
	}
}
