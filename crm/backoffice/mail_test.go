package backoffice_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/webtest"
)

// TestMailPages: a triaged e-mail is shown with its HTML sanitised inside
// a sandboxed frame, its attachment and original downloadable, linked to a
// contact found by search, or dismissed; staff write to a contact.
func TestMailPages(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		marie := must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &acme.ID, FirstName: "Marie", LastName: "Durand",
			Emails: []string{"marie.durand@acme.fr"}}))
		raw, _, _ := f.crm.blobs.Put(ctx, strings.NewReader("From: x@inconnu.example\r\nSubject: Catalogue\r\n\r\nBonjour"))
		pdf, size, _ := f.crm.blobs.Put(ctx, strings.NewReader("%PDF-1.4 catalogue"))
		unknown := must(f.crm.mail.Store(ctx, crm.MailInput{Key: "cat@inconnu.example", MessageID: "cat@inconnu.example",
			Subject: "Catalogue 2027", From: []crm.MailAddress{{Name: "Nouvel OF", Email: "x@inconnu.example"}},
			To: []crm.MailAddress{{Email: "crm@courtier.test"}}, Text: "Notre catalogue",
			HTML:        `<p>Notre <b>catalogue</b></p>`,
			Attachments: []crm.MailAttachment{{Filename: "catalogue été.pdf", ContentType: "application/pdf", Size: size, SHA256: pdf}},
			RawSHA256:   raw, RawSize: 60}))
		spam := must(f.crm.mail.Store(ctx, crm.MailInput{Key: "spam@x.example", Subject: "Gagnez", From: []crm.MailAddress{{Email: "promo@x.example"}}}))
		c := login(t, f)

		r := c.Get("/mail/triage")
		want(t, "triage", r, 200, "Catalogue 2027", "Gagnez", "x@inconnu.example")
		r = c.Get(fmt.Sprintf("/mail/%d", unknown.ID))
		want(t, "message", r, 200, `sandbox=""`, "srcdoc=\"&lt;p&gt;Notre &lt;b&gt;catalogue&lt;/b&gt;&lt;/p&gt;\"", "catalogue été.pdf", "/raw")
		notWant(t, "message", r, "<b>catalogue</b>") // never inline in the back office's page
		r = c.Get(fmt.Sprintf("/mail/%d/attachments/%d", unknown.ID, must(f.crm.mail.Get(ctx, unknown.ID)).Attachments[0].ID))
		want(t, "attachment", r, 200, "%PDF-1.4")
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "catalogue") {
			t.Errorf("attachment disposition %q", cd)
		}
		want(t, "raw", c.Get(fmt.Sprintf("/mail/%d/raw", unknown.ID)), 200, "Subject: Catalogue")
		want(t, "other message's attachment", c.Get(fmt.Sprintf("/mail/%d/attachments/1", spam.ID)), 404)

		// Search, then link to Marie, remembering the sender's address.
		r = c.Get(fmt.Sprintf("/mail/%d?q=durand", unknown.ID))
		want(t, "search", r, 200, fmt.Sprintf(`value="contact:%d"`, marie.ID))
		r = c.Post(fmt.Sprintf("/mail/%d/resolve", unknown.ID), url.Values{"link": {fmt.Sprintf("contact:%d", marie.ID)}, "remember": {"on"}})
		want(t, "resolve", r, http.StatusSeeOther)
		r = c.Get(fmt.Sprintf("/clients/%d", acme.ID))
		want(t, "client timeline shows the mail", r, 200, "Catalogue 2027", fmt.Sprintf("/timeline/%d/mail", unknown.EntryID))
		want(t, "entry to mail", c.Get(fmt.Sprintf("/timeline/%d/mail", unknown.EntryID)), http.StatusSeeOther)
		want(t, "resolve without link", c.Post(fmt.Sprintf("/mail/%d/resolve", spam.ID), url.Values{}), 422)
		want(t, "dismiss", c.Post(fmt.Sprintf("/mail/%d/dismiss", spam.ID), url.Values{}), http.StatusSeeOther)
		r = c.Get("/mail/triage")
		notWant(t, "triage after", r, "Catalogue 2027", "Gagnez")

		// Writing to a contact sends through the one sender and logs the mail.
		r = c.Post(fmt.Sprintf("/contacts/%d/mail", marie.ID), url.Values{"subject": {"Votre demande"}, "body": {"Bonjour Marie"}})
		want(t, "send", r, http.StatusSeeOther)
		if m, ok := f.mail.Last(); !ok || m.Subject != "Votre demande" || m.To[0].Address != "marie.durand@acme.fr" {
			t.Errorf("sent: %+v", m)
		}
		want(t, "contact timeline", c.Get(fmt.Sprintf("/contacts/%d", marie.ID)), 200, "Votre demande")
		want(t, "send without subject", c.Post(fmt.Sprintf("/contacts/%d/mail", marie.ID), url.Values{"subject": {" "}}), 422)
	})
}

