package pdf

// Convocation invites one trainee: dates with the half-day timetable, place
// or remote link, practical information.
type Convocation struct {
	Frame         `json:"frame"`
	Trainee       Trainee   `json:"trainee"`
	Company       string    `json:"company,omitempty"` // the trainee's employer
	Action        Action    `json:"action"`
	PracticalInfo []string  `json:"practical_info,omitempty"` // access, meals, equipment, rules
	Contact       string    `json:"contact,omitempty"`        // whom to call about the session
	Signatory     Signatory `json:"signatory"`
}

func drawConvocation(p *page, doc Document) error {
	d, err := as[Convocation](doc)
	if err != nil {
		return err
	}
	p.f.AddPage()
	p.addressee(d.Trainee.Name, d.Company)
	p.title(titleOf(d.Frame, p.lang, KindConvocation), p.reference())
	p.para(p.t("convocation.hello", d.Trainee.Name), false)
	p.para(p.t("convocation.text", d.Action.Title, p.fr.Broker.Name), false)

	p.headingKeep(p.t("convocation.when"), 22)
	p.slotTable(d.Action)
	p.heading(p.t("convocation.where"))
	p.where(d.Action)
	if len(d.PracticalInfo) > 0 {
		p.heading(p.t("convocation.practical"))
		p.bullets(d.PracticalInfo)
	}
	p.fields(45, [2]string{p.t("field.contact"), d.Contact})
	p.gap(3)
	p.para(p.t("convocation.closing"), false)
	p.gap(2)
	p.para(join("\n", d.Signatory.Name, d.Signatory.Role, p.fr.Broker.Name), false)
	return nil
}

// addressee writes the trainee's name and company in the right half, as on a
// letter.
func (p *page) addressee(name, company string) {
	x := marginX + p.bodyWidth()/2 + 10
	p.f.SetXY(x, p.f.GetY())
	p.font(true, bodySize, black)
	p.f.MultiCell(p.w-marginX-x, lineH, name, "", "L", false)
	if company != "" {
		p.f.SetX(x)
		p.font(false, bodySize, black)
		p.f.MultiCell(p.w-marginX-x, lineH, company, "", "L", false)
	}
	p.gap(6)
}

// slotTable is the timetable: one row per day, morning and afternoon.
func (p *page) slotTable(a Action) {
	var rows [][]string
	for _, day := range a.days() {
		row := []string{p.day(day[0].Start), "", ""}
		for _, s := range day {
			col := 2
			if s.morning() {
				col = 1
			}
			row[col] = join(", ", row[col], times(s))
		}
		rows = append(rows, row)
	}
	p.table([]column{
		{p.t("slot.day"), 40, "L"},
		{p.t("slot.morning"), 30, "C"},
		{p.t("slot.afternoon"), 30, "C"},
	}, rows)
	p.fields(45, [2]string{p.t("field.duration"), p.plannedDuration(a)})
}

// where is the place, or the remote link.
func (p *page) where(a Action) {
	if a.Remote {
		p.para(p.t("remote.text"), false)
		p.fields(45, [2]string{p.t("field.link"), a.RemoteLink})
	} else {
		p.para(a.Place, false)
	}
	p.fields(45, [2]string{p.t("field.trainer"), a.Trainer})
}
