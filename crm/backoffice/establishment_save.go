package backoffice

import (
	"errors"
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// establishmentFields are the inputs of the establishment form.
var establishmentFields = []string{"siret", "name", "address_line1", "address_line2", "postal_code", "city", "country", "head_office", "billing"}

type establishmentFormData struct {
	Client crm.Client
	ID     int64 // 0 for a new establishment
	Action string
}

func (h *handlers) establishmentNew(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "establishments.new", "clients")
	p.Form["country"] = "FR"
	return h.renderEstablishmentForm(c, p, id, 0)
}

func (h *handlers) establishmentEdit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	eid, err := paramID(c, "eid")
	if err != nil {
		return err
	}
	e, err := h.findEstablishment(c, id, eid)
	if err != nil {
		return err
	}
	p := h.page(c, "establishments.edit", "clients")
	in := e.EstablishmentInput
	for k, v := range map[string]string{"siret": in.SIRET, "name": in.Name, "address_line1": in.AddressLine1,
		"address_line2": in.AddressLine2, "postal_code": in.PostalCode, "city": in.City, "country": in.Country,
		"head_office": checked(in.HeadOffice), "billing": checked(in.Billing)} {
		p.Form[k] = v
	}
	return h.renderEstablishmentForm(c, p, id, eid)
}

// findEstablishment returns establishment eid of client id (the service
// lists a client's establishments; there is no lookup by id).
func (h *handlers) findEstablishment(c *fiber.Ctx, id, eid int64) (crm.Establishment, error) {
	list, err := h.Establishments.List(c.UserContext(), id)
	if err != nil {
		return crm.Establishment{}, err
	}
	for _, e := range list {
		if e.ID == eid {
			return e, nil
		}
	}
	return crm.Establishment{}, fiber.ErrNotFound
}

// establishmentSave creates (POST /clients/:id/establishments) or updates
// (…/:eid) an establishment and goes back to the client's page.
func (h *handlers) establishmentSave(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var eid int64
	if c.Params("eid") != "" {
		if eid, err = paramID(c, "eid"); err != nil {
			return err
		}
	}
	p := h.page(c, "establishments.new", "clients")
	if eid != 0 {
		p.Title = p.T("establishments.edit")
	}
	for _, f := range establishmentFields {
		p.Form[f] = c.FormValue(f)
	}
	in := crm.EstablishmentInput{SIRET: p.Form["siret"], Name: p.Form["name"], AddressLine1: p.Form["address_line1"],
		AddressLine2: p.Form["address_line2"], PostalCode: p.Form["postal_code"], City: p.Form["city"],
		Country: p.Form["country"], HeadOffice: p.Form["head_office"] != "", Billing: p.Form["billing"] != ""}
	_, err = h.Establishments.Save(c.UserContext(), id, eid, in)
	switch {
	case errors.Is(err, errs.ErrConflict):
		p.Fields["siret"] = p.T("error.siret_taken")
	case fieldErrors(p, err, ""):
	case err != nil:
		return err
	default:
		web.Flash(c, "establishments.saved")
		return c.Redirect(recordURL(crm.Ref{Type: crm.RecordClient, ID: id})+"#establishments", fiber.StatusSeeOther)
	}
	c.Status(fiber.StatusUnprocessableEntity)
	p.Error = p.T("form.has_errors")
	return h.renderEstablishmentForm(c, p, id, eid)
}

func (h *handlers) renderEstablishmentForm(c *fiber.Ctx, p *web.Page, id, eid int64) error {
	cl, err := h.Clients.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	d := establishmentFormData{Client: cl, ID: eid, Action: "/clients/" + strconv.FormatInt(id, 10) + "/establishments"}
	if eid != 0 {
		d.Action += "/" + strconv.FormatInt(eid, 10)
	}
	p.Data = d
	return h.tpl.Render(c, "establishment_form", p)
}
