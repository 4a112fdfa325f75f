package backoffice

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// extranetInviteTTL is how long a client user's set-your-password link lives.
const extranetInviteTTL = 7 * 24 * time.Hour

// extranetInvite is a client user to create: who, with which role and
// scope (the departments of a manager, the employee record of an employee).
type extranetInvite struct {
	Name          string  `json:"name"`
	Email         string  `json:"email"`
	Role          string  `json:"role"`
	Locale        string  `json:"locale"`
	DepartmentIDs []int64 `json:"department_ids"`
	EmployeeID    *int64  `json:"employee_id"`
}

// inviteExtranetUser checks the scope against the client's records, creates
// the account without a password, gives it its scope and e-mails the
// single-use link (valid 7 days) to set a password on the extranet.
func (h *handlers) inviteExtranetUser(c *fiber.Ctx, clientID int64, in extranetInvite) (auth.User, error) {
	ctx := c.UserContext()
	if _, err := h.Clients.Get(ctx, clientID); err != nil {
		return auth.User{}, err
	}
	if err := h.checkScope(ctx, clientID, in); err != nil {
		return auth.User{}, err
	}
	u, err := h.ExtranetAuth.CreateUser(ctx, auth.NewUser{ClientID: clientID, Email: in.Email, Name: in.Name, Role: in.Role,
		Locale: in.Locale})
	if errors.Is(err, errs.ErrConflict) {
		return auth.User{}, errs.NewInvalid("email", "error.email_taken")
	} else if err != nil {
		return auth.User{}, err
	}
	if _, err := h.Viewers.Assign(ctx, clientID, u.ID, crm.Assignment{DepartmentIDs: in.DepartmentIDs, EmployeeID: in.EmployeeID}); err != nil {
		return auth.User{}, err
	}
	invites := &web.AuthPages{Auth: h.ExtranetAuth, Mailer: h.Mailer, PublicURL: strings.TrimSuffix(h.ExtranetURL, "/")}
	return u, invites.SendInvitation(c, u, extranetInviteTTL)
}

// checkScope refuses departments or an employee of another client, so that
// no account is created with a scope that cannot be given.
func (h *handlers) checkScope(ctx context.Context, clientID int64, in extranetInvite) error {
	if len(in.DepartmentIDs) > 0 {
		deps, err := h.Establishments.Departments(ctx, clientID)
		if err != nil {
			return err
		}
		for _, id := range in.DepartmentIDs {
			if !slices.ContainsFunc(deps, func(d crm.Department) bool { return d.ID == id }) {
				return errs.NewInvalid("department_ids", "error.not_of_client")
			}
		}
	}
	if in.EmployeeID != nil {
		if _, err := h.Employees.Get(ctx, clientID, *in.EmployeeID); err != nil {
			return errs.NewInvalid("employee_id", "error.not_of_client")
		}
	}
	return nil
}

// extranetUserCreate invites a client user from the client page.
func (h *handlers) extranetUserCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in := extranetInvite{Name: c.FormValue("invite_name"), Email: c.FormValue("invite_email"), Role: c.FormValue("role"),
		Locale: c.FormValue("locale")}
	form, _ := c.MultipartForm()
	if form != nil {
		for _, v := range form.Value["department_ids"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				in.DepartmentIDs = append(in.DepartmentIDs, n)
			}
		}
	} else {
		for _, v := range c.Request().PostArgs().PeekMulti("department_ids") {
			if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
				in.DepartmentIDs = append(in.DepartmentIDs, n)
			}
		}
	}
	if n, err := strconv.ParseInt(c.FormValue("employee_id"), 10, 64); err == nil && n > 0 {
		in.EmployeeID = &n
	}
	if _, err := h.inviteExtranetUser(c, id, in); err != nil {
		p := h.page(c, "clients.title", "clients")
		if !fieldErrors(p, err, "invite_") {
			return err
		}
		p.Form["invite_name"], p.Form["invite_email"], p.Form["invite_role"] = in.Name, in.Email, in.Role
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderClient(c, p, id)
	}
	web.Flash(c, "extranet_users.invited")
	return c.Redirect("/clients/"+itoa(id)+"#extranet-users", fiber.StatusSeeOther)
}

// apiExtranetUsers lists a client's extranet users.
func (h *handlers) apiExtranetUsers(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Clients.Get(c.UserContext(), id); err != nil {
		return err
	}
	users, err := h.ExtranetAuth.ListUsers(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(users))
}

// apiExtranetUserCreate invites a client user: 201 with the account.
func (h *handlers) apiExtranetUserCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in extranetInvite
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := h.inviteExtranetUser(c, id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}
