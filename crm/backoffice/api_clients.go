package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) apiClientList(c *fiber.Ctx) error {
	f := crm.ClientFilter{Query: c.Query("q"), Status: c.Query("status"), AccountManagerID: int64(c.QueryInt("account_manager_id")), Page: apiPage(c)}
	rows, total, err := h.Clients.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(rows, total, f.Page))
}

func (h *handlers) apiClientCreate(c *fiber.Ctx) error {
	var in crm.ClientInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cl, err := h.Clients.Create(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(cl)
}

func (h *handlers) apiClientGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cl, err := h.Clients.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(cl)
}

// apiClientUpdate changes the fields the body gives; the others keep their value.
func (h *handlers) apiClientUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.Clients.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	in := cur.ClientInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cl, err := h.Clients.Update(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(cl)
}

func (h *handlers) apiEstablishmentList(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	list, err := h.Establishments.List(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(list))
}

func (h *handlers) apiEstablishmentCreate(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	var in crm.EstablishmentInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, err := h.Establishments.Save(c.UserContext(), id, 0, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// apiEstablishmentUpdate changes the fields the body gives; the others keep their value.
func (h *handlers) apiEstablishmentUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	eid, err := paramID(c, "eid")
	if err != nil {
		return err
	}
	cur, err := h.findEstablishment(c, id, eid)
	if err != nil {
		return err
	}
	in := cur.EstablishmentInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, err := h.Establishments.Save(c.UserContext(), id, eid, in)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (h *handlers) apiDepartmentList(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	list, err := h.Establishments.Departments(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(list))
}

func (h *handlers) apiDepartmentCreate(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := h.Establishments.AddDepartment(c.UserContext(), id, in.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

// apiClientID reads the :id of a client's sub-resource and checks the client
// exists, so that a list of a missing client is 404 rather than empty.
func (h *handlers) apiClientID(c *fiber.Ctx) (int64, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return 0, err
	}
	if _, err := h.Clients.Get(c.UserContext(), id); err != nil {
		return 0, err
	}
	return id, nil
}
