package backoffice

import (
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// courseFields are the inputs of the course form. Prices are typed in
// euros excluding VAT; places are INSEE codes or commune names.
var courseFields = []string{"ref", "title", "objectives", "programme", "prerequisites", "duration_hours", "duration_days",
	"modality", "intra", "inter", "languages", "price_trainee", "price_group_day", "max_group_size", "certification", "cpf",
	"nsf_code", "communes", "next_sessions", "last_confirmed_on"}

type courseFormData struct {
	Provider   crm.Provider
	ID         int64 // 0 for a new course
	Action     string
	Modalities []string
	NSFGroups  []crm.RefCode
}

// courseForm reads the submitted course form into p.Form and the input;
// values that cannot be read get their message in p.Fields and ok is false.
func courseForm(c *fiber.Ctx, p *web.Page) (in crm.CourseInput, ok bool) {
	for _, f := range courseFields {
		p.Form[f] = c.FormValue(f)
	}
	f := p.Form
	in = crm.CourseInput{Ref: f["ref"], Title: f["title"], Objectives: multiline(f["objectives"]), Programme: multiline(f["programme"]),
		Prerequisites: multiline(f["prerequisites"]), Modality: f["modality"], Intra: f["intra"] != "", Inter: f["inter"] != "",
		Certification: f["certification"], CPF: f["cpf"] != "", NSFCode: strings.TrimSpace(f["nsf_code"]),
		Languages: strings.FieldsFunc(f["languages"], func(r rune) bool { return r == ',' || r == ' ' || r == ';' })}
	bad := func(field, key string, args ...any) { p.Fields[field] = p.T(key, args...) }
	var good bool
	if in.DurationHours, good = decimalInput(f["duration_hours"]); !good {
		bad("duration_hours", "error.decimal")
	}
	if in.DurationDays, good = decimalInput(f["duration_days"]); !good {
		bad("duration_days", "error.decimal")
	}
	if in.PriceTraineeCents, good = i18n.ParseMoney(f["price_trainee"]); !good {
		bad("price_trainee", "error.euros")
	}
	if in.PriceGroupDayCents, good = i18n.ParseMoney(f["price_group_day"]); !good {
		bad("price_group_day", "error.euros")
	}
	if in.MaxGroupSize, good = intInput(f["max_group_size"]); !good {
		bad("max_group_size", "error.number")
	}
	if in.NextSessions, good = datesInput(f["next_sessions"]); !good {
		bad("next_sessions", "error.dates_invalid")
	}
	if in.LastConfirmedOn, good = dateInput(f["last_confirmed_on"]); !good {
		bad("last_confirmed_on", "error.date_invalid")
	}
	codes, unknown := crm.ResolveCommunes(f["communes"])
	if len(unknown) > 0 {
		bad("communes", "courses.places_unknown", strings.Join(unknown, ", "))
	}
	in.Communes = codes
	return in, len(p.Fields) == 0
}

// fillCourseForm puts a saved course in the form.
func fillCourseForm(p *web.Page, co crm.Course) {
	in := co.CourseInput
	var places []string
	for _, code := range in.Communes {
		places = append(places, crm.CommuneLabel(code))
	}
	for k, v := range map[string]string{"ref": in.Ref, "title": in.Title, "objectives": in.Objectives, "programme": in.Programme,
		"prerequisites": in.Prerequisites, "duration_hours": decimalString(p.Lang, in.DurationHours),
		"duration_days": decimalString(p.Lang, in.DurationDays), "modality": in.Modality, "intra": checked(in.Intra),
		"inter": checked(in.Inter), "languages": strings.Join(in.Languages, " "), "price_trainee": eurosString(p.Lang, in.PriceTraineeCents),
		"price_group_day": eurosString(p.Lang, in.PriceGroupDayCents), "max_group_size": intString(in.MaxGroupSize),
		"certification": in.Certification, "cpf": checked(in.CPF), "nsf_code": in.NSFCode, "communes": strings.Join(places, ", "),
		"next_sessions": datesString(in.NextSessions), "last_confirmed_on": dateString(in.LastConfirmedOn)} {
		p.Form[k] = v
	}
}

// renderCourseForm shows the form of a course of the provider (new when cid is 0).
func (h *handlers) renderCourseForm(c *fiber.Ctx, p *web.Page, id, cid int64) error {
	pr, err := h.Providers.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	d := courseFormData{Provider: pr, ID: cid, Action: "/providers/" + strconv.FormatInt(id, 10) + "/courses",
		Modalities: crm.Modalities, NSFGroups: crm.NSFGroups()}
	if cid != 0 {
		d.Action += "/" + strconv.FormatInt(cid, 10)
	}
	p.Data = d
	return h.tpl.Render(c, "course_form", p)
}
