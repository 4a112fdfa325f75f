package pdf

import (
	"fmt"
	"strings"
	"time"
)

// InvoiceType is the kind of invoice document; it gives the title.
type InvoiceType string

// The invoice types (EN 16931 type codes 380, 381, 386, 380).
const (
	InvoiceStandard   InvoiceType = "invoice"     // facture
	InvoiceCreditNote InvoiceType = "credit_note" // avoir: must name the invoice it corrects
	InvoiceDeposit    InvoiceType = "deposit"     // facture d'acompte
	InvoiceFinal      InvoiceType = "final"       // facture de solde: lists the deposits deducted
)

// InvoiceTypes lists the invoice types.
var InvoiceTypes = []InvoiceType{InvoiceStandard, InvoiceCreditNote, InvoiceDeposit, InvoiceFinal}

// Invoice is an issued invoice or credit note, frozen: the layout prints its
// fields as they are and computes nothing (amounts, signs and legal texts
// come from the invoicing package's snapshot and mentions catalogue). Amounts
// are cents, signed as they must print: a credit note carries negative
// amounts. Frame.Reference is the invoice number and Frame.Date the issue
// date; both are required.
type Invoice struct {
	Frame            `json:"frame"`
	DocType          InvoiceType   `json:"doc_type"`
	Seller           Seller        `json:"seller"`
	Buyer            Party         `json:"buyer"`
	Payer            *Party        `json:"payer,omitempty"`        // third party who pays: the OPCO under subrogation
	OnBehalfOf       *Party        `json:"on_behalf_of,omitempty"` // OPCO invoice: the company whose training the OPCO funds
	Corrects         *Ref          `json:"corrects,omitempty"`     // credit note: the invoice it corrects (required)
	Deposits         []Ref         `json:"deposits,omitempty"`     // final invoice: the deposit invoices deducted
	PurchaseOrder    string        `json:"purchase_order,omitempty"`
	ServiceCode      string        `json:"service_code,omitempty"`      // Chorus Pro code service (public buyers)
	EngagementNumber string        `json:"engagement_number,omitempty"` // public buyer's engagement number
	OPCOFile         string        `json:"opco_file,omitempty"`         // OPCO funding file number
	ServiceStart     time.Time     `json:"service_start,omitzero"`
	ServiceEnd       time.Time     `json:"service_end,omitzero"` // zero: the service was on ServiceStart
	DueDate          time.Time     `json:"due_date,omitzero"`
	Nature           string        `json:"nature,omitempty"` // « Prestations de services »
	Lines            []InvoiceLine `json:"lines"`
	OutOfBase        []InvoiceLine `json:"out_of_base,omitempty"` // débours (art. 267 II-2° CGI): Net only, no VAT
	Taxes            []TaxRow      `json:"taxes,omitempty"`
	Net              int64         `json:"net_cents"`          // total excluding VAT
	VAT              int64         `json:"vat_cents"`          // total VAT
	OutOfBaseTotal   int64         `json:"out_of_base_cents"`  // total of the débours
	Gross            int64         `json:"gross_cents"`        // total including VAT and débours
	Prepaid          int64         `json:"prepaid_cents"`      // deposits and payments already received, deducted
	Due              int64         `json:"due_cents"`          // Gross − Prepaid
	Mentions         []string      `json:"mentions,omitempty"` // legal mentions of the tax decisions, printed once each
	PaymentTerms     string        `json:"payment_terms,omitempty"`
	PaymentNotes     []string      `json:"payment_notes,omitempty"` // late-penalty rate, €40 indemnity, early-payment discount
	Notes            []string      `json:"notes,omitempty"`         // OPCO share, subrogation, trainees...
	FacturX          bool          `json:"facturx,omitempty"`       // the PDF will be made PDF/A-3 Factur-X by invoicing/facturx
}

