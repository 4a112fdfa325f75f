package backoffice

import "github.com/gofiber/fiber/v2"

func (h *handlers) apiProviderList(c *fiber.Ctx) error {
	page := apiPage(c)
	rows, total, err := h.Providers.List(c.UserContext(), c.Query("q"), page)
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(rows, total, page))
}

func (h *handlers) apiProviderCreate(c *fiber.Ctx) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := h.Providers.Create(c.UserContext(), in.Name)
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
