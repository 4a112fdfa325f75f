package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/backoffice"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/webtest"
	"github.com/gofiber/fiber/v2"
)

// The two apps are sealed: no back-office route answers on the extranet
// listener (and vice versa), and a session cookie of one realm opens nothing
// in the other, even when sent under the other's cookie name.
func TestAppsAreSealed(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		secret := []byte("0123456789abcdef0123456789abcdef")
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		staff, client := auth.New(d, auth.Staff, auth.Options{}), auth.New(d, auth.Extranet, auth.Options{})
		clients := crm.NewClients(d)
		co, _ := clients.Create(ctx, crm.ClientInput{LegalName: "Boulangeries Perrin"})
		// The same address and password in both realms: the seal must not depend on them differing.
		staff.CreateUser(ctx, auth.NewUser{Email: "same@person.test", Name: "Anaïs Perrin", Role: auth.RoleAdmin, Password: "correct horse battery"})
		client.CreateUser(ctx, auth.NewUser{ClientID: co.ID, Email: "same@person.test", Name: "Anaïs Perrin", Role: auth.RoleHRAdmin, Password: "correct horse battery"})
		bo, err := backoffice.New(backoffice.Deps{Auth: staff, Audit: audit.NewLog(d), Clients: clients, Mailer: &mailer.Recorder{}, Ping: d.Ping, Secret: secret, PublicURL: "http://bo", Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		ex, err := extranet.New(extranet.Deps{Auth: client, Clients: clients, Mailer: &mailer.Recorder{}, Ping: d.Ping, Secret: secret, PublicURL: "http://ex", Logger: quiet,
			Viewers: crm.NewViewers(d), Requests: crm.NewRequests(d), Proposals: crm.NewProposals(d, nil), Bookings: crm.NewBookings(d), Wishes: crm.NewWishes(d, nil)})
		if err != nil {
			t.Fatal(err)
		}
		checkRoutesAbsent(t, "back-office route on the extranet", bo, ex, "same@person.test")
		checkRoutesAbsent(t, "extranet route on the back office", ex, bo, "same@person.test")

		boClient, exClient := webtest.New(t, bo), webtest.New(t, ex)
		boClient.Login("same@person.test", "correct horse battery")
		exClient.Login("same@person.test", "correct horse battery")
		staffCookie, clientCookie := boClient.Cookies[auth.Staff.Cookie], exClient.Cookies[auth.Extranet.Cookie]
		if staffCookie == "" || clientCookie == "" {
			t.Fatal("logins did not set session cookies")
		}
		for _, tc := range []struct {
			name string
			app  *fiber.App
			ck   http.Cookie
		}{
			{"staff cookie on the extranet", ex, http.Cookie{Name: auth.Staff.Cookie, Value: staffCookie}},
			{"staff cookie renamed for the extranet", ex, http.Cookie{Name: auth.Extranet.Cookie, Value: staffCookie}},
			{"client cookie on the back office", bo, http.Cookie{Name: auth.Extranet.Cookie, Value: clientCookie}},
			{"client cookie renamed for the back office", bo, http.Cookie{Name: auth.Staff.Cookie, Value: clientCookie}},
		} {
			req := httptest.NewRequest("GET", "/", nil)
			req.AddCookie(&tc.ck)
			res, _ := tc.app.Test(req, -1)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("%s: status %d, want a redirect to the login page", tc.name, res.StatusCode)
			}
		}
	})
}

// checkRoutesAbsent requests every route of `from` that `on` does not declare
// itself, logged in on `on`, and wants 404.
func checkRoutesAbsent(t *testing.T, what string, from, on *fiber.App, email string) {
	t.Helper()
	own := map[string]bool{}
	for _, r := range on.GetRoutes(true) {
		own[r.Method+" "+r.Path] = true
	}
	c := webtest.New(t, on)
	c.Login(email, "correct horse battery")
	c.Get("/") // a page of `on`, for its CSRF token: the refusal must be a 404, not a CSRF 403
	n := 0
	for _, r := range from.GetRoutes(true) {
		if own[r.Method+" "+r.Path] || (r.Method != "GET" && r.Method != "POST") {
			continue
		}
		path := strings.ReplaceAll(strings.ReplaceAll(r.Path, ":id", "1"), "*", "style.css")
		var res webtest.Response
		if r.Method == "GET" {
			res = c.Get(path)
		} else {
			res = c.Post(path, url.Values{})
		}
		n++
		if res.Status != http.StatusNotFound {
			t.Errorf("%s: %s %s answered %d, want 404", what, r.Method, path, res.Status)
		}
	}
	if n == 0 && what[0] == 'b' {
		t.Errorf("%s: no route checked", what)
	}
}
