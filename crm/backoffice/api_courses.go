package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// apiCourseInput is a course in a request body; the confirmation date may
// be a full-date.
type apiCourseInput struct {
	crm.CourseInput
	LastConfirmedOn *apiDate `json:"last_confirmed_on"`
}

// decodeCourse reads a course body over cur (fields left out keep their value).
func decodeCourse(c *fiber.Ctx, cur crm.CourseInput) (crm.CourseInput, error) {
	in := apiCourseInput{CourseInput: cur, LastConfirmedOn: dateOf(cur.LastConfirmedOn)}
	if err := decodeJSON(c, &in); err != nil {
		return cur, err
	}
	out := in.CourseInput
	out.LastConfirmedOn = in.LastConfirmedOn.ptr()
	return out, nil
}

// apiCourseList lists a provider's courses, active first, by title.
func (h *handlers) apiCourseList(c *fiber.Ctx) error {
	id, err := h.apiProviderID(c)
	if err != nil {
		return err
	}
	courses, err := h.Courses.ByProvider(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(courses))
}

// apiCourseCreate adds a course to the provider (a ref the provider already
// uses updates that course instead).
func (h *handlers) apiCourseCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in, err := decodeCourse(c, crm.CourseInput{})
	if err != nil {
		return err
	}
	co, err := h.Courses.Save(c.UserContext(), id, 0, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(co)
}

func (h *handlers) apiCourseGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	co, err := h.Courses.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(co)
}

// apiCourseUpdate changes the fields of a course its body gives.
func (h *handlers) apiCourseUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.Courses.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	in, err := decodeCourse(c, cur.CourseInput)
	if err != nil {
		return err
	}
	co, err := h.Courses.Save(c.UserContext(), cur.ProviderID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(co)
}

// apiProviderID reads the provider id of the path; a missing provider is 404.
func (h *handlers) apiProviderID(c *fiber.Ctx) (int64, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return 0, err
	}
	if _, err := h.Providers.Get(c.UserContext(), id); err != nil {
		return 0, err
	}
	return id, nil
}
