package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// apiTaskList filters by assignee_id ("me" for the token's owner),
// record_type and record_id, open_only and limit.
func (h *handlers) apiTaskList(c *fiber.Ctx) error {
	f := crm.TaskFilter{Record: apiRef(c), OpenOnly: c.QueryBool("open_only"), Limit: c.QueryInt("limit")}
	if a := c.Query("assignee_id"); a == "me" {
		f.AssigneeID = web.SessionOf(c).User.ID
	} else {
		f.AssigneeID = int64(c.QueryInt("assignee_id"))
	}
	tasks, err := h.Tasks.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	for i := range tasks {
		if tasks[i].Links == nil {
			tasks[i].Links = []crm.Ref{}
		}
	}
	return c.JSON(apiItems(tasks))
}

type apiTaskInput struct {
	Title      string    `json:"title"`
	Notes      string    `json:"notes"`
	DueOn      *apiDate  `json:"due_on"`
	AssigneeID *int64    `json:"assignee_id"`
	Links      []crm.Ref `json:"links"`
}

func (h *handlers) apiTaskCreate(c *fiber.Ctx) error {
	var in apiTaskInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := h.Tasks.Create(c.UserContext(), crm.NewTask{Title: in.Title, Notes: in.Notes, DueOn: in.DueOn.ptr(),
		AssigneeID: in.AssigneeID, Links: in.Links})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(t)
}

// apiTaskDone marks a task done (or open again) and returns it.
func (h *handlers) apiTaskDone(done bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		t, err := h.Tasks.SetDone(c.UserContext(), id, done)
		if err != nil {
			return err
		}
		return c.JSON(t)
	}
}
