package backoffice

import (
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// proposalValidDays is how long a new proposal is valid by default.
const proposalValidDays = 30

// proposalFieldInputs maps the domain's field names to the form's inputs.
var proposalFieldInputs = map[string]string{"contracting_mode": "mode", "commission_cents": "commission",
	"client_price_cents": "prices"}

type proposalFormData struct {
	Request crm.Request
	Lines   []comparisonView // the retained answers
	Modes   []string
}

// proposalNew shows the proposal form, built from the request's retained
// answers, each priced at the provider's price to start with.
func (h *handlers) proposalNew(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "proposals.new", "requests")
	p.Form["mode"] = crm.ModeSubcontracting
	p.Form["valid_until"] = time.Now().In(i18n.Paris).AddDate(0, 0, proposalValidDays).Format(htmlDate)
	return h.renderProposalForm(c, p, id, true)
}

// renderProposalForm shows the form; fresh fills each line's defaults.
func (h *handlers) renderProposalForm(c *fiber.Ctx, p *web.Page, requestID int64, fresh bool) error {
	ctx := c.UserContext()
	r, err := h.Requests.Get(ctx, requestID)
	if err != nil {
		return err
	}
	rows, err := h.Consultations.Compare(ctx, requestID)
	if err != nil {
		return err
	}
	d := proposalFormData{Request: r, Modes: crm.ContractingModes}
	for _, row := range rows {
		if row.Retained && row.Status == crm.ConsultationAnswered {
			d.Lines = append(d.Lines, newComparisonView(p.Lang, row))
			if fresh {
				key := itoa(row.ID)
				p.Form["line_"+key], p.Form["label_"+key] = "on", r.Topic
				p.Form["price_"+key] = eurosString(p.Lang, row.PriceCents)
			}
		}
	}
	p.Title = p.T("proposals.new_for", requestName(r.ID, r.Topic))
	p.Data = d
	return h.tpl.Render(c, "proposal_form", p)
}

// proposalCreate builds a draft proposal from the ticked retained answers
// and goes back to the request, where it can be sent.
func (h *handlers) proposalCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p := h.page(c, "proposals.new", "requests")
	for _, f := range []string{"mode", "commission", "valid_until", "message"} {
		p.Form[f] = c.FormValue(f)
	}
	in := crm.ProposalInput{RequestID: id, Mode: p.Form["mode"], Message: multiline(p.Form["message"])}
	inv := &errs.Invalid{}
	if v, ok := i18n.ParseMoney(p.Form["commission"]); !ok {
		inv.Add("commission", "error.euros")
	} else if v != nil {
		in.CommissionCents = *v
	}
	if day, ok := dateInput(p.Form["valid_until"]); !ok {
		inv.Add("valid_until", "error.date_invalid")
	} else if day != nil {
		in.ValidUntil = *day
	}
	rows, err := h.Consultations.Compare(ctx, id)
	if err != nil {
		return err
	}
	for _, row := range rows {
		key := itoa(row.ID)
		for _, f := range []string{"line_", "label_", "price_"} {
			p.Form[f+key] = c.FormValue(f + key)
		}
		if p.Form["line_"+key] == "" {
			continue
		}
		line := crm.ProposalLineInput{ConsultationID: row.ID, Label: p.Form["label_"+key]}
		if v, ok := i18n.ParseMoney(p.Form["price_"+key]); !ok {
			inv.Add("price_"+key, "error.euros")
		} else if v != nil {
			line.ClientPriceCents = *v
		}
		in.Lines = append(in.Lines, line)
	}
	if err = inv.OrNil(); err == nil {
		_, err = h.Proposals.Create(ctx, in)
	}
	if err != nil {
		if !refused(p, err, "") {
			return err
		}
		renamed(p, proposalFieldInputs)
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderProposalForm(c, p, id, false)
	}
	return redirectToRequest(c, id, "proposals", "proposals.created")
}
