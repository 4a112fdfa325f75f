package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// departmentCreate adds a department to a client (an existing name is kept as is).
func (h *handlers) departmentCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ref := crm.Ref{Type: crm.RecordClient, ID: id}
	name := c.FormValue("department")
	if _, err := h.Establishments.AddDepartment(c.UserContext(), id, name); err != nil {
		p := h.page(c, "clients.title", "clients")
		if !fieldErrors(p, err, "") {
			return err
		}
		p.Form["department"] = name
		return h.renderRecord(c, p, ref)
	}
	web.Flash(c, "departments.added")
	return c.Redirect(recordURL(ref)+"#departments", fiber.StatusSeeOther)
}
