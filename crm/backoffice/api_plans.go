package backoffice

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

// queryYear reads ?year= (default: the current year).
func queryYear(c *fiber.Ctx) (int, error) {
	if s := c.Query("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 2000 || y > 2100 {
			return 0, invalid("year", "error.invalid")
		}
		return y, nil
	}
	return time.Now().Year(), nil
}

// apiPlans lists a client's training plans (one per year), without lines.
func (h *handlers) apiPlans(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	plans, err := h.Plans.List(c.UserContext(), id, nil)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(plans))
}

// apiPlanYear is a client's plan of a year with its lines and their requests.
func (h *handlers) apiPlanYear(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(c.Params("year"))
	if err != nil {
		return fiber.ErrNotFound
	}
	p, err := h.Plans.ForYear(c.UserContext(), id, year, nil)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// apiBudgets is a client's budget summary of a year: each envelope with its
// planned, committed, consumed and remaining figures, and the total.
func (h *handlers) apiBudgets(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	year, err := queryYear(c)
	if err != nil {
		return err
	}
	sum, err := h.Budgets.Summary(c.UserContext(), id, year, nil)
	if err != nil {
		return err
	}
	return c.JSON(sum)
}
