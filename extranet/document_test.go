package extranet_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/webtest"
)

// TestClientSeesOnlyDocumentsSharedWithItsCompany: a client user lists
// and downloads the documents shared with its company, and gets 404 for
// another company's shared document, its own unshared one and one with no
// owner, asked by id; unsharing takes a document away at once.
func TestClientSeesOnlyDocumentsSharedWithItsCompany(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clients := crm.NewClients(d)
		a, _ := clients.Create(ctx, crm.ClientInput{LegalName: "Transports Morel"})
		b, _ := clients.Create(ctx, crm.ClientInput{LegalName: "Clinique du Parc"})
		s := auth.New(d, auth.Extranet, auth.Options{})
		s.CreateUser(ctx, auth.NewUser{ClientID: a.ID, Email: "rh@morel.test", Name: "Hélène Morel", Role: auth.RoleHRAdmin, Password: pw})
		s.CreateUser(ctx, auth.NewUser{ClientID: a.ID, Email: "salarie@morel.test", Name: "Luc Morel", Role: auth.RoleEmployee, Password: pw})
		blobDir := t.TempDir()
		blobs, err := documents.NewLocalBlobs(blobDir)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := documents.NewService(d, documents.Options{Blobs: blobs})
		if err != nil {
			t.Fatal(err)
		}
		upload := func(title, content string, client int64, shared bool) documents.Document {
			t.Helper()
			doc, err := docs.Upload(ctx, documents.NewDocument{Title: title, FileName: strings.ToLower(strings.ReplaceAll(title, " ", "-")) + ".txt",
				Content: strings.NewReader(content), ClientID: client, Shared: shared, Tags: []string{"remarque interne"}})
			if err != nil {
				t.Fatal(err)
			}
			return doc
		}
		mine := upload("Convention Morel", "Convention de formation Morel", a.ID, true)
		unshared := upload("Note sur Morel", "Note interne", a.ID, false)
		theirs := upload("Convention Clinique", "Convention de formation Clinique", b.ID, true)
		nobody := upload("Tarifs courtier", "Grille tarifaire", 0, false)
		app, err := extranet.New(extranet.Deps{Viewers: crm.NewViewers(d), Requests: crm.NewRequests(d), Proposals: crm.NewProposals(d, nil),
			Bookings: crm.NewBookings(d), Wishes: crm.NewWishes(d, nil),
			Auth: s, Clients: clients, Documents: docs, Mailer: &mailer.Recorder{}, Ping: d.Ping,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("0123456789abcdef0123456789abcdef"), PublicURL: "https://extranet.test"})
		if err != nil {
			t.Fatal(err)
		}
		anon := webtest.New(t, app)
		for _, path := range []string{"/documents", fmt.Sprintf("/documents/%d/download", mine.ID)} {
			if r := anon.Get(path); r.Status != http.StatusSeeOther || strings.Contains(r.Body, "Convention") {
				t.Errorf("anonymous %s: %d", path, r.Status)
			}
		}

		c := webtest.New(t, app)
		if r := c.Login("rh@morel.test", pw); r.Status != http.StatusSeeOther {
			t.Fatalf("login: %d", r.Status)
		}
		home := c.Get("/")
		if !strings.Contains(home.Body, `href="/documents"`) {
			t.Error("no link to the documents in the navigation")
		}
		list := c.Get("/documents")
		if list.Status != 200 || !strings.Contains(list.Body, "Convention Morel") || !strings.Contains(list.Body, "Télécharger") {
			t.Errorf("list: %d %.600s", list.Status, list.Body)
		}
		for _, s := range []string{"Note sur Morel", "Convention Clinique", "Tarifs courtier", "remarque interne"} {
			if strings.Contains(list.Body, s) {
				t.Errorf("list shows %q", s)
			}
		}
		if r := c.Get("/documents?q=clinique"); strings.Contains(r.Body, "Convention Clinique") || strings.Contains(r.Body, "Convention Morel") {
			t.Error("search reaches beyond the company's shared documents")
		}
		r := c.Get(fmt.Sprintf("/documents/%d/download", mine.ID))
		if r.Status != 200 || r.Body != "Convention de formation Morel" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") ||
			r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("download: %d %v %q", r.Status, r.Header, r.Body)
		}
		for what, id := range map[string]any{"another company's shared document": theirs.ID, "its own unshared document": unshared.ID,
			"a document without owner": nobody.ID, "an unknown id": 999999, "not an id": "abc", "the staff's document page": mine.ID} {
			path := fmt.Sprintf("/documents/%v/download", id)
			if what == "the staff's document page" {
				path = fmt.Sprintf("/documents/%v", id)
			}
			if r := c.Get(path); r.Status != 404 || strings.Contains(r.Body, "Convention de formation") || strings.Contains(r.Body, "Note interne") {
				t.Errorf("%s (%s): %d, want 404", what, path, r.Status)
			}
		}

		// Any user of the company sees them; unsharing takes them away.
		other := webtest.New(t, app)
		other.Login("salarie@morel.test", pw)
		if r := other.Get("/documents"); !strings.Contains(r.Body, "Convention Morel") {
			t.Errorf("another user of the company: %.300s", r.Body)
		}
		if _, err := docs.Unshare(ctx, mine.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := docs.Share(ctx, unshared.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		list = c.Get("/documents")
		if strings.Contains(list.Body, "Convention Morel") || !strings.Contains(list.Body, "Note sur Morel") {
			t.Errorf("after unsharing and sharing: %.600s", list.Body)
		}
		if r := c.Get(fmt.Sprintf("/documents/%d/download", mine.ID)); r.Status != 404 {
			t.Errorf("download after unsharing: %d", r.Status)
		}
		if r := c.Get(fmt.Sprintf("/documents/%d/download", unshared.ID)); r.Status != 200 || r.Body != "Note interne" {
			t.Errorf("download once shared: %d", r.Status)
		}

		// A shared document whose content was lost is a server error, not a 404.
		lost := upload("Attestation Morel", "Attestation de fin de formation", a.ID, true)
		if err := os.Remove(filepath.Join(blobDir, lost.SHA256[:2], lost.SHA256[2:4], lost.SHA256)); err != nil {
			t.Fatal(err)
		}
		if r := c.Get(fmt.Sprintf("/documents/%d/download", lost.ID)); r.Status != 500 {
			t.Errorf("lost content: %d, want 500", r.Status)
		}

		// In English.
		c.Get("/documents")
		c.Post("/lang", url.Values{"lang": {"en"}, "back": {"/documents"}})
		if r := c.Get("/documents"); !strings.Contains(r.Body, "Download") || !strings.Contains(r.Body, "The documents your broker made available") {
			t.Errorf("English list: %.400s", r.Body)
		}
	})
}
