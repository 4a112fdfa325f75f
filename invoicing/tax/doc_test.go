package tax

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated sections of docs/tax-rules.md")

const (
	docPath       = "../../docs/tax-rules.md"
	rulesBegin    = "<!-- BEGIN GENERATED RULES: go test ./invoicing/tax -run TestRulesDoc -update-docs -->"
	rulesEnd      = "<!-- END GENERATED RULES -->"
	mentionsBegin = "<!-- BEGIN GENERATED MENTIONS: go test ./invoicing/tax -run TestRulesDoc -update-docs -->"
	mentionsEnd   = "<!-- END GENERATED MENTIONS -->"
)

// TestRulesDoc keeps the rule table and the mention keys of
// docs/tax-rules.md in step with the code.
func TestRulesDoc(t *testing.T) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	got := string(doc)
	want, err := replaceBetween(got, rulesBegin, rulesEnd, rulesTable())
	if err == nil {
		want, err = replaceBetween(want, mentionsBegin, mentionsEnd, mentionsTable())
	}
	if err != nil {
		t.Fatalf("%s: %v", docPath, err)
	}
	if got == want {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is stale: run go test ./invoicing/tax -run TestRulesDoc -update-docs", docPath)
}

func replaceBetween(s, begin, end, body string) (string, error) {
	i := strings.Index(s, begin)
	j := strings.Index(s, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("markers %q … %q missing", begin, end)
	}
	return s[:i+len(begin)] + "\n" + body + s[j:], nil
}

func rulesTable() string {
	var b bytes.Buffer
	b.WriteString("| # | Rule id | When | Outcome | Accounts | Reporting | Legal basis |\n|---|---|---|---|---|---|---|\n")
	for i, r := range rules {
		outcome, accounts, reporting := "", "", ""
		switch {
		case r.Refuse:
			outcome = "**refused**: `ErrTaxableAbroad`"
			accounts, reporting = "—", "—"
		case r.OutOfBase:
			outcome = "outside the VAT base, no category"
			accounts = "Transit (467)"
			reporting = "none"
		default:
			outcome = fmt.Sprintf("`%s` %s", r.Category, rate(r.RateBP))
			if r.VATEX != "" {
				outcome += " `" + r.VATEX + "`"
			}
			accounts = revenueName(r.Revenue)
			if r.Revenue == revByKind && len(r.Kinds) == 1 {
				accounts = r.Revenue.account(namedAccounts, r.Kinds[0])
			}
			if r.RateBP > 0 {
				accounts += "; VAT: VATOnReceipts, VATCollected with the debits option"
			}
			reporting = reportingOf(r)
		}
		if r.Mention != "" {
			outcome += "; mention `" + r.Mention + "`"
		}
		fmt.Fprintf(&b, "| %d | `%s` | %s | %s | %s | %s | %s |\n", i+1, r.ID, r.When, outcome, accounts, reporting, r.Basis)
	}
	return b.String()
}

// rate prints basis points the French way: 850 → "8,5 %".
func rate(bp int64) string {
	whole, frac := bp/100, bp%100
	switch {
	case frac == 0:
		return fmt.Sprintf("%d %%", whole)
	case frac%10 == 0:
		return fmt.Sprintf("%d,%d %%", whole, frac/10)
	}
	return fmt.Sprintf("%d,%02d %%", whole, frac)
}

// namedAccounts has each account's field name as its number, to print rows.
var namedAccounts = Accounts{RevenueTaxable: "RevenueTaxable", RevenueOther: "RevenueOther", RevenueCommission: "RevenueCommission"}

// reportingOf states the flags the row's regimes lead to.
func reportingOf(r rule) string {
	if len(r.Regimes) == 0 {
		return "e-reporting for foreign B2B and B2C clients"
	}
	var out []string
	if r.DES {
		out = append(out, "DES")
	}
	if r.Regimes[0].foreignB2B() || !r.Regimes[0].B2B() {
		out = append(out, "e-reporting")
	} else {
		out = append(out, "e-invoice")
	}
	return strings.Join(out, " + ")
}

func revenueName(r revenue) string {
	return map[revenue]string{
		revByKind:     "by kind: training → RevenueTaxable, other → RevenueOther, commission → RevenueCommission",
		revExemptFPC:  "RevenueExemptFPC",
		revEU:         "RevenueEU",
		revNonEU:      "RevenueNonEU",
		revDOM:        "RevenueDOM",
		revDOMUntaxed: "RevenueDOMUntaxed",
		revTransit:    "Transit",
	}[r]
}

func mentionsTable() string {
	var b bytes.Buffer
	b.WriteString("| Key | Valid from | French text | Placeholders |\n|---|---|---|---|\n")
	for _, m := range Catalogue() {
		if m.Lang != "fr" {
			continue
		}
		ph := strings.Join(Placeholders(m.Key), ", ")
		if ph == "" {
			ph = "—"
		}
		fmt.Fprintf(&b, "| `%s` | %s | « %s » | %s |\n", m.Key, m.ValidFrom.Format("2006-01-02"), m.Text, ph)
	}
	return b.String()
}
