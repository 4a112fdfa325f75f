package backoffice

import (
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// clientFields are the inputs of the client form, named like ClientInput's JSON.
var clientFields = []string{"legal_name", "siren", "country", "vat_number", "phone", "website", "notes", "public_body",
	"chorus_service_code", "chorus_engagement_required", "status", "account_manager_id", "billing_email",
	"payment_terms_days", "tax_regime"}

type clientFormData struct {
	ID       int64 // 0 for a new client
	Action   string
	Statuses []string
	Staff    []auth.User
}

// clientForm reads the submitted client form into p.Form and the input;
// a field that cannot even be parsed is returned as a validation error.
func clientForm(c *fiber.Ctx, p *web.Page) (crm.ClientInput, error) {
	for _, f := range clientFields {
		p.Form[f] = c.FormValue(f)
	}
	in := crm.ClientInput{LegalName: p.Form["legal_name"], SIREN: p.Form["siren"], Country: p.Form["country"],
		VATNumber: p.Form["vat_number"], Phone: p.Form["phone"], Website: p.Form["website"], Notes: p.Form["notes"],
		PublicBody: p.Form["public_body"] != "", ChorusServiceCode: p.Form["chorus_service_code"],
		ChorusEngagementRequired: p.Form["chorus_engagement_required"] != "", Status: p.Form["status"],
		AccountManagerID: optionalID(p.Form["account_manager_id"]), BillingEmail: p.Form["billing_email"],
		TaxRegime: p.Form["tax_regime"]}
	if s := strings.TrimSpace(p.Form["payment_terms_days"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return in, errs.NewInvalid("payment_terms_days", "error.number")
		}
		in.PaymentTermsDays = &n
	}
	return in, nil
}

// fillClientForm puts a saved client in the form.
func fillClientForm(p *web.Page, cl crm.Client) {
	in := cl.ClientInput
	terms := ""
	if in.PaymentTermsDays != nil {
		terms = strconv.Itoa(*in.PaymentTermsDays)
	}
	for k, v := range map[string]string{"legal_name": in.LegalName, "siren": in.SIREN, "country": in.Country,
		"vat_number": in.VATNumber, "phone": in.Phone, "website": in.Website, "notes": in.Notes,
		"public_body": checked(in.PublicBody), "chorus_service_code": in.ChorusServiceCode,
		"chorus_engagement_required": checked(in.ChorusEngagementRequired), "status": in.Status,
		"account_manager_id": idString(in.AccountManagerID), "billing_email": in.BillingEmail,
		"payment_terms_days": terms, "tax_regime": in.TaxRegime} {
		p.Form[k] = v
	}
}

// renderClientForm shows the client form (new when id is 0).
func (h *handlers) renderClientForm(c *fiber.Ctx, p *web.Page, id int64) error {
	staff, err := h.Auth.ListUsers(c.UserContext(), 0)
	if err != nil {
		return err
	}
	d := clientFormData{ID: id, Action: "/clients", Statuses: crm.ClientStatuses, Staff: staff}
	if id != 0 {
		d.Action = "/clients/" + strconv.FormatInt(id, 10)
	}
	p.Data = d
	return h.tpl.Render(c, "client_form", p)
}

// clientFormFailed shows the form again with the messages of err, or
// returns err when it is not a validation error.
func (h *handlers) clientFormFailed(c *fiber.Ctx, p *web.Page, id int64, err error) error {
	if !fieldErrors(p, err, "") {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	p.Error = p.T("form.has_errors")
	return h.renderClientForm(c, p, id)
}
