package backoffice

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/gofiber/fiber/v2"
)

// apiList is the shape of every paginated API list.
type apiList[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// newAPIList never answers "items": null.
func newAPIList[T any](items []T, total int, p crm.Page) apiList[T] {
	if items == nil {
		items = []T{}
	}
	return apiList[T]{Items: items, Total: total, Page: p.Number, PerPage: p.Size}
}

// apiItems wraps an unpaginated list as {"items": [...]}.
func apiItems[T any](items []T) fiber.Map {
	if items == nil {
		items = []T{}
	}
	return fiber.Map{"items": items}
}

// apiPage reads page (from 1) and per_page (1–500, default 50).
func apiPage(c *fiber.Ctx) crm.Page {
	size := c.QueryInt("per_page", 50)
	if size < 1 || size > 500 {
		size = 50
	}
	return crm.Page{Number: max(1, c.QueryInt("page", 1)), Size: size}
}

// decodeJSON reads the JSON body into v; fields v already holds and the
// body omits keep their values (so a PUT may send only what changes).
func decodeJSON(c *fiber.Ctx, v any) error {
	if err := json.Unmarshal(c.Body(), v); err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "invalid JSON body")
	}
	return nil
}

// apiDate is a date in JSON: RFC 3339 full-date ("2026-03-10") or date-time.
type apiDate struct{ time.Time }

// UnmarshalJSON accepts both RFC 3339 forms, and null or "" for none.
func (d *apiDate) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		d.Time = time.Time{}
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return err
		}
	}
	d.Time = t
	return nil
}

// ptr is the date as the CRM's optional date.
func (d *apiDate) ptr() *time.Time {
	if d == nil || d.IsZero() {
		return nil
	}
	t := d.Time
	return &t
}

// apiRef reads record_type and record_id from the query, if both are given.
func apiRef(c *fiber.Ctx) *crm.Ref {
	typ, id := c.Query("record_type"), int64(c.QueryInt("record_id"))
	if typ == "" || id <= 0 {
		return nil
	}
	return &crm.Ref{Type: typ, ID: id}
}

// invalid is a validation error of one field, checked before calling a service.
func invalid(field, key string) error { return errs.NewInvalid(field, key) }
