package invoicing

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/invoicing/facturx"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// unitNames are the printed units; unitCodes their UN/ECE rec. 20 codes.
var (
	unitNames = map[string][4]string{"unit": {"unité", "unit", "unités", "units"}, "day": {"jour", "day", "jours", "days"},
		"half_day": {"demi-journée", "half-day", "demi-journées", "half-days"}, "hour": {"heure", "hour", "heures", "hours"},
		"trainee": {"stagiaire", "trainee", "stagiaires", "trainees"}, "session": {"session", "session", "sessions", "sessions"},
		"package": {"forfait", "package", "forfaits", "packages"}}
	unitCodes = map[string]string{"unit": "C62", "day": "DAY", "half_day": "C62", "hour": "HUR", "trainee": "C62",
		"session": "C62", "package": "C62"}
)

// unitName is the printed unit, plural from 2 (French: from 2 as well, as
// « 1,5 jour » stays singular).
func unitName(unit, lang string, qtyMilli int64) string {
	i := 0
	if lang == "en" {
		i = 1
	}
	if qtyMilli >= 2000 {
		i += 2
	}
	return unitNames[unit][i]
}

// document is the PDF's content, every amount signed as it prints.
func (s *Service) document(p prepared, number string, sign int64) pdf.Invoice {
	inv, f := p.inv, &p.frozen
	frame := p.frame
	frame.Lang, frame.Reference, frame.Date, frame.Title = inv.Lang, number, p.date, ""
	doc := f.Doc // the mentions and notes chosen by prepare
	doc.Frame = frame
	doc.DocType = pdf.InvoiceStandard
	switch {
	case inv.Kind == KindCreditNote:
		doc.DocType = pdf.InvoiceCreditNote
	case inv.Purpose == PurposeDeposit:
		doc.DocType = pdf.InvoiceDeposit
	case inv.Purpose == PurposeFinal:
		doc.DocType = pdf.InvoiceFinal
	}
	doc.Seller = pdf.Seller{Name: p.broker.LegalName, LegalForm: p.broker.LegalForm, ShareCapital: p.seller.ShareCapital,
		Address: f.Seller.address(), SIREN: f.Seller.SIREN, SIRET: f.Seller.SIRET, RCSCity: rcsCity(p.broker.RCS),
		VATNumber: f.Seller.VATNumber, Email: p.broker.Email, Phone: p.broker.Phone, IBAN: p.seller.IBAN,
		BIC: p.seller.BIC, Bank: p.seller.BankName}
	doc.Buyer = f.Buyer.pdf()
	if f.OnBehalfOf != nil {
		b := f.OnBehalfOf.pdf()
		doc.OnBehalfOf = &b
	}
	doc.Corrects = f.Corrects
	doc.Deposits = p.deposits
	doc.PurchaseOrder = inv.PurchaseOrder
	if f.Regime == tax.FRPublic {
		doc.ServiceCode = f.Buyer.ServiceCode
		doc.EngagementNumber, doc.PurchaseOrder = inv.PurchaseOrder, ""
	}
	if p.plan != nil {
		doc.OPCOFile = p.plan.FileNumber
	}
	if inv.ServiceStart != nil {
		doc.ServiceStart = *inv.ServiceStart
	}
	if inv.ServiceEnd != nil {
		doc.ServiceEnd = *inv.ServiceEnd
	}
	doc.DueDate = p.due
	doc.Lines, doc.OutOfBase = nil, nil
	for _, l := range p.lines {
		pl := pdf.InvoiceLine{Designation: l.Label, Detail: l.Detail, Quantity: l.QuantityMilli, Unit: unitName(l.Unit, inv.Lang, l.QuantityMilli),
			UnitPrice: sign * l.UnitPrice, Discount: sign * l.Discount, Net: sign * l.Net, RateBP: l.RateBP, Category: l.Category}
		if l.OutOfBase {
			doc.OutOfBase = append(doc.OutOfBase, pl)
		} else {
			doc.Lines = append(doc.Lines, pl)
		}
	}
	doc.Taxes = nil
	for _, t := range p.totals.Subtotals {
		doc.Taxes = append(doc.Taxes, pdf.TaxRow{Category: t.Category, RateBP: t.RateBP, Base: sign * t.Base, VAT: sign * t.VAT})
	}
	doc.Net, doc.VAT, doc.OutOfBaseTotal, doc.Gross = sign*p.totals.Net, sign*p.totals.VAT, sign*p.totals.OutOfBase, sign*p.totals.Gross
	doc.Prepaid = sign * p.prepaid
	doc.Due = doc.Gross - doc.Prepaid
	doc.PaymentTerms = paymentTerms(inv, p)
	doc.FacturX = f.EInvoice
	return doc
}

// paymentTerms says how and when to pay.
func paymentTerms(inv Invoice, p prepared) string {
	if inv.Kind == KindCreditNote {
		if inv.Lang == "en" {
			return "Deducted from the amount due on the corrected invoice, or refunded by bank transfer."
		}
		return "À déduire du montant dû sur la facture corrigée, ou remboursé par virement."
	}
	days := int(p.due.Sub(p.date).Hours() / 24)
	if inv.Lang == "en" {
		if days == 0 {
			return "Payable on receipt by bank transfer."
		}
		return fmt.Sprintf("Payable by bank transfer within %d days of the invoice date.", days)
	}
	if days == 0 {
		return "Paiement à réception par virement."
	}
	return fmt.Sprintf("Paiement par virement à %d jours date de facture.", days)
}

