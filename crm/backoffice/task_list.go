package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type taskListData struct {
	Tasks    []taskView
	Overdue  int
	Assignee int64
	Staff    []auth.User
	Back     string
	Links    []string // none: a task created here is linked to no record
}

// taskList shows a staff member's tasks (the user's own by default): open
// ones first, overdue at the top, then those done in the last 30 days.
func (h *handlers) taskList(c *fiber.Ctx) error {
	return h.renderTasks(c, h.page(c, "tasks.title", "tasks"))
}

func (h *handlers) renderTasks(c *fiber.Ctx, p *web.Page) error {
	ctx := c.UserContext()
	assignee := int64(c.QueryInt("assignee"))
	if assignee <= 0 {
		assignee = p.User().ID
	}
	tasks, err := h.Tasks.List(ctx, crm.TaskFilter{AssigneeID: assignee})
	if err != nil {
		return err
	}
	staff, err := h.Auth.ListUsers(ctx, 0)
	if err != nil {
		return err
	}
	n := h.newNames()
	for _, t := range tasks {
		n.want(t.Links...)
	}
	if err := n.load(ctx); err != nil {
		return err
	}
	d := taskListData{Tasks: taskViews(tasks, n), Assignee: assignee, Staff: staff, Back: "/tasks?assignee=" + strconv.FormatInt(assignee, 10)}
	for _, t := range d.Tasks {
		if t.Overdue {
			d.Overdue++
		}
	}
	setDefault(p.Form, "task_assignee_id", strconv.FormatInt(p.User().ID, 10))
	p.Data = d
	return h.tpl.Render(c, "tasks", p)
}
