package backoffice

import (
	"fmt"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type mailTriageData struct {
	Items []crm.TriageItem
	Pager pager
}

// mailTriage lists the e-mails that matched no record or could not be parsed.
func (h *handlers) mailTriage(c *fiber.Ctx) error {
	p := h.page(c, "mail.triage.title", "mail")
	pg := crm.Page{Number: max(1, c.QueryInt("page")), Size: 50}
	items, total, err := h.Mail.Triage(c.UserContext(), pg)
	if err != nil {
		return err
	}
	p.Data = mailTriageData{Items: items, Pager: newPager(p.Lang, "/mail/triage", currentQuery(c), "page", "", pg.Number, pg.Size, total)}
	return h.tpl.Render(c, "mail_triage", p)
}

// mailResolve links a triaged e-mail to the records chosen on its page.
func (h *handlers) mailResolve(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	refs := parseRefs(formValues(c, "link"))
	if len(refs) == 0 {
		return errs.NewInvalid("link", "error.required")
	}
	if err := h.Mail.Resolve(c.UserContext(), id, refs, c.FormValue("remember") != ""); err != nil {
		return err
	}
	web.Flash(c, "mail.triage.resolved")
	return c.Redirect(fmt.Sprintf("/mail/%d", id), fiber.StatusSeeOther)
}

// mailDismiss takes an e-mail out of triage (spam, newsletters).
func (h *handlers) mailDismiss(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Mail.Dismiss(c.UserContext(), id); err != nil {
		return err
	}
	web.Flash(c, "mail.triage.dismissed")
	return c.Redirect("/mail/triage", fiber.StatusSeeOther)
}
