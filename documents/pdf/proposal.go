package pdf

import (
	"time"
)

// Mode says who contracts with the client for a proposal (DOMAIN.md §2).
type Mode string

// The contracting modes.
const (
	ModeBroker   Mode = "broker"   // the broker, as training body, signs the agreement and invoices
	ModeProvider Mode = "provider" // the provider signs and invoices; the broker introduces it
)

// Proposal is a quotation (devis) for one training need.
type Proposal struct {
	Frame        `json:"frame"`
	Client       Party     `json:"client"`
	Subject      string    `json:"subject"` // the action's title
	Lines        []Line    `json:"lines"`
	ValidUntil   time.Time `json:"valid_until"`
	Mode         Mode      `json:"mode"`
	Provider     string    `json:"provider,omitempty"`    // who contracts in ModeProvider
	VATMention   string    `json:"vat_mention,omitempty"` // e.g. the exemption's legal mention, from invoicing
	PaymentTerms string    `json:"payment_terms,omitempty"`
	Notes        []string  `json:"notes,omitempty"`
}

func drawProposal(p *page, doc Document) error {
	d, err := as[Proposal](doc)
	if err != nil {
		return err
	}
	p.f.AddPage()
	p.title(titleOf(d.Frame, p.lang, KindProposal), p.reference())
	p.parties(p.t("proposal.from"), p.brokerParty(), p.t("proposal.to"), d.Client)
	p.para(p.t("proposal.subject", d.Subject), true)

	p.priceTable(d.Lines)
	p.totals(Sum(d.Lines))
	p.para(d.VATMention, false)

	p.heading(p.t("proposal.terms"))
	if !d.ValidUntil.IsZero() {
		p.para(p.t("proposal.valid", p.date(d.ValidUntil)), false)
	}
	if d.Mode == ModeProvider {
		p.para(p.t("proposal.mode.provider", d.Provider, p.fr.Broker.Name), false)
	} else {
		p.para(p.t("proposal.mode.broker", p.fr.Broker.Name), false)
	}
	if d.PaymentTerms != "" {
		p.para(p.t("proposal.payment", d.PaymentTerms), false)
	}
	p.bullets(d.Notes)

	p.signatures(signBox{
		heading: p.t("proposal.accept"),
		lines:   []string{d.Client.Name, p.t("sign.name_role")},
		prompt:  p.t("proposal.accept.prompt"),
	})
	return nil
}

// reference is the subtitle: "N° DEV-2026-0042 — 05/10/2026".
func (p *page) reference() string {
	var parts []string
	if p.fr.Reference != "" {
		parts = append(parts, p.t("ref", p.fr.Reference))
	}
	if !p.fr.Date.IsZero() {
		parts = append(parts, p.date(p.fr.Date))
	}
	return join(" — ", parts...)
}

// brokerParty is the broker as a Party, for address blocks.
func (p *page) brokerParty() Party {
	b := p.fr.Broker
	return Party{Name: b.Name, Address: b.Address, SIRET: b.SIRET, VATNumber: b.VATNumber, Email: join(" · ", b.Email, b.Phone)}
}

// parties draws two address blocks side by side.
func (p *page) parties(leftTitle string, left Party, rightTitle string, right Party) {
	w := (p.bodyWidth() - 10) / 2
	y0 := p.f.GetY()
	bottom := y0
	for i, b := range []struct {
		title string
		party Party
	}{{leftTitle, left}, {rightTitle, right}} {
		x := marginX + float64(i)*(w+10)
		p.f.SetXY(x, y0)
		p.font(true, 8, grey)
		p.f.CellFormat(w, 4.5, b.title, "", 2, "L", false, 0, "")
		p.f.SetX(x)
		p.font(true, bodySize, black)
		p.f.MultiCell(w, lineH, b.party.Name, "", "L", false)
		p.font(false, 8.5, black)
		lines := []string{b.party.Address}
		if b.party.Contact != "" {
			lines = append(lines, p.t("party.contact", b.party.Contact))
		}
		if b.party.SIRET != "" {
			lines = append(lines, "SIRET "+b.party.SIRET)
		}
		if b.party.VATNumber != "" {
			lines = append(lines, p.t("frame.vat")+" "+b.party.VATNumber)
		}
		lines = append(lines, b.party.Email)
		p.f.SetX(x)
		p.f.MultiCell(w, 4, join("\n", lines...), "", "L", false)
		bottom = max(bottom, p.f.GetY())
	}
	p.f.SetXY(marginX, bottom+4)
}

// priceTable draws priced lines.
func (p *page) priceTable(lines []Line) {
	rows := make([][]string, 0, len(lines))
	for _, l := range lines {
		label := l.Label
		if l.Detail != "" {
			label += "\n" + l.Detail
		}
		rows = append(rows, []string{label, join(" ", p.decimal(l.Quantity), l.Unit),
			p.money(l.UnitCents), p.rate(l.VATRateBP), p.money(l.Total())})
	}
	p.table([]column{
		{p.t("price.label"), 84, "L"},
		{p.t("price.qty"), 24, "R"},
		{p.t("price.unit"), 28, "R"},
		{p.t("price.vat"), 16, "R"},
		{p.t("price.total"), 28, "R"},
	}, rows)
}

// totals draws the totals box on the right: excluding VAT, VAT per rate,
// including VAT.
func (p *page) totals(t Totals) {
	rows := [][2]string{{p.t("total.excl"), p.money(t.ExclVAT)}}
	for _, r := range t.ByRate {
		rows = append(rows, [2]string{p.t("total.vat", p.rate(r.RateBP), p.money(r.Base)), p.money(r.VAT)})
	}
	rows = append(rows, [2]string{p.t("total.incl"), p.money(t.InclVAT)})
	const labelW, valueW = 62.0, 30.0
	x := p.w - marginX - labelW - valueW
	p.ensure(float64(len(rows))*6 + 2)
	fill := p.accent.tint(0.15)
	p.f.SetFillColor(fill.r, fill.g, fill.b)
	p.f.SetDrawColor(lightGrey.r, lightGrey.g, lightGrey.b)
	for i, r := range rows {
		last := i == len(rows)-1
		p.font(last, 9, black)
		p.f.SetX(x)
		p.f.CellFormat(labelW, 6, r[0], "1", 0, "L", last, 0, "")
		p.f.CellFormat(valueW, 6, r[1], "1", 1, "R", last, 0, "")
	}
	p.gap(3)
}
