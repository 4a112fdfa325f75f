package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// budgetSave creates an envelope, or updates envelope :id (HR, training
// officer); errors show next to the fields of the new envelope's form.
func (h *handlers) budgetSave(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(c.FormValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		return fiber.ErrUnprocessableEntity
	}
	p := web.NewPage(c, "ex.budget.title")
	for _, k := range []string{"department_id", "funding_source", "amount", "label"} {
		p.Form[k] = c.FormValue(k)
	}
	in := crm.EnvelopeInput{Year: year, FundingSource: p.Form["funding_source"], Label: p.Form["label"]}
	if s := p.Form["department_id"]; s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			in.DepartmentID = &id
		} else {
			p.Fields["department_id"] = p.T("error.invalid")
		}
	}
	if cents, ok := i18n.ParseMoney(p.Form["amount"]); !ok || cents == nil {
		p.Fields["amount"] = p.T("error.euros")
	} else {
		in.AmountCents = *cents
	}
	if len(p.Fields) == 0 {
		if c.Params("id") != "" {
			id, perr := pathID(c, "id")
			if perr != nil {
				return perr
			}
			_, err = h.Budgets.UpdateFor(c.UserContext(), v, id, in)
		} else {
			_, err = h.Budgets.CreateFor(c.UserContext(), v, in)
		}
		if err == nil {
			web.Flash(c, "ex.budget.saved")
			return c.Redirect("/budgets?year="+strconv.Itoa(year), fiber.StatusSeeOther)
		}
		if !fieldErrors(p, err, map[string]string{"amount_cents": "amount"}) {
			return err
		}
	} else {
		p.Error = p.T("ex.form.errors")
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return h.renderBudgets(c, p, v, year)
}
