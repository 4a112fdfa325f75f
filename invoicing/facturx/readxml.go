package facturx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// CheckXML reads a CII invoice back (namespaces included) into an Invoice
// and runs Check on it, so the rules are proven on the bytes that leave the
// system, not on the struct they were made from. Values that cannot be read
// (an amount with three decimals, a date not in format 102) are reported too.
func CheckXML(data []byte) error {
	inv, readErr, err := parseCII(data)
	if err != nil {
		return err
	}
	return errors.Join(readErr, Check(inv))
}

// node is a minimal element tree: enough to walk CII by local names.
type node struct {
	name  xml.Name
	attrs []xml.Attr
	text  string
	kids  []*node
}

func (n *node) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// all returns the descendants reached by path (local names, one per level).
func (n *node) all(path ...string) []*node {
	cur := []*node{n}
	for _, p := range path {
		var next []*node
		for _, c := range cur {
			for _, k := range c.kids {
				if k.name.Local == p {
					next = append(next, k)
				}
			}
		}
		cur = next
	}
	return cur
}

func (n *node) one(path ...string) *node {
	if r := n.all(path...); len(r) > 0 {
		return r[0]
	}
	return nil
}

func (n *node) str(path ...string) string {
	if r := n.one(path...); r != nil {
		return strings.TrimSpace(r.text)
	}
	return ""
}

func parseTree(data []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name, attrs: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("empty document")
	}
	return root, nil
}

// reader collects conversion errors while filling the Invoice.
type reader struct{ errs []error }

func (r *reader) fail(rule, format string, a ...any) {
	r.errs = append(r.errs, &RuleError{Rule: rule, Msg: fmt.Sprintf(format, a...)})
}

// decimal parses s into an integer scaled by 10^places, refusing more decimals.
func (r *reader) decimal(what, s string, places int, rule string) int64 {
	if s == "" {
		return 0
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > places {
		if strings.TrimRight(frac[places:], "0") != "" {
			r.fail(rule, "%s %q has more than %d decimals", what, s, places)
		}
		frac = frac[:places]
	}
	frac += strings.Repeat("0", places-len(frac))
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		r.fail(rule, "%s %q is not a decimal", what, s)
		return 0
	}
	if neg {
		v = -v
	}
	return v
}

func (r *reader) amount(what string, n *node) int64 {
	if n == nil {
		return 0
	}
	return r.decimal(what, strings.TrimSpace(n.text), 2, "BR-FR-DEC-01")
}

func (r *reader) date(what string, n *node) time.Time {
	if n == nil {
		return time.Time{}
	}
	s := n.one("DateTimeString")
	if s == nil {
		s = n.one("DateString")
	}
	if s == nil {
		r.fail("CII-DT", "%s has no date string", what)
		return time.Time{}
	}
	if f := s.attr("format"); f != "102" {
		r.fail("CII-DT", "%s date format %q, want 102", what, f)
		return time.Time{}
	}
	t, err := time.Parse("20060102", strings.TrimSpace(s.text))
	if err != nil {
		r.fail("CII-DT", "%s date %q is not YYYYMMDD", what, s.text)
	}
	return t
}

func (r *reader) party(n *node) Party {
	if n == nil {
		return Party{}
	}
	p := Party{Name: n.str("Name"), LegalForm: n.str("Description")}
	for _, g := range n.all("GlobalID") {
		if g.attr("schemeID") == "0009" {
			p.SIRET = strings.TrimSpace(g.text)
		}
	}
	if id := n.one("SpecifiedLegalOrganization", "ID"); id != nil && id.attr("schemeID") == "0002" {
		p.SIREN = strings.TrimSpace(id.text)
	}
	p.Email = n.str("DefinedTradeContact", "EmailURIUniversalCommunication", "URIID")
	if a := n.one("PostalTradeAddress"); a != nil {
		p.Address = Address{Line1: a.str("LineOne"), Line2: a.str("LineTwo"), PostCode: a.str("PostcodeCode"),
			City: a.str("CityName"), Country: a.str("CountryID")}
	}
	if u := n.one("URIUniversalCommunication", "URIID"); u != nil {
		p.ElectronicAddress = strings.TrimSpace(u.text)
		p.ElectronicScheme = u.attr("schemeID")
	}
	for _, t := range n.all("SpecifiedTaxRegistration", "ID") {
		if t.attr("schemeID") == "VA" {
			p.VATNumber = strings.TrimSpace(t.text)
		}
	}
	return p
}

