package facturx

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"time"
)

// GuidelineEN16931 is BT-24 for the Factur-X EN 16931 profile.
const GuidelineEN16931 = "urn:cen.eu:en16931:2017"

const (
	nsRSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
	nsRAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
	nsQDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
	nsUDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
)

// The structs below follow the element order of the Factur-X 1.09 EN 16931
// XSD (xs:sequence everywhere): moving a field breaks schema validation.
// Prefixed names are written literally; the root declares the prefixes.

type ciiInvoice struct {
	XMLName     xml.Name       `xml:"rsm:CrossIndustryInvoice"`
	NSRSM       string         `xml:"xmlns:rsm,attr"`
	NSQDT       string         `xml:"xmlns:qdt,attr"`
	NSRAM       string         `xml:"xmlns:ram,attr"`
	NSUDT       string         `xml:"xmlns:udt,attr"`
	Context     ciiContext     `xml:"rsm:ExchangedDocumentContext"`
	Document    ciiDocument    `xml:"rsm:ExchangedDocument"`
	Transaction ciiTransaction `xml:"rsm:SupplyChainTradeTransaction"`
}

type ciiID struct {
	Value    string `xml:",chardata"`
	SchemeID string `xml:"schemeID,attr,omitempty"`
}

type ciiParam struct {
	ID string `xml:"ram:ID"`
}

type ciiContext struct {
	BusinessProcess *ciiParam `xml:"ram:BusinessProcessSpecifiedDocumentContextParameter"`
	Guideline       ciiParam  `xml:"ram:GuidelineSpecifiedDocumentContextParameter"`
}

type ciiDateTime struct {
	Value  string `xml:",chardata"`
	Format string `xml:"format,attr"`
}

type ciiUDTDate struct {
	DateTimeString ciiDateTime `xml:"udt:DateTimeString"`
}

type ciiQDTDate struct {
	DateTimeString ciiDateTime `xml:"qdt:DateTimeString"`
}

type ciiNote struct {
	Content     string `xml:"ram:Content"`
	SubjectCode string `xml:"ram:SubjectCode,omitempty"`
}

type ciiDocument struct {
	ID        string     `xml:"ram:ID"`
	TypeCode  string     `xml:"ram:TypeCode"`
	IssueDate ciiUDTDate `xml:"ram:IssueDateTime"`
	Notes     []ciiNote  `xml:"ram:IncludedNote"`
}

type ciiTransaction struct {
	Lines      []ciiLine     `xml:"ram:IncludedSupplyChainTradeLineItem"`
	Agreement  ciiAgreement  `xml:"ram:ApplicableHeaderTradeAgreement"`
	Delivery   struct{}      `xml:"ram:ApplicableHeaderTradeDelivery"`
	Settlement ciiSettlement `xml:"ram:ApplicableHeaderTradeSettlement"`
}

type ciiLine struct {
	LineID struct {
		ID string `xml:"ram:LineID"`
	} `xml:"ram:AssociatedDocumentLineDocument"`
	Product struct {
		Name        string `xml:"ram:Name"`
		Description string `xml:"ram:Description,omitempty"`
	} `xml:"ram:SpecifiedTradeProduct"`
	Agreement struct {
		NetPrice struct {
			ChargeAmount string `xml:"ram:ChargeAmount"`
		} `xml:"ram:NetPriceProductTradePrice"`
	} `xml:"ram:SpecifiedLineTradeAgreement"`
	Delivery struct {
		Quantity ciiQuantity `xml:"ram:BilledQuantity"`
	} `xml:"ram:SpecifiedLineTradeDelivery"`
	Settlement struct {
		Tax        ciiTax           `xml:"ram:ApplicableTradeTax"`
		Period     *ciiPeriod       `xml:"ram:BillingSpecifiedPeriod"`
		Allowances []ciiAllowance   `xml:"ram:SpecifiedTradeAllowanceCharge"`
		Summation  ciiLineSummation `xml:"ram:SpecifiedTradeSettlementLineMonetarySummation"`
	} `xml:"ram:SpecifiedLineTradeSettlement"`
}

type ciiQuantity struct {
	Value    string `xml:",chardata"`
	UnitCode string `xml:"unitCode,attr"`
}

type ciiLineSummation struct {
	LineTotal string `xml:"ram:LineTotalAmount"`
}

type ciiIndicator struct {
	Indicator bool `xml:"udt:Indicator"`
}

