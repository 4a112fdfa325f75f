package tax

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var allMentionKeys = []string{
	MentionExempt261, MentionFranchise, MentionReverseCharge, MentionNonEU, MentionDOMUntaxed,
	MentionVATOnDebits, MentionNature, MentionLatePenalties, MentionLateInterestPublic, MentionLateConsumer,
	MentionRecoveryIndemnity, MentionIndemnityPublic, MentionNoIndemnity, MentionNoEarlyDiscount,
	MentionSubrogation, MentionOPCOShare, MentionDisbursement, MentionCreditNote,
}

func TestCatalogueComplete(t *testing.T) {
	on := day(2026, 9, 1)
	keys := map[string]bool{}
	for _, k := range allMentionKeys {
		keys[k] = true
		for _, lang := range []string{"fr", "en"} {
			txt, err := Text(k, lang, on)
			if err != nil || strings.TrimSpace(txt) == "" {
				t.Errorf("%s/%s: %q, %v", k, lang, txt, err)
			}
			if got, want := strings.Count(txt, "%s"), len(Placeholders(k)); got != want {
				t.Errorf("%s/%s: %d placeholders, Placeholders documents %d", k, lang, got, want)
			}
			if strings.Count(txt, "%") != strings.Count(txt, "%s") {
				t.Errorf("%s/%s: stray %% in %q", k, lang, txt)
			}
		}
	}
	seen := map[string]bool{}
	for _, m := range Catalogue() {
		if !keys[m.Key] {
			t.Errorf("catalogue key %s has no constant", m.Key)
		}
		if m.Lang != "fr" && m.Lang != "en" {
			t.Errorf("%s: language %q", m.Key, m.Lang)
		}
		id := m.Key + m.Lang + m.ValidFrom.String()
		if seen[id] {
			t.Errorf("%s/%s: two versions from %s", m.Key, m.Lang, m.ValidFrom)
		}
		seen[id] = true
	}
	for _, r := range rules {
		if r.Mention != "" && !keys[r.Mention] {
			t.Errorf("rule %s: mention %s not in the catalogue", r.ID, r.Mention)
		}
	}
}

// The wording DOMAIN.md requires, word for word.
func TestLegalWording(t *testing.T) {
	on := day(2026, 9, 1)
	tests := []struct{ key, contains string }{
		{MentionExempt261, "Exonération de TVA – art. 261, 4, 4° a du CGI"},
		{MentionFranchise, "TVA non applicable, art. 293 B du CGI"},
		{MentionReverseCharge, "Autoliquidation"},
		{MentionReverseCharge, "art. 283-2 du CGI – art. 196 de la directive 2006/112/CE"},
		{MentionNonEU, "TVA non applicable – art. 259-1 du CGI"},
		{MentionDOMUntaxed, "TVA non applicable – art. 294 du CGI"},
		{MentionVATOnDebits, "Option pour le paiement de la taxe d'après les débits"},
		{MentionNature, "Prestations de services"},
		{MentionLatePenalties, "majoré de 10 points"},
		{MentionLatePenalties, "sans qu'un rappel soit nécessaire"},
		{MentionLateInterestPublic, "majoré de 8 points"},
		{MentionRecoveryIndemnity, "40 €"},
		{MentionNoEarlyDiscount, "Pas d'escompte pour paiement anticipé"},
		{MentionSubrogation, "Subrogation de paiement"},
		{MentionOPCOShare, "facturé directement à l'OPCO"},
		{MentionDisbursement, "art. 267, II-2° du CGI"},
	}
	for _, tt := range tests {
		txt, _ := Text(tt.key, "fr", on)
		if !strings.Contains(txt, tt.contains) {
			t.Errorf("%s: %q does not contain %q", tt.key, txt, tt.contains)
		}
	}
	en, _ := Text(MentionReverseCharge, "en", on)
	if !strings.Contains(en, "Autoliquidation") || !strings.Contains(en, "Reverse charge") {
		t.Errorf("English reverse charge %q must keep the French word", en)
	}
}

