package backoffice

import (
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// waitingView is a request waiting on the user, with where to act.
type waitingView struct {
	crm.WaitingItem
	URL string
}

// actionURL is the page (and section) where the action a request waits for is done.
func actionURL(w crm.WaitingItem) string {
	id := strconv.FormatInt(w.ID, 10)
	switch w.Action {
	case crm.ActionConsult:
		return "/shortlist?request=" + id
	case crm.ActionRemind:
		return "/requests/" + id + "#consultations"
	case crm.ActionCompare:
		return "/requests/" + id + "#comparison"
	case crm.ActionPropose:
		return "/requests/" + id + "/proposals/new"
	case crm.ActionFunding:
		return "/requests/" + id + "#tracks"
	case crm.ActionBook, crm.ActionAttendance:
		return "/requests/" + id + "#bookings"
	}
	return "/requests/" + id + "#proposals"
}

// waitingOn lists the requests waiting on the user, with the action due.
func (h *handlers) waitingOn(c *fiber.Ctx, userID int64) ([]waitingView, error) {
	items, err := h.Requests.WaitingOn(c.UserContext(), userID, time.Now())
	if err != nil {
		return nil, err
	}
	out := make([]waitingView, 0, len(items))
	for _, it := range items {
		out = append(out, waitingView{WaitingItem: it, URL: actionURL(it)})
	}
	return out, nil
}

// requestWaiting shows every request waiting on the user, most urgent first.
func (h *handlers) requestWaiting(c *fiber.Ctx) error {
	p := h.page(c, "waiting.title", "requests")
	items, err := h.waitingOn(c, p.User().ID)
	if err != nil {
		return err
	}
	p.Data = items
	return h.tpl.Render(c, "requests_waiting", p)
}
