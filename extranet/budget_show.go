package extranet

import (
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// budgetRow is a line of the budget with what its gauge shows: what is
// used (committed + consumed) out of the amount.
type budgetRow struct {
	crm.BudgetLine
	UsedCents int64
	GaugeMax  int64 // the amount, or what is used when overspent or unbudgeted
	// AmountInput is the amount as the update form shows it: euros, decimal comma.
	AmountInput string
}

type budgetShowData struct {
	Year        int
	Prev, Next  int
	Rows        []budgetRow
	Total       budgetRow
	CanEdit     bool
	Departments []crm.Department
	Sources     []string
}

func newBudgetRow(l crm.BudgetLine) budgetRow {
	used := l.CommittedCents + l.ConsumedCents
	return budgetRow{BudgetLine: l, UsedCents: used, GaugeMax: max(l.AmountCents, used, 1),
		AmountInput: strings.Replace(strconv.FormatFloat(float64(l.AmountCents)/100, 'f', 2, 64), ".", ",", 1)}
}

// budgetShow shows the company's budget of a year (?year=): per envelope
// and in total, what is planned, committed, consumed and remaining, as
// gauges and a table. Managers see their departments' envelopes; employees get 404.
func (h *handlers) budgetShow(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	year, err := planYear(c)
	if err != nil {
		return err
	}
	return h.renderBudgets(c, web.NewPage(c, "ex.budget.title"), v, year)
}

func (h *handlers) renderBudgets(c *fiber.Ctx, p *web.Page, v crm.Viewer, year int) error {
	sum, err := h.Budgets.SummaryFor(c.UserContext(), v, year)
	if err != nil {
		return err
	}
	d := budgetShowData{Year: year, Prev: year - 1, Next: year + 1, CanEdit: v.CanEdit(crm.RecordEnvelope), Sources: crm.FundingSources,
		Total: newBudgetRow(crm.BudgetLine{BudgetFigures: sum.Total})}
	for _, l := range sum.Lines {
		d.Rows = append(d.Rows, newBudgetRow(l))
	}
	if d.CanEdit {
		if d.Departments, err = h.Establishments.Departments(c.UserContext(), v.ClientID); err != nil {
			return err
		}
	}
	p.Nav = "budgets"
	p.Title = p.T("ex.budget.title_year", year)
	p.Data = d
	return h.tpl.Render(c, "budgets", p)
}
