package extranet

import (
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// wishFormFields names the inputs of the service's fields.
var wishFormFields = map[string]string{"estimated_cost_cents": "estimated_cost", "cpf_amount_cents": "cpf_amount"}

// wishSubmit records a new individual request, then shows it.
func (h *handlers) wishSubmit(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "ex.wish.new")
	p.Nav = "wishes"
	for _, k := range []string{"employee_id", "topic", "description", "justification", "period_from", "period_to",
		"estimated_cost", "cpf_cofunding", "cpf_amount", "interview_date"} {
		p.Form[k] = c.FormValue(k)
	}
	in := crm.WishInput{Topic: p.Form["topic"], Description: p.Form["description"], Justification: p.Form["justification"],
		CPFCoFunding: p.Form["cpf_cofunding"] != ""}
	bad := map[string]string{}
	if s := p.Form["employee_id"]; s != "" {
		if in.EmployeeID, err = strconv.ParseInt(s, 10, 64); err != nil {
			bad["employee_id"] = "error.invalid"
		}
	}
	for name, dst := range map[string]**time.Time{"period_from": &in.PeriodFrom, "period_to": &in.PeriodTo, "interview_date": &in.InterviewDate} {
		if *dst, err = wishDate(p.Form[name]); err != nil {
			bad[name] = "error.date_invalid"
		}
	}
	for name, dst := range map[string]**int64{"estimated_cost": &in.EstimatedCostCents, "cpf_amount": &in.CPFAmountCents} {
		cents, ok := i18n.ParseMoney(p.Form[name])
		if !ok {
			bad[name] = "error.euros"
		}
		*dst = cents
	}
	if len(bad) == 0 {
		w, err := h.Wishes.Submit(c.UserContext(), v, in)
		if err == nil {
			web.Flash(c, "wish.submitted")
			return c.Redirect("/wishes/"+strconv.FormatInt(w.ID, 10), fiber.StatusSeeOther)
		}
		if !fieldErrors(p, err, wishFormFields) {
			return err
		}
	} else {
		for f, key := range bad {
			p.Fields[f] = p.T(key)
		}
		p.Error = p.T("ex.form.errors")
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return h.renderWishForm(c, p, v)
}

// wishDate reads a date input (see dateInput); empty is nil.
func wishDate(s string) (*time.Time, error) {
	d, ok := dateInput(s)
	if !ok {
		return nil, fiber.ErrUnprocessableEntity
	}
	if d == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, d)
	return &t, err
}
