package pdf

import (
	"strings"
)

// Drawing helpers shared by the layouts. Sizes are millimetres, font sizes
// points. Everything flows down the page from the current position.

const (
	bodySize = 9.5
	lineH    = 4.6
)

// font sets the family's style, size and text colour.
func (p *page) font(bold bool, size float64, c rgb) {
	style := ""
	if bold {
		style = "B"
	}
	p.f.SetFont(family, style, size)
	p.f.SetTextColor(c.r, c.g, c.b)
}

// bodyWidth is the width between the margins.
func (p *page) bodyWidth() float64 { return p.w - 2*marginX }

// limit is the lowest y the body may reach.
func (p *page) limit() float64 { return p.h - bodyBottom }

// ensure starts a new page unless h millimetres are left, so that a block
// that must stay whole (a table row, a signature box) is never cut.
func (p *page) ensure(h float64) bool {
	if p.f.GetY()+h > p.limit() {
		p.f.AddPage()
		return true
	}
	return false
}

// gap moves down.
func (p *page) gap(h float64) { p.f.SetY(p.f.GetY() + h) }

// title draws the document title and an optional subtitle line.
func (p *page) title(text, sub string) {
	p.font(true, 16, p.accent)
	p.f.SetX(marginX)
	p.f.MultiCell(p.bodyWidth(), 7.5, text, "", "L", false)
	if sub != "" {
		p.font(false, 9, grey)
		p.f.MultiCell(p.bodyWidth(), 4.5, sub, "", "L", false)
	}
	p.gap(3)
}

// heading draws a section heading, kept with at least two lines after it.
func (p *page) heading(text string) { p.headingKeep(text, 2*lineH) }

// headingKeep draws a section heading kept with keep millimetres after it,
// so that it never ends a page alone.
func (p *page) headingKeep(text string, keep float64) {
	p.ensure(9.5 + keep)
	p.gap(2)
	p.font(true, 10.5, p.accent)
	p.f.SetX(marginX)
	p.f.CellFormat(p.bodyWidth(), 6, text, "B", 1, "L", false, 0, "")
	p.gap(1.5)
}

// para draws a paragraph; bold for emphasis.
func (p *page) para(text string, bold bool) {
	if strings.TrimSpace(text) == "" {
		return
	}
	p.font(bold, bodySize, black)
	p.f.SetX(marginX)
	p.f.MultiCell(p.bodyWidth(), lineH, text, "", "L", false)
	p.gap(1)
}

// bullets draws a list.
func (p *page) bullets(items []string) {
	p.font(false, bodySize, black)
	for _, it := range items {
		if strings.TrimSpace(it) == "" {
			continue
		}
		p.ensure(lineH)
		p.f.SetX(marginX + 2)
		p.f.CellFormat(4, lineH, "•", "", 0, "L", false, 0, "")
		p.f.MultiCell(p.bodyWidth()-6, lineH, it, "", "L", false)
	}
	p.gap(1)
}

// fields draws label/value rows; empty values are left out.
func (p *page) fields(labelW float64, rows ...[2]string) {
	for _, r := range rows {
		if strings.TrimSpace(r[1]) == "" {
			continue
		}
		p.font(false, bodySize, black)
		lines := len(p.f.SplitText(r[1], p.bodyWidth()-labelW))
		p.ensure(float64(lines) * lineH)
		y := p.f.GetY()
		p.font(true, bodySize, grey)
		p.f.SetXY(marginX, y)
		p.f.MultiCell(labelW, lineH, r[0], "", "L", false)
		p.font(false, bodySize, black)
		p.f.SetXY(marginX+labelW, y)
		p.f.MultiCell(p.bodyWidth()-labelW, lineH, r[1], "", "L", false)
		p.f.SetY(max(p.f.GetY(), y+lineH) + 0.8)
	}
}

// column is a table column.
type column struct {
	title string
	w     float64 // share of the width when the columns do not fill it exactly
	align string  // "L", "C" or "R"
}

