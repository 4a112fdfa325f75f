package backoffice

import (
	"io"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// answerFields are the inputs of the answer and decline forms.
var answerFields = []string{"via", "price", "vat_status", "dates_offered", "trainer", "note", "decline_via", "decline_reason"}

type answerFormData struct {
	Consultation crm.Consultation
	Request      crm.Request
	VATStatuses  []string
	Vias         []string
}

// consultationAnswerForm shows the forms that record a provider's answer,
// or its decline, received by phone or e-mail.
func (h *handlers) consultationAnswerForm(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "consultations.answer_title", "requests")
	p.Form["via"], p.Form["decline_via"] = crm.AnsweredByPhone, crm.AnsweredByPhone
	return h.renderAnswerForm(c, p, id)
}

func (h *handlers) renderAnswerForm(c *fiber.Ctx, p *web.Page, id int64) error {
	ctx := c.UserContext()
	k, err := h.Consultations.Get(ctx, id)
	if err != nil {
		return err
	}
	r, err := h.Requests.Get(ctx, k.RequestID)
	if err != nil {
		return err
	}
	p.Title = p.T("consultations.answer_of", k.ProviderName)
	p.Data = answerFormData{Consultation: k, Request: r, VATStatuses: crm.VATStatuses, Vias: []string{crm.AnsweredByPhone, crm.AnsweredByEmail}}
	return h.tpl.Render(c, "consultation_answer", p)
}

// answerFailed shows the answer page again with the messages of err.
func (h *handlers) answerFailed(c *fiber.Ctx, p *web.Page, id int64, err error, rename map[string]string) error {
	if !fieldErrors(p, err, "") {
		return err
	}
	renamed(p, rename)
	c.Status(fiber.StatusUnprocessableEntity)
	p.Error = p.T("form.has_errors")
	return h.renderAnswerForm(c, p, id)
}

// consultationAnswer records a quote a provider gave by phone or e-mail,
// with its programme when one is attached.
func (h *handlers) consultationAnswer(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "consultations.answer_title", "requests")
	for _, f := range answerFields {
		p.Form[f] = c.FormValue(f)
	}
	in := crm.QuoteInput{VATStatus: p.Form["vat_status"], Trainer: p.Form["trainer"], Note: multiline(p.Form["note"])}
	inv := &errs.Invalid{}
	if price, ok := i18n.ParseMoney(p.Form["price"]); !ok {
		inv.Add("price", "error.euros")
	} else if price != nil {
		in.PriceCents = *price
	}
	var ok bool
	if in.DatesOffered, ok = datesInput(p.Form["dates_offered"]); !ok {
		inv.Add("dates_offered", "error.dates_invalid")
	}
	rename := map[string]string{"price_cents": "price"}
	if in.Programme, err = uploaded(c, "programme"); err != nil {
		return h.answerFailed(c, p, id, err, rename)
	}
	if err := inv.OrNil(); err != nil {
		return h.answerFailed(c, p, id, err, rename)
	}
	k, err := h.Consultations.RecordAnswer(c.UserContext(), id, p.Form["via"], in)
	if err != nil {
		return h.answerFailed(c, p, id, err, rename)
	}
	return redirectToRequest(c, k.RequestID, "consultation-"+itoa(id), "consultations.answer_recorded")
}

// consultationDecline records that a provider declined by phone or e-mail.
func (h *handlers) consultationDecline(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "consultations.answer_title", "requests")
	for _, f := range answerFields {
		p.Form[f] = c.FormValue(f)
	}
	k, err := h.Consultations.RecordDecline(c.UserContext(), id, p.Form["decline_via"], multiline(p.Form["decline_reason"]))
	if err != nil {
		return h.answerFailed(c, p, id, err, map[string]string{"via": "decline_via", "reason": "decline_reason"})
	}
	return redirectToRequest(c, k.RequestID, "consultation-"+itoa(id), "consultations.decline_recorded")
}

// uploaded reads an optional file of a multipart form; nil when none was sent.
func uploaded(c *fiber.Ctx, name string) (*crm.Upload, error) {
	fh, err := c.FormFile(name)
	if err != nil || fh.Size == 0 {
		return nil, nil // not multipart, or no file chosen
	}
	if fh.Size > crm.MaxProgrammeSize {
		return nil, errs.NewInvalid(name, "error.file_too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return &crm.Upload{Filename: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data}, nil
}
