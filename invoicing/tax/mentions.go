package tax

import (
	"fmt"
	"sort"
	"time"
)

// Mention keys of the catalogue. Texts are versioned by ValidFrom; an issued
// document copies the text it printed, so later versions never change it.
const (
	MentionExempt261          = "vat.exempt_261_4_4a"       // exempt training
	MentionFranchise          = "vat.franchise_293b"        // franchise en base
	MentionReverseCharge      = "vat.reverse_charge"        // EU B2B, « Autoliquidation »
	MentionNonEU              = "vat.non_eu_259_1"          // non-EU B2B
	MentionDOMUntaxed         = "vat.dom_untaxed_294"       // Guyane, Mayotte
	MentionVATOnDebits        = "vat.option_debits"         // option for VAT on debits
	MentionNature             = "invoice.nature_services"   // nature of operations (2026/27 mention)
	MentionLatePenalties      = "payment.late_penalties"    // B2B, L441-10 II (note PMD)
	MentionLateInterestPublic = "payment.late_public"       // public buyers, intérêts moratoires (note PMD)
	MentionLateConsumer       = "payment.late_consumer"     // individuals (note PMD)
	MentionRecoveryIndemnity  = "payment.indemnity_40"      // B2B €40 (note PMT)
	MentionIndemnityPublic    = "payment.indemnity_public"  // public buyers €40 (note PMT)
	MentionNoIndemnity        = "payment.indemnity_none"    // individuals: none (note PMT)
	MentionNoEarlyDiscount    = "payment.no_early_discount" // note AAB
	MentionSubrogation        = "opco.subrogation"          // on the OPCO invoice
	MentionOPCOShare          = "opco.share"                // on the client invoice; args: OPCO name, file number
	MentionDisbursement       = "line.disbursement"         // disbursement line note
	MentionCreditNote         = "credit_note.corrects"      // args: invoice number, invoice date
)

// Mention is one version of a text in one language.
type Mention struct {
	Key, Lang string
	ValidFrom time.Time
	Text      string
}

// Placeholders returns, for a key whose text is a fmt format, what each %s
// receives, in order (nil for plain texts). Fill them with fmt.Sprintf.
func Placeholders(key string) []string { return append([]string(nil), placeholders[key]...) }

var placeholders = map[string][]string{
	MentionOPCOShare:  {"OPCO name", "OPCO file number"},
	MentionCreditNote: {"number of the corrected invoice", "date of the corrected invoice"},
}

// since2020 starts the catalogue; every text in it was in force on that day
// (L441-10 code de commerce dates from the ordonnance of 24 April 2019).
var since2020 = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// catalogue: French wording from DOMAIN.md §3.2, §4 and §7; English texts
// keep the French legal references (and « Autoliquidation ») so a foreign
// client's invoice still shows what French law requires.
var catalogue = []Mention{
	{MentionExempt261, "fr", since2020, "Exonération de TVA – art. 261, 4, 4° a du CGI"},
	{MentionExempt261, "en", since2020, "VAT exempt – article 261, 4, 4° a of the French tax code (CGI)"},
	{MentionFranchise, "fr", since2020, "TVA non applicable, art. 293 B du CGI"},
	{MentionFranchise, "en", since2020, "VAT not applicable, article 293 B of the French tax code (CGI)"},
	{MentionReverseCharge, "fr", since2020, "Autoliquidation – art. 283-2 du CGI – art. 196 de la directive 2006/112/CE"},
	{MentionReverseCharge, "en", since2020, "Reverse charge (Autoliquidation) – article 196 of Council Directive 2006/112/EC – art. 283-2 CGI"},
	{MentionNonEU, "fr", since2020, "TVA non applicable – art. 259-1 du CGI"},
	{MentionNonEU, "en", since2020, "VAT not applicable – article 259-1 of the French tax code (CGI)"},
	{MentionDOMUntaxed, "fr", since2020, "TVA non applicable – art. 294 du CGI"},
	{MentionDOMUntaxed, "en", since2020, "VAT not applicable – article 294 of the French tax code (CGI)"},
	{MentionVATOnDebits, "fr", since2020, "Option pour le paiement de la taxe d'après les débits"},
	{MentionVATOnDebits, "en", since2020, "VAT paid on an accruals basis (option pour le paiement de la taxe d'après les débits)"},
	{MentionNature, "fr", since2020, "Prestations de services"},
	{MentionNature, "en", since2020, "Supply of services"},
	{MentionLatePenalties, "fr", since2020, "En cas de retard de paiement, pénalités au taux d'intérêt appliqué par la Banque centrale européenne à son opération de refinancement la plus récente majoré de 10 points de pourcentage, exigibles sans qu'un rappel soit nécessaire (art. L441-10 du code de commerce)."},
	{MentionLatePenalties, "en", since2020, "Late payment: penalties at the interest rate of the European Central Bank's most recent refinancing operation plus 10 percentage points, due without a reminder being necessary (art. L441-10 French commercial code)."},
	{MentionLateInterestPublic, "fr", since2020, "En cas de retard de paiement, intérêts moratoires au taux d'intérêt appliqué par la Banque centrale européenne à ses opérations principales de refinancement les plus récentes, en vigueur au premier jour du semestre au cours duquel ils ont commencé à courir, majoré de 8 points de pourcentage (art. L2192-13 et R2192-31 du code de la commande publique)."},
	{MentionLateInterestPublic, "en", since2020, "Late payment: default interest at the rate of the European Central Bank's most recent main refinancing operations in force on the first day of the half-year in which it began to run, plus 8 percentage points (art. L2192-13 and R2192-31 French public procurement code)."},
	{MentionLateConsumer, "fr", since2020, "En cas de retard de paiement, intérêts au taux légal (art. 1231-6 du code civil)."},
	{MentionLateConsumer, "en", since2020, "Late payment: interest at the French statutory rate (art. 1231-6 French civil code)."},
	{MentionRecoveryIndemnity, "fr", since2020, "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. L441-10 et D441-5 du code de commerce)."},
	{MentionRecoveryIndemnity, "en", since2020, "Fixed compensation for recovery costs in case of late payment: €40 (art. L441-10 and D441-5 French commercial code)."},
	{MentionIndemnityPublic, "fr", since2020, "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. L2192-13 et D2192-35 du code de la commande publique)."},
	{MentionIndemnityPublic, "en", since2020, "Fixed compensation for recovery costs in case of late payment: €40 (art. L2192-13 and D2192-35 French public procurement code)."},
	{MentionNoIndemnity, "fr", since2020, "Pas d'indemnité forfaitaire pour frais de recouvrement (client non professionnel)."},
	{MentionNoIndemnity, "en", since2020, "No fixed compensation for recovery costs (consumer client)."},
	{MentionNoEarlyDiscount, "fr", since2020, "Pas d'escompte pour paiement anticipé."},
	{MentionNoEarlyDiscount, "en", since2020, "No discount for early payment."},
	{MentionSubrogation, "fr", since2020, "Subrogation de paiement"},
	{MentionSubrogation, "en", since2020, "Payment by subrogation (subrogation de paiement)"},
	{MentionOPCOShare, "fr", since2020, "Pris en charge par %s – dossier n° %s – facturé directement à l'OPCO"},
	{MentionOPCOShare, "en", since2020, "Funded by %s – file no. %s – invoiced directly to the OPCO"},
	{MentionDisbursement, "fr", since2020, "Débours engagés au nom et pour le compte du client, hors base de TVA (art. 267, II-2° du CGI)"},
	{MentionDisbursement, "en", since2020, "Disbursement paid in the client's name and on its behalf, outside the VAT base (art. 267, II-2° CGI)"},
	{MentionCreditNote, "fr", since2020, "Avoir rectifiant la facture n° %s du %s"},
	{MentionCreditNote, "en", since2020, "Credit note correcting invoice no. %s of %s"},
}

