package facturx

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// RuleError is one violated business rule. Check returns them joined with
// errors.Join; errors.As finds the first one, Rules lists them all.
type RuleError struct {
	Rule string // e.g. BR-CO-15, BR-FR-05
	Msg  string
}

func (e *RuleError) Error() string { return e.Rule + ": " + e.Msg }

// Rules returns the rule names carried by err (as returned by Check or CheckXML).
func Rules(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if re, ok := e.(*RuleError); ok {
			out = append(out, re.Rule)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
		} else if u := errors.Unwrap(e); u != nil {
			walk(u)
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

// Categories allowed by the French CTC rules (BR-FR-15).
var frenchCategories = []string{"S", "E", "AE", "K", "G", "O", "Z"}

// frenchRatesBP is the French VAT rate list of BR-FR-16, in basis points:
// current metropolitan, Corsican and DOM rates, plus 7 and 19.6 for
// corrections of old periods.
var frenchRatesBP = []int64{0, 90, 105, 175, 210, 550, 700, 850, 920, 960, 1000, 1300, 1960, 2000}

// frenchProcesses are the BT-23 values of the French billing frameworks (BR-FR-08).
var frenchProcesses = []string{"B1", "S1", "M1", "B2", "S2", "M2", "S3", "B4", "S4", "M4", "S5", "S6", "B7", "S7"}

// frenchTypeCodes are the document types we issue (BR-FR-04 subset).
var frenchTypeCodes = []string{"380", "381", "384", "386", "389"}

var numberRE = regexp.MustCompile(`^[A-Za-z0-9+\-_/]+$`)

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// roundDiv divides a by b rounding half away from zero (b > 0).
func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

// LineNet is the net of a line as Check expects it: round(qty × price) − discount,
// half away from zero.
func LineNet(quantityMilli, unitPrice, discount int64) int64 {
	return roundDiv(quantityMilli*unitPrice, 1000) - discount
}

// VATAmount is the VAT of a base at a rate in basis points, half away from zero.
func VATAmount(base, rateBP int64) int64 { return roundDiv(base*rateBP, 10000) }

// Check runs our business-rule checks (EN 16931 totals and VAT breakdown,
// French CTC rules) and returns every violation, joined. It does not run the
// official schematron.
func Check(inv Invoice) error {
	var errs []error
	fail := func(rule, format string, a ...any) {
		errs = append(errs, &RuleError{Rule: rule, Msg: fmt.Sprintf(format, a...)})
	}

	// Header (BR-01..BR-16, BR-FR-01/02/04/08).
	if inv.Number == "" {
		fail("BR-02", "invoice number is missing")
	} else {
		if len(inv.Number) > 35 {
			fail("BR-FR-01", "invoice number %q is longer than 35 characters", inv.Number)
		}
		if !numberRE.MatchString(inv.Number) {
			fail("BR-FR-02", "invoice number %q may only use A-Z a-z 0-9 + - _ /", inv.Number)
		}
	}
	if inv.IssueDate.IsZero() {
		fail("BR-03", "issue date is missing")
	}
	if !slices.Contains(frenchTypeCodes, inv.TypeCode) {
		fail("BR-FR-04", "type code %q is not one of %v", inv.TypeCode, frenchTypeCodes)
	}
	if inv.Currency == "" {
		fail("BR-05", "currency is missing")
	} else if inv.Currency != "EUR" {
		fail("BR-FR-CO-12", "only EUR invoices are supported, got %q", inv.Currency)
	}
	if !slices.Contains(frenchProcesses, inv.BusinessProcess) {
		fail("BR-FR-08", "business process (BT-23) %q is not one of %v", inv.BusinessProcess, frenchProcesses)
	}
	if !inv.DueDate.IsZero() && inv.DueDate.Before(inv.IssueDate) {
		fail("BR-FR-CO-07", "due date %s is before issue date %s", inv.DueDate.Format("2006-01-02"), inv.IssueDate.Format("2006-01-02"))
	}
	if inv.TypeCode == "381" {
		ok := false
		for _, r := range inv.Preceding {
			ok = ok || (r.Number != "" && !r.Date.IsZero())
		}
		if !ok {
			fail("BR-FR-CO-05", "a credit note must reference the invoice it corrects, with its number and date")
		}
	}
	if inv.DuePayable > 0 && inv.DueDate.IsZero() && inv.PaymentTerms == "" {
		fail("BR-CO-25", "an amount is due: give a due date or payment terms")
	}

	// Notes: PMT, PMD, AAB exactly once each (BR-FR-05/06); BAR drives BR-FR-11..13.
	count := map[string]int{}
	bar := ""
	for _, n := range inv.Notes {
		count[n.Subject]++
		if n.Subject == "BAR" {
			bar = n.Text
		}
	}
	for _, s := range []string{"PMT", "PMD", "AAB"} {
		switch {
		case count[s] == 0:
			fail("BR-FR-05", "note %s is missing", s)
		case count[s] > 1:
			fail("BR-FR-06", "note %s appears %d times", s, count[s])
		}
	}

	// Parties (BR-06..BR-11, BR-FR-09..13, BR-62/63).
	checkParty := func(role string, p Party) {
		if p.Name == "" {
			fail(map[string]string{"seller": "BR-06", "buyer": "BR-07"}[role], "%s name is missing", role)
		}
		if p.Address.Country == "" {
			fail(map[string]string{"seller": "BR-09", "buyer": "BR-11"}[role], "%s country is missing", role)
		}
		if p.SIREN != "" && !digits(p.SIREN, 9) {
			fail("BR-FR-09", "%s SIREN %q must be 9 digits", role, p.SIREN)
		}
		if p.SIRET != "" && (!digits(p.SIRET, 14) || (p.SIREN != "" && !strings.HasPrefix(p.SIRET, p.SIREN))) {
			fail("BR-FR-10", "%s SIRET %q must be 14 digits starting with the SIREN", role, p.SIRET)
		}
		if p.ElectronicAddress != "" && p.ElectronicScheme == "" {
			fail(map[string]string{"seller": "BR-62", "buyer": "BR-63"}[role], "%s electronic address has no scheme", role)
		}
	}
	checkParty("seller", inv.Seller)
	checkParty("buyer", inv.Buyer)
	if inv.Seller.SIREN == "" {
		fail("BR-FR-10", "seller SIREN is missing")
	}
	if bar == "B2B" {
		if inv.Buyer.SIREN == "" {
			fail("BR-FR-11", "buyer SIREN is required when the BAR note is B2B")
		}
		if inv.Seller.ElectronicAddress == "" {
			fail("BR-FR-13", "seller electronic address (BT-34) is required for a B2B e-invoice")
		}
		if inv.Buyer.ElectronicAddress == "" {
			fail("BR-FR-12", "buyer electronic address (BT-49) is required for a B2B e-invoice")
		}
	}
	if inv.Payee != nil && inv.Payee.Name == "" {
		fail("BR-17", "payee name is missing")
	}

	// Lines (BR-16, BR-21..26, our line-net rule) and the sums per category and rate.
	if len(inv.Lines) == 0 {
		fail("BR-16", "an invoice needs at least one line")
	}
	type key struct {
		cat  string
		rate int64
	}
	bases := map[key]int64{}
	cats := map[string]bool{}
	var lineSum int64
	for i, l := range inv.Lines {
		where := fmt.Sprintf("line %d (%s)", i+1, l.ID)
		if l.ID == "" {
			fail("BR-21", "line %d has no id", i+1)
		}
		if l.Name == "" {
			fail("BR-25", "%s has no item name", where)
		}
		if l.UnitCode == "" {
			fail("BR-23", "%s has no unit code", where)
		}
		if want := LineNet(l.QuantityMilli, l.UnitPrice, l.Discount); l.Net != want {
			fail("LINE-NET", "%s net %s, want round(qty × price) − discount = %s", where, amount(l.Net), amount(want))
		}
		checkCategory(fail, where, l.Category, l.RateBP)
		bases[key{l.Category, l.RateBP}] += l.Net
		cats[l.Category] = true
		lineSum += l.Net
	}

	// VAT breakdown: one row per category and rate, base = Σ line nets, VAT per rate.
	var vatSum int64
	seen := map[key]bool{}
	for _, t := range inv.Taxes {
		k := key{t.Category, t.RateBP}
		where := fmt.Sprintf("VAT breakdown %s %s%%", t.Category, fixed(t.RateBP, 2))
		if seen[k] {
			fail("BR-CO-18", "%s appears twice", where)
		}
		seen[k] = true
		checkCategory(fail, where, t.Category, t.RateBP)
		if b, ok := bases[k]; !ok {
			fail("BR-"+catRule(t.Category)+"-08", "%s has no line of that category and rate", where)
		} else if t.Base != b {
			fail("BR-"+catRule(t.Category)+"-08", "%s base %s, want Σ line nets %s", where, amount(t.Base), amount(b))
		}
		if want := VATAmount(t.Base, t.RateBP); t.VAT != want {
			fail("BR-"+catRule(t.Category)+"-09", "%s VAT %s, want round(base × rate) = %s", where, amount(t.VAT), amount(want))
		}
		if t.Category != "S" && t.Category != "Z" && t.ExemptionReason == "" && t.ExemptionCode == "" {
			fail("BR-"+catRule(t.Category)+"-10", "%s needs an exemption reason text or code", where)
		}
		if t.Category == "S" && (t.ExemptionReason != "" || t.ExemptionCode != "") {
			fail("BR-S-10", "%s must not carry an exemption reason", where)
		}
		vatSum += t.VAT
	}
	for k := range bases {
		if !seen[k] {
			fail("BR-"+catRule(k.cat)+"-08", "lines of category %s at %s%% have no VAT breakdown row", k.cat, fixed(k.rate, 2))
		}
	}
	if len(inv.Taxes) == 0 {
		fail("BR-CO-18", "the VAT breakdown is empty")
	}

	// Category-specific identifiers.
	sellerVAT, buyerVAT := inv.Seller.VATNumber != "", inv.Buyer.VATNumber != ""
	if cats["S"] && !sellerVAT {
		fail("BR-S-02", "standard-rated lines need the seller VAT number")
	}
	if cats["E"] && !sellerVAT {
		fail("BR-E-02", "exempt lines need the seller VAT number")
	}
	if cats["AE"] && (!sellerVAT || !buyerVAT) {
		fail("BR-AE-02", "reverse charge needs the seller and the buyer VAT numbers")
	}
	if cats["G"] && !sellerVAT {
		fail("BR-G-02", "export lines need the seller VAT number")
	}
	if cats["O"] {
		if sellerVAT || buyerVAT {
			fail("BR-O-02", "an invoice with out-of-scope lines must carry neither seller nor buyer VAT number")
		}
		if len(cats) > 1 {
			fail("BR-O-11", "an invoice with out-of-scope lines must not have other categories")
		}
	}

	// Totals (BR-CO-10..16). No document-level allowances or charges exist
	// in this model, so BR-CO-13 reduces to TaxBasis = LineTotal.
	if inv.LineTotal != lineSum {
		fail("BR-CO-10", "line total %s, want Σ line nets %s", amount(inv.LineTotal), amount(lineSum))
	}
	if inv.TaxBasis != inv.LineTotal {
		fail("BR-CO-13", "tax basis %s, want line total − allowances + charges = %s", amount(inv.TaxBasis), amount(inv.LineTotal))
	}
	if inv.TaxTotal != vatSum {
		fail("BR-CO-14", "VAT total %s, want Σ VAT per rate %s", amount(inv.TaxTotal), amount(vatSum))
	}
	if inv.GrandTotal != inv.TaxBasis+inv.TaxTotal {
		fail("BR-CO-15", "grand total %s, want tax basis + VAT = %s", amount(inv.GrandTotal), amount(inv.TaxBasis+inv.TaxTotal))
	}
	if inv.DuePayable != inv.GrandTotal-inv.Prepaid {
		fail("BR-CO-16", "amount due %s, want grand total − prepaid = %s", amount(inv.DuePayable), amount(inv.GrandTotal-inv.Prepaid))
	}
	return errors.Join(errs...)
}

// checkCategory applies BR-FR-15/16 and the zero-rate rules of the
// exempt-like categories (BR-E-05, BR-AE-05, BR-G-05, BR-O-05, BR-Z-05).
func checkCategory(fail func(rule, format string, a ...any), where, cat string, rateBP int64) {
	if !slices.Contains(frenchCategories, cat) {
		fail("BR-FR-15", "%s: VAT category %q is not one of %v", where, cat, frenchCategories)
		return
	}
	if !slices.Contains(frenchRatesBP, rateBP) {
		fail("BR-FR-16", "%s: VAT rate %s%% is not in the French list", where, fixed(rateBP, 2))
	}
	if cat == "S" && rateBP == 0 {
		fail("BR-S-05", "%s: standard-rated VAT needs a rate above zero", where)
	}
	if cat != "S" && rateBP != 0 {
		fail("BR-"+catRule(cat)+"-05", "%s: category %s has a zero rate", where, cat)
	}
}

// catRule is the rule-family name of a category (K is IC in EN 16931).
func catRule(cat string) string {
	if cat == "K" {
		return "IC"
	}
	return cat
}
