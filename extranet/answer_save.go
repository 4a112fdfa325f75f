package extranet

import (
	"errors"
	"io"
	"mime/multipart"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// programmeTypes are the extensions of the programme files taken: PDF and
// word-processing documents.
var programmeTypes = []string{".pdf", ".doc", ".docx", ".odt"}

// formFields names, for each field of the service's validation errors, the
// input of the form it is shown next to.
var formFields = map[string]string{"price_cents": "price", "dates_offered": "dates"}

// answerSave records the provider's quote, then thanks it. Inputs that
// cannot be read (an amount, a date, a file too large or of another kind)
// are refused before anything is stored; the service checks the rest.
func (h *handlers) answerSave(c *fiber.Ctx) error {
	token := c.Params("token")
	form, err := h.Consultations.Open(c.UserContext(), token)
	if err != nil {
		return h.linkRefused(c, err)
	}
	p := answerPage(c, "ex.answer.title")
	for _, k := range []string{"price", "vat_status", "trainer", "note"} {
		p.Form[k] = c.FormValue(k)
	}
	in := crm.QuoteInput{VATStatus: p.Form["vat_status"], Trainer: p.Form["trainer"], Note: p.Form["note"]}
	bad := map[string]string{}
	if cents, ok := i18n.ParseMoney(p.Form["price"]); !ok || cents != nil && *cents < 0 {
		bad["price"] = "error.euros"
	} else if cents != nil {
		in.PriceCents = *cents
	}
	for i, s := range formList(c, "dates") {
		p.Form["dates"+strconv.Itoa(i+1)] = s
		if d, ok := dateInput(s); !ok {
			bad["dates"] = "error.date_invalid"
		} else if d != "" {
			in.DatesOffered = append(in.DatesOffered, d)
		}
	}
	if in.Programme, err = programmeUpload(c); err != nil {
		var inv *errs.Invalid
		if !errors.As(err, &inv) {
			return err
		}
		bad["programme"] = inv.Fields["programme"]
	}
	if len(bad) == 0 {
		err = h.Consultations.Answer(c.UserContext(), token, in)
		if err == nil {
			return c.Redirect("/reponse/merci", fiber.StatusSeeOther)
		}
		if errors.Is(err, errs.ErrForbidden) {
			return h.linkRefused(c, err) // answered meanwhile, from another tab
		}
		var inv *errs.Invalid
		if !errors.As(err, &inv) {
			return err
		}
		bad = inv.Fields
	}
	return h.answerInvalid(c, p, token, form, bad)
}

// answerDecline records that the provider declines, with its reason.
func (h *handlers) answerDecline(c *fiber.Ctx) error {
	token := c.Params("token")
	form, err := h.Consultations.Open(c.UserContext(), token)
	if err != nil {
		return h.linkRefused(c, err)
	}
	p := answerPage(c, "ex.answer.title")
	p.Form["reason"] = c.FormValue("reason")
	err = h.Consultations.Decline(c.UserContext(), token, p.Form["reason"])
	if err == nil {
		return c.Redirect("/reponse/merci?declined=1", fiber.StatusSeeOther)
	}
	if errors.Is(err, errs.ErrForbidden) {
		return h.linkRefused(c, err)
	}
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return err
	}
	return h.answerInvalid(c, p, token, form, inv.Fields)
}

// answerInvalid shows the form again, 422, with each message next to its input.
func (h *handlers) answerInvalid(c *fiber.Ctx, p *web.Page, token string, form crm.ConsultationForm, fields map[string]string) error {
	for f, key := range fields {
		if name, ok := formFields[f]; ok {
			f = name
		}
		p.Fields[f] = p.T(key)
	}
	p.Error = p.T("ex.answer.errors")
	p.Data = h.newAnswerData(token, form)
	c.Status(fiber.StatusUnprocessableEntity)
	return h.tpl.Render(c, "answer", p)
}

// programmeUpload reads the programme file, if one was sent. A file past
// crm.MaxProgrammeSize is refused from its announced size, unread.
func programmeUpload(c *fiber.Ctx) (*crm.Upload, error) {
	fh, err := c.FormFile("programme")
	if err != nil || fh.Size == 0 {
		return nil, nil // no file chosen
	}
	if fh.Size > crm.MaxProgrammeSize {
		return nil, errs.NewInvalid("programme", "error.file_too_large")
	}
	if !slices.Contains(programmeTypes, strings.ToLower(filepath.Ext(fh.Filename))) {
		return nil, errs.NewInvalid("programme", "ex.answer.file_type")
	}
	data, err := readUpload(fh)
	if err != nil {
		return nil, err
	}
	if len(data) > crm.MaxProgrammeSize {
		return nil, errs.NewInvalid("programme", "error.file_too_large")
	}
	ctype := fh.Header.Get(fiber.HeaderContentType)
	if ctype == "application/octet-stream" {
		ctype = "" // the browser did not know: the service derives it from the extension
	}
	return &crm.Upload{Filename: fh.Filename, ContentType: ctype, Data: data}, nil
}

func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, crm.MaxProgrammeSize+1))
}

// formList returns every value of a repeated field of a multipart or
// URL-encoded form.
func formList(c *fiber.Ctx, name string) []string {
	if mf, err := c.MultipartForm(); err == nil {
		return mf.Value[name]
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// dateInput reads a date typed YYYY-MM-DD (date inputs) or DD/MM/YYYY
// (browsers without them) as YYYY-MM-DD; empty is "".
func dateInput(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d.Format(time.DateOnly), true
		}
	}
	return "", false
}
