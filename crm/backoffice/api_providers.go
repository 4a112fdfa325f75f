package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) apiProviderList(c *fiber.Ctx) error {
	page := apiPage(c)
	rows, total, err := h.Providers.List(c.UserContext(), crm.ProviderFilter{Query: c.Query("q"), Status: c.Query("status"), Region: c.Query("region"), Department: c.Query("department"), Page: page})
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(rows, total, page))
}

func (h *handlers) apiProviderCreate(c *fiber.Ctx) error {
	var in crm.ProviderInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := h.Providers.Create(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (h *handlers) apiProviderGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.Providers.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// apiProviderUpdate saves a staff edit; fields left out keep their value,
// and every field changed becomes a staff value that imports keep.
func (h *handlers) apiProviderUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.Providers.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	in := cur.ProviderInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := h.Providers.Update(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
