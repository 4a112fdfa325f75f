package pdf

import (
	"fmt"
	"strings"
)

// Agreement is the training agreement between the broker, as training body,
// and the paying client (convention de formation, art. L6353-1 and D6353-1
// Code du travail), or the contract with an individual paying for himself
// (contrat de formation, art. L6353-3 to L6353-7).
type Agreement struct {
	Frame             `json:"frame"`
	Client            Party     `json:"client"`
	Individual        bool      `json:"individual,omitempty"` // the client is a person paying for himself
	Action            Action    `json:"action"`
	Trainees          []Trainee `json:"trainees,omitempty"`
	TraineeCount      int       `json:"trainee_count,omitempty"` // when the names are not known yet
	Lines             []Line    `json:"lines"`
	VATMention        string    `json:"vat_mention,omitempty"`
	PaymentTerms      string    `json:"payment_terms,omitempty"`
	Funding           string    `json:"funding,omitempty"`            // e.g. OPCO and subrogation
	CancellationTerms string    `json:"cancellation_terms,omitempty"` // empty prints the default clause
	Place             string    `json:"place,omitempty"`              // where it is signed: "Fait à"
	Signatory         Signatory `json:"signatory"`                    // for the broker
}

func drawAgreement(p *page, doc Document) error {
	d, err := as[Agreement](doc)
	if err != nil {
		return err
	}
	titleKey, who := "title.agreement", "agreement.client"
	if d.Individual {
		titleKey, who = "title.agreement.individual", "agreement.trainee"
	}
	title := p.t(titleKey)
	if d.Frame.Title != "" {
		title = d.Frame.Title
	}
	p.f.SetTitle(title, true)
	p.f.AddPage()
	p.title(title, join(" — ", p.t(titleKey+".law"), p.reference()))

	b := p.fr.Broker
	p.para(p.t("agreement.between"), true)
	p.para(join("\n", b.Name+", "+strings.ReplaceAll(b.Address, "\n", ", "),
		join(" · ", prefix("SIRET ", b.SIRET), p.ndaShort()),
		p.t("agreement.represented", join(", ", d.Signatory.Name, d.Signatory.Role)),
		p.t("agreement.provider")), false)
	p.para(p.t("agreement.and"), true)
	c := d.Client
	rep := ""
	if c.Representative != "" {
		rep = p.t("agreement.represented", join(", ", c.Representative, c.Role))
	}
	p.para(join("\n", join(", ", c.Name, strings.ReplaceAll(c.Address, "\n", ", ")),
		prefix("SIRET ", c.SIRET), rep, p.t(who)), false)
	p.para(p.t("agreement.preamble"), false)

	a := d.Action
	art := 0
	article := func(key string) {
		art++
		p.heading(p.t("article", art, p.t(key)))
	}
	// A price table needs its header and first line under the heading.
	tableArticle := func(key string) {
		art++
		p.headingKeep(p.t("article", art, p.t(key)), 22)
	}
	article("agreement.object")
	p.para(p.t("agreement.object.text", a.Title), false)
	p.fields(45, [2]string{p.t("field.nature"), p.category(a.Category)},
		[2]string{p.t("field.provider"), a.Provider})

	article("agreement.objectives")
	p.bullets(a.Objectives)
	if a.ProgrammeRef != "" {
		p.para(p.t("agreement.programme", a.ProgrammeRef), false)
	}

	article("agreement.organisation")
	p.actionFields(a)
	p.timetable(a)

	article("agreement.trainees")
	count := max(d.TraineeCount, len(d.Trainees))
	p.para(p.t("agreement.count", count), false)
	names := make([]string, 0, len(d.Trainees))
	for _, t := range d.Trainees {
		names = append(names, join(", ", t.Name, t.JobTitle))
	}
	p.bullets(names)

	article("agreement.assessment")
	p.para(a.Assessment, false)
	p.para(p.t("agreement.certificate"), false)

	tableArticle("agreement.price")
	p.priceTable(d.Lines)
	p.totals(Sum(d.Lines))
	p.para(d.VATMention, false)
	p.fields(45, [2]string{p.t("field.payment"), d.PaymentTerms}, [2]string{p.t("field.funding"), d.Funding})

	if d.Individual {
		// A person paying for himself has ten days to withdraw and pays at
		// most 30 % before they end (L6353-5, L6353-6).
		article("agreement.withdrawal")
		p.para(p.t("agreement.withdrawal.text"), false)
	}
	article("agreement.cancellation")
	if d.CancellationTerms != "" {
		p.para(d.CancellationTerms, false)
	} else {
		p.para(p.t("agreement.cancellation.default"), false)
	}
	article("agreement.disputes")
	p.para(p.t("agreement.disputes.text"), false)

	p.gap(2)
	p.para(p.doneAt(d.Place)+" "+p.t("agreement.copies"), false)
	p.signatures(
		signBox{heading: p.t("sign.provider"), lines: []string{b.Name, join(", ", d.Signatory.Name, d.Signatory.Role)}, prompt: p.t("sign.prompt")},
		signBox{heading: p.t("sign." + strings.TrimPrefix(who, "agreement.")), lines: []string{c.Name, join(", ", c.Representative, c.Role)}, prompt: p.t("sign.prompt")},
	)
	return nil
}

// ndaShort is "NDA 11 75 54321 75" in the parties' block.
func (p *page) ndaShort() string {
	if p.fr.Broker.NDA == "" {
		return ""
	}
	return p.t("nda.short", p.fr.Broker.NDA)
}

// actionFields draws the dates, duration, place and trainer of an action.
func (p *page) actionFields(a Action) {
	first, last := a.span()
	place := a.Place
	if a.Remote {
		place = join(" — ", p.t("remote"), a.RemoteLink)
	}
	p.fields(45,
		[2]string{p.t("field.dates"), p.period(first, last)},
		[2]string{p.t("field.duration"), p.plannedDuration(a)},
		[2]string{p.t("field.place"), place},
		[2]string{p.t("field.trainer"), a.Trainer},
	)
}

// plannedDuration is "14 h (4 demi-journées)".
func (p *page) plannedDuration(a Action) string {
	m := a.plannedMinutes()
	if m == 0 {
		return ""
	}
	if n := len(a.Slots); n > 0 {
		return fmt.Sprintf("%s (%s)", p.duration(m), p.tn("halfdays", n))
	}
	return p.duration(m)
}

// timetable draws one line per day: "lun. 05/10/2026 : 09:00–12:30, 13:30–17:00".
func (p *page) timetable(a Action) {
	var lines []string
	for _, day := range a.days() {
		var ts []string
		for _, s := range day {
			ts = append(ts, times(s))
		}
		lines = append(lines, p.t("label", p.day(day[0].Start), strings.Join(ts, ", ")))
	}
	if len(lines) > 0 {
		p.fields(45, [2]string{p.t("field.timetable"), strings.Join(lines, "\n")})
	}
}

// doneAt is "Fait à Paris, le 05/10/2026", the place and date of signature.
func (p *page) doneAt(place string) string {
	if place == "" {
		return p.t("done", p.date(p.fr.Date))
	}
	return p.t("done.at", place, p.date(p.fr.Date))
}

// prefix puts label before s when s is not empty.
func prefix(label, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return label + s
}
