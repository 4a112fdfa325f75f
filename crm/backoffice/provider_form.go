package backoffice

import (
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// providerFields are the inputs of the provider form, named like
// ProviderInput's JSON. The location (commune, region, coordinates) is not
// among them: the service derives it from the postal code and city.
var providerFields = []string{"name", "nda", "previous_ndas", "siren", "siret", "foreign_org", "street", "postal_code", "city",
	"qualiopi_actions", "qualiopi_skills", "qualiopi_vae", "qualiopi_apprenticeship", "qualiopi_confirmed_on", "nsf_codes",
	"trainees", "trainees_delegated", "trainers", "last_declaration_on", "fiscal_start", "fiscal_end", "website", "email",
	"phone", "vat_exempt", "status", "status_reason", "tags", "notes"}

type providerFormData struct {
	ID        int64 // 0 for a new provider
	Action    string
	Statuses  []string
	NSFGroups []crm.RefCode
}

// providerForm reads the submitted provider form into p.Form and over in
// (the saved provider when editing, so that what the form does not show is
// kept); a value that cannot even be parsed is returned as a validation error.
func providerForm(c *fiber.Ctx, p *web.Page, in crm.ProviderInput) (crm.ProviderInput, error) {
	for _, f := range providerFields {
		p.Form[f] = c.FormValue(f)
	}
	f := p.Form
	if strings.TrimSpace(f["postal_code"]) != in.PostalCode || strings.TrimSpace(f["city"]) != in.City {
		// A new address: the service locates it again.
		in.CommuneCode, in.RegionCode, in.Latitude, in.Longitude = "", "", nil, nil
	}
	in.Name, in.NDA, in.PreviousNDAs, in.SIREN, in.SIRET, in.ForeignOrg = f["name"], f["nda"], f["previous_ndas"], f["siren"], f["siret"], f["foreign_org"]
	in.Street, in.PostalCode, in.City = f["street"], f["postal_code"], f["city"]
	in.QualiopiActions, in.QualiopiSkills = f["qualiopi_actions"] != "", f["qualiopi_skills"] != ""
	in.QualiopiVAE, in.QualiopiApprenticeship = f["qualiopi_vae"] != "", f["qualiopi_apprenticeship"] != ""
	in.NSFCodes, in.Website, in.Email, in.Phone = f["nsf_codes"], f["website"], f["email"], f["phone"]
	in.VATExempt, in.Status, in.StatusReason = f["vat_exempt"] != "", f["status"], f["status_reason"]
	in.Tags, in.Notes = f["tags"], multiline(f["notes"])
	inv := &errs.Invalid{}
	for name, dst := range map[string]**time.Time{"qualiopi_confirmed_on": &in.QualiopiConfirmedOn,
		"last_declaration_on": &in.LastDeclarationOn, "fiscal_start": &in.FiscalStart, "fiscal_end": &in.FiscalEnd} {
		d, ok := dateInput(f[name])
		if !ok {
			inv.Add(name, "error.date_invalid")
		}
		*dst = d
	}
	for name, dst := range map[string]**int{"trainees": &in.Trainees, "trainees_delegated": &in.TraineesDelegated, "trainers": &in.Trainers} {
		n, ok := intInput(f[name])
		if !ok {
			inv.Add(name, "error.number")
		}
		*dst = n
	}
	return in, inv.OrNil()
}

// fillProviderForm puts a saved provider in the form.
func fillProviderForm(p *web.Page, pr crm.Provider) {
	in := pr.ProviderInput
	for k, v := range map[string]string{"name": in.Name, "nda": in.NDA, "previous_ndas": in.PreviousNDAs, "siren": in.SIREN,
		"siret": in.SIRET, "foreign_org": in.ForeignOrg, "street": in.Street, "postal_code": in.PostalCode, "city": in.City,
		"qualiopi_actions": checked(in.QualiopiActions), "qualiopi_skills": checked(in.QualiopiSkills),
		"qualiopi_vae": checked(in.QualiopiVAE), "qualiopi_apprenticeship": checked(in.QualiopiApprenticeship),
		"qualiopi_confirmed_on": dateString(in.QualiopiConfirmedOn), "nsf_codes": in.NSFCodes,
		"trainees": intString(in.Trainees), "trainees_delegated": intString(in.TraineesDelegated), "trainers": intString(in.Trainers),
		"last_declaration_on": dateString(in.LastDeclarationOn), "fiscal_start": dateString(in.FiscalStart),
		"fiscal_end": dateString(in.FiscalEnd), "website": in.Website, "email": in.Email, "phone": in.Phone,
		"vat_exempt": checked(in.VATExempt), "status": in.Status, "status_reason": in.StatusReason, "tags": in.Tags,
		"notes": in.Notes} {
		p.Form[k] = v
	}
}

// renderProviderForm shows the provider form (new when id is 0).
func (h *handlers) renderProviderForm(c *fiber.Ctx, p *web.Page, id int64) error {
	d := providerFormData{ID: id, Action: "/providers", Statuses: crm.ProviderStatuses, NSFGroups: crm.NSFGroups()}
	if id != 0 {
		d.Action = "/providers/" + strconv.FormatInt(id, 10)
	}
	p.Data = d
	return h.tpl.Render(c, "provider_form", p)
}

// providerFormFailed shows the form again with the messages of err, or
// returns err when it is not a validation error.
func (h *handlers) providerFormFailed(c *fiber.Ctx, p *web.Page, id int64, err error) error {
	if !fieldErrors(p, err, "") {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	p.Error = p.T("form.has_errors")
	return h.renderProviderForm(c, p, id)
}
