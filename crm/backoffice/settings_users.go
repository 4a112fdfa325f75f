package backoffice

import (
	"errors"
	"time"

	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// inviteTTL is how long the set-your-password link of a new staff user lives.
const inviteTTL = 72 * time.Hour

func (h *handlers) userList(c *fiber.Ctx) error {
	return h.renderUsers(c, h.page(c, "users.title", "settings"))
}

func (h *handlers) renderUsers(c *fiber.Ctx, p *web.Page) error {
	p.Nav = "settings"
	users, err := h.Auth.ListUsers(c.UserContext(), 0)
	if err != nil {
		return err
	}
	p.Data = users
	return h.tpl.Render(c, "settings_users", p)
}

// userCreate adds a staff user without a password and e-mails them a link to set one.
func (h *handlers) userCreate(c *fiber.Ctx) error {
	nu := auth.NewUser{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: c.FormValue("role"), Locale: c.FormValue("locale")}
	u, err := h.Auth.CreateUser(c.UserContext(), nu)
	if err != nil {
		p := h.page(c, "users.title", "settings")
		p.Form = map[string]string{"email": nu.Email, "name": nu.Name, "role": nu.Role}
		var inv *errs.Invalid
		switch {
		case errors.As(err, &inv):
			for f, k := range inv.Fields {
				p.Fields[f] = p.T(k)
			}
		case errors.Is(err, errs.ErrConflict):
			p.Fields["email"] = p.T("error.email_taken")
		default:
			return err
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderUsers(c, p)
	}
	if err := h.pages.SendInvitation(c, u, inviteTTL); err != nil {
		return err
	}
	web.Flash(c, "users.invited")
	return c.Redirect("/settings/users", fiber.StatusSeeOther)
}

func (h *handlers) userSetActive(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if int64(id) == web.SessionOf(c).User.ID {
		return errs.NewInvalid("active", "users.cannot_disable_self")
	}
	if err := h.Auth.SetActive(c.UserContext(), int64(id), c.FormValue("active") == "true"); err != nil {
		return err
	}
	return c.Redirect("/settings/users", fiber.StatusSeeOther)
}