// table draws rows under a header row that repeats on each new page. A row
// grows to its tallest cell and never straddles two pages.
func (p *page) table(cols []column, rows [][]string) {
	sum := 0.0
	for _, c := range cols {
		sum += c.w
	}
	widths := make([]float64, len(cols))
	head := make([]string, len(cols))
	for i, c := range cols {
		widths[i] = c.w * p.bodyWidth() / sum
		head[i] = c.title
	}
	p.ensure(20)
	p.tableRow(cols, widths, head, true)
	for _, r := range rows {
		if p.ensure(p.rowHeight(widths, r, false)) {
			p.tableRow(cols, widths, head, true)
		}
		p.tableRow(cols, widths, r, false)
	}
	p.gap(2)
}

const (
	cellPad   = 1.2
	cellLineH = 4.2
)

// rowHeight is the height a table row needs.
func (p *page) rowHeight(widths []float64, cells []string, header bool) float64 {
	p.font(header, 8.5, black)
	n := 1
	for i, s := range cells {
		n = max(n, len(p.f.SplitText(s, widths[i]-2*cellPad)))
	}
	return float64(n)*cellLineH + 2*cellPad
}

// tableRow draws one row at the current position; the header is filled with
// a tint of the accent.
func (p *page) tableRow(cols []column, widths []float64, cells []string, header bool) {
	h := p.rowHeight(widths, cells, header)
	fill := p.accent.tint(0.15)
	p.f.SetFillColor(fill.r, fill.g, fill.b)
	p.f.SetDrawColor(lightGrey.r, lightGrey.g, lightGrey.b)
	style := "D"
	if header {
		style = "FD"
	}
	y, x := p.f.GetY(), marginX
	for i, s := range cells {
		p.f.Rect(x, y, widths[i], h, style)
		align := cols[i].align
		for j, l := range p.f.SplitText(s, widths[i]-2*cellPad) {
			p.f.SetXY(x+cellPad, y+cellPad+float64(j)*cellLineH)
			p.f.CellFormat(widths[i]-2*cellPad, cellLineH, l, "", 0, align, false, 0, "")
		}
		x += widths[i]
	}
	p.f.SetXY(marginX, y+h)
}

// signBox is one signature block: who signs and what the box asks for.
type signBox struct {
	heading string
	lines   []string // name, role, date...
	prompt  string   // "Signature et cachet"
}

// signatures draws side-by-side signature blocks, kept on one page; a lone
// block takes the right half, where a signature is expected.
func (p *page) signatures(boxes ...signBox) {
	const boxH, gapW = 28.0, 8.0
	w := (p.bodyWidth() - gapW) / 2
	x0 := marginX
	if len(boxes) == 1 {
		x0 += w + gapW
	}
	lines := make([][]string, len(boxes))
	prompts := make([][]string, len(boxes))
	n, m := 0, 0
	for i, b := range boxes {
		p.font(false, bodySize, black)
		for _, l := range b.lines {
			lines[i] = append(lines[i], p.f.SplitText(l, w)...)
		}
		p.font(false, 7.5, grey)
		prompts[i] = p.f.SplitText(b.prompt, w)
		n, m = max(n, len(lines[i])), max(m, len(prompts[i]))
	}
	textH := 6 + float64(n)*lineH
	promptH := float64(m)*3.4 + 1
	p.ensure(2 + textH + promptH + boxH + 2)
	p.gap(2)
	y0 := p.f.GetY()
	for i, b := range boxes {
		x := x0 + float64(i)*(w+gapW)
		p.f.SetXY(x, y0)
		p.font(true, bodySize, p.accent)
		p.f.CellFormat(w, 6, b.heading, "", 2, "L", false, 0, "")
		p.font(false, bodySize, black)
		for _, l := range lines[i] {
			p.f.SetX(x)
			p.f.CellFormat(w, lineH, l, "", 2, "L", false, 0, "")
		}
		p.font(false, 7.5, grey)
		p.f.SetXY(x, y0+textH)
		for _, l := range prompts[i] {
			p.f.SetX(x)
			p.f.CellFormat(w, 3.4, l, "", 2, "L", false, 0, "")
		}
		p.f.SetDrawColor(lightGrey.r, lightGrey.g, lightGrey.b)
		p.f.Rect(x, y0+textH+promptH, w, boxH, "D")
	}
	p.f.SetXY(marginX, y0+textH+promptH+boxH+2)
}

// fit shortens s with an ellipsis until it fits w in the current font, for
// cells that cannot grow (the attendance grid).
func (p *page) fit(s string, w float64) string {
	w -= 2 * p.f.GetCellMargin()
	if p.f.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && p.f.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
