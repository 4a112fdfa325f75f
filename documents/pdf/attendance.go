package pdf

import (
	"fmt"
)

// AttendanceSheet is the feuille d'émargement of one session: a line per
// trainee, a signature box per half-day, and the trainer's row.
type AttendanceSheet struct {
	Frame    `json:"frame"`
	Company  string    `json:"company,omitempty"` // the client, for an intra-company session
	Action   Action    `json:"action"`
	Trainees []Trainee `json:"trainees"`
}

// Grid geometry on a landscape A4 (277 mm between the margins): ten
// half-day columns beside the names, i.e. five days per page side.
const (
	gridNameW   = 62.0
	gridMaxCols = 10
	gridDayH    = 5.5
	gridSlotH   = 7.5
	gridRowH    = 8.0
	gridTrainer = 9.5
)

func drawAttendance(p *page, doc Document) error {
	d, err := as[AttendanceSheet](doc)
	if err != nil {
		return err
	}
	trainees := d.Trainees
	if len(trainees) == 0 {
		trainees = make([]Trainee, 12) // blank lines to fill in by hand
	}
	colW := (p.bodyWidth() - gridNameW) / gridMaxCols
	days := d.Action.days()
	if len(days) == 0 {
		return fmt.Errorf("pdf: attendance sheet without half-days")
	}
	// Column groups: whole days (one or two half-days each), at most
	// gridMaxCols half-days per page.
	var groups [][][]Slot
	n := 0
	for _, day := range days {
		if len(groups) == 0 || n+len(day) > gridMaxCols {
			groups = append(groups, nil)
			n = 0
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], day)
		n += len(day)
	}

	// Rows: as many pages as needed, balanced so that the last one does not
	// hold a lone trainee. The room left is measured under the first title.
	size, total := 0, len(d.Action.Slots)
	for gi, group := range groups {
		for start := 0; start < len(trainees); {
			p.f.AddPage()
			p.sheetTitle(d)
			if size == 0 {
				room := p.limit() - p.f.GetY() - gridDayH - gridSlotH - gridTrainer
				perPage := max(1, int(room/gridRowH))
				pages := (len(trainees) + perPage - 1) / perPage
				size = (len(trainees) + pages - 1) / pages
			}
			end := min(start+size, len(trainees))
			p.grid(group, gridRange{start, end, len(trainees)}, gridRange{firstSlot(groups, gi), firstSlot(groups, gi+1), total}, trainees[start:end], d.Action.Trainer, colW)
			start = end
		}
	}
	return nil
}

// sheetTitle is repeated on each page so that any page alone names the
// session; it is kept to four short lines to leave room for the grid.
func (p *page) sheetTitle(d AttendanceSheet) {
	a := d.Action
	y := p.f.GetY()
	p.font(false, 7.5, grey)
	p.f.CellFormat(p.bodyWidth(), 6, p.reference(), "", 0, "R", false, 0, "")
	p.f.SetXY(marginX, y)
	p.font(true, 13, p.accent)
	p.f.CellFormat(p.bodyWidth()*0.7, 6, titleOf(d.Frame, p.lang, KindAttendance), "", 1, "L", false, 0, "")
	p.font(true, 9.5, black)
	p.f.MultiCell(p.bodyWidth(), 4.8, a.Title, "", "L", false)
	place := a.Place
	if a.Remote {
		place = p.t("remote")
	}
	first, last := a.span()
	p.font(false, 7.5, grey)
	info := join(" · ", d.Company, place, p.period(first, last), p.plannedDuration(a), p.labelled("field.trainer", a.Trainer))
	p.f.MultiCell(p.bodyWidth(), 3.6, info, "", "L", false)
	p.f.MultiCell(p.bodyWidth(), 3.6, p.t("sheet.help"), "", "L", false)
	p.gap(1.5)
}

