package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// proposalRow is a proposal with the topic of its request and whether it
// is past its validity.
type proposalRow struct {
	crm.ClientProposal
	Topic   string
	Expired bool
}

// proposalRow completes p; topics caches the requests' topics by id.
func (h *handlers) proposalRow(c *fiber.Ctx, v crm.Viewer, p crm.ClientProposal, topics map[int64]string) (proposalRow, error) {
	topic, ok := topics[p.RequestID]
	if !ok {
		r, err := h.Requests.GetFor(c.UserContext(), v, p.RequestID)
		if err != nil {
			return proposalRow{}, err
		}
		topic, topics[p.RequestID] = r.Topic, r.Topic
	}
	return proposalRow{ClientProposal: p, Topic: topic, Expired: expired(p)}, nil
}

type proposalListData struct {
	Rows []proposalRow
	// Request is set when comparing the proposals of one request side by side.
	Request *crm.Request
}

// proposalList lists the proposals the user sees, latest first; with
// ?request=ID, those of one request side by side (404 for a request out
// of the user's scope).
func (h *handlers) proposalList(c *fiber.Ctx) error {
	p := web.NewPage(c, "ex.proposals.title")
	p.Nav = "proposals"
	ctx, v := c.UserContext(), viewerOf(c)
	var d proposalListData
	var requestID int64
	if s := c.Query("request"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return fiber.ErrNotFound
		}
		r, err := h.Requests.GetFor(ctx, v, id)
		if err != nil {
			return err
		}
		requestID, d.Request = id, &r
		p.Title = p.T("ex.proposals.compare_title", r.Topic)
	}
	list, err := h.Proposals.ListFor(ctx, v, requestID)
	if err != nil {
		return err
	}
	topics := map[int64]string{}
	for i := len(list) - 1; i >= 0; i-- {
		row, err := h.proposalRow(c, v, list[i], topics)
		if err != nil {
			return err
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	return h.tpl.Render(c, "proposals", p)
}
