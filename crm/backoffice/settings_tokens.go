package backoffice

import (
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type tokensData struct {
	Tokens []auth.Token
	New    string // the secret of a token just created, shown once
}

func (h *handlers) tokenList(c *fiber.Ctx) error {
	return h.renderTokens(c, "")
}

func (h *handlers) renderTokens(c *fiber.Ctx, secret string) error {
	p := h.page(c, "tokens.title", "settings")
	tokens, err := h.Auth.ListTokens(c.UserContext(), p.User().ID)
	if err != nil {
		return err
	}
	p.Data = tokensData{Tokens: tokens, New: secret}
	return h.tpl.Render(c, "settings_tokens", p)
}

// tokenCreate issues a token and shows its secret once, on this response only.
func (h *handlers) tokenCreate(c *fiber.Ctx) error {
	secret, _, err := h.Auth.CreateToken(c.UserContext(), web.SessionOf(c).User.ID, c.FormValue("name"))
	if err != nil {
		return err
	}
	return h.renderTokens(c, secret)
}

func (h *handlers) tokenRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := h.Auth.RevokeToken(c.UserContext(), web.SessionOf(c).User.ID, int64(id)); err != nil {
		return err
	}
	web.Flash(c, "tokens.revoked")
	return c.Redirect("/settings/tokens", fiber.StatusSeeOther)
}
