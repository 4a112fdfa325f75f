package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) providerNew(c *fiber.Ctx) error {
	p := h.page(c, "providers.create", "providers")
	p.Form["status"] = crm.ProviderActive
	p.Form["name"] = c.Query("name")
	return h.renderProviderForm(c, p, 0)
}

// providerCreate adds a provider entered by staff and opens its page.
func (h *handlers) providerCreate(c *fiber.Ctx) error {
	p := h.page(c, "providers.create", "providers")
	in, err := providerForm(c, p, crm.ProviderInput{})
	if err != nil {
		return h.providerFormFailed(c, p, 0, err)
	}
	pr, err := h.Providers.Create(c.UserContext(), in)
	if err != nil {
		return h.providerFormFailed(c, p, 0, err)
	}
	web.Flash(c, "providers.created")
	return c.Redirect(recordURL(crm.Ref{Type: crm.RecordProvider, ID: pr.ID}), fiber.StatusSeeOther)
}
