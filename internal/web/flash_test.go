package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestFlashShownOnce checks that the page showing a flash message expires
// its cookie on the path it was set on ("/"), so that a later page of
// another folder does not show it again.
func TestFlashShownOnce(t *testing.T) {
	app := fiber.New()
	var flash string
	app.Get("/requests/:id", func(c *fiber.Ctx) error {
		flash = NewPage(c, "form.save").Flash
		return nil
	})
	req := httptest.NewRequest("GET", "/requests/4", nil)
	req.Header.Set("Cookie", flashCookie+"=form.save")
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if flash == "" {
		t.Fatal("the flash message was not shown")
	}
	set := res.Header.Get("Set-Cookie")
	if !strings.HasPrefix(set, flashCookie+"=;") || !strings.Contains(set, "path=/;") ||
		!(strings.Contains(set, "max-age=0") || strings.Contains(strings.ToLower(set), "expires=thu, 01 jan 1970")) {
		t.Errorf("flash cookie not expired on /: %q", set)
	}
}