func TestTextVersions(t *testing.T) {
	cat := []Mention{
		{"k", "fr", day(2020, 1, 1), "v1"},
		{"k", "fr", day(2027, 9, 1), "v2"},
		{"k", "en", day(2020, 1, 1), "e1"},
	}
	tests := []struct {
		lang string
		on   time.Time
		want string
		err  bool
	}{
		{"fr", day(2019, 12, 31), "", true},
		{"fr", day(2020, 1, 1), "v1", false},
		{"fr", day(2027, 8, 31), "v1", false},
		{"fr", day(2027, 9, 1), "v2", false},
		{"fr", day(2030, 1, 1), "v2", false},
		{"en", day(2030, 1, 1), "e1", false},
		{"de", day(2030, 1, 1), "", true},
	}
	for _, tt := range tests {
		got, err := textIn(cat, "k", tt.lang, tt.on)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("textIn(k, %s, %s) = %q, %v; want %q", tt.lang, tt.on.Format(time.DateOnly), got, err, tt.want)
		}
	}
	if _, err := Text("no.such.key", "fr", day(2026, 1, 1)); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestPaymentNotes(t *testing.T) {
	on := day(2026, 9, 1)
	tests := []struct {
		r             Regime
		pmt, pmd, aab string
	}{
		{FRB2B, "D441-5", "majoré de 10 points", "Pas d'escompte"},
		{DOMTaxed, "D441-5", "majoré de 10 points", "Pas d'escompte"},
		{EUB2B, "D441-5", "majoré de 10 points", "Pas d'escompte"},
		{NonEUB2B, "D441-5", "majoré de 10 points", "Pas d'escompte"},
		{FRPublic, "D2192-35", "intérêts moratoires", "Pas d'escompte"},
		{FRB2C, "non professionnel", "taux légal", "Pas d'escompte"},
		{EUB2C, "non professionnel", "taux légal", "Pas d'escompte"},
	}
	for _, tt := range tests {
		pmt, pmd, aab := PaymentNotes(tt.r, "fr", on)
		if !strings.Contains(pmt, tt.pmt) || !strings.Contains(pmd, tt.pmd) || !strings.Contains(aab, tt.aab) {
			t.Errorf("%s: PMT %q, PMD %q, AAB %q", tt.r, pmt, pmd, aab)
		}
	}
	pmt, pmd, aab := PaymentNotes(FRB2B, "en", on)
	if !strings.Contains(pmt, "€40") || !strings.Contains(pmd, "10 percentage points") || !strings.Contains(aab, "early payment") {
		t.Errorf("English notes: %q %q %q", pmt, pmd, aab)
	}
}

func TestFooterKeys(t *testing.T) {
	lines := []Decision{
		{RateBP: 2000, Category: "S"},
		{Category: "E", MentionKey: MentionExempt261},
		{OutOfBase: true, MentionKey: MentionDisbursement},
		{Category: "E", MentionKey: MentionExempt261},
	}
	got := strings.Join(FooterKeys(Seller{VATOnDebits: true}, lines), ",")
	want := strings.Join([]string{MentionNature, MentionVATOnDebits, MentionExempt261}, ",")
	if got != want {
		t.Errorf("FooterKeys = %s, want %s", got, want)
	}
	// No VAT charged: no debits option printed.
	got = strings.Join(FooterKeys(Seller{VATOnDebits: true}, lines[1:2]), ",")
	if want := MentionNature + "," + MentionExempt261; got != want {
		t.Errorf("FooterKeys = %s, want %s", got, want)
	}
}

func TestTextDateInParis(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	cat := []Mention{{"k", "fr", day(2027, 1, 1), "new"}, {"k", "fr", day(2020, 1, 1), "old"}}
	// 1 January 2027 at 00:30 in Paris is still 2026 in UTC: the text of the day is the new one.
	if got, _ := textIn(cat, "k", "fr", time.Date(2027, 1, 1, 0, 30, 0, 0, paris)); got != "new" {
		t.Errorf("got %q, want new", got)
	}
}
