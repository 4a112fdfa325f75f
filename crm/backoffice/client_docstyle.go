package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// variantChoice is a document kind whose layout a client may swap for a
// variant made for it.
type variantChoice struct {
	Kind     string
	Variants []string
	Chosen   string
}

// styleChoices lists the kinds that have variants, with the client's choice.
func styleChoices(st crm.DocumentStyle) []variantChoice {
	var out []variantChoice
	for _, k := range append([]pdf.Kind{pdf.KindProposal}, crm.BookingKinds...) {
		if vs := pdf.Variants(k); len(vs) > 0 {
			out = append(out, variantChoice{Kind: string(k), Variants: vs, Chosen: st.Variants[string(k)]})
		}
	}
	return out
}

// clientDocumentStyle saves the language, colour and layout variants of a
// client's documents, and its logo when one is uploaded.
func (h *handlers) clientDocumentStyle(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	st := crm.DocumentStyle{Language: c.FormValue("doc_language"), Colour: c.FormValue("doc_colour"), Variants: map[string]string{}}
	for _, k := range append([]pdf.Kind{pdf.KindProposal}, crm.BookingKinds...) {
		if v := c.FormValue("variant_" + string(k)); v != "" {
			st.Variants[string(k)] = v
		}
	}
	if fh, ferr := c.FormFile("file"); ferr == nil && fh.Size > 0 {
		st.LogoSum, err = h.uploadLogo(c)
	}
	if err == nil {
		_, err = h.Clients.SetDocumentStyle(ctx, id, st)
	}
	if err == nil && c.FormValue("remove_logo") != "" {
		err = h.Clients.ClearLogo(ctx, id)
	}
	if err != nil {
		p := h.page(c, "clients.title", "clients")
		if !refused(p, err, "style") {
			return err
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderClient(c, p, id)
	}
	web.Flash(c, "docstyle.saved")
	return c.Redirect("/clients/"+itoa(id)+"#document-style", fiber.StatusSeeOther)
}
