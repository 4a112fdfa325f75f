package pdf

// drawConvocationAcme is the convocation variant "acme", the example of a
// client-specific layout (docs/documents.md): the client's colour leads, the
// timetable is a list, and a framed notice tells trainees how to enter a
// guarded site. Same input, same texts catalogue.
func drawConvocationAcme(p *page, doc Document) error {
	d, err := as[Convocation](doc)
	if err != nil {
		return err
	}
	p.accent = p.second
	p.f.AddPage()
	p.title(titleOf(d.Frame, p.lang, KindConvocation), join(" — ", d.Trainee.Name, d.Company, p.reference()))
	p.para(p.t("convocation.hello", d.Trainee.Name), false)
	p.para(p.t("convocation.text", d.Action.Title, p.fr.Broker.Name), false)

	p.heading(p.t("convocation.when"))
	p.timetable(d.Action)
	p.fields(45, [2]string{p.t("field.duration"), p.plannedDuration(d.Action)})
	p.heading(p.t("convocation.where"))
	p.where(d.Action)
	if !d.Action.Remote {
		p.notice(p.t("acme.access"))
	}
	if len(d.PracticalInfo) > 0 {
		p.heading(p.t("convocation.practical"))
		p.bullets(d.PracticalInfo)
	}
	p.fields(45, [2]string{p.t("field.contact"), d.Contact})
	p.gap(3)
	p.para(p.t("convocation.closing"), false)
	p.para(join("\n", d.Signatory.Name, d.Signatory.Role, p.fr.Broker.Name), false)
	return nil
}

// notice draws text in a box tinted with the accent.
func (p *page) notice(text string) {
	p.font(true, bodySize, black)
	lines := len(p.f.SplitText(text, p.bodyWidth()-6))
	h := float64(lines)*lineH + 4
	p.ensure(h + 2)
	fill := p.accent.tint(0.12)
	p.f.SetFillColor(fill.r, fill.g, fill.b)
	p.f.SetDrawColor(p.accent.r, p.accent.g, p.accent.b)
	y := p.f.GetY()
	p.f.Rect(marginX, y, p.bodyWidth(), h, "FD")
	p.f.SetXY(marginX+3, y+2)
	p.f.MultiCell(p.bodyWidth()-6, lineH, text, "", "L", false)
	p.f.SetXY(marginX, y+h+3)
}
