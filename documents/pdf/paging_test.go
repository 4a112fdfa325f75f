package pdf

import (
	"fmt"
	"strings"
	"testing"
)

// TestPaging: a long table repeats its header row on each page and no row
// is lost; a long agreement breaks cleanly and keeps its signatures whole.
func TestPaging(t *testing.T) {
	p := proposal(t, "fr")
	p.Lines = nil
	for i := range 60 {
		p.Lines = append(p.Lines, Line{Label: fmt.Sprintf("Séance de coaching n° %02d", i+1), Quantity: 100, UnitCents: 10001, VATRateBP: 2000})
	}
	p.Mode, p.Provider = ModeProvider, "Formations du Rhône SARL"
	texts := pages(t, mustRender(t, p))
	if len(texts) < 3 {
		t.Fatalf("60 lines on %d pages", len(texts))
	}
	all := flatten(strings.Join(texts, "\n"))
	for i, text := range texts {
		flat := flatten(text)
		if strings.Contains(flat, "Séance de coaching") && !strings.Contains(flat, "Désignation Quantité Prix unitaire") {
			t.Errorf("page %d: no table header", i+1)
		}
		if !strings.Contains(flat, fmt.Sprintf("%d/%d", i+1, len(texts))) {
			t.Errorf("page %d: no page number", i+1)
		}
	}
	for i := range 60 {
		if n := strings.Count(all, fmt.Sprintf("Séance de coaching n° %02d", i+1)); n != 1 {
			t.Errorf("line %d printed %d times", i+1, n)
		}
	}
	// 60 × 100,01 € = 6 000,60 €; VAT 1 200,12 €.
	for _, want := range []string{"Total HT 6 000,60 €", "TVA 20 % sur 6 000,60 € 1 200,12 €", "Total TTC 7 200,72 €",
		"la facture émise directement par l'organisme de formation Formations du Rhône SARL ; Cœur Formation Conseil intervient comme intermédiaire"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q", want)
		}
	}

	a := longAgreement(t)
	texts = pages(t, mustRender(t, a))
	last := flatten(texts[len(texts)-1])
	for _, want := range []string{"For the training provider", "For the client", "Date, signature and stamp"} {
		if !strings.Contains(last, want) {
			t.Errorf("last page misses %q:\n%s", want, texts[len(texts)-1])
		}
	}
	all = flatten(strings.Join(texts, "\n"))
	for _, tr := range a.Trainees {
		if !strings.Contains(all, tr.Name) {
			t.Errorf("trainee %s missing", tr.Name)
		}
	}
	if !strings.Contains(all, "Number of trainees: 45") || !strings.Contains(all, "Fri 16 Oct 2026: 09:00–12:30, 13:30–17:00") {
		t.Error("count or last day missing")
	}
}

// longAgreement has 45 trainees over ten days: three pages.
func longAgreement(t testing.TB) Agreement {
	a := agreement(t, "en")
	a.Trainees = trainees(45)
	a.Action.Slots = slots(10)
	return a
}