func (r *reader) rate(n *node) int64 {
	return r.decimal("VAT rate", n.str("RateApplicablePercent"), 2, "BR-FR-DEC-01")
}

// parseCII maps a CII document onto Invoice (what Check looks at). readErr
// lists values that could not be read; err means the document is not CII.
func parseCII(data []byte) (inv Invoice, readErr, err error) {
	root, err := parseTree(data)
	if err != nil {
		return Invoice{}, nil, fmt.Errorf("facturx: read XML: %w", err)
	}
	if root.name.Space != nsRSM || root.name.Local != "CrossIndustryInvoice" {
		return Invoice{}, nil, fmt.Errorf("facturx: root element is {%s}%s, not rsm:CrossIndustryInvoice", root.name.Space, root.name.Local)
	}
	r := &reader{}
	if g := root.str("ExchangedDocumentContext", "GuidelineSpecifiedDocumentContextParameter", "ID"); g != GuidelineEN16931 {
		r.fail("BR-01", "guideline (BT-24) %q, want %q", g, GuidelineEN16931)
	}
	doc := root.one("ExchangedDocument")
	tr := root.one("SupplyChainTradeTransaction")
	if doc == nil || tr == nil {
		return Invoice{}, nil, errors.New("facturx: XML lacks ExchangedDocument or SupplyChainTradeTransaction")
	}
	inv = Invoice{
		Number:          doc.str("ID"),
		TypeCode:        doc.str("TypeCode"),
		IssueDate:       r.date("issue date", doc.one("IssueDateTime")),
		BusinessProcess: root.str("ExchangedDocumentContext", "BusinessProcessSpecifiedDocumentContextParameter", "ID"),
	}
	for _, n := range doc.all("IncludedNote") {
		inv.Notes = append(inv.Notes, Note{Subject: n.str("SubjectCode"), Text: n.str("Content")})
	}
	for _, l := range tr.all("IncludedSupplyChainTradeLineItem") {
		set := l.one("SpecifiedLineTradeSettlement")
		line := Line{
			ID:          l.str("AssociatedDocumentLineDocument", "LineID"),
			Name:        l.str("SpecifiedTradeProduct", "Name"),
			Description: l.str("SpecifiedTradeProduct", "Description"),
			UnitPrice:   r.amount("unit price", l.one("SpecifiedLineTradeAgreement", "NetPriceProductTradePrice", "ChargeAmount")),
		}
		if q := l.one("SpecifiedLineTradeDelivery", "BilledQuantity"); q != nil {
			line.QuantityMilli = r.decimal("quantity", strings.TrimSpace(q.text), 3, "CII-QTY")
			line.UnitCode = q.attr("unitCode")
		}
		if set != nil {
			line.Category = set.str("ApplicableTradeTax", "CategoryCode")
			if t := set.one("ApplicableTradeTax"); t != nil {
				line.RateBP = r.rate(t)
			}
			for _, a := range set.all("SpecifiedTradeAllowanceCharge") {
				v := r.amount("line allowance", a.one("ActualAmount"))
				if a.str("ChargeIndicator", "Indicator") == "true" {
					v = -v
				}
				line.Discount += v
			}
			line.Net = r.amount("line net", set.one("SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount"))
			if p := set.one("BillingSpecifiedPeriod"); p != nil {
				line.Start = r.date("line start", p.one("StartDateTime"))
				line.End = r.date("line end", p.one("EndDateTime"))
			}
		}
		inv.Lines = append(inv.Lines, line)
	}
	ag := tr.one("ApplicableHeaderTradeAgreement")
	if ag != nil {
		inv.BuyerReference = ag.str("BuyerReference")
		inv.Seller = r.party(ag.one("SellerTradeParty"))
		inv.Buyer = r.party(ag.one("BuyerTradeParty"))
		inv.PurchaseOrder = ag.str("BuyerOrderReferencedDocument", "IssuerAssignedID")
		inv.ContractRef = ag.str("ContractReferencedDocument", "IssuerAssignedID")
	}
	st := tr.one("ApplicableHeaderTradeSettlement")
	if st == nil {
		return Invoice{}, nil, errors.New("facturx: XML lacks ApplicableHeaderTradeSettlement")
	}
	inv.Currency = st.str("InvoiceCurrencyCode")
	if p := st.one("PayeeTradeParty"); p != nil {
		payee := r.party(p)
		inv.Payee = &payee
	}
	inv.PaymentMeans = st.str("SpecifiedTradeSettlementPaymentMeans", "TypeCode")
	inv.IBAN = st.str("SpecifiedTradeSettlementPaymentMeans", "PayeePartyCreditorFinancialAccount", "IBANID")
	inv.BIC = st.str("SpecifiedTradeSettlementPaymentMeans", "PayeeSpecifiedCreditorFinancialInstitution", "BICID")
	for _, t := range st.all("ApplicableTradeTax") {
		inv.Taxes = append(inv.Taxes, TaxSubtotal{
			Category:        t.str("CategoryCode"),
			RateBP:          r.rate(t),
			Base:            r.amount("VAT base", t.one("BasisAmount")),
			VAT:             r.amount("VAT amount", t.one("CalculatedAmount")),
			ExemptionReason: t.str("ExemptionReason"),
			ExemptionCode:   t.str("ExemptionReasonCode"),
		})
	}
	if p := st.one("BillingSpecifiedPeriod"); p != nil {
		inv.ServiceStart = r.date("service start", p.one("StartDateTime"))
		inv.ServiceEnd = r.date("service end", p.one("EndDateTime"))
	}
	if t := st.one("SpecifiedTradePaymentTerms"); t != nil {
		inv.PaymentTerms = t.str("Description")
		inv.DueDate = r.date("due date", t.one("DueDateDateTime"))
	}
	sum := st.one("SpecifiedTradeSettlementHeaderMonetarySummation")
	if sum == nil {
		return Invoice{}, nil, errors.New("facturx: XML lacks the monetary summation")
	}
	inv.LineTotal = r.amount("line total", sum.one("LineTotalAmount"))
	inv.TaxBasis = r.amount("tax basis", sum.one("TaxBasisTotalAmount"))
	// BT-110 is the TaxTotalAmount in the invoice currency (BR-CO-14 uses it).
	for _, t := range sum.all("TaxTotalAmount") {
		if t.attr("currencyID") == inv.Currency {
			inv.TaxTotal = r.amount("VAT total", t)
		}
	}
	if a := sum.all("AllowanceTotalAmount"); len(a) > 0 && r.amount("allowances", a[0]) != 0 {
		r.fail("BR-CO-13", "document-level allowances are not supported")
	}
	if c := sum.all("ChargeTotalAmount"); len(c) > 0 && r.amount("charges", c[0]) != 0 {
		r.fail("BR-CO-13", "document-level charges are not supported")
	}
	inv.GrandTotal = r.amount("grand total", sum.one("GrandTotalAmount"))
	inv.Prepaid = r.amount("prepaid", sum.one("TotalPrepaidAmount"))
	inv.DuePayable = r.amount("amount due", sum.one("DuePayableAmount"))
	for _, p := range st.all("InvoiceReferencedDocument") {
		ref := Ref{Number: p.str("IssuerAssignedID")}
		ref.Date = r.date("preceding invoice", p.one("FormattedIssueDateTime"))
		inv.Preceding = append(inv.Preceding, ref)
	}
	return inv, errors.Join(r.errs...), nil
}
