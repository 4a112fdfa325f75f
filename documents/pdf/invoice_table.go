package pdf

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// The invoice's line tables, whose header repeats on each page, and the
// formatting of its amounts and quantities.

// amount is money with a true minus sign (U+2212): « −1 234,50 € ».
func (p *page) amount(cents int64) string {
	s := p.money(cents)
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return "\u2212" + rest
	}
	return s
}

// thousandths prints a quantity given in thousandths without trailing zeros:
// 1500 → "1,5", 2000 → "2", -2000 → "−2".
func (p *page) thousandths(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "\u2212", -n
	}
	s := strconv.FormatInt(n/1000, 10)
	if frac := n % 1000; frac != 0 {
		mark := ","
		if p.lang == i18n.EN {
			mark = "."
		}
		s += mark + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	}
	return sign + s
}

// vatLabel is a rate with, for a category that charges no VAT, its label:
// "20 %", "0 % – exonération".
func (p *page) vatLabel(category string, rateBP int64) string {
	switch c := strings.ToLower(category); c {
	case "", "s", "z":
		return p.rate(rateBP)
	case "e", "ae", "g", "o", "k":
		return p.t("invoice.vat_row", p.rate(rateBP), p.t("invoice.cat."+c))
	default:
		return p.t("invoice.vat_row", p.rate(rateBP), category)
	}
}

// invCol is a column of an invoice table; the first one takes the width
// the others leave.
type invCol struct {
	title string
	w     float64
	align string
}

// invRow is a table row: a label with an optional detail underneath, then
// the other cells.
type invRow struct {
	label, detail string
	cells         []string
}

const (
	invPad     = 1.3
	invLineH   = 4.0
	invDetailH = 3.3
	invSize    = 8.5
	invDetail  = 7.2
	invHead    = 7.5
)

// invoiceLines draws the taxable lines; the discount column appears when a
// line has a discount.
func (p *page) invoiceLines(lines []InvoiceLine) {
	discount := false
	for _, l := range lines {
		discount = discount || l.Discount != 0
	}
	cols := []invCol{{p.t("invoice.col.designation"), 0, "L"}, {p.t("invoice.col.qty"), 27, "R"},
		{p.t("invoice.col.unit_price"), 25, "R"}}
	if discount {
		cols = append(cols, invCol{p.t("invoice.col.discount"), 22, "R"})
	}
	cols = append(cols, invCol{p.t("invoice.col.vat"), 13, "R"}, invCol{p.t("invoice.col.net"), 26, "R"})
	rows := make([]invRow, len(lines))
	for i, l := range lines {
		cells := p.qtyCells(l)
		if discount {
			cells = append(cells, "")
			if l.Discount != 0 {
				cells[len(cells)-1] = p.amount(l.Discount)
			}
		}
		rows[i] = invRow{l.Designation, l.Detail, append(cells, p.rate(l.RateBP), p.amount(l.Net))}
	}
	p.invTable(cols, rows)
}

// outOfBaseLines draws the débours: no VAT column.
func (p *page) outOfBaseLines(lines []InvoiceLine) {
	cols := []invCol{{p.t("invoice.col.designation"), 0, "L"}, {p.t("invoice.col.qty"), 27, "R"},
		{p.t("invoice.col.unit_price"), 25, "R"}, {p.t("invoice.col.amount"), 26, "R"}}
	rows := make([]invRow, len(lines))
	for i, l := range lines {
		rows[i] = invRow{l.Designation, l.Detail, append(p.qtyCells(l), p.amount(l.Net))}
	}
	p.invTable(cols, rows)
}

// qtyCells are the quantity with its unit ("1,5 jours") and the unit price,
// blank for a line without a quantity (a flat amount).
func (p *page) qtyCells(l InvoiceLine) []string {
	if l.Quantity == 0 {
		return []string{l.Unit, ""}
	}
	return []string{join("\u00a0", p.thousandths(l.Quantity), l.Unit), p.amount(l.UnitPrice)}
}

// invTable draws rows under a header that repeats on each page; a row never
// straddles two pages.
func (p *page) invTable(cols []invCol, rows []invRow) {
	widths := make([]float64, len(cols))
	head := invRow{label: cols[0].title}
	rest := p.bodyWidth()
	for i, c := range cols[1:] {
		widths[i+1] = c.w
		rest -= c.w
		head.cells = append(head.cells, c.title)
	}
	widths[0] = rest
	first := 0.0
	if len(rows) > 0 {
		first = p.invRowHeight(widths, rows[0], false)
	}
	p.ensure(p.invRowHeight(widths, head, true) + first)
	p.invRow(cols, widths, head, true)
	for _, r := range rows {
		if p.ensure(p.invRowHeight(widths, r, false)) {
			p.invRow(cols, widths, head, true)
		}
		p.invRow(cols, widths, r, false)
	}
	p.gap(3)
}

// invRowHeight is the height a row needs.
func (p *page) invRowHeight(widths []float64, r invRow, header bool) float64 {
	size := invSize
	if header {
		size = invHead
	}
	p.font(header, size, black)
	n := len(p.f.SplitText(r.label, widths[0]-2*invPad))
	for i, s := range r.cells {
		n = max(n, len(p.f.SplitText(s, widths[i+1]-2*invPad)))
	}
	h := float64(n)*invLineH + 2*invPad
	if r.detail != "" {
		label := len(p.f.SplitText(r.label, widths[0]-2*invPad))
		p.font(false, invDetail, grey)
		detail := float64(label)*invLineH + 0.2 + float64(len(p.f.SplitText(r.detail, widths[0]-2*invPad)))*invDetailH
		h = max(h, detail+2*invPad)
	}
	return h
}

// invRow draws a row at the current position: the header filled with a tint
// of the accent, body rows separated by a thin rule.
func (p *page) invRow(cols []invCol, widths []float64, r invRow, header bool) {
	h := p.invRowHeight(widths, r, header)
	y := p.f.GetY()
	size := invSize
	if header {
		size = invHead
		fill := p.accent.tint(0.15)
		p.f.SetFillColor(fill.r, fill.g, fill.b)
		p.f.Rect(marginX, y, p.bodyWidth(), h, "F")
	}
	cells := append([]string{r.label}, r.cells...)
	x := marginX
	for i, s := range cells {
		p.font(header, size, black)
		lines := p.f.SplitText(s, widths[i]-2*invPad)
		for j, l := range lines {
			p.f.SetXY(x+invPad, y+invPad+float64(j)*invLineH)
			p.f.CellFormat(widths[i]-2*invPad, invLineH, l, "", 0, cols[i].align, false, 0, "")
		}
		if i == 0 && r.detail != "" {
			p.font(false, invDetail, grey)
			top := y + invPad + float64(len(lines))*invLineH + 0.2
			for j, l := range p.f.SplitText(r.detail, widths[i]-2*invPad) {
				p.f.SetXY(x+invPad, top+float64(j)*invDetailH)
				p.f.CellFormat(widths[i]-2*invPad, invDetailH, l, "", 0, "L", false, 0, "")
			}
		}
		x += widths[i]
	}
	p.f.SetDrawColor(lightGrey.r, lightGrey.g, lightGrey.b)
	p.f.SetLineWidth(0.2)
	p.f.Line(marginX, y+h, p.w-marginX, y+h)
	p.f.SetXY(marginX, y+h)
}
