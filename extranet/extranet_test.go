package extranet_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/webtest"
)

const pw = "correct horse battery"

func TestClientLoginSeesOwnCompanyOnly(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clients := crm.NewClients(d)
		a, _ := clients.Create(ctx, crm.ClientInput{LegalName: "Transports Morel & Fils"})
		b, _ := clients.Create(ctx, crm.ClientInput{LegalName: "Clinique du Parc"})
		s := auth.New(d, auth.Extranet, auth.Options{})
		s.CreateUser(ctx, auth.NewUser{ClientID: a.ID, Email: "rh@morel.test", Name: "Hélène Morel", Role: auth.RoleHRAdmin, Password: pw})
		s.CreateUser(ctx, auth.NewUser{ClientID: b.ID, Email: "rh@clinique.test", Name: "Paul Girard", Role: auth.RoleHRAdmin, Password: pw})
		rec := &mailer.Recorder{}
		app, err := extranet.New(extranet.Deps{Viewers: crm.NewViewers(d), Requests: crm.NewRequests(d), Proposals: crm.NewProposals(d, nil),
			Bookings: crm.NewBookings(d), Wishes: crm.NewWishes(d, nil),
			Auth: s, Clients: clients, Mailer: rec, Ping: d.Ping,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("0123456789abcdef0123456789abcdef"), PublicURL: "https://extranet.test"})
		if err != nil {
			t.Fatal(err)
		}
		c := webtest.New(t, app)
		if r := c.Get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("anonymous dashboard: %d", r.Status)
		}
		if r := c.Post("/login", url.Values{"_csrf": {""}, "email": {"rh@morel.test"}, "password": {pw}}); r.Status != 403 {
			t.Errorf("login without CSRF: %d", r.Status)
		}
		if r := c.Login("rh@morel.test", "wrong password!"); r.Status != 401 {
			t.Errorf("wrong password: %d", r.Status)
		}
		r := c.Login("rh@morel.test", pw)
		if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Set-Cookie"), "courtier_client=") {
			t.Fatalf("login: %d %v", r.Status, r.Header)
		}
		if !strings.Contains(r.Header.Get("Set-Cookie"), "secure") && !strings.Contains(r.Header.Get("Set-Cookie"), "Secure") {
			t.Errorf("cookie not Secure behind https: %s", r.Header.Get("Set-Cookie"))
		}
		home := c.Get("/")
		if home.Status != 200 || !strings.Contains(home.Body, "Transports Morel &amp; Fils") || strings.Contains(home.Body, "Clinique du Parc") {
			t.Errorf("dashboard: %d %.400s", home.Status, home.Body)
		}
		if r := c.Post("/logout", nil); r.Status != http.StatusSeeOther {
			t.Errorf("logout: %d", r.Status)
		}
		if r := c.Get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("dashboard after logout: %d", r.Status)
		}
		for range 5 {
			c.Login("rh@clinique.test", "guessing away")
		}
		if r := c.Login("rh@clinique.test", pw); r.Status != 429 {
			t.Errorf("throttled login: %d", r.Status)
		}
		c.Get("/password/forgot")
		c.Post("/password/forgot", url.Values{"email": {"rh@morel.test"}})
		if m, ok := rec.Last(); !ok || !strings.Contains(m.Text, "https://extranet.test/password/reset?token=") {
			t.Errorf("reset mail: %+v", m)
		}
	})
}
