package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// apiCallList returns the call entries of the timeline (the call log has
// no list of its own): filters record_type, record_id, q, limit, offset.
func (h *handlers) apiCallList(c *fiber.Ctx) error {
	return h.apiEntries(c, apiTimelineFilter(c, []string{crm.KindCall}))
}

// apiCallLog logs a call; 201 with the call.
func (h *handlers) apiCallLog(c *fiber.Ctx) error {
	var in crm.CallInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	k, _, err := h.Calls.Log(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(k)
}

func (h *handlers) apiCallTriage(c *fiber.Ctx) error {
	calls, err := h.Calls.Triage(c.UserContext(), min(c.QueryInt("limit", triageLimit), 500))
	if err != nil {
		return err
	}
	return c.JSON(apiItems(calls))
}

// apiCallAssign links a triaged call to a contact; remember_number adds the
// number to the contact's phones.
func (h *handlers) apiCallAssign(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		ContactID      int64 `json:"contact_id"`
		RememberNumber bool  `json:"remember_number"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.ContactID <= 0 {
		return invalid("contact_id", "error.required")
	}
	if err := h.Calls.Assign(c.UserContext(), id, in.ContactID, in.RememberNumber); err != nil {
		return err
	}
	return h.apiCall(c, id)
}

func (h *handlers) apiCallDismiss(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Calls.Dismiss(c.UserContext(), id); err != nil {
		return err
	}
	return h.apiCall(c, id)
}

func (h *handlers) apiCall(c *fiber.Ctx, id int64) error {
	k, err := h.Calls.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(k)
}
