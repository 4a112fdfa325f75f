package extranet

import (
	"errors"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// The answer form is public: a provider reaches it by the signed link of
// its consultation mail and has no account. The link's token is the only
// credential; crm.Consultations checks its signature, expiry and single use
// on every request, and the form never names the client.
//
// CSRF: the web layer's middleware protects these anonymous forms as it
// does the login form. Its per-browser random cookie needs no session (the
// token is the HMAC of that cookie and of an empty session), so the GET of
// the form sets the cookie and the POST must bring the matching _csrf
// field. A forged cross-site POST lacks that field, and could not name a
// consultation anyway without the secret link it is posted to.

// answerData is what the answer pages show.
type answerData struct {
	Token       string
	Form        crm.ConsultationForm
	VATStatuses []string
	DateFields  []int // the date inputs, numbered from 1
	MaxMB       int
}

func (h *handlers) newAnswerData(token string, form crm.ConsultationForm) answerData {
	return answerData{Token: token, Form: form, VATStatuses: crm.VATStatuses, DateFields: []int{1, 2, 3, 4},
		MaxMB: crm.MaxProgrammeSize >> 20}
}

// answerPage starts a page of the answer form, kept out of search engines.
func answerPage(c *fiber.Ctx, titleKey string) *web.Page {
	c.Set("X-Robots-Tag", "noindex, nofollow")
	return web.NewPage(c, titleKey)
}

// answerForm shows the need and the form to answer it, or why the link
// does not work.
func (h *handlers) answerForm(c *fiber.Ctx) error {
	token := c.Params("token")
	form, err := h.Consultations.Open(c.UserContext(), token)
	if err != nil {
		return h.linkRefused(c, err)
	}
	p := answerPage(c, "ex.answer.title")
	p.Data = h.newAnswerData(token, form)
	return h.tpl.Render(c, "answer", p)
}

// linkRefused explains why a link does not work: 404 for a link that was
// never valid (mistyped, altered), 410 Gone for one that worked but no
// longer does (expired, already used, replaced by a reminder's). Any other
// error goes to the error handler.
func (h *handlers) linkRefused(c *fiber.Ctx, err error) error {
	reason, status := "", fiber.StatusGone
	switch {
	case errors.Is(err, crm.ErrTokenInvalid):
		reason, status = "invalid", fiber.StatusNotFound
	case errors.Is(err, crm.ErrTokenExpired):
		reason = "expired"
	case errors.Is(err, crm.ErrTokenUsed):
		reason = "used"
	case errors.Is(err, crm.ErrTokenReplaced):
		reason = "replaced"
	default:
		return err
	}
	p := answerPage(c, "ex.answer.refused."+reason+".title")
	p.Error = p.T("ex.answer.refused." + reason)
	p.Data = reason
	c.Status(status)
	return h.tpl.Render(c, "answer_refused", p)
}

// answerThanks is where an answer or a decline lands.
func (h *handlers) answerThanks(c *fiber.Ctx) error {
	p := answerPage(c, "ex.answer.thanks.title")
	p.Data = c.QueryBool("declined")
	return h.tpl.Render(c, "answer_thanks", p)
}
