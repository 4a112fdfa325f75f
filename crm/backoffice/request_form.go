package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// requestFields are the single-valued inputs of the request form, named
// like RequestInput's JSON (budget is typed in euros); employee_ids repeats.
var requestFields = []string{"client_id", "contact_id", "kind", "topic", "description", "objectives", "period_from",
	"period_to", "remote", "place", "trainees", "format", "budget", "priority", "owner_id", "channel", "funding_body", "funding_file"}

// requestFieldInputs maps the domain's field names to the inputs holding them.
var requestFieldInputs = map[string]string{"budget_cents": "budget", "commune_code": "place"}

// pickerSize bounds the clients and employees a form offers to choose from.
const pickerSize = 500

type requestFormData struct {
	ID        int64 // 0 for a new request
	Action    string
	Client    *crm.Client     // nil until chosen
	Clients   []crm.ClientRow // to choose from, for a new request without client
	Contacts  []crm.Contact
	Employees []crm.Employee
	Chosen    map[int64]bool // the employees ticked
	Staff     []auth.User

	// The values the selects offer.
	Kinds, Formats, Priorities, Channels []string
}

// requestForm reads the submitted request form into p.Form and the input;
// inputs that cannot even be parsed come back as a validation error.
func requestForm(c *fiber.Ctx, p *web.Page) (crm.RequestInput, map[int64]bool, error) {
	for _, f := range requestFields {
		p.Form[f] = c.FormValue(f)
	}
	chosen := map[int64]bool{}
	in := crm.RequestInput{ContactID: optionalID(p.Form["contact_id"]), Kind: p.Form["kind"], Topic: p.Form["topic"],
		Description: multiline(p.Form["description"]), Objectives: multiline(p.Form["objectives"]), Remote: p.Form["remote"] != "",
		Place: p.Form["place"], Format: p.Form["format"], Priority: p.Form["priority"], OwnerID: optionalID(p.Form["owner_id"]),
		Channel: p.Form["channel"], FundingBody: p.Form["funding_body"], FundingFile: p.Form["funding_file"]}
	if id := optionalID(p.Form["client_id"]); id != nil {
		in.ClientID = *id
	}
	for _, v := range formValues(c, "employee_ids") {
		if id := optionalID(v); id != nil {
			in.EmployeeIDs, chosen[*id] = append(in.EmployeeIDs, *id), true
		}
	}
	inv := &errs.Invalid{}
	var ok bool
	if in.PeriodFrom, ok = dateInput(p.Form["period_from"]); !ok {
		inv.Add("period_from", "error.date_invalid")
	}
	if in.PeriodTo, ok = dateInput(p.Form["period_to"]); !ok {
		inv.Add("period_to", "error.date_invalid")
	}
	if n, ok := intInput(p.Form["trainees"]); !ok || (n != nil && *n < 0) {
		inv.Add("trainees", "error.number")
	} else if n != nil {
		in.Trainees = *n
	}
	if in.BudgetCents, ok = i18n.ParseMoney(p.Form["budget"]); !ok {
		inv.Add("budget", "error.euros")
	}
	return in, chosen, inv.OrNil()
}

// fillRequestForm puts a saved request in the form.
func fillRequestForm(p *web.Page, r crm.Request) map[int64]bool {
	in := r.RequestInput
	for k, v := range map[string]string{"client_id": strconv.FormatInt(in.ClientID, 10), "contact_id": idString(in.ContactID),
		"kind": in.Kind, "topic": in.Topic, "description": in.Description, "objectives": in.Objectives,
		"period_from": dateString(in.PeriodFrom), "period_to": dateString(in.PeriodTo), "remote": checked(in.Remote),
		"place": in.Place, "trainees": strconv.Itoa(in.Trainees), "format": in.Format,
		"budget": eurosString(p.Lang, in.BudgetCents), "priority": in.Priority, "owner_id": idString(in.OwnerID),
		"channel": in.Channel, "funding_body": in.FundingBody, "funding_file": in.FundingFile} {
		p.Form[k] = v
	}
	chosen := map[int64]bool{}
	for _, e := range in.EmployeeIDs {
		chosen[e] = true
	}
	return chosen
}

// renderRequestForm shows the request form (new when id is 0); the client's
// contacts and employees are offered once a client is chosen.
func (h *handlers) renderRequestForm(c *fiber.Ctx, p *web.Page, id int64, chosen map[int64]bool) error {
	ctx := c.UserContext()
	d := requestFormData{ID: id, Action: "/requests", Chosen: chosen, Kinds: crm.RequestKinds, Formats: crm.RequestFormats,
		Priorities: crm.RequestPriorities, Channels: crm.RequestChannels}
	if id != 0 {
		d.Action = requestPath(id)
	}
	var err error
	if d.Staff, err = h.Auth.ListUsers(ctx, 0); err != nil {
		return err
	}
	if clientID := optionalID(p.Form["client_id"]); clientID != nil {
		cl, err := h.Clients.Get(ctx, *clientID)
		if err != nil {
			return err
		}
		d.Client = &cl
		if d.Contacts, _, err = h.Contacts.List(ctx, crm.ContactFilter{ClientID: cl.ID, Page: crm.Page{Size: pickerSize}}); err != nil {
			return err
		}
		if d.Employees, _, err = h.Employees.List(ctx, cl.ID, crm.EmployeeFilter{ActiveOnly: true, Page: crm.Page{Size: pickerSize}}); err != nil {
			return err
		}
	} else if d.Clients, _, err = h.Clients.List(ctx, crm.ClientFilter{Page: crm.Page{Size: pickerSize}}); err != nil {
		return err
	}
	p.Data = d
	return h.tpl.Render(c, "request_form", p)
}

// requestFormFailed shows the form again with the messages of err, or
// returns err when it is not a validation error.
func (h *handlers) requestFormFailed(c *fiber.Ctx, p *web.Page, id int64, chosen map[int64]bool, err error) error {
	if !fieldErrors(p, err, "") {
		return err
	}
	renamed(p, requestFieldInputs)
	c.Status(fiber.StatusUnprocessableEntity)
	p.Error = p.T("form.has_errors")
	return h.renderRequestForm(c, p, id, chosen)
}

// requestNew shows an empty request, for the client given in the query
// when there is one.
func (h *handlers) requestNew(c *fiber.Ctx) error {
	p := h.page(c, "requests.new", "requests")
	p.Form["client_id"] = idString(optionalID(c.Query("client")))
	p.Form["kind"], p.Form["format"], p.Form["priority"], p.Form["channel"] = "collective", "intra", "normal", "backoffice"
	return h.renderRequestForm(c, p, 0, nil)
}

func (h *handlers) requestEdit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.Requests.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := h.page(c, "requests.edit", "requests")
	p.Title = p.T("requests.edit_of", requestName(id, r.Topic))
	return h.renderRequestForm(c, p, id, fillRequestForm(p, r))
}