// Seller is the legal identity of the invoice's issuer (art. 242 nonies A
// ann. II CGI, R123-237 code de commerce) and its bank details.
type Seller struct {
	Name         string `json:"name"`
	LegalForm    string `json:"legal_form,omitempty"`          // "SAS"
	ShareCapital int64  `json:"share_capital_cents,omitempty"` // zero: not printed (sole trader)
	Address      string `json:"address"`                       // head office; lines separated by "\n"
	SIREN        string `json:"siren,omitempty"`               // empty: the first nine digits of SIRET
	SIRET        string `json:"siret,omitempty"`
	RCSCity      string `json:"rcs_city,omitempty"` // city of the greffe: "Paris" prints "RCS Paris <SIREN>"
	VATNumber    string `json:"vat_number,omitempty"`
	NDA          string `json:"nda,omitempty"` // printed here only when the footer (Frame.Broker) does not show it
	NDARegion    string `json:"nda_region,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	IBAN         string `json:"iban,omitempty"`
	BIC          string `json:"bic,omitempty"`
	Bank         string `json:"bank,omitempty"`
}

// Ref names another invoice: the one a credit note corrects, or a deposit
// invoice deducted by a final invoice (Amount including VAT).
type Ref struct {
	Number string    `json:"number"`
	Date   time.Time `json:"date"`
	Amount int64     `json:"amount_cents,omitempty"`
}

// InvoiceLine is one frozen line. Quantity is in thousandths (1500 = 1.5
// hours), amounts in cents, the rate in basis points; Net is the line's total
// excluding VAT after Discount, as invoicing computed it.
type InvoiceLine struct {
	Designation string `json:"designation"`
	Detail      string `json:"detail,omitempty"` // trainees, hours, session dates: printed smaller underneath
	Quantity    int64  `json:"quantity_thousandths"`
	Unit        string `json:"unit,omitempty"` // in the invoice's language: "heures", "jours"
	UnitPrice   int64  `json:"unit_price_cents"`
	Discount    int64  `json:"discount_cents,omitempty"`
	Net         int64  `json:"net_cents"`
	RateBP      int64  `json:"rate_bp"`
	Category    string `json:"category,omitempty"` // EN 16931 VAT category: S, E, AE, G, O, Z
}

// TaxRow is the VAT breakdown of one category and rate.
type TaxRow struct {
	Category string `json:"category"`
	RateBP   int64  `json:"rate_bp"`
	Base     int64  `json:"base_cents"`
	VAT      int64  `json:"vat_cents"`
}

// Kind implements Document.
func (Invoice) Kind() Kind { return KindInvoice }

// check refuses what would print an invoice the law does not accept.
func (d Invoice) check() error {
	switch {
	case d.Reference == "":
		return fmt.Errorf("pdf: invoice without a number")
	case d.Date.IsZero():
		return fmt.Errorf("pdf: invoice %s without a date", d.Reference)
	case d.docType() == InvoiceCreditNote && (d.Corrects == nil || d.Corrects.Number == ""):
		return fmt.Errorf("pdf: credit note %s does not name the invoice it corrects", d.Reference)
	}
	for _, t := range InvoiceTypes {
		if d.docType() == t {
			return nil
		}
	}
	return fmt.Errorf("pdf: invoice %s: unknown type %q", d.Reference, d.DocType)
}

// docType is the type, an empty one meaning a plain invoice.
func (d Invoice) docType() InvoiceType {
	if d.DocType == "" {
		return InvoiceStandard
	}
	return d.DocType
}

func drawInvoice(p *page, doc Document) error {
	d, err := as[Invoice](doc)
	if err != nil {
		return err
	}
	if err := d.check(); err != nil {
		return err
	}
	title := d.Title
	if title == "" {
		title = p.t("invoice.title." + string(d.docType()))
	}
	p.f.SetTitle(title, true) // Render set the kind's title; a credit note is no « Facture »
	// Continuation pages say whose they are, under the frame's header.
	running := p.t("invoice.running", title, d.Reference, p.date(d.Date))
	p.f.SetHeaderFuncMode(func() {
		p.header()
		if p.f.PageNo() > 1 {
			p.font(false, 7.5, grey)
			p.f.SetXY(marginX, 27)
			p.f.CellFormat(p.bodyWidth(), 3.5, running, "", 0, "R", false, 0, "")
		}
	}, true)
	p.f.AddPage()

	p.invoiceHead(title, d)
	p.invoiceParties(d)
	p.invoiceFacts(d)
	p.invoiceLines(d.Lines)
	if len(d.OutOfBase) > 0 {
		p.headingKeep(p.t("invoice.out_of_base"), 14)
		p.outOfBaseLines(d.OutOfBase)
	}
	p.closing(d)
	return nil
}

// invoiceHead draws the title on the left and the number, date and due
// date in a box on the right.
func (p *page) invoiceHead(title string, d Invoice) {
	y0 := p.f.GetY()
	p.font(true, 18, p.accent)
	p.f.SetXY(marginX, y0)
	p.f.MultiCell(p.bodyWidth()-84, 8.5, title, "", "L", false)
	bottom := p.f.GetY()

	rows := [][2]string{{p.t("invoice.number"), d.Reference}, {p.t("invoice.date"), p.date(d.Date)}}
	if !d.DueDate.IsZero() {
		rows = append(rows, [2]string{p.t("invoice.due_date"), p.date(d.DueDate)})
	}
	const labelW, valueW = 34.0, 46.0
	x := p.w - marginX - labelW - valueW
	p.f.SetDrawColor(lightGrey.r, lightGrey.g, lightGrey.b)
	p.f.Rect(x, y0, labelW+valueW, float64(len(rows))*5.5+2, "D")
	for i, r := range rows {
		y := y0 + 1 + float64(i)*5.5
		p.font(false, 8.5, grey)
		p.f.SetXY(x+1, y)
		p.f.CellFormat(labelW-1, 5.5, r[0], "", 0, "L", false, 0, "")
		p.font(true, bodySize, black)
		p.f.CellFormat(valueW-2, 5.5, r[1], "", 0, "R", false, 0, "")
	}
	p.f.SetXY(marginX, max(bottom, y0+float64(len(rows))*5.5+2)+4)
}

// block is an address block: a small title, a name in bold and lines.
type block struct {
	title string
	name  string
	lines []string
}

// invoiceParties draws the seller and the buyer side by side, then the payer
// and the company paid for when there are.
func (p *page) invoiceParties(d Invoice) {
	s := d.Seller
	seller := block{title: p.t("invoice.seller"), name: s.Name}
	if s.ShareCapital != 0 {
		seller.lines = append(seller.lines, p.t("invoice.capital", s.LegalForm, p.amount(s.ShareCapital)))
	} else {
		seller.lines = append(seller.lines, s.LegalForm)
	}
	seller.lines = append(seller.lines, s.Address)
	siren := s.SIREN
	if siren == "" {
		siren = sirenOf(s.SIRET)
	}
	if s.SIRET != "" {
		seller.lines = append(seller.lines, "SIRET "+s.SIRET)
	}
	if s.RCSCity != "" {
		seller.lines = append(seller.lines, join(" ", "RCS", s.RCSCity, siren))
	} else if siren != "" {
		seller.lines = append(seller.lines, "SIREN "+siren)
	}
	if s.VATNumber != "" {
		seller.lines = append(seller.lines, p.t("frame.vat")+" "+s.VATNumber)
	}
	// The footer carries the broker's NDA with its notice (L6352-12); a
	// seller other than the broker shows its own here, notice included.
	if s.NDA != "" && s.NDA != p.fr.Broker.NDA {
		nda := p.t("frame.nda", s.NDA)
		if s.NDARegion != "" {
			nda = p.t("frame.nda.region", s.NDA, s.NDARegion)
		}
		seller.lines = append(seller.lines, nda+" "+p.t("frame.nda.notice"))
	}
	seller.lines = append(seller.lines, join(" · ", s.Email, s.Phone))

	buyer := p.partyBlock(p.t("invoice.buyer"), d.Buyer)
	buyer.lines = append(buyer.lines,
		p.labelled("invoice.service_code", d.ServiceCode),
		p.labelled("invoice.engagement", d.EngagementNumber),
		p.labelled("invoice.purchase_order", d.PurchaseOrder))
	p.blocks(seller, buyer)

	var more []block
	if d.Payer != nil {
		more = append(more, p.partyBlock(p.t("invoice.payer"), *d.Payer))
	}
	if d.OnBehalfOf != nil {
		more = append(more, p.partyBlock(p.t("invoice.on_behalf_of"), *d.OnBehalfOf))
	}
	if len(more) > 0 {
		p.blocks(more...)
	}
}

// partyBlock is a company's block: address, contact, identifiers.
func (p *page) partyBlock(title string, c Party) block {
	b := block{title: title, name: c.Name, lines: []string{c.Address}}
	if c.Contact != "" {
		b.lines = append(b.lines, p.t("party.contact", c.Contact))
	}
	switch siren := sirenOf(c.SIRET); {
	case siren != "":
		b.lines = append(b.lines, "SIREN "+siren+" · SIRET "+c.SIRET)
	case c.SIRET != "":
		b.lines = append(b.lines, "SIREN "+c.SIRET)
	}
	if c.VATNumber != "" {
		b.lines = append(b.lines, p.t("frame.vat")+" "+c.VATNumber)
	}
	return b
}

// sirenOf is the SIREN inside a 14-digit SIRET, else "".
func sirenOf(siret string) string {
	s := strings.ReplaceAll(siret, " ", "")
	if len(s) != 14 {
		return ""
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return s[:9]
}

// blocks draws one or two address blocks side by side, the second in the
// right half, kept on one page.
func (p *page) blocks(bs ...block) {
	const gapW = 10.0
	w := (p.bodyWidth() - gapW) / 2
	h := 0.0
	texts := make([]string, len(bs))
	for i, b := range bs {
		texts[i] = join("\n", b.lines...)
		p.font(true, bodySize, black)
		n := len(p.f.SplitText(b.name, w))
		p.font(false, 8.5, black)
		h = max(h, 5+float64(n)*lineH+float64(len(p.f.SplitText(texts[i], w)))*4)
	}
	p.ensure(h)
	y0 := p.f.GetY()
	for i, b := range bs {
		x := marginX + float64(i)*(w+gapW)
		p.f.SetXY(x, y0)
		p.font(true, 7.5, p.accent)
		p.f.CellFormat(w, 4, b.title, "B", 2, "L", false, 0, "")
		p.f.SetXY(x, y0+5)
		p.font(true, bodySize, black)
		p.f.MultiCell(w, lineH, b.name, "", "L", false)
		p.f.SetX(x)
		p.font(false, 8.5, black)
		p.f.MultiCell(w, 4, texts[i], "", "L", false)
	}
	p.f.SetXY(marginX, y0+h+3)
}

// invoiceFacts draws the nature, the service period, the OPCO file and, on a
// credit note, the invoice it corrects.
func (p *page) invoiceFacts(d Invoice) {
	end := d.ServiceEnd
	if end.IsZero() {
		end = d.ServiceStart
	}
	label, period := p.t("invoice.service_date"), p.date(d.ServiceStart)
	if p.date(end) != period {
		label, period = p.t("invoice.service_period"), p.period(d.ServiceStart, end)
	}
	p.fields(48,
		[2]string{p.t("invoice.nature"), d.Nature},
		[2]string{label, period},
		[2]string{p.t("invoice.opco_file"), d.OPCOFile},
	)
	if c := d.Corrects; c != nil && c.Number != "" {
		p.gap(1)
		p.para(p.t("invoice.corrects", c.Number, p.date(c.Date)), true)
	}
	p.gap(1.5)
}
