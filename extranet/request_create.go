package extranet

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// requestCreate records a collective need raised by the user, which the
// broker's back office receives at once, and tells the staff member
// following it by e-mail.
func (h *handlers) requestCreate(c *fiber.Ctx) error {
	p := web.NewPage(c, "ex.requests.new")
	p.Nav = "requests"
	v := viewerOf(c)
	in, err := readRequestForm(c, p)
	if err != nil {
		return h.requestFormFailed(c, p, err)
	}
	r, err := h.Requests.CreateFor(c.UserContext(), v, in)
	if err != nil {
		return h.requestFormFailed(c, p, err)
	}
	if err := h.notifyOwner(c.UserContext(), v, r); err != nil {
		h.Logger.Warn("extranet: new request not mailed to its owner", "request", r.ID, "err", err)
	}
	web.Flash(c, "ex.requests.saved")
	return c.Redirect("/requests/"+strconv.FormatInt(r.ID, 10), fiber.StatusSeeOther)
}

// requestFormFailed shows the form again with the errors next to their fields.
func (h *handlers) requestFormFailed(c *fiber.Ctx, p *web.Page, err error) error {
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return err
	}
	for f, key := range inv.Fields {
		if in, ok := requestFieldInputs[f]; ok {
			f = in
		}
		p.Fields[f] = i18n.T(p.Lang, key)
	}
	p.Error = p.T("ex.form.errors")
	c.Status(fiber.StatusUnprocessableEntity)
	return h.tpl.Render(c, "request_form", p)
}

// notifyOwner mails the staff member following the new request (the
// company's account manager), in French, the broker's language; a request
// nobody follows yet mails nobody.
func (h *handlers) notifyOwner(ctx context.Context, v crm.Viewer, r crm.Request) error {
	owner, err := h.Requests.OwnerFor(ctx, v, r.ID)
	if errors.Is(err, errs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	lang := i18n.FR
	period := "—"
	if r.PeriodFrom != nil || r.PeriodTo != nil {
		period = i18n.Date(lang, derefTime(r.PeriodFrom)) + " → " + i18n.Date(lang, derefTime(r.PeriodTo))
	}
	budget := "—"
	if r.BudgetCents != nil {
		budget = i18n.Money(lang, *r.BudgetCents)
	}
	_, err = h.Mailer.Send(ctx, &mailer.Message{
		To:      []mailer.Address{{Name: owner.Name, Address: owner.Email}},
		Subject: i18n.T(lang, "ex.requests.mail.subject", r.ClientName, r.Topic, fmt.Sprintf("REQ-%d", r.ID)),
		Text: i18n.T(lang, "ex.requests.mail.body", owner.Name, v.Name, r.ClientName, r.Topic, r.Trainees, period, budget,
			r.FundingBody, r.Description, r.Objectives),
	})
	return err
}

// derefTime returns *t, or the zero time (formatted as "") for nil.
func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
