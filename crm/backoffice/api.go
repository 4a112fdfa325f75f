package backoffice

import (
	"errors"
	"strings"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// bearer authenticates /api/v1 by "Authorization: Bearer <token>" only;
// a missing, unknown or revoked token is 401 with the JSON error shape.
func (h *handlers) bearer(c *fiber.Ctx) error {
	raw, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok || raw == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="courtier"`)
		return fiber.ErrUnauthorized
	}
	u, _, err := h.Auth.AuthenticateToken(c.UserContext(), strings.TrimSpace(raw))
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="courtier", error="invalid_token"`)
		return fiber.ErrUnauthorized
	}
	web.SetSession(c, &auth.Session{User: u}, audit.ActorAPI)
	return c.Next()
}

func (h *handlers) apiMe(c *fiber.Ctx) error {
	return c.JSON(web.SessionOf(c).User)
}

func (h *handlers) apiStaffUsers(c *fiber.Ctx) error {
	users, err := h.Auth.ListUsers(c.UserContext(), 0)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": users})
}

type staffUserInput struct {
	Email  string `json:"email"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Locale string `json:"locale"`
}

// apiStaffUserCreate adds a staff user; like the page, it e-mails a link to set the password.
func (h *handlers) apiStaffUserCreate(c *fiber.Ctx) error {
	var in staffUserInput
	if err := c.BodyParser(&in); err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "invalid JSON body")
	}
	u, err := h.Auth.CreateUser(c.UserContext(), auth.NewUser{Email: in.Email, Name: in.Name, Role: in.Role, Locale: in.Locale})
	if err != nil {
		return err
	}
	if err := h.pages.SendInvitation(c, u, inviteTTL); err != nil {
		return errors.Join(errors.New("backoffice: user created but invitation not sent"), err)
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (h *handlers) apiAuditEvents(c *fiber.Ctx) error {
	f := audit.Filter{Action: c.Query("action"), Entity: c.Query("entity"), EntityID: int64(c.QueryInt("entity_id")),
		Limit: c.QueryInt("limit", 100), Offset: c.QueryInt("offset")}
	entries, err := h.Audit.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": entries, "limit": f.Limit, "offset": f.Offset})
}
