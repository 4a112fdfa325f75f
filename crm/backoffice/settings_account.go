package backoffice

import (
	"errors"

	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) settingsAccount(c *fiber.Ctx) error {
	p := h.page(c, "settings.account.title", "settings")
	return h.tpl.Render(c, "settings_account", p)
}

// settingsPassword changes the user's password; every session ends, so the
// user logs in again with the new one.
func (h *handlers) settingsPassword(c *fiber.Ctx) error {
	p := h.page(c, "settings.account.title", "settings")
	if c.FormValue("password") != c.FormValue("password_confirm") {
		p.Fields["password_confirm"] = p.T("error.password_mismatch")
		c.Status(fiber.StatusUnprocessableEntity)
		return h.tpl.Render(c, "settings_account", p)
	}
	err := h.Auth.ChangePassword(c.UserContext(), p.User().ID, c.FormValue("current_password"), c.FormValue("password"))
	var inv *errs.Invalid
	if errors.As(err, &inv) {
		for f, k := range inv.Fields {
			p.Fields[f] = p.T(k)
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return h.tpl.Render(c, "settings_account", p)
	}
	if err != nil {
		return err
	}
	web.Flash(c, "settings.password.changed")
	return c.Redirect("/login", fiber.StatusSeeOther)
}
