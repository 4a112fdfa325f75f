package backoffice

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// TestRecordDocumentsPanel renders the "Documents" section a record page
// gets from loadDocumentsPanel and the record_documents partial, in a page
// made for the test, as a client page would show it.
func TestRecordDocumentsPanel(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := audit.WithActor(context.Background(), audit.Actor{Kind: audit.ActorSystem, Label: "test"})
		clients := crm.NewClients(d)
		acme, err := clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"})
		if err != nil {
			t.Fatal(err)
		}
		other, _ := clients.Create(ctx, crm.ClientInput{LegalName: "Autre"})
		blobs, _ := documents.NewLocalBlobs(t.TempDir())
		docs, err := documents.NewService(d, documents.Options{Blobs: blobs})
		if err != nil {
			t.Fatal(err)
		}
		for i := range recordDocumentsShown + 2 {
			if _, err := docs.Upload(ctx, documents.NewDocument{Title: fmt.Sprintf("Pièce %02d", i), FileName: "p.txt",
				Content: strings.NewReader(fmt.Sprintf("contenu %d", i)), ClientID: acme.ID, Shared: i == recordDocumentsShown+1}); err != nil {
				t.Fatal(err)
			}
		}
		docs.Upload(ctx, documents.NewDocument{Title: "Pièce d'un autre", FileName: "x.txt", Content: strings.NewReader("x"), ClientID: other.ID})

		files := fstest.MapFS{"templates/pages/zz_panel.html": {Data: []byte(
			`{{define "content"}}{{template "record_documents" dict "p" . "d" .Data.Documents}}{{end}}`)}}
		err = fs.WalkDir(templateFiles, "templates", func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			b, err := fs.ReadFile(templateFiles, path)
			files[path] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := web.ParseTemplates(files)
		if err != nil {
			t.Fatal(err)
		}
		h := &handlers{Deps: Deps{Documents: docs, Clients: clients}, tpl: tpl}
		app := fiber.New()
		app.Get("/", func(c *fiber.Ctx) error {
			p := web.NewPage(c, "documents.title")
			panel, err := h.loadDocumentsPanel(c, p.Lang, crm.Ref{Type: crm.RecordClient, ID: acme.ID}, acme.ID)
			if err != nil {
				return err
			}
			p.Data = struct{ Documents documentsPanel }{panel}
			return h.tpl.Render(c, "zz_panel", p)
		})
		res, err := app.Test(httptest.NewRequest("GET", "/", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		body := string(b)
		for _, s := range []string{`id="documents"`, "Pièce 21", "Partagé", fmt.Sprintf(`href="/documents/upload?client=%d&amp;link=client%%3A%d"`, acme.ID, acme.ID),
			fmt.Sprintf(`href="/documents?record_id=%d&amp;record_type=client"`, acme.ID), "Voir les 22 documents", `<span class="badge">22</span>`} {
			if !strings.Contains(body, s) {
				t.Errorf("panel lacks %q (%d %.2000s)", s, res.StatusCode, body)
			}
		}
		if strings.Contains(body, "un autre") || strings.Count(body, `/download"`) != recordDocumentsShown {
			t.Errorf("panel shows another record's documents or not %d rows", recordDocumentsShown)
		}
	})
}

// TestBodyLimits: the request size limit follows the document limit, for
// the upload routes only.
func TestBodyLimits(t *testing.T) {
	if got := uploadBodyLimit(25 << 20); got != defaultBodyLimit {
		t.Errorf("25 MiB documents: limit %d, want the default", got)
	}
	if got := uploadBodyLimit(100 << 20); got != 101<<20 {
		t.Errorf("100 MiB documents: limit %d", got)
	}
	for path, upload := range map[string]bool{"/documents/upload": true, "/api/v1/documents": true, "/documents/12/versions": true,
		"/api/v1/documents/12/versions": true, "/documents": false, "/clients/1/employees/import": false, "/documents/12/tags": false,
		"/api/v1/documents/12/versions/x": false} {
		if uploadPaths.MatchString(path) != upload {
			t.Errorf("%s: upload route %v, want %v", path, !upload, upload)
		}
	}
	app := fiber.New(fiber.Config{BodyLimit: 40 << 20})
	app.Use(limitOtherBodies)
	app.Post("/*", func(c *fiber.Ctx) error { return c.SendString("ok") })
	big := strings.Repeat("x", defaultBodyLimit+1)
	for path, status := range map[string]int{"/documents/upload": 200, "/clients/1/employees/import": 413} {
		res, err := app.Test(httptest.NewRequest("POST", path, strings.NewReader(big)), -1)
		if err != nil || res.StatusCode != status {
			t.Errorf("%s with %d bytes: %v %v, want %d", path, len(big), res.StatusCode, err, status)
		}
	}
}

// TestDocumentMessagesExist: the messages built from a value (a kind, an
// event, a record type, a text status) exist for every value.
func TestDocumentMessagesExist(t *testing.T) {
	families := map[string][]string{
		"documents.kind.":        documents.Kinds,
		"documents.event.":       documentEvents,
		"documents.record.":      append([]string{documents.RecordEmail, crm.RecordConsultation}, documentRecordTypes...),
		"documents.text_status.": {documents.TextNone, documents.TextExtracted, documents.TextTruncated, documents.TextFailed},
		"documents.size.":        {"b", "kb", "mb", "gb"},
		"error.":                 {"document_too_large", "document_empty", "no_snapshot", "share_needs_client", "share_needs_client_link", "unlink_shared_client"},
	}
	for prefix, values := range families {
		for _, v := range values {
			if !i18n.Has(prefix + v) {
				t.Errorf("unknown message %q", prefix+v)
			}
		}
	}
}
