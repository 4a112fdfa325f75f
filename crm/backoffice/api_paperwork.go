package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/gofiber/fiber/v2"
)

// apiBookingDocuments makes a booking's documents of one kind.
func (h *handlers) apiBookingDocuments(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Kind string `json:"kind"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	g, err := h.Paperwork.GenerateForBooking(c.UserContext(), id, pdf.Kind(in.Kind))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(g)
}

// apiBookingCertificates says, per trainee, whether a certificate can be made.
func (h *handlers) apiBookingCertificates(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := h.Paperwork.Certificates(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(list))
}

// apiProposalDocument makes a proposal's quotation PDF.
func (h *handlers) apiProposalDocument(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	g, err := h.Paperwork.GenerateProposal(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(g)
}

func (h *handlers) apiBrokerGet(c *fiber.Ctx) error {
	p, err := h.Broker.Profile(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// apiBrokerPut replaces the broker's profile (the logo is set on its page).
func (h *handlers) apiBrokerPut(c *fiber.Ctx) error {
	var in crm.BrokerProfile
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.LogoSum = ""
	p, err := h.Broker.SaveProfile(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *handlers) apiDocumentStyleGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	st, err := h.Clients.DocumentStyle(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// apiDocumentStylePut sets a client's document language, colour and
// layout variants (its logo is set on the client page).
func (h *handlers) apiDocumentStylePut(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in crm.DocumentStyle
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.LogoSum = ""
	st, err := h.Clients.SetDocumentStyle(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(st)
}
