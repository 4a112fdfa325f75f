package web

import (
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/gofiber/fiber/v2"
)

const (
	langKey    = "lang"
	langCookie = "courtier_lang"
)

// language picks the page language: the user's saved choice, else the
// visitor's cookie, else the browser's Accept-Language, else French.
func language(c *fiber.Ctx) error {
	lang := ""
	if s := SessionOf(c); s != nil && i18n.Supported(s.User.Locale) {
		lang = s.User.Locale
	} else if v := c.Cookies(langCookie); i18n.Supported(v) {
		lang = v
	} else {
		lang = i18n.Negotiate(c.Get(fiber.HeaderAcceptLanguage))
	}
	c.Locals(langKey, lang)
	return c.Next()
}

// Lang returns the language of the request.
func Lang(c *fiber.Ctx) string {
	if l, ok := c.Locals(langKey).(string); ok {
		return l
	}
	return i18n.FR
}

// setLangCookie remembers an anonymous visitor's language choice for a year.
func setLangCookie(c *fiber.Ctx, lang string, secure bool) {
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: lang, Path: "/", Expires: time.Now().AddDate(1, 0, 0),
		HTTPOnly: true, Secure: secure, SameSite: fiber.CookieSameSiteLaxMode})
}
