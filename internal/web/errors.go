package web

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/gofiber/fiber/v2"
)

// APIError is the one shape of every /api/v1 error body.
type APIError struct {
	Error APIErrorBody `json:"error"`
}

// APIErrorBody says what went wrong: a stable code, a message, and per-field messages for 422.
type APIErrorBody struct {
	Status  int               `json:"status"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

var codes = map[int]string{
	400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
	409: "conflict", 413: "too_large", 422: "invalid", 429: "too_many_requests", 500: "internal", 503: "unavailable",
}

// Classify maps an error to its HTTP status through the categories of internal/errs.
func Classify(err error) int {
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		return fe.Code
	case errors.Is(err, errs.ErrNotFound):
		return fiber.StatusNotFound
	case errors.Is(err, errs.ErrForbidden):
		return fiber.StatusForbidden
	case errors.Is(err, errs.ErrConflict):
		return fiber.StatusConflict
	case errors.Is(err, errs.ErrInvalid):
		return fiber.StatusUnprocessableEntity
	}
	return fiber.StatusInternalServerError
}

// IsAPI reports whether the request is for the JSON API.
func IsAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// errorHandler renders every error once: JSON under /api/, a page elsewhere.
// Only server errors are logged; their details never reach the client.
func errorHandler(name string, tpl *Templates, log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status := Classify(err)
		if status >= 500 {
			log.Error("request failed", "app", name, "request_id", c.Locals("requestid"), "method", c.Method(), "path", LoggedPath(c), "err", err)
		}
		lang := Lang(c)
		key := "error.status." + codes[status]
		if errors.Is(err, errCSRF) {
			key = "error.csrf"
		}
		if !i18n.Has(key) {
			key = "error.status.internal"
		}
		var fields map[string]string
		var inv *errs.Invalid
		if errors.As(err, &inv) {
			fields = map[string]string{}
			for f, k := range inv.Fields {
				fields[f] = i18n.T(lang, k)
			}
		}
		if IsAPI(c) {
			code := codes[status]
			if code == "" {
				code = "error"
			}
			return c.Status(status).JSON(APIError{Error: APIErrorBody{Status: status, Code: code, Message: i18n.T(i18n.EN, key), Fields: fields}})
		}
		p := NewPage(c, "error.title")
		p.Error = i18n.T(lang, key)
		p.Fields = fields
		p.Data = status
		c.Status(status)
		if rerr := tpl.Render(c, "error", p); rerr != nil {
			return c.SendString(i18n.T(lang, key))
		}
		return nil
	}
}
