package pdf

import "time"

// Programme is the training programme annexed to the agreement: what the
// action teaches, to whom, how and how it is assessed.
type Programme struct {
	Frame         `json:"frame"`
	Action        Action    `json:"action"` // title, category, objectives, duration, trainer, assessment
	AgreementRef  string    `json:"agreement_ref,omitempty"`
	Version       string    `json:"version,omitempty"`
	Updated       time.Time `json:"updated,omitzero"`
	Public        string    `json:"public,omitempty"`
	Prerequisites string    `json:"prerequisites,omitempty"`
	Modules       []Module  `json:"modules"`
	Methods       string    `json:"methods,omitempty"`       // teaching methods and means
	Delivery      string    `json:"delivery,omitempty"`      // in person, remote, intra or inter
	Accessibility string    `json:"accessibility,omitempty"` // for disabled people (Qualiopi indicator 26)
	Contact       string    `json:"contact,omitempty"`
}

// Module is one part of a programme's content.
type Module struct {
	Title   string   `json:"title"`
	Minutes int      `json:"minutes,omitempty"`
	Items   []string `json:"items,omitempty"`
}

func drawProgramme(p *page, doc Document) error {
	d, err := as[Programme](doc)
	if err != nil {
		return err
	}
	a := d.Action
	p.f.AddPage()
	sub := []string{p.reference()}
	if d.AgreementRef != "" {
		sub = append(sub, p.t("programme.annex", d.AgreementRef))
	}
	if d.Version != "" || !d.Updated.IsZero() {
		sub = append(sub, join(", ", prefix(p.t("programme.version")+" ", d.Version), prefix(p.t("programme.updated")+" ", p.date(d.Updated))))
	}
	p.title(titleOf(d.Frame, p.lang, KindProgramme), join(" — ", sub...))
	p.font(true, 13, black)
	p.f.MultiCell(p.bodyWidth(), 6.5, a.Title, "", "L", false)
	p.gap(3)

	p.fields(45,
		[2]string{p.t("field.nature"), p.category(a.Category)},
		[2]string{p.t("field.duration"), p.plannedDuration(a)},
		[2]string{p.t("field.public"), d.Public},
		[2]string{p.t("field.prerequisites"), d.Prerequisites},
		[2]string{p.t("field.delivery"), d.Delivery},
		[2]string{p.t("field.trainer"), a.Trainer},
	)
	p.heading(p.t("programme.objectives"))
	p.bullets(a.Objectives)

	p.heading(p.t("programme.content"))
	for i, m := range d.Modules {
		title := p.t("programme.module", i+1, m.Title)
		if m.Minutes > 0 {
			title += " (" + p.duration(m.Minutes) + ")"
		}
		p.ensure(2 * lineH)
		p.para(title, true)
		p.bullets(m.Items)
	}
	for _, s := range []struct{ key, text string }{
		{"programme.methods", d.Methods},
		{"programme.assessment", a.Assessment},
		{"programme.accessibility", d.Accessibility},
		{"programme.contact", d.Contact},
	} {
		if s.text != "" {
			p.heading(p.t(s.key))
			p.para(s.text, false)
		}
	}
	return nil
}