// rcsCity is the city of the registry in "RCS Lyon 123 456 789".
func rcsCity(rcs string) string {
	var city []byte
	for _, w := range bytes.Fields([]byte(rcs)) {
		if string(w) == "RCS" {
			continue
		}
		if _, err := strconv.Atoi(string(w)); err == nil {
			break
		}
		if len(city) > 0 {
			city = append(city, ' ')
		}
		city = append(city, w...)
	}
	return string(city)
}

// render makes the PDF; for e-invoices, the Factur-X PDF/A-3 with its XML.
func (s *Service) render(p prepared, f *Frozen, number string) ([]byte, string, error) {
	var buf bytes.Buffer
	if err := pdf.Render(&buf, f.Doc, nil); err != nil {
		return nil, "", fmt.Errorf("invoicing: render %s: %w", number, err)
	}
	if !f.EInvoice {
		return buf.Bytes(), "", nil
	}
	fx := s.facturx(p, f, number)
	if err := facturx.Check(fx); err != nil {
		return nil, "", fmt.Errorf("invoicing: e-invoice %s: %w", number, err)
	}
	xml, err := facturx.XML(fx)
	if err != nil {
		return nil, "", fmt.Errorf("invoicing: e-invoice %s: %w", number, err)
	}
	out, err := facturx.Embed(buf.Bytes(), xml, facturx.Options{Title: f.Doc.Reference, Author: p.broker.LegalName,
		Subject: docTitle(p.inv, p.inv.Lang) + " " + number, Created: p.date})
	if err != nil {
		return nil, "", fmt.Errorf("invoicing: Factur-X %s: %w", number, err)
	}
	return out, sha(xml), nil
}

// facturx is the e-invoice of a prepared document. A credit note's
// amounts are positive there: its type code says what it is.
func (s *Service) facturx(p prepared, f *Frozen, number string) facturx.Invoice {
	inv := p.inv
	x := facturx.Invoice{Number: number, TypeCode: "380", IssueDate: p.date, DueDate: p.due, Currency: "EUR",
		BusinessProcess: "S1", PurchaseOrder: inv.PurchaseOrder, Seller: f.Seller.facturx(), Buyer: f.Buyer.facturx(),
		PaymentMeans: "58", IBAN: p.seller.IBAN, BIC: p.seller.BIC, PaymentTerms: f.Doc.PaymentTerms}
	x.Seller.LegalForm = p.broker.LegalForm
	switch {
	case inv.Kind == KindCreditNote:
		x.TypeCode = "381"
		if f.Corrects != nil {
			x.Preceding = []facturx.Ref{{Number: f.Corrects.Number, Date: f.Corrects.Date}}
		}
	case inv.Purpose == PurposeDeposit:
		x.TypeCode = "386"
	case inv.Purpose == PurposeFinal:
		x.BusinessProcess = "S4"
	}
	if inv.ServiceStart != nil {
		x.ServiceStart = *inv.ServiceStart
		x.ServiceEnd = *inv.ServiceStart
	}
	if inv.ServiceEnd != nil {
		x.ServiceEnd = *inv.ServiceEnd
	}
	x.Notes = []facturx.Note{{Subject: "PMT", Text: f.PMT}, {Subject: "PMD", Text: f.PMD}, {Subject: "AAB", Text: f.AAB},
		{Subject: "BAR", Text: f.BAR}}
	if len(f.Doc.Mentions) > 0 {
		for _, m := range f.Doc.Mentions {
			x.Notes = append(x.Notes, facturx.Note{Subject: "TXD", Text: m})
		}
	}
	for _, n := range f.Doc.Notes {
		x.Notes = append(x.Notes, facturx.Note{Text: n})
	}
	for i, l := range p.lines {
		x.Lines = append(x.Lines, facturx.Line{ID: strconv.Itoa(i + 1), Name: l.Label, Description: l.Detail,
			QuantityMilli: l.QuantityMilli, UnitCode: unitCodes[l.Unit], UnitPrice: l.UnitPrice, Discount: l.Discount,
			Net: l.Net, Category: l.Category, RateBP: l.RateBP})
		x.LineTotal += l.Net
	}
	for _, t := range p.totals.Subtotals {
		ts := facturx.TaxSubtotal{Category: t.Category, RateBP: t.RateBP, Base: t.Base, VAT: t.VAT, ExemptionCode: t.VATEX}
		if t.MentionKey != "" {
			ts.ExemptionReason, _ = tax.Text(t.MentionKey, inv.Lang, p.date)
		}
		x.Taxes = append(x.Taxes, ts)
	}
	x.TaxBasis, x.TaxTotal = x.LineTotal, p.totals.VAT
	x.GrandTotal = x.TaxBasis + x.TaxTotal
	x.Prepaid = p.prepaid
	x.DuePayable = x.GrandTotal - x.Prepaid
	return x
}
