package backoffice

import (
	"context"
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// apiDay is a date without time in JSON answers: "2026-09-21".
type apiDay time.Time

// MarshalJSON writes the full-date.
func (d apiDay) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(d).Format(time.DateOnly) + `"`), nil
}

// dayOf is an optional date as an apiDay; nil stays null.
func dayOf(t *time.Time) *apiDay {
	if t == nil {
		return nil
	}
	d := apiDay(*t)
	return &d
}

// apiRequest is a request in JSON, its period as full-dates.
type apiRequest struct {
	crm.Request
	PeriodFrom *apiDay `json:"period_from"`
	PeriodTo   *apiDay `json:"period_to"`
}

func newAPIRequest(r crm.Request) apiRequest {
	if r.EmployeeIDs == nil {
		r.EmployeeIDs = []int64{}
	}
	return apiRequest{Request: r, PeriodFrom: dayOf(r.PeriodFrom), PeriodTo: dayOf(r.PeriodTo)}
}

// apiMove is a move staff may make by hand now (POST …/advance).
type apiMove struct {
	Track       string `json:"track"`
	To          string `json:"to"`
	NeedsReason bool   `json:"needs_reason"`
	NeedsAmount bool   `json:"needs_amount"`
}

// apiRequestDetail is one request with its track history, since when it is
// in its stage, the manual moves open to it and whether it can be booked.
type apiRequestDetail struct {
	apiRequest
	StageSince time.Time         `json:"stage_since"`
	CanBook    bool              `json:"can_book"`
	Moves      []apiMove         `json:"moves"`
	History    []crm.TrackChange `json:"history"`
}

// manualMoves lists the moves of the transition table that staff may make
// from the request's current tracks; a cancelled request may only reopen.
func manualMoves(s crm.TrackState) []apiMove {
	out := []apiMove{}
	for _, t := range crm.Transitions {
		if !t.Manual || s.Get(t.Track) != t.From || (s.Status == crm.RequestCancelled && t.Track != crm.TrackRequest) {
			continue
		}
		out = append(out, apiMove{Track: t.Track, To: t.To, NeedsReason: t.NeedsReason, NeedsAmount: t.NeedsAmount})
	}
	return out
}

// requestDetail completes a request with its history.
func (h *handlers) requestDetail(ctx context.Context, r crm.Request) (apiRequestDetail, error) {
	history, err := h.Requests.History(ctx, r.ID)
	if err != nil {
		return apiRequestDetail{}, err
	}
	if history == nil {
		history = []crm.TrackChange{}
	}
	_, since := crm.StageSince(r.CreatedAt, history)
	return apiRequestDetail{apiRequest: newAPIRequest(r), StageSince: since, CanBook: r.TrackState.CanBook() == nil,
		Moves: manualMoves(r.TrackState), History: history}, nil
}

// sendRequest answers a request in detail with the given status.
func (h *handlers) sendRequest(c *fiber.Ctx, status int, r crm.Request) error {
	d, err := h.requestDetail(c.UserContext(), r)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(d)
}

// apiRequestInput is a request in a body; the period may be full-dates.
type apiRequestInput struct {
	crm.RequestInput
	PeriodFrom *apiDate `json:"period_from"`
	PeriodTo   *apiDate `json:"period_to"`
}

// decodeRequest reads a request body over cur (fields left out keep their value).
func decodeRequest(c *fiber.Ctx, cur crm.RequestInput) (crm.RequestInput, error) {
	in := apiRequestInput{RequestInput: cur, PeriodFrom: dateOf(cur.PeriodFrom), PeriodTo: dateOf(cur.PeriodTo)}
	if err := decodeJSON(c, &in); err != nil {
		return cur, err
	}
	out := in.RequestInput
	out.PeriodFrom, out.PeriodTo = in.PeriodFrom.ptr(), in.PeriodTo.ptr()
	return out, nil
}

// staffParam reads a staff id of the query: "me" is the token's owner,
// empty is 0 (anyone).
func staffParam(c *fiber.Ctx, name string) (int64, error) {
	switch s := c.Query(name); s {
	case "":
		return 0, nil
	case "me":
		return web.SessionOf(c).User.ID, nil
	default:
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return 0, invalid(name, "error.number")
		}
		return id, nil
	}
}

// idParam reads an optional positive id of the query (0 when absent).
func idParam(c *fiber.Ctx, name string) (int64, error) {
	n, err := queryInt(c, name)
	return int64(n), err
}