// Catalogue returns a copy of every version of every text, sorted by key,
// language and date.
func Catalogue() []Mention {
	out := append([]Mention(nil), catalogue...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		if a.Lang != b.Lang {
			return a.Lang < b.Lang
		}
		return a.ValidFrom.Before(b.ValidFrom)
	})
	return out
}

// Text returns the version of a mention in force on a date, in "fr" or "en".
func Text(key, lang string, on time.Time) (string, error) {
	return textIn(catalogue, key, lang, on)
}

func textIn(cat []Mention, key, lang string, on time.Time) (string, error) {
	var best *Mention
	known := false
	for i := range cat {
		m := &cat[i]
		if m.Key != key {
			continue
		}
		known = true
		// Calendar days, so an invoice dated in Paris gets the text of its day.
		if m.Lang != lang || civil(m.ValidFrom) > civil(on) {
			continue
		}
		if best == nil || civil(m.ValidFrom) > civil(best.ValidFrom) {
			best = m
		}
	}
	switch {
	case !known:
		return "", fmt.Errorf("%w: unknown mention %q", ErrInvalidInput, key)
	case best == nil:
		return "", fmt.Errorf("%w: no %q text of mention %q in force on %s", ErrInvalidInput, lang, key, on.Format(time.DateOnly))
	}
	return best.Text, nil
}

// PaymentKeys returns the mention keys of the three payment notes the French
// CTC rules require once each (BR-FR-05): PMT (recovery indemnity), PMD
// (late-payment penalties) and AAB (early-payment discount). Public buyers
// have their own regime (code de la commande publique); individuals owe
// neither the B2B penalties nor the €40 indemnity (L441-10 is B2B only).
func PaymentKeys(r Regime) (pmt, pmd, aab string) {
	switch {
	case r == FRPublic:
		return MentionIndemnityPublic, MentionLateInterestPublic, MentionNoEarlyDiscount
	case r.B2B():
		return MentionRecoveryIndemnity, MentionLatePenalties, MentionNoEarlyDiscount
	}
	return MentionNoIndemnity, MentionLateConsumer, MentionNoEarlyDiscount
}

// PaymentNotes returns the texts of the PMT, PMD and AAB notes for a regime.
// The catalogue has every key in both languages from 2020 on; for a date
// before that or an unknown language the texts are empty (see PaymentKeys
// and Text to get the error).
func PaymentNotes(regime Regime, lang string, on time.Time) (pmt, pmd, aab string) {
	kt, kd, ka := PaymentKeys(regime)
	pmt, _ = Text(kt, lang, on)
	pmd, _ = Text(kd, lang, on)
	aab, _ = Text(ka, lang, on)
	return pmt, pmd, aab
}

// FooterKeys returns the mention keys an invoice prints once each in its
// footer, in print order: the nature of operations, the debits option when
// VAT is charged and opted for, then the line mentions in first-seen order.
// Payment notes (PaymentKeys) and document-specific texts (OPCO, credit
// note) are added by the caller.
func FooterKeys(s Seller, lines []Decision) []string {
	keys := []string{MentionNature}
	seen := map[string]bool{MentionNature: true}
	if s.VATOnDebits {
		for _, d := range lines {
			if d.RateBP > 0 {
				keys = append(keys, MentionVATOnDebits)
				seen[MentionVATOnDebits] = true
				break
			}
		}
	}
	for _, d := range lines {
		if d.MentionKey != "" && d.MentionKey != MentionDisbursement && !seen[d.MentionKey] {
			keys = append(keys, d.MentionKey)
			seen[d.MentionKey] = true
		}
	}
	return keys
}
