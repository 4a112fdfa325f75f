package web

import (
	"time"

	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/gofiber/fiber/v2"
)

// Page is what every template receives: the request's context (language,
// user, CSRF token, current path) and the page's own data.
type Page struct {
	Lang    string
	Title   string // translated
	Nav     string // the active navigation entry
	Session *auth.Session
	CSRF    string
	Path    string
	Flash   string            // translated notice carried over a redirect
	Error   string            // translated page-level error
	Fields  map[string]string // field name → translated error, shown next to the field
	Form    map[string]string // submitted values to refill a form
	Badges  map[string]int    // counters next to navigation entries, filled by the app
	Data    any
}

// NewPage starts a page for the request with a title given as an i18n key.
func NewPage(c *fiber.Ctx, titleKey string) *Page {
	lang := Lang(c)
	p := &Page{Lang: lang, Title: i18n.T(lang, titleKey), Session: SessionOf(c), CSRF: CSRFToken(c), Path: c.Path(),
		Fields: map[string]string{}, Form: map[string]string{}, Badges: map[string]int{}}
	if key := c.Cookies(flashCookie); key != "" {
		if i18n.Has(key) {
			p.Flash = i18n.T(lang, key)
		}
		// Expired on the path it was set on: a deletion without a path
		// would only reach the page's folder, and the message would stay.
		c.Cookie(&fiber.Cookie{Name: flashCookie, Path: "/", Expires: time.Unix(0, 0), MaxAge: -1, HTTPOnly: true,
			SameSite: fiber.CookieSameSiteLaxMode})
	}
	return p
}

// T translates a key in the page's language.
func (p *Page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// User returns the logged-in user, or the zero User.
func (p *Page) User() auth.User {
	if p.Session == nil {
		return auth.User{}
	}
	return p.Session.User
}

const flashCookie = "courtier_flash"

// Flash stores a notice (an i18n key) shown on the next page, after a redirect.
func Flash(c *fiber.Ctx, key string) {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: key, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
}

// Back returns the request's "back" form value when it is a path of this
// site, else fallback: where a form posted from several pages returns.
func Back(c *fiber.Ctx, fallback string) string {
	return localPath(c.FormValue("back"), fallback)
}