func (h *handlers) apiRequestList(c *fiber.Ctx) error {
	owner, err := staffParam(c, "owner_id")
	if err != nil {
		return err
	}
	client, err := idParam(c, "client_id")
	if err != nil {
		return err
	}
	page := apiPage(c)
	rows, total, err := h.Requests.List(c.UserContext(), crm.RequestFilter{ClientID: client, OwnerID: owner, Query: c.Query("q"),
		Status: c.Query("status"), Sourcing: c.Query("sourcing"), Decision: c.Query("decision"), Funding: c.Query("funding"),
		Priority: c.Query("priority"), Stage: c.Query("stage"), Page: page})
	if err != nil {
		return err
	}
	items := make([]apiRequest, 0, len(rows))
	for _, r := range rows {
		items = append(items, newAPIRequest(r))
	}
	return c.JSON(newAPIList(items, total, page))
}

func (h *handlers) apiRequestCreate(c *fiber.Ctx) error {
	in, err := decodeRequest(c, crm.RequestInput{})
	if err != nil {
		return err
	}
	r, err := h.Requests.Create(c.UserContext(), in)
	if err != nil {
		return err
	}
	return h.sendRequest(c, fiber.StatusCreated, r)
}

func (h *handlers) apiRequestGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.Requests.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return h.sendRequest(c, fiber.StatusOK, r)
}

// apiRequestUpdate saves the described need; fields left out keep their
// value. Tracks never move here (see apiRequestAdvance).
func (h *handlers) apiRequestUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.Requests.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	in, err := decodeRequest(c, cur.RequestInput)
	if err != nil {
		return err
	}
	r, err := h.Requests.Update(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return h.sendRequest(c, fiber.StatusOK, r)
}

// apiRequestAdvance makes a manual move of one track; a move the table
// refuses, or one that only follows events, is 422 on the track's field.
func (h *handlers) apiRequestAdvance(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var m crm.TrackMove
	if err := decodeJSON(c, &m); err != nil {
		return err
	}
	if m.Track == "" {
		return invalid("track", "error.required")
	}
	r, err := h.Requests.Advance(c.UserContext(), id, m)
	if err != nil {
		return err
	}
	return h.sendRequest(c, fiber.StatusOK, r)
}

// apiPipelineItem is an open request in its pipeline column.
type apiPipelineItem struct {
	apiRequest
	StageSince     time.Time `json:"stage_since"`
	InStageSeconds int64     `json:"in_stage_seconds"`
}

type apiPipelineColumn struct {
	Stage string            `json:"stage"`
	Items []apiPipelineItem `json:"items"`
}

// apiPipeline is the open requests by stage; owner_id ("me" or an id) and
// client_id narrow it.
func (h *handlers) apiPipeline(c *fiber.Ctx) error {
	owner, err := staffParam(c, "owner_id")
	if err != nil {
		return err
	}
	client, err := idParam(c, "client_id")
	if err != nil {
		return err
	}
	columns, err := h.Requests.Pipeline(c.UserContext(), crm.PipelineFilter{OwnerID: owner, ClientID: client}, time.Now())
	if err != nil {
		return err
	}
	out := make([]apiPipelineColumn, 0, len(columns))
	for _, col := range columns {
		items := make([]apiPipelineItem, 0, len(col.Items))
		for _, it := range col.Items {
			items = append(items, apiPipelineItem{apiRequest: newAPIRequest(it.Request), StageSince: it.StageSince,
				InStageSeconds: int64(it.InStage / time.Second)})
		}
		out = append(out, apiPipelineColumn{Stage: col.Stage, Items: items})
	}
	return c.JSON(fiber.Map{"columns": out})
}

// apiWaitingItem is a request waiting on the token's owner, and for what.
type apiWaitingItem struct {
	apiRequest
	Action string `json:"action"`
}

// apiWaiting lists the requests waiting for an action of the token's owner.
func (h *handlers) apiWaiting(c *fiber.Ctx) error {
	list, err := h.Requests.WaitingOn(c.UserContext(), web.SessionOf(c).User.ID, time.Now())
	if err != nil {
		return err
	}
	items := make([]apiWaitingItem, 0, len(list))
	for _, w := range list {
		items = append(items, apiWaitingItem{apiRequest: newAPIRequest(w.Request), Action: w.Action})
	}
	return c.JSON(apiItems(items))
}
