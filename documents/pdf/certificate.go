package pdf

// Certificate is the attestation de fin de formation the training body gives
// each trainee at the end of the action (art. L6353-1 Code du travail): its
// objectives, nature and duration, and the assessment's results.
type Certificate struct {
	Frame           `json:"frame"`
	Trainee         Trainee   `json:"trainee"`
	Company         string    `json:"company,omitempty"`
	Action          Action    `json:"action"`
	AttendedMinutes int       `json:"attended_minutes"`
	Result          string    `json:"result,omitempty"` // assessment result, when there was one
	Place           string    `json:"place,omitempty"`  // "Fait à"
	Signatory       Signatory `json:"signatory"`
}

func drawCertificate(p *page, doc Document) error {
	d, err := as[Certificate](doc)
	if err != nil {
		return err
	}
	a := d.Action
	p.f.AddPage()
	p.title(titleOf(d.Frame, p.lang, KindCertificate), p.reference())
	p.para(p.t("certificate.intro", join(", ", d.Signatory.Name, d.Signatory.Role), p.fr.Broker.Name), false)
	p.gap(1)
	p.font(true, 12, black)
	p.f.MultiCell(p.bodyWidth(), 6, d.Trainee.Name, "", "C", false)
	if d.Company != "" {
		p.font(false, bodySize, black)
		p.f.MultiCell(p.bodyWidth(), lineH, p.t("certificate.employee", d.Company), "", "C", false)
	}
	p.gap(2)
	p.para(p.t("certificate.followed"), false)
	p.font(true, 11, p.accent)
	p.f.MultiCell(p.bodyWidth(), 5.5, a.Title, "", "C", false)
	p.gap(3)

	first, last := a.span()
	place := a.Place
	if a.Remote {
		place = p.t("remote")
	}
	p.fields(55,
		[2]string{p.t("field.nature"), p.category(a.Category)},
		[2]string{p.t("field.dates"), p.period(first, last)},
		[2]string{p.t("field.place"), place},
		[2]string{p.t("field.planned"), p.duration(a.plannedMinutes())},
		[2]string{p.t("field.attended"), p.duration(d.AttendedMinutes)},
		[2]string{p.t("field.provider"), a.Provider},
	)
	p.heading(p.t("certificate.objectives"))
	p.bullets(a.Objectives)
	if d.Result != "" {
		p.heading(p.t("certificate.result"))
		p.para(d.Result, false)
	}
	p.gap(2)
	p.para(p.t("certificate.law"), false)
	p.para(p.doneAt(d.Place), false)
	p.signatures(signBox{
		heading: p.fr.Broker.Name,
		lines:   []string{join(", ", d.Signatory.Name, d.Signatory.Role)},
		prompt:  p.t("sign.prompt"),
	})
	return nil
}
