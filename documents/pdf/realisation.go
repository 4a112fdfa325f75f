package pdf

import "fmt"

// Realisation is the certificat de réalisation: the standard form funders
// require to pay, attesting the hours a trainee actually did (its wording
// follows the Ministry of Labour's model; the English version translates it
// and keeps the French name).
type Realisation struct {
	Frame       `json:"frame"`
	Signatory   Signatory `json:"signatory"` // the training body's legal representative
	Trainee     Trainee   `json:"trainee"`
	Company     Party     `json:"company"` // the employer; empty for a person on his own
	Action      Action    `json:"action"`
	DoneMinutes int       `json:"done_minutes"`
	Place       string    `json:"place,omitempty"` // "Fait à"
}

func drawRealisation(p *page, doc Document) error {
	d, err := as[Realisation](doc)
	if err != nil {
		return err
	}
	a := d.Action
	p.f.AddPage()
	p.title(titleOf(d.Frame, p.lang, KindRealisation), p.reference())
	b := p.fr.Broker
	p.para(p.t("realisation.undersigned", d.Signatory.Name, join(", ", b.Name, p.ndaShort())), false)
	p.para(p.t("realisation.attests"), false)
	p.line(d.Trainee.Name)
	if d.Company.Name != "" {
		p.para(p.t("realisation.employee"), false)
		p.line(join(", ", d.Company.Name, d.Company.Address))
	}
	p.para(p.t("realisation.followed"), false)
	p.line(a.Title)

	p.para(p.t("realisation.nature"), false)
	cat := a.Category
	if cat == "" {
		cat = CategoryTraining
	}
	for _, c := range Categories {
		// Ballot boxes are glyphs, not drawings, so the choice is in the text.
		box := "☐"
		if c == cat {
			box = "☒"
		}
		p.font(false, bodySize, black)
		p.f.SetX(marginX + 6)
		p.f.CellFormat(p.bodyWidth()-6, lineH+0.6, box+"  "+p.t("realisation.category."+string(c)), "", 1, "L", false, 0, "")
	}
	p.gap(2)
	first, last := a.span()
	p.para(p.t("realisation.period", p.date(first), p.date(last)), false)
	p.para(p.t("realisation.duration", p.duration(d.DoneMinutes)), true)
	if planned := a.plannedMinutes(); planned > 0 {
		pct := divRound(int64(d.DoneMinutes)*100, int64(planned))
		p.para(p.t("realisation.assiduity", p.duration(d.DoneMinutes), p.duration(planned), fmt.Sprint(pct)), false)
	}
	p.gap(2)
	p.para(p.t("realisation.keep"), false)
	p.gap(2)
	p.fields(30, [2]string{p.t("realisation.at"), d.Place}, [2]string{p.t("realisation.on"), p.date(p.fr.Date)})
	p.signatures(signBox{
		heading: p.t("realisation.sign"),
		lines:   []string{join(", ", d.Signatory.Name, b.Name)},
		prompt:  p.t("sign.stamp"),
	})
	return nil
}

// line draws a filled-in field of a form: bold, indented, on a light rule.
func (p *page) line(text string) {
	p.font(true, 10, black)
	p.f.SetDrawColor(lightGrey.r, lightGrey.g, lightGrey.b)
	p.ensure(6)
	p.f.SetX(marginX + 6)
	p.f.MultiCell(p.bodyWidth()-6, 5.5, text, "B", "L", false)
	p.gap(2)
}
