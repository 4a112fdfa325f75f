package backoffice

import (
	"io"
	"net/http"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type brokerPageData struct {
	Profile crm.BrokerProfile
}

// brokerShow shows the broker's identity, printed on every document.
func (h *handlers) brokerShow(c *fiber.Ctx) error {
	p := h.page(c, "broker.title", "settings")
	profile, err := h.Broker.Profile(c.UserContext())
	if err != nil {
		return err
	}
	for k, v := range brokerForm(profile) {
		p.Form[k] = v
	}
	return h.renderBroker(c, p, profile)
}

func (h *handlers) renderBroker(c *fiber.Ctx, p *web.Page, profile crm.BrokerProfile) error {
	p.Data = brokerPageData{Profile: profile}
	return h.tpl.Render(c, "settings_broker", p)
}

// brokerForm is the profile as form values.
func brokerForm(b crm.BrokerProfile) map[string]string {
	f := map[string]string{"legal_name": b.LegalName, "legal_form": b.LegalForm, "street": b.Street, "postal_code": b.PostalCode,
		"city": b.City, "country": b.Country, "siret": b.SIRET, "rcs": b.RCS, "vat_number": b.VATNumber, "nda": b.NDA,
		"nda_region": b.NDARegion, "qualiopi": b.Qualiopi, "representative": b.Representative,
		"representative_role": b.RepresentativeRole, "email": b.Email, "phone": b.Phone, "website": b.Website, "colour": b.Colour}
	if b.VATExempt {
		f["vat_exempt"] = "on"
	}
	return f
}

// brokerSave saves the profile from the form.
func (h *handlers) brokerSave(c *fiber.Ctx) error {
	in := crm.BrokerProfile{LegalName: c.FormValue("legal_name"), LegalForm: c.FormValue("legal_form"), Street: c.FormValue("street"),
		PostalCode: c.FormValue("postal_code"), City: c.FormValue("city"), Country: c.FormValue("country"), SIRET: c.FormValue("siret"),
		RCS: c.FormValue("rcs"), VATNumber: c.FormValue("vat_number"), NDA: c.FormValue("nda"), NDARegion: c.FormValue("nda_region"),
		Qualiopi: c.FormValue("qualiopi"), VATExempt: c.FormValue("vat_exempt") != "", Representative: c.FormValue("representative"),
		RepresentativeRole: c.FormValue("representative_role"), Email: c.FormValue("email"), Phone: c.FormValue("phone"),
		Website: c.FormValue("website"), Colour: c.FormValue("colour")}
	if _, err := h.Broker.SaveProfile(c.UserContext(), in); err != nil {
		p := h.page(c, "broker.title", "settings")
		if !fieldErrors(p, err, "") {
			return err
		}
		for k, v := range brokerForm(in) {
			p.Form[k] = v
		}
		c.Status(fiber.StatusUnprocessableEntity)
		current, _ := h.Broker.Profile(c.UserContext())
		return h.renderBroker(c, p, current)
	}
	web.Flash(c, "broker.saved")
	return c.Redirect("/settings/broker", fiber.StatusSeeOther)
}

// brokerLogo sets (or with "remove", drops) the logo printed on documents.
func (h *handlers) brokerLogo(c *fiber.Ctx) error {
	ctx := c.UserContext()
	sum := ""
	if c.FormValue("remove") == "" {
		var err error
		if sum, err = h.uploadLogo(c); err != nil {
			p := h.page(c, "broker.title", "settings")
			if !fieldErrors(p, err, "") {
				return err
			}
			profile, _ := h.Broker.Profile(ctx)
			for k, v := range brokerForm(profile) {
				p.Form[k] = v
			}
			c.Status(fiber.StatusUnprocessableEntity)
			return h.renderBroker(c, p, profile)
		}
	}
	if err := h.Broker.SetLogo(ctx, sum); err != nil {
		return err
	}
	web.Flash(c, "broker.saved")
	return c.Redirect("/settings/broker", fiber.StatusSeeOther)
}

// uploadLogo stores the "logo" file of the form after checking it.
func (h *handlers) uploadLogo(c *fiber.Ctx) (string, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", invalid("logo", "error.required")
	}
	f, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	return crm.SaveLogo(c.UserContext(), h.Blobs, f)
}

// logoImage serves a stored logo (the broker's or a client's) to staff;
// a blob that is not a PNG or JPEG image is not served here.
func (h *handlers) logoImage(c *fiber.Ctx) error {
	r, err := h.Blobs.Open(c.UserContext(), c.Params("sum"))
	if err != nil {
		return err
	}
	defer r.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(r, head)
	kind := http.DetectContentType(head[:n])
	if kind != "image/png" && kind != "image/jpeg" {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, kind)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	_, _ = c.Write(head[:n])
	_, err = io.Copy(c, r)
	return err
}
