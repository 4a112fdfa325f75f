package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) providerEdit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	pr, err := h.Providers.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := h.page(c, "providers.edit", "providers")
	p.Title = p.T("providers.edit_of", pr.Name)
	fillProviderForm(p, pr)
	return h.renderProviderForm(c, p, id)
}

// providerUpdate saves the edited provider and goes back to its page. Each
// field whose value changed becomes a staff value, which imports keep.
func (h *handlers) providerUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	// The saved provider supplies what the form does not show (its location).
	cur, err := h.Providers.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := h.page(c, "providers.edit", "providers")
	in, err := providerForm(c, p, cur.ProviderInput)
	if err != nil {
		return h.providerFormFailed(c, p, id, err)
	}
	if _, err := h.Providers.Update(c.UserContext(), id, in); err != nil {
		return h.providerFormFailed(c, p, id, err)
	}
	web.Flash(c, "providers.saved")
	return c.Redirect(recordURL(crm.Ref{Type: crm.RecordProvider, ID: id}), fiber.StatusSeeOther)
}
