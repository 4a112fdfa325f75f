package pdf

import (
	"strings"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// The invoice's closing blocks: the VAT breakdown and the totals, the
// mentions, the notes and the payment block, kept on one page when they fit
// in one.

// part is a closing block measured before it is drawn.
type part struct {
	h    float64
	draw func()
}

// closing draws the summary (VAT breakdown, deposits, totals), the mentions,
// the notes and the payment block. They stay together on the last page when
// they fit in one; otherwise each block stays whole.
func (p *page) closing(d Invoice) {
	parts := []part{p.summary(d)}
	seen := map[string]bool{}
	var mentions []string
	for _, m := range d.Mentions {
		if m = strings.TrimSpace(m); m != "" && !seen[m] {
			seen[m] = true
			mentions = append(mentions, m)
		}
	}
	if len(mentions) > 0 {
		parts = append(parts, p.paragraphs(mentions, false, 8.5, black, 3))
	}
	if len(d.Notes) > 0 {
		parts = append(parts, p.paragraphs(d.Notes, true, 8.5, black, 2))
	}
	parts = append(parts, p.payment(d))
	total := 0.0
	for _, x := range parts {
		total += x.h
	}
	if total <= p.limit()-bodyTop {
		p.ensure(total)
	}
	for _, x := range parts {
		if x.h == 0 {
			continue
		}
		p.ensure(x.h)
		x.draw()
	}
}

// summary is the VAT breakdown and the deposits on the left, the totals on
// the right.
func (p *page) summary(d Invoice) part {
	const leftW, gapW = 92.0, 8.0
	rightW := p.bodyWidth() - leftW - gapW
	const rowH, totalH = 5.0, 6.0

	type total struct {
		label, value string
		strong       bool
	}
	totals := []total{{p.t("invoice.total.net"), p.amount(d.Net), false}, {p.t("invoice.total.vat"), p.amount(d.VAT), false}}
	if len(d.OutOfBase) > 0 || d.OutOfBaseTotal != 0 {
		totals = append(totals, total{p.t("invoice.total.out_of_base"), p.amount(d.OutOfBaseTotal), false})
	}
	totals = append(totals, total{p.t("invoice.total.gross"), p.amount(d.Gross), true})
	if d.Prepaid != 0 {
		totals = append(totals, total{p.t("invoice.total.prepaid"), p.amount(-d.Prepaid), false})
	}
	due := p.t("invoice.total.due")
	if d.docType() == InvoiceCreditNote {
		due = p.t("invoice.total.credit")
	}
	totals = append(totals, total{due, p.amount(d.Due), true})

	var deposits []string
	for _, r := range d.Deposits {
		deposits = append(deposits, p.t("invoice.deposit", r.Number, p.date(r.Date), p.amount(r.Amount)))
	}
	p.font(false, 8, black)
	depositLines := 0
	for _, s := range deposits {
		depositLines += len(p.f.SplitText(s, leftW))
	}
	left := 0.0
	if len(d.Taxes) > 0 {
		left = 5 + float64(len(d.Taxes)+1)*rowH + 3
	}
	if len(deposits) > 0 {
		left += 5 + float64(depositLines)*3.8
	}
	right := float64(len(totals))*totalH + 1
	h := max(left, right) + 4

	return part{h: h, draw: func() {
		y0 := p.f.GetY() + 1
		y := y0
		if len(d.Taxes) > 0 {
			p.font(true, 8, p.accent)
			p.f.SetXY(marginX, y)
			p.f.CellFormat(leftW, 5, p.t("invoice.vat_summary"), "", 0, "L", false, 0, "")
			y += 5
			widths := []float64{leftW - 60, 30, 30}
			rows := [][]string{{p.t("invoice.col.vat_rate"), p.t("invoice.col.base"), p.t("invoice.col.vat_amount")}}
			for _, t := range d.Taxes {
				rows = append(rows, []string{p.vatLabel(t.Category, t.RateBP), p.amount(t.Base), p.amount(t.VAT)})
			}
			fill := p.accent.tint(0.15)
			for i, r := range rows {
				x := marginX
				if i == 0 {
					p.f.SetFillColor(fill.r, fill.g, fill.b)
					p.f.Rect(marginX, y, leftW, rowH, "F")
				}
				p.font(i == 0, 8, black)
				for j, s := range r {
					align := "R"
					if j == 0 {
						align = "L"
					}
					p.f.SetXY(x, y)
					p.f.CellFormat(widths[j], rowH, s, "", 0, align, false, 0, "")
					x += widths[j]
				}
				y += rowH
				p.f.SetDrawColor(lightGrey.r, lightGrey.g, lightGrey.b)
				p.f.Line(marginX, y, marginX+leftW, y)
			}
			y += 3
		}
		if len(deposits) > 0 {
			p.font(true, 8, p.accent)
			p.f.SetXY(marginX, y)
			p.f.CellFormat(leftW, 5, p.t("invoice.deposits"), "", 2, "L", false, 0, "")
			p.font(false, 8, black)
			for _, s := range deposits {
				p.f.SetX(marginX)
				p.f.MultiCell(leftW, 3.8, s, "", "L", false)
			}
		}

		x := marginX + leftW + gapW
		y = y0
		fill := p.accent.tint(0.15)
		p.f.SetFillColor(fill.r, fill.g, fill.b)
		p.f.SetDrawColor(lightGrey.r, lightGrey.g, lightGrey.b)
		for i, t := range totals {
			last := i == len(totals)-1
			p.font(t.strong, 9, black)
			if last {
				p.font(true, 10, black)
				p.f.Rect(x, y, rightW, totalH+0.5, "F")
			}
			p.f.SetXY(x+1, y)
			p.f.CellFormat(rightW-34, totalH+0.5, t.label, "", 0, "L", false, 0, "")
			p.f.CellFormat(32, totalH+0.5, t.value, "", 0, "R", false, 0, "")
			y += totalH
			if !last {
				p.f.Line(x, y, x+rightW, y)
			}
		}
		p.f.SetXY(marginX, y0+h-1)
	}}
}

// paragraphs is a block of short texts, one per line group.
func (p *page) paragraphs(texts []string, bullets bool, size float64, c rgb, gapAfter float64) part {
	const lh = 3.9
	indent := 0.0
	if bullets {
		indent = 4
	}
	w := p.bodyWidth() - indent
	p.font(false, size, c)
	h := gapAfter
	for _, s := range texts {
		h += float64(len(p.f.SplitText(s, w)))*lh + 1
	}
	return part{h: h, draw: func() {
		for _, s := range texts {
			p.font(false, size, c)
			if bullets {
				p.f.SetX(marginX)
				p.f.CellFormat(indent, lh, "•", "", 0, "L", false, 0, "")
			}
			p.f.SetX(marginX + indent)
			p.f.MultiCell(w, lh, s, "", "L", false)
			p.gap(1)
		}
		p.gap(gapAfter)
	}}
}

// payment is the payment block: terms and due date on the left, bank
// details on the right, then the payment mentions (late penalties, the €40
// indemnity, early-payment discount) in small print.
func (p *page) payment(d Invoice) part {
	const gapW, rowH = 8.0, 4.3
	w := (p.bodyWidth() - gapW) / 2
	cols := [2][][2]string{
		{{p.t("invoice.terms"), d.PaymentTerms}, {p.t("invoice.due_date"), p.date(d.DueDate)}},
		{{"IBAN", d.Seller.IBAN}, {"BIC", d.Seller.BIC}, {p.t("invoice.bank"), d.Seller.Bank}},
	}
	labelW := [2]float64{24, 14}
	if p.lang == i18n.EN {
		labelW[0] = 18
	}
	var lines [2][][2][]string // per column, per row: label lines, value lines
	rowsH := 0.0
	for c, rows := range cols {
		colH := 0.0
		for _, r := range rows {
			if strings.TrimSpace(r[1]) == "" {
				continue
			}
			p.font(false, 8.5, black)
			value := p.f.SplitText(r[1], w-labelW[c])
			lines[c] = append(lines[c], [2][]string{{r[0]}, value})
			colH += float64(len(value)) * rowH
		}
		rowsH = max(rowsH, colH)
	}
	notes := p.paragraphs(d.PaymentNotes, false, 7.5, grey, 0)
	if rowsH == 0 && len(d.PaymentNotes) == 0 {
		return part{}
	}
	h := 9.5 + rowsH + 1.5 + notes.h
	return part{h: h, draw: func() {
		p.headingKeep(p.t("invoice.payment"), h-9.5)
		y0 := p.f.GetY()
		for c, rows := range lines {
			x, y := marginX+float64(c)*(w+gapW), y0
			for _, r := range rows {
				p.font(true, 8, grey)
				p.f.SetXY(x, y)
				p.f.CellFormat(labelW[c], rowH, r[0][0], "", 0, "L", false, 0, "")
				p.font(false, 8.5, black)
				for _, l := range r[1] {
					p.f.SetXY(x+labelW[c], y)
					p.f.CellFormat(w-labelW[c], rowH, l, "", 0, "L", false, 0, "")
					y += rowH
				}
			}
		}
		p.f.SetXY(marginX, y0+rowsH+1.5)
		notes.draw()
	}}
}
