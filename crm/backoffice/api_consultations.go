package backoffice

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// apiConsultation is a consultation in JSON, with whether it is overdue.
// It never carries the answer link: the token is signed on mailing and
// stored nowhere.
type apiConsultation struct {
	crm.Consultation
	Overdue bool `json:"overdue"`
}

func apiConsultations(list []crm.Consultation) []apiConsultation {
	now := time.Now()
	out := make([]apiConsultation, 0, len(list))
	for _, k := range list {
		out = append(out, apiConsultation{Consultation: k, Overdue: k.Overdue(now)})
	}
	return out
}

func sendConsultation(c *fiber.Ctx, k crm.Consultation) error {
	return c.JSON(apiConsultation{Consultation: k, Overdue: k.Overdue(time.Now())})
}

// decodeOptional reads a JSON body that may be left out altogether.
func decodeOptional(c *fiber.Ctx, v any) error {
	if len(bytes.TrimSpace(c.Body())) == 0 {
		return nil
	}
	return decodeJSON(c, v)
}

// dueTime is an optional due date of a body (zero: the service's default).
func dueTime(d *apiDate) time.Time {
	if d == nil {
		return time.Time{}
	}
	return d.Time
}

// apiConsultationList lists the consultations of a request, in the order made.
func (h *handlers) apiConsultationList(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Requests.Get(c.UserContext(), id); err != nil {
		return err
	}
	list, err := h.Consultations.List(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(apiConsultations(list)))
}

type apiConsultInput struct {
	Targets []crm.ConsultTarget `json:"targets"`
	// ShortlistItemIDs are items of the token owner's shortlist, consulted too.
	ShortlistItemIDs []int64  `json:"shortlist_item_ids"`
	DueAt            *apiDate `json:"due_at"`
	Message          string   `json:"message"`
}

// apiConsultationCreate consults providers about a request, given by
// provider (and course) or by the caller's shortlist items. A mail that
// could not leave keeps its consultation unsent (sent_at null): it is
// logged and the consultation is listed all the same, to re-send.
func (h *handlers) apiConsultationCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in apiConsultInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	targets := in.Targets
	if len(in.ShortlistItemIDs) > 0 {
		items, err := h.Shortlists.List(c.UserContext(), web.SessionOf(c).User.ID)
		if err != nil {
			return err
		}
		for _, sid := range in.ShortlistItemIDs {
			if !slices.ContainsFunc(items, func(it crm.ShortlistItem) bool { return it.ID == sid }) {
				return fmt.Errorf("backoffice: shortlist item %d: %w", sid, errs.ErrNotFound)
			}
		}
		targets = append(targets, crm.ShortlistTargets(items, in.ShortlistItemIDs...)...)
	}
	list, err := h.Consultations.Consult(c.UserContext(), crm.ConsultInput{RequestID: id, Targets: targets,
		DueAt: dueTime(in.DueAt), Message: in.Message})
	if err != nil && len(list) == 0 {
		return err
	}
	if err != nil {
		h.Logger.Warn("consultation mails not sent", "request", id, "err", err)
	}
	return c.Status(fiber.StatusCreated).JSON(apiItems(apiConsultations(list)))
}

func (h *handlers) apiConsultationGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	k, err := h.Consultations.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return sendConsultation(c, k)
}

// apiConsultationProgramme downloads the programme file of an answer.
func (h *handlers) apiConsultationProgramme(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	k, err := h.Consultations.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	if k.SHA256 == "" {
		return fiber.ErrNotFound
	}
	return h.sendBlob(c, k.SHA256, k.Filename, k.ContentType)
}

// apiUpload is a file in a JSON body, its content in base64.
type apiUpload struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Content     []byte `json:"content"`
}

type apiAnswerInput struct {
	crm.QuoteInput
	Via       string     `json:"via"`
	Programme *apiUpload `json:"programme"`
}

// apiConsultationAnswer records a quote a provider gave by phone or e-mail.
func (h *handlers) apiConsultationAnswer(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in apiAnswerInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	q := in.QuoteInput
	if p := in.Programme; p != nil {
		q.Programme = &crm.Upload{Filename: p.Filename, ContentType: p.ContentType, Data: p.Content}
	}
	k, err := h.Consultations.RecordAnswer(c.UserContext(), id, in.Via, q)
	if err != nil {
		return err
	}
	return sendConsultation(c, k)
}

type apiDeclineInput struct {
	Via    string `json:"via"`
	Reason string `json:"reason"`
}

// apiConsultationDecline records a provider's refusal given by phone or e-mail.
func (h *handlers) apiConsultationDecline(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in apiDeclineInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	k, err := h.Consultations.RecordDecline(c.UserContext(), id, in.Via, in.Reason)
	if err != nil {
		return err
	}
	return sendConsultation(c, k)
}

// apiConsultationRemind mails the provider again with a new link (the
// older ones stop working) and an optional new due date.
func (h *handlers) apiConsultationRemind(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		DueAt *apiDate `json:"due_at"`
	}
	if err := decodeOptional(c, &in); err != nil {
		return err
	}
	k, err := h.Consultations.Remind(c.UserContext(), id, dueTime(in.DueAt))
	if err != nil {
		return err
	}
	return sendConsultation(c, k)
}

// apiConsultationRetain marks an answer as retained for the proposal, or not any more.
func (h *handlers) apiConsultationRetain(retained bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		k, err := h.Consultations.Retain(c.UserContext(), id, retained)
		if err != nil {
			return err
		}
		return sendConsultation(c, k)
	}
}

// apiConsultationUnanswered lists the consultations still waiting (sent or
// expired), earliest due first: request_id, owner_id ("me" or an id),
// overdue=true, page and per_page narrow it.
func (h *handlers) apiConsultationUnanswered(c *fiber.Ctx) error {
	owner, err := staffParam(c, "owner_id")
	if err != nil {
		return err
	}
	req, err := idParam(c, "request_id")
	if err != nil {
		return err
	}
	page := apiPage(c)
	rows, total, err := h.Consultations.Unanswered(c.UserContext(), crm.UnansweredFilter{RequestID: req, OwnerID: owner,
		OverdueOnly: c.QueryBool("overdue"), Page: page})
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(apiConsultations(rows), total, page))
}

// apiComparisonRow is a consultation beside the others of its request.
type apiComparisonRow struct {
	crm.ComparisonRow
	Overdue bool `json:"overdue"`
}

// apiComparison compares the answers of a request: by price, then the
// declines, then those still waiting.
func (h *handlers) apiComparison(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	rows, err := h.Consultations.Compare(c.UserContext(), id)
	if err != nil {
		return err
	}
	now := time.Now()
	items := make([]apiComparisonRow, 0, len(rows))
	for _, r := range rows {
		items = append(items, apiComparisonRow{ComparisonRow: r, Overdue: r.Overdue(now)})
	}
	return c.JSON(apiItems(items))
}

// apiNotRetained sends the "not retained" mail to the providers who
// answered the request and were not retained, once each.
func (h *handlers) apiNotRetained(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Requests.Get(c.UserContext(), id); err != nil {
		return err
	}
	n, err := h.Consultations.NotifyNotRetained(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"sent": n})
}
