package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// apiContact is a contact in the API, with its primary e-mail and phone in lists too.
type apiContact struct {
	crm.Contact
	PrimaryEmail string `json:"primary_email"`
	PrimaryPhone string `json:"primary_phone"`
}

func apiContacts(list []crm.Contact) []apiContact {
	out := make([]apiContact, 0, len(list))
	for _, k := range list {
		out = append(out, apiContact{Contact: k, PrimaryEmail: k.PrimaryMail, PrimaryPhone: k.PrimaryTel})
	}
	return out
}

func (h *handlers) apiContactList(c *fiber.Ctx) error {
	f := crm.ContactFilter{Query: c.Query("q"), Side: c.Query("side"), Role: c.Query("role"), Page: apiPage(c)}
	return h.apiContactsOf(c, f)
}

func (h *handlers) apiClientContactList(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	return h.apiContactsOf(c, crm.ContactFilter{ClientID: id, Query: c.Query("q"), Role: c.Query("role"), Page: apiPage(c)})
}

func (h *handlers) apiContactsOf(c *fiber.Ctx, f crm.ContactFilter) error {
	rows, total, err := h.Contacts.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(apiContacts(rows), total, f.Page))
}

func (h *handlers) apiClientContactCreate(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	return h.apiContactCreate(c, crm.ContactInput{ClientID: &id})
}

func (h *handlers) apiProviderContactCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Providers.Get(c.UserContext(), id); err != nil {
		return err
	}
	return h.apiContactCreate(c, crm.ContactInput{ProviderID: &id})
}

// apiContactCreate adds a contact to the owner set in owner (the body cannot change it).
func (h *handlers) apiContactCreate(c *fiber.Ctx, owner crm.ContactInput) error {
	var in crm.ContactInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.ClientID, in.ProviderID = owner.ClientID, owner.ProviderID
	k, err := h.Contacts.Create(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(k)
}

func (h *handlers) apiContactGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	k, err := h.Contacts.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(k)
}

// apiContactUpdate changes the fields the body gives (e-mails and phones are
// replaced as a whole when given); the owner never changes.
func (h *handlers) apiContactUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.Contacts.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	in := cur.ContactInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	k, err := h.Contacts.Update(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(k)
}
