package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// taskFields are the inputs of the task form.
var taskFields = []string{"task_title", "task_notes", "task_due_on", "task_assignee_id"}

// taskCreate adds a task, linked to the records of the page it was created
// on (the "link" values), and goes back to that page.
func (h *handlers) taskCreate(c *fiber.Ctx) error {
	links := parseRefs(formValues(c, "link"))
	back := web.Back(c, "/tasks")
	p := h.page(c, "tasks.title", "tasks")
	for _, f := range taskFields {
		p.Form[f] = c.FormValue(f)
	}
	due, ok := dateInput(p.Form["task_due_on"])
	if !ok {
		p.Fields["task_due_on"] = p.T("error.date_invalid")
		return h.taskFormFailed(c, p, links)
	}
	_, err := h.Tasks.Create(c.UserContext(), crm.NewTask{Title: p.Form["task_title"], Notes: p.Form["task_notes"], DueOn: due,
		AssigneeID: optionalID(p.Form["task_assignee_id"]), Links: links})
	if err != nil {
		if !fieldErrors(p, err, "task_") {
			return err
		}
		return h.taskFormFailed(c, p, links)
	}
	web.Flash(c, "tasks.created")
	return c.Redirect(back, fiber.StatusSeeOther)
}

// taskFormFailed shows the page the task form was on again, with its messages.
func (h *handlers) taskFormFailed(c *fiber.Ctx, p *web.Page, links []crm.Ref) error {
	if len(links) > 0 {
		return h.renderRecord(c, p, links[0])
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return h.renderTasks(c, p)
}
