package extranet

import (
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// requestFields are the inputs of the new-need form; budget is in euros,
// funding_body the funding wished (an OPCO's name or free text).
var requestFields = []string{"topic", "description", "objectives", "trainees", "period_from", "period_to", "remote",
	"place", "budget", "funding_body"}

// requestFieldInputs maps the domain's field names to the inputs holding them.
var requestFieldInputs = map[string]string{"budget_cents": "budget", "commune_code": "place"}

// requestForm shows the form of a new collective need; a role that may
// not raise needs is refused.
func (h *handlers) requestForm(c *fiber.Ctx) error {
	if !canCreateRequest(viewerOf(c)) {
		return fiber.ErrForbidden
	}
	p := web.NewPage(c, "ex.requests.new")
	p.Nav = "requests"
	return h.tpl.Render(c, "request_form", p)
}

// readRequestForm reads the submitted form into p.Form and the input;
// values that cannot even be parsed come back as a validation error.
func readRequestForm(c *fiber.Ctx, p *web.Page) (crm.RequestInput, error) {
	for _, f := range requestFields {
		p.Form[f] = strings.TrimSpace(c.FormValue(f))
	}
	in := crm.RequestInput{Kind: "collective", Topic: p.Form["topic"], Description: p.Form["description"],
		Objectives: p.Form["objectives"], Remote: p.Form["remote"] != "", Place: p.Form["place"], FundingBody: p.Form["funding_body"]}
	inv := &errs.Invalid{}
	var ok bool
	if in.PeriodFrom, ok = dayInput(p.Form["period_from"]); !ok {
		inv.Add("period_from", "error.date_invalid")
	}
	if in.PeriodTo, ok = dayInput(p.Form["period_to"]); !ok {
		inv.Add("period_to", "error.date_invalid")
	}
	if s := p.Form["trainees"]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			inv.Add("trainees", "error.number")
		}
		in.Trainees = n
	}
	if in.BudgetCents, ok = i18n.ParseMoney(p.Form["budget"]); !ok {
		inv.Add("budget", "error.euros")
	}
	return in, inv.OrNil()
}

// dayInput reads a date field (see dateInput); empty is nil.
func dayInput(s string) (*time.Time, bool) {
	d, ok := dateInput(s)
	if !ok || d == "" {
		return nil, ok
	}
	t, err := time.Parse(time.DateOnly, d)
	return &t, err == nil
}
