package extranet

import (
	"bytes"
	"fmt"

	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// budgetExport downloads the budget of a year as CSV for French Excel
// (byte order mark, ';'), as the user may see it.
func (h *handlers) budgetExport(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	year, err := planYear(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := h.Budgets.ExportCSVFor(c.UserContext(), v, year, &buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, web.ContentDisposition("attachment", fmt.Sprintf("budget-%d.csv", year)))
	return c.Send(buf.Bytes())
}
