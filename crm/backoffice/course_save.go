package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) courseNew(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "courses.new", "providers")
	p.Form["modality"], p.Form["languages"], p.Form["inter"] = "in_person", "fr", "on"
	return h.renderCourseForm(c, p, id, 0)
}

func (h *handlers) courseEdit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cid, err := paramID(c, "cid")
	if err != nil {
		return err
	}
	co, err := h.Courses.Get(c.UserContext(), cid)
	if err != nil {
		return err
	}
	if co.ProviderID != id {
		return fiber.ErrNotFound
	}
	p := h.page(c, "courses.edit", "providers")
	p.Title = p.T("courses.edit_of", co.Title)
	fillCourseForm(p, co)
	return h.renderCourseForm(c, p, id, cid)
}

// courseSave creates (POST /providers/:id/courses) or updates (…/:cid) a
// course of the provider and goes back to the provider's page.
func (h *handlers) courseSave(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var cid int64
	if c.Params("cid") != "" {
		if cid, err = paramID(c, "cid"); err != nil {
			return err
		}
	}
	p := h.page(c, "courses.new", "providers")
	if cid != 0 {
		p.Title = p.T("courses.edit")
	}
	in, ok := courseForm(c, p)
	if ok {
		_, err = h.Courses.Save(c.UserContext(), id, cid, in)
		if err == nil {
			web.Flash(c, "courses.saved")
			return c.Redirect(recordURL(crm.Ref{Type: crm.RecordProvider, ID: id})+"#courses", fiber.StatusSeeOther)
		}
		if !fieldErrors(p, err, "") {
			return err
		}
	}
	c.Status(fiber.StatusUnprocessableEntity)
	p.Error = p.T("form.has_errors")
	return h.renderCourseForm(c, p, id, cid)
}
