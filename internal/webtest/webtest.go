// Package webtest drives a Fiber app in tests like a browser without
// JavaScript: it keeps cookies, follows no redirects, and fills the CSRF field
// of forms from the last page it read.
package webtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// Client is a cookie-keeping test client of one app.
type Client struct {
	t       testing.TB
	app     *fiber.App
	Cookies map[string]string
	csrf    string
}

// Response is what a request returned.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// New returns a client of app.
func New(t testing.TB, app *fiber.App) *Client {
	return &Client{t: t, app: app, Cookies: map[string]string{}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Do sends a request and records the cookies it sets.
func (c *Client) Do(req *http.Request) Response {
	c.t.Helper()
	for k, v := range c.Cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("webtest: %s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.Cookies, ck.Name)
		} else {
			c.Cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfField.FindSubmatch(body); m != nil {
		c.csrf = string(m[1])
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// Get requests a path; headers are given as "Name: value".
func (c *Client) Get(path string, headers ...string) Response {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	return c.Do(req)
}

// Post submits a form, adding the CSRF token of the last page read unless
// the form has its own _csrf (use an empty one to test the refusal).
func (c *Client) Post(path string, form url.Values) Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Login reads the login page (for its CSRF token) and posts the credentials.
func (c *Client) Login(email, password string) Response {
	c.t.Helper()
	c.Get("/login")
	return c.Post("/login", url.Values{"email": {email}, "password": {password}})
}