type ciiAllowance struct {
	ChargeIndicator ciiIndicator `xml:"ram:ChargeIndicator"`
	ActualAmount    string       `xml:"ram:ActualAmount"`
	Reason          string       `xml:"ram:Reason,omitempty"`
}

type ciiPeriod struct {
	Start *ciiUDTDate `xml:"ram:StartDateTime"`
	End   *ciiUDTDate `xml:"ram:EndDateTime"`
}

type ciiTax struct {
	CalculatedAmount    string `xml:"ram:CalculatedAmount,omitempty"`
	TypeCode            string `xml:"ram:TypeCode"`
	ExemptionReason     string `xml:"ram:ExemptionReason,omitempty"`
	BasisAmount         string `xml:"ram:BasisAmount,omitempty"`
	CategoryCode        string `xml:"ram:CategoryCode"`
	ExemptionReasonCode string `xml:"ram:ExemptionReasonCode,omitempty"`
	Rate                string `xml:"ram:RateApplicablePercent,omitempty"`
}

type ciiAgreement struct {
	BuyerReference string     `xml:"ram:BuyerReference,omitempty"`
	Seller         ciiParty   `xml:"ram:SellerTradeParty"`
	Buyer          ciiParty   `xml:"ram:BuyerTradeParty"`
	BuyerOrder     *ciiRefDoc `xml:"ram:BuyerOrderReferencedDocument"`
	Contract       *ciiRefDoc `xml:"ram:ContractReferencedDocument"`
}

type ciiRefDoc struct {
	IssuerAssignedID string      `xml:"ram:IssuerAssignedID"`
	Date             *ciiQDTDate `xml:"ram:FormattedIssueDateTime"`
}

type ciiURI struct {
	URIID ciiID `xml:"ram:URIID"`
}

type ciiParty struct {
	GlobalIDs   []ciiID     `xml:"ram:GlobalID"`
	Name        string      `xml:"ram:Name"`
	Description string      `xml:"ram:Description,omitempty"`
	Legal       *ciiIDOf    `xml:"ram:SpecifiedLegalOrganization"`
	Contact     *ciiContact `xml:"ram:DefinedTradeContact"`
	Address     *ciiAddress `xml:"ram:PostalTradeAddress"`
	URI         *ciiURI     `xml:"ram:URIUniversalCommunication"`
	TaxRegs     []ciiIDOf   `xml:"ram:SpecifiedTaxRegistration"`
}

type ciiIDOf struct {
	ID ciiID `xml:"ram:ID"`
}

type ciiContact struct {
	Email ciiURI `xml:"ram:EmailURIUniversalCommunication"`
}

type ciiAddress struct {
	PostCode string `xml:"ram:PostcodeCode,omitempty"`
	Line1    string `xml:"ram:LineOne,omitempty"`
	Line2    string `xml:"ram:LineTwo,omitempty"`
	City     string `xml:"ram:CityName,omitempty"`
	Country  string `xml:"ram:CountryID"`
}

type ciiSettlement struct {
	PaymentReference string          `xml:"ram:PaymentReference,omitempty"`
	Currency         string          `xml:"ram:InvoiceCurrencyCode"`
	Payee            *ciiParty       `xml:"ram:PayeeTradeParty"`
	PaymentMeans     *ciiPaymentMean `xml:"ram:SpecifiedTradeSettlementPaymentMeans"`
	Taxes            []ciiTax        `xml:"ram:ApplicableTradeTax"`
	Period           *ciiPeriod      `xml:"ram:BillingSpecifiedPeriod"`
	Terms            *ciiTerms       `xml:"ram:SpecifiedTradePaymentTerms"`
	Summation        ciiSummation    `xml:"ram:SpecifiedTradeSettlementHeaderMonetarySummation"`
	Preceding        []ciiRefDoc     `xml:"ram:InvoiceReferencedDocument"`
}

type ciiPaymentMean struct {
	TypeCode    string   `xml:"ram:TypeCode"`
	Account     *ciiIBAN `xml:"ram:PayeePartyCreditorFinancialAccount"`
	Institution *ciiBIC  `xml:"ram:PayeeSpecifiedCreditorFinancialInstitution"`
}

type ciiIBAN struct {
	IBAN string `xml:"ram:IBANID"`
}

type ciiBIC struct {
	BIC string `xml:"ram:BICID"`
}

type ciiTerms struct {
	Description string      `xml:"ram:Description,omitempty"`
	DueDate     *ciiUDTDate `xml:"ram:DueDateDateTime"`
}