// TestMailboxSettings: administrators only; the password is never shown back.
func TestMailboxSettings(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := login(t, f)
		want(t, "list", c.Get("/settings/mailboxes"), 200, "INBOX")
		r := c.Post("/settings/mailboxes", url.Values{"host": {"imap.example.fr"}, "security": {"tls"}, "username": {"crm@broker.fr"},
			"password": {"tres-secret-42"}, "folders": {"INBOX\nSent"}})
		want(t, "create", r, http.StatusSeeOther)
		r = c.Get("/settings/mailboxes")
		want(t, "listed", r, 200, "crm@broker.fr @ imap.example.fr:993 (tls)", "Sent")
		notWant(t, "listed", r, "tres-secret-42")
		boxes, _ := f.crm.mailboxes.List(context.Background())
		r = c.Get(fmt.Sprintf("/settings/mailboxes/%d", boxes[0].ID))
		want(t, "edit", r, 200, "imap.example.fr")
		notWant(t, "edit", r, "tres-secret-42")
		want(t, "invalid", c.Post("/settings/mailboxes", url.Values{"host": {""}, "security": {"rot13"}}), 422)
		want(t, "sync now", c.Post(fmt.Sprintf("/settings/mailboxes/%d/sync", boxes[0].ID), url.Values{}), 200, "INBOX: 3 new")
		if len(*f.crm.synced) != 1 {
			t.Errorf("sync asked %d times", len(*f.crm.synced))
		}
		cons := webtest.New(t, f.app)
		cons.Login("julien@courtier.test", pw)
		want(t, "consultant", cons.Get("/settings/mailboxes"), 403)
	})
}

func TestMailAPI(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		admin, _, _ := f.auth.CreateToken(context.Background(), f.admin.ID, "t")
		cons, _, _ := f.auth.CreateToken(context.Background(), f.cons.ID, "t")
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		marie := must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &acme.ID, LastName: "Durand", Emails: []string{"marie@acme.fr"}}))
		m := must(f.crm.mail.Store(ctx, crm.MailInput{Key: "k1@x.example", Subject: "Inconnu", From: []crm.MailAddress{{Email: "a@x.example"}}}))
		call := func(method, path, body, tok string) (int, string) {
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			res, err := f.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}
		cases := []struct {
			name, method, path, body, tok string
			status                        int
			contains                      string
		}{
			{"triage", "GET", "/api/v1/mail/triage", "", cons, 200, `"subject":"Inconnu"`},
			{"get", "GET", fmt.Sprintf("/api/v1/mail/%d", m.ID), "", cons, 200, `"triage":"pending"`},
			{"missing", "GET", "/api/v1/mail/999999", "", cons, 404, "not_found"},
			{"resolve invalid", "POST", fmt.Sprintf("/api/v1/mail/%d/resolve", m.ID), `{"links":[]}`, cons, 422, "links"},
			{"resolve", "POST", fmt.Sprintf("/api/v1/mail/%d/resolve", m.ID), fmt.Sprintf(`{"links":[{"type":"contact","id":%d}]}`, marie.ID), cons, 204, ""},
			{"dismiss resolved", "POST", fmt.Sprintf("/api/v1/mail/%d/dismiss", m.ID), "", cons, 404, ""},
			{"send", "POST", "/api/v1/mail/send", `{"to":[{"email":"marie@acme.fr"}],"subject":"Programme","text":"Ci-joint"}`, cons, 201, `"direction":"out"`},
			{"send invalid", "POST", "/api/v1/mail/send", `{"to":[],"subject":""}`, cons, 422, "subject"},
			{"mailboxes need admin", "GET", "/api/v1/mailboxes", "", cons, 403, ""},
			{"create mailbox", "POST", "/api/v1/mailboxes", `{"host":"imap.example.fr","security":"starttls","username":"crm@b.fr","password":"pw-123456"}`, admin, 201, `"port":143`},
			{"mailboxes", "GET", "/api/v1/mailboxes", "", admin, 200, `"username":"crm@b.fr"`},
			{"rename mailbox, rest kept", "PUT", "/api/v1/mailboxes/1", `{"name":"Boîte commerciale"}`, admin, 200, `"active":true`},
			{"update missing mailbox", "PUT", "/api/v1/mailboxes/999", `{"name":"x"}`, admin, 404, ""},
			{"no token", "GET", "/api/v1/mail/triage", "", "", 401, ""},
		}
		for _, k := range cases {
			status, body := call(k.method, k.path, k.body, k.tok)
			if status != k.status || !strings.Contains(body, k.contains) {
				t.Errorf("%s: %d %.300s; want %d with %q", k.name, status, body, k.status, k.contains)
			}
			if strings.Contains(body, "pw-123456") {
				t.Errorf("%s: the password is returned", k.name)
			}
		}
	})
}

func TestContactExport(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		forma := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus"}))
		for i := range 520 { // more than one export batch
			must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &acme.ID, LastName: fmt.Sprintf("Durand%03d", i),
				Emails: []string{fmt.Sprintf("d%d@acme.fr", i)}, Phones: []crm.Phone{{Number: "+33123456789"}}}))
		}
		must(f.crm.contacts.Create(ctx, crm.ContactInput{ProviderID: &forma.ID, LastName: "Lefèvre"}))
		c := login(t, f)
		want(t, "list links the export", c.Get("/contacts?side=client"), 200, `href="/contacts.csv?side=client"`)
		r := c.Get("/contacts.csv?side=client")
		want(t, "export", r, 200, "\ufeff", "Nom;Prénom", "Durand519;", "d0@acme.fr", "'+33123456789")
		notWant(t, "export", r, "Lefèvre")
		if n := strings.Count(r.Body, "\r\n"); n != 521 {
			t.Errorf("%d lines, want 521 (header + 520)", n)
		}
	})
}
