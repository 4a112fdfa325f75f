package web

import (
	"errors"
	"net/url"
	"time"

	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/gofiber/fiber/v2"
)

// AuthPages are the login, logout, password-reset and language handlers,
// the same in both apps; each app lists them in its routes.go.
type AuthPages struct {
	Auth      *auth.Service
	Templates *Templates
	Mailer    mailer.Sender
	PublicURL string // base of the e-mailed reset link
	Home      string // where a login lands without ?next=
	Secure    bool
}

// LoginForm shows the login page (or goes home when already logged in).
func (a *AuthPages) LoginForm(c *fiber.Ctx) error {
	if SessionOf(c) != nil {
		return c.Redirect(a.Home, fiber.StatusSeeOther)
	}
	p := NewPage(c, "login.title")
	p.Form["next"] = c.Query("next")
	return a.Templates.Render(c, "login", p)
}

// Login checks the credentials and sets the session cookie.
func (a *AuthPages) Login(c *fiber.Ctx) error {
	email, next := c.FormValue("email"), c.FormValue("next")
	s, token, err := a.Auth.Login(c.UserContext(), email, c.FormValue("password"), c.IP(), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		p := NewPage(c, "login.title")
		p.Form["email"], p.Form["next"] = email, next
		switch {
		case errors.Is(err, auth.ErrThrottled):
			c.Status(fiber.StatusTooManyRequests)
			p.Error = p.T("login.throttled")
		case errors.Is(err, auth.ErrBadCredentials):
			c.Status(fiber.StatusUnauthorized)
			p.Error = p.T("login.failed")
		default:
			return err
		}
		return a.Templates.Render(c, "login", p)
	}
	c.Cookie(&fiber.Cookie{Name: a.Auth.Realm().Cookie, Value: token, Path: "/", Expires: s.ExpiresAt,
		HTTPOnly: true, Secure: a.Secure, SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect(localPath(next, a.Home), fiber.StatusSeeOther)
}

// Logout ends the session and clears the cookie.
func (a *AuthPages) Logout(c *fiber.Ctx) error {
	if err := a.Auth.Logout(c.UserContext(), c.Cookies(a.Auth.Realm().Cookie)); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: a.Auth.Realm().Cookie, Value: "", Path: "/", Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: a.Secure, SameSite: fiber.CookieSameSiteLaxMode})
	Flash(c, "logout.done")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// ForgotForm asks for the e-mail address of the account to reset.
func (a *AuthPages) ForgotForm(c *fiber.Ctx) error {
	return a.Templates.Render(c, "forgot", NewPage(c, "forgot.title"))
}

// Forgot e-mails a single-use reset link. The answer is the same whether or
// not the address has an account, so the form reveals none.
func (a *AuthPages) Forgot(c *fiber.Ctx) error {
	u, token, err := a.Auth.StartReset(c.UserContext(), c.FormValue("email"), 0)
	switch {
	case errors.Is(err, errs.ErrNotFound):
	case err != nil:
		return err
	default:
		if err := a.mailLink(c, u, token, "mail.reset", int(a.Auth.ResetTTL().Minutes())); err != nil {
			return err
		}
	}
	p := NewPage(c, "forgot.title")
	p.Flash = p.T("forgot.sent")
	return a.Templates.Render(c, "forgot", p)
}

// ResetForm shows the new-password form of a valid link.
func (a *AuthPages) ResetForm(c *fiber.Ctx) error {
	p := NewPage(c, "reset.title")
	token := c.Query("token")
	if _, err := a.Auth.CheckReset(c.UserContext(), token); err != nil {
		c.Status(fiber.StatusNotFound)
		p.Error = p.T("reset.invalid")
	}
	p.Form["token"] = token
	return a.Templates.Render(c, "reset", p)
}

// Reset sets the new password and sends the user to the login page.
func (a *AuthPages) Reset(c *fiber.Ctx) error {
	token, pw := c.FormValue("token"), c.FormValue("password")
	p := NewPage(c, "reset.title")
	p.Form["token"] = token
	if pw != c.FormValue("password_confirm") {
		c.Status(fiber.StatusUnprocessableEntity)
		p.Fields["password_confirm"] = p.T("error.password_mismatch")
		return a.Templates.Render(c, "reset", p)
	}
	_, err := a.Auth.CompleteReset(c.UserContext(), token, pw)
	var inv *errs.Invalid
	switch {
	case errors.As(err, &inv):
		c.Status(fiber.StatusUnprocessableEntity)
		p.Fields["password"] = p.T("error.password_short")
		return a.Templates.Render(c, "reset", p)
	case errors.Is(err, errs.ErrNotFound):
		c.Status(fiber.StatusNotFound)
		p.Error = p.T("reset.invalid")
		return a.Templates.Render(c, "reset", p)
	case err != nil:
		return err
	}
	Flash(c, "reset.done")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// SetLanguage switches the interface language: saved on the user when logged
// in, in a cookie otherwise; then back to the page the visitor was on.
func (a *AuthPages) SetLanguage(c *fiber.Ctx) error {
	lang := c.FormValue("lang")
	if !i18n.Supported(lang) {
		return fiber.ErrBadRequest
	}
	setLangCookie(c, lang, a.Secure)
	if s := SessionOf(c); s != nil {
		if err := a.Auth.SetLocale(c.UserContext(), s.User.ID, lang); err != nil {
			return err
		}
	}
	return c.Redirect(localPath(c.FormValue("back"), a.Home), fiber.StatusSeeOther)
}

// SendInvitation e-mails a new user a link to set their password, valid for ttl.
func (a *AuthPages) SendInvitation(c *fiber.Ctx, u auth.User, ttl time.Duration) error {
	_, token, err := a.Auth.StartReset(c.UserContext(), u.Email, ttl)
	if err != nil {
		return err
	}
	return a.mailLink(c, u, token, "mail.invite", int(ttl.Hours()))
}

// mailLink e-mails a user the set-password link of token, with the catalogue's
// <key>.subject and <key>.body (name, link, validity), in the user's language
// or, when they have none, the request's.
func (a *AuthPages) mailLink(c *fiber.Ctx, u auth.User, token, key string, validity int) error {
	lang := u.Locale
	if !i18n.Supported(lang) {
		lang = Lang(c)
	}
	link := a.PublicURL + "/password/reset?token=" + url.QueryEscape(token)
	_, err := a.Mailer.Send(c.UserContext(), &mailer.Message{
		To:      []mailer.Address{{Name: u.Name, Address: u.Email}},
		Subject: i18n.T(lang, key+".subject"),
		Text:    i18n.T(lang, key+".body", u.Name, link, validity),
	})
	return err
}