type ciiAmount struct {
	Value    string `xml:",chardata"`
	Currency string `xml:"currencyID,attr"`
}

type ciiSummation struct {
	LineTotal  string    `xml:"ram:LineTotalAmount"`
	TaxBasis   string    `xml:"ram:TaxBasisTotalAmount"`
	TaxTotal   ciiAmount `xml:"ram:TaxTotalAmount"`
	GrandTotal string    `xml:"ram:GrandTotalAmount"`
	Prepaid    string    `xml:"ram:TotalPrepaidAmount,omitempty"`
	DuePayable string    `xml:"ram:DuePayableAmount"`
}

// XML returns the CII EN 16931 XML of inv (the factur-x.xml of a Factur-X
// PDF). The bytes depend only on inv. It does not run Check: callers do,
// so that a rejected invoice reports every violation at once.
func XML(inv Invoice) ([]byte, error) {
	if inv.IssueDate.IsZero() {
		return nil, fmt.Errorf("facturx: invoice %q has no issue date", inv.Number)
	}
	doc := ciiInvoice{
		NSRSM: nsRSM, NSQDT: nsQDT, NSRAM: nsRAM, NSUDT: nsUDT,
		Context: ciiContext{Guideline: ciiParam{ID: GuidelineEN16931}},
		Document: ciiDocument{
			ID:        inv.Number,
			TypeCode:  inv.TypeCode,
			IssueDate: udtDate(inv.IssueDate),
		},
	}
	if inv.BusinessProcess != "" {
		doc.Context.BusinessProcess = &ciiParam{ID: inv.BusinessProcess}
	}
	for _, n := range inv.Notes {
		doc.Document.Notes = append(doc.Document.Notes, ciiNote{Content: n.Text, SubjectCode: n.Subject})
	}
	tr := &doc.Transaction
	for _, l := range inv.Lines {
		tr.Lines = append(tr.Lines, lineXML(l))
	}

	ag := &tr.Agreement
	ag.BuyerReference = inv.BuyerReference
	if ag.BuyerReference == "" {
		ag.BuyerReference = inv.Buyer.ServiceCode
	}
	ag.Seller = partyXML(inv.Seller, true)
	ag.Buyer = partyXML(inv.Buyer, false)
	if inv.PurchaseOrder != "" {
		ag.BuyerOrder = &ciiRefDoc{IssuerAssignedID: inv.PurchaseOrder}
	}
	if inv.ContractRef != "" {
		ag.Contract = &ciiRefDoc{IssuerAssignedID: inv.ContractRef}
	}

	st := &tr.Settlement
	st.PaymentReference = inv.Number
	st.Currency = inv.Currency
	if inv.Payee != nil {
		p := partyXML(*inv.Payee, false)
		// BG-10 carries identifiers and name only: no address, contact or VAT id.
		p.Address, p.Contact, p.URI, p.TaxRegs = nil, nil, nil, nil
		st.Payee = &p
	}
	if inv.PaymentMeans != "" {
		pm := &ciiPaymentMean{TypeCode: inv.PaymentMeans}
		if inv.IBAN != "" {
			pm.Account = &ciiIBAN{inv.IBAN}
		}
		if inv.BIC != "" {
			pm.Institution = &ciiBIC{inv.BIC}
		}
		st.PaymentMeans = pm
	}
	for _, t := range inv.Taxes {
		st.Taxes = append(st.Taxes, ciiTax{
			CalculatedAmount:    amount(t.VAT),
			TypeCode:            "VAT",
			ExemptionReason:     t.ExemptionReason,
			BasisAmount:         amount(t.Base),
			CategoryCode:        t.Category,
			ExemptionReasonCode: t.ExemptionCode,
			Rate:                rateXML(t.Category, t.RateBP),
		})
	}
	st.Period = period(inv.ServiceStart, inv.ServiceEnd)
	if inv.PaymentTerms != "" || !inv.DueDate.IsZero() {
		st.Terms = &ciiTerms{Description: inv.PaymentTerms}
		if !inv.DueDate.IsZero() {
			d := udtDate(inv.DueDate)
			st.Terms.DueDate = &d
		}
	}
	st.Summation = ciiSummation{
		LineTotal:  amount(inv.LineTotal),
		TaxBasis:   amount(inv.TaxBasis),
		TaxTotal:   ciiAmount{Value: amount(inv.TaxTotal), Currency: inv.Currency},
		GrandTotal: amount(inv.GrandTotal),
		DuePayable: amount(inv.DuePayable),
	}
	if inv.Prepaid != 0 {
		st.Summation.Prepaid = amount(inv.Prepaid)
	}
	for _, r := range inv.Preceding {
		ref := ciiRefDoc{IssuerAssignedID: r.Number}
		if !r.Date.IsZero() {
			ref.Date = &ciiQDTDate{DateTimeString: ciiDateTime{Value: r.Date.Format("20060102"), Format: "102"}}
		}
		st.Preceding = append(st.Preceding, ref)
	}

	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("facturx: encode invoice %q: %w", inv.Number, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func lineXML(l Line) ciiLine {
	var x ciiLine
	x.LineID.ID = l.ID
	x.Product.Name = l.Name
	x.Product.Description = l.Description
	x.Agreement.NetPrice.ChargeAmount = amount(l.UnitPrice)
	x.Delivery.Quantity = ciiQuantity{Value: quantity(l.QuantityMilli), UnitCode: l.UnitCode}
	x.Settlement.Tax = ciiTax{TypeCode: "VAT", CategoryCode: l.Category, Rate: rateXML(l.Category, l.RateBP)}
	x.Settlement.Period = period(l.Start, l.End)
	if l.Discount != 0 {
		x.Settlement.Allowances = []ciiAllowance{{ActualAmount: amount(l.Discount), Reason: "Remise"}}
	}
	x.Settlement.Summation.LineTotal = amount(l.Net)
	return x
}

// partyXML maps a party; LegalForm is BT-33, which exists for the seller only.
func partyXML(p Party, seller bool) ciiParty {
	x := ciiParty{Name: p.Name}
	if seller {
		x.Description = p.LegalForm
	}
	if p.SIRET != "" {
		x.GlobalIDs = []ciiID{{Value: p.SIRET, SchemeID: "0009"}}
	}
	switch {
	case p.SIREN != "":
		x.Legal = &ciiIDOf{ciiID{Value: p.SIREN, SchemeID: "0002"}}
	case p.SIRET != "":
		// Public buyers are identified by SIRET (Chorus Pro).
		x.Legal = &ciiIDOf{ciiID{Value: p.SIRET, SchemeID: "0009"}}
	}
	if p.Email != "" {
		x.Contact = &ciiContact{ciiURI{URIID: ciiID{Value: p.Email}}}
	}
	if p.Address != (Address{}) {
		x.Address = &ciiAddress{
			PostCode: p.Address.PostCode, Line1: p.Address.Line1, Line2: p.Address.Line2,
			City: p.Address.City, Country: p.Address.Country,
		}
	}
	if p.ElectronicAddress != "" {
		x.URI = &ciiURI{URIID: ciiID{Value: p.ElectronicAddress, SchemeID: p.ElectronicScheme}}
	}
	if p.VATNumber != "" {
		x.TaxRegs = append(x.TaxRegs, ciiIDOf{ciiID{Value: p.VATNumber, SchemeID: "VA"}})
	}
	return x
}

func udtDate(t time.Time) ciiUDTDate {
	return ciiUDTDate{DateTimeString: ciiDateTime{Value: t.Format("20060102"), Format: "102"}}
}

func period(start, end time.Time) *ciiPeriod {
	if start.IsZero() && end.IsZero() {
		return nil
	}
	p := &ciiPeriod{}
	if !start.IsZero() {
		d := udtDate(start)
		p.Start = &d
	}
	if !end.IsZero() {
		d := udtDate(end)
		p.End = &d
	}
	return p
}

// rateXML writes BT-119/BT-152; category O carries no rate at all (BR-O-05, BR-O-10).
func rateXML(category string, bp int64) string {
	if category == "O" {
		return ""
	}
	return fixed(bp, 2)
}

// amount formats cents as a decimal with two places: 123450 → "1234.50".
func amount(cents int64) string { return fixed(cents, 2) }

// quantity formats thousandths with as many decimals as needed (at most 3).
func quantity(milli int64) string {
	s := fixed(milli, 3)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// fixed writes v / 10^places with exactly places decimals.
func fixed(v int64, places int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	s := strconv.FormatUint(u, 10)
	for len(s) <= places {
		s = "0" + s
	}
	s = s[:len(s)-places] + "." + s[len(s)-places:]
	if neg {
		s = "-" + s
	}
	return s
}