// grid draws the header rows (days, then half-days), one row per trainee
// and the trainer's row.
func (p *page) grid(days [][]Slot, rows, cols gridRange, trainees []Trainee, trainer string, colW float64) {
	f := p.f
	y := f.GetY()
	fill := p.accent.tint(0.15)
	f.SetFillColor(fill.r, fill.g, fill.b)
	f.SetDrawColor(grey.r, grey.g, grey.b)
	f.SetLineWidth(0.2)

	// Header: the names column spans both header rows and says which part
	// of the session this page holds.
	f.Rect(marginX, y, gridNameW, gridDayH+gridSlotH, "FD")
	p.font(true, 8, black)
	f.SetXY(marginX+1, y+2)
	f.CellFormat(gridNameW-2, 4, p.t("sheet.trainee", rows.from+1, rows.to, rows.of), "", 2, "L", false, 0, "")
	p.font(false, 7, black)
	f.SetX(marginX + 1)
	f.CellFormat(gridNameW-2, 4, p.t("sheet.halfdays", cols.from+1, cols.to, cols.of), "", 0, "L", false, 0, "")
	x := marginX + gridNameW
	for _, day := range days {
		f.SetXY(x, y)
		p.font(true, 7.5, black)
		f.CellFormat(colW*float64(len(day)), gridDayH, p.day(day[0].Start), "1", 0, "C", true, 0, "")
		for _, s := range day {
			half := "slot.afternoon"
			if s.morning() {
				half = "slot.morning"
			}
			f.Rect(x, y+gridDayH, colW, gridSlotH, "FD")
			p.font(false, 6.5, black)
			f.SetXY(x, y+gridDayH+0.6)
			f.CellFormat(colW, 3.4, p.t(half), "", 2, "C", false, 0, "")
			f.SetX(x)
			f.CellFormat(colW, 3.4, times(s), "", 0, "C", false, 0, "")
			x += colW
		}
	}
	y += gridDayH + gridSlotH
	n := countSlots(days)

	for _, t := range trainees {
		f.Rect(marginX, y, gridNameW, gridRowH, "D")
		p.font(true, 8, black)
		f.SetXY(marginX+1, y+0.8)
		f.CellFormat(gridNameW-2, 3.8, p.fit(t.Name, gridNameW-2), "", 2, "L", false, 0, "")
		p.font(false, 6.5, grey)
		f.SetX(marginX + 1)
		f.CellFormat(gridNameW-2, 3.2, p.fit(join(" · ", t.JobTitle, t.Company), gridNameW-2), "", 0, "L", false, 0, "")
		for i := range n {
			f.Rect(marginX+gridNameW+float64(i)*colW, y, colW, gridRowH, "D")
		}
		y += gridRowH
	}

	// The trainer signs each half-day too.
	f.Rect(marginX, y, gridNameW, gridTrainer, "FD")
	p.font(true, 8, black)
	f.SetXY(marginX+1, y+1.2)
	f.CellFormat(gridNameW-2, 3.8, p.t("sheet.trainer"), "", 2, "L", false, 0, "")
	p.font(false, 7, black)
	f.SetX(marginX + 1)
	f.CellFormat(gridNameW-2, 3.6, trainer, "", 0, "L", false, 0, "")
	for i := range n {
		f.Rect(marginX+gridNameW+float64(i)*colW, y, colW, gridTrainer, "D")
	}
	f.SetXY(marginX, y+gridTrainer)
}

// gridRange is the part of the trainees or half-days on a page: from..to
// (end excluded) of the total.
type gridRange struct{ from, to, of int }

func countSlots(days [][]Slot) int {
	n := 0
	for _, d := range days {
		n += len(d)
	}
	return n
}

// firstSlot is the index of group gi's first half-day over the session
// (the total for gi == len(groups)).
func firstSlot(groups [][][]Slot, gi int) int {
	n := 0
	for _, g := range groups[:gi] {
		n += countSlots(g)
	}
	return n
}
