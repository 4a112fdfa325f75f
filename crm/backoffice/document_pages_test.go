package backoffice_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/backoffice"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/webtest"
)

// docFixture is the back office with the document store, whose uploads
// are limited to maxSize bytes, and the store's folder.
type docFixture struct {
	fixture
	docs    *documents.Service
	blobDir string
}

// timelineHook writes document events in the timeline as cmd/courtier's
// wiring does (tested there), so that record pages show them.
func timelineHook(ctx context.Context, q db.Querier, ev documents.Event) error {
	var links []crm.Ref
	for _, l := range ev.Links {
		links = append(links, crm.Ref{Type: l.Type, ID: l.ID})
	}
	_, err := crm.AddEntry(ctx, q, crm.NewEntry{Kind: crm.KindDocument, OccurredAt: ev.At, Title: ev.Document.Title,
		Data: map[string]any{"document_id": ev.Document.ID, "event": ev.Kind, "version": ev.Version}, Links: links})
	return err
}

func setupDocs(t *testing.T, d *db.DB, maxSize int64) docFixture {
	t.Helper()
	f := setup(t, d)
	dir := t.TempDir()
	blobs, err := documents.NewLocalBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := documents.NewService(d, documents.Options{Blobs: blobs, MaxSize: maxSize, Notify: timelineHook})
	if err != nil {
		t.Fatal(err)
	}
	deps := f.deps
	deps.Documents = docs
	f.app, err = backoffice.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	return docFixture{fixture: f, docs: docs, blobDir: dir}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// postFile posts a multipart form: its fields, one file (none when name is
// ""), and the CSRF token of page unless fields has its own _csrf.
func postFile(t *testing.T, c *webtest.Client, page, path string, fields url.Values, name, content string) webtest.Response {
	t.Helper()
	if _, ok := fields["_csrf"]; !ok {
		m := csrfInput.FindStringSubmatch(c.Get(page).Body)
		if m == nil {
			t.Fatalf("no CSRF token on %s", page)
		}
		fields = withValues(fields, "_csrf", m[1])
	}
	return c.Do(multipartRequest(t, path, fields, name, content))
}

func multipartRequest(t *testing.T, path string, fields url.Values, name, content string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write([]byte(content))
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

func withValues(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for i := 0; i < len(kv); i += 2 {
		out.Add(kv[i], kv[i+1])
	}
	return out
}

// countDocuments is how many documents the store holds.
func countDocuments(t *testing.T, s *documents.Service) int {
	t.Helper()
	p, err := s.List(context.Background(), documents.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestDocumentUploadSearchDownload(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setupDocs(t, d, 4<<10)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		c := login(t, f.fixture)
		form := fmt.Sprintf("/documents/upload?link=client:%d&client=%d", acme.ID, acme.ID)
		want(t, "upload form", c.Get(form), 200, `enctype="multipart/form-data"`, "4 Ko au plus", "Acme Industrie",
			fmt.Sprintf(`value="client:%d" checked`, acme.ID), fmt.Sprintf(`<option value="%d" selected>Acme Industrie`, acme.ID))

		text := "Programme de formation en comptabilité analytique, niveau 2."
		fields := url.Values{"title": {"Programme compta"}, "kind": {"programme"}, "tags": {"Devis, 2026"},
			"client_id": {itoa(acme.ID)}, "link": {fmt.Sprintf("client:%d", acme.ID)}}
		// No CSRF token: refused, nothing stored.
		want(t, "upload without CSRF", postFile(t, c, form, "/documents/upload", withValues(fields, "_csrf", ""), "programme.txt", text), 403)
		if n := countDocuments(t, f.docs); n != 0 {
			t.Fatalf("a refused upload stored %d document(s)", n)
		}
		// Past the limit: the form again, the limit next to the field, nothing stored.
		r := postFile(t, c, form, "/documents/upload", fields, "gros.txt", strings.Repeat("x", 5<<10))
		want(t, "too large", r, 422, "Fichier trop volumineux : 4 Ko au plus.", `value="Programme compta"`)
		if n := countDocuments(t, f.docs); n != 0 {
			t.Fatalf("a too large upload stored %d document(s)", n)
		}
		want(t, "no file", postFile(t, c, form, "/documents/upload", fields, "", ""), 422, "Ce champ est obligatoire")

		id := idFrom(t, postFile(t, c, form, "/documents/upload", fields, "programme.txt", text), "/documents/")
		page := c.Get(documentURL(id))
		want(t, "document page", page, 200, "Document déposé.", "Programme compta", "programme.txt", "text/plain", sum(text),
			"devis", "2026", "Acme Industrie", fmt.Sprintf(`href="/clients/%d"`, acme.ID), "Texte lu en entier")
		notWant(t, "document page", page, "Immuable", `id="unshare"`)

		// Search by a word of the content (accents ignored), the title, tag, record and kind.
		list := c.Get("/documents?q=analytique")
		want(t, "full-text search", list, 200, "Programme compta", "1 résultat(s)")
		want(t, "accents ignored", c.Get("/documents?q=COMPTABILITE"), 200, "Programme compta")
		notWant(t, "no match", c.Get("/documents?q=astrophysique"), "Programme compta")
		want(t, "title filter", c.Get("/documents?title=prog"), 200, "Programme compta")
		want(t, "tag filter", c.Get("/documents?tag=devis"), 200, "Programme compta")
		notWant(t, "other tag", c.Get("/documents?tag=facture"), "Programme compta")
		want(t, "record filter", c.Get(fmt.Sprintf("/documents?record_type=client&record_id=%d", acme.ID)), 200, "Programme compta")
		notWant(t, "other record", c.Get("/documents?record_type=client&record_id=999999"), "Programme compta")
		notWant(t, "kind filter", c.Get("/documents?kind=invoice"), "Programme compta")
		notWant(t, "shared filter", c.Get("/documents?shared=yes"), "Programme compta")

		// Download: stored type, both file names, nosniff, length, the content.
		dl := c.Get(documentURL(id) + "/download")
		if dl.Status != 200 || dl.Body != text || dl.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
			dl.Header.Get("Content-Disposition") != `attachment; filename="programme.txt"; filename*=UTF-8''programme.txt` ||
			dl.Header.Get("X-Content-Type-Options") != "nosniff" || dl.Header.Get("Content-Length") != fmt.Sprint(len(text)) ||
			!strings.Contains(dl.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("download: %d %v %q", dl.Status, dl.Header, dl.Body)
		}

		// HTML is never shown inline; a PDF may be, with a UTF-8 file name.
		html := idFrom(t, postFile(t, c, "/documents/upload", "/documents/upload", url.Values{"title": {"Page"}}, "page.html",
			"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "/documents/")
		dl = c.Get(documentURL(html) + "/download?inline=1")
		if dl.Status != 200 || !strings.HasPrefix(dl.Header.Get("Content-Type"), "text/html") ||
			!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") || dl.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("HTML inline: %d %v", dl.Status, dl.Header)
		}
		notWant(t, "no preview of HTML", c.Get(documentURL(html)), `id="preview"`)
		pdf := idFrom(t, postFile(t, c, "/documents/upload", "/documents/upload", url.Values{"title": {"Devis"}}, "Devis été.pdf",
			"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "/documents/")
		want(t, "preview offered for a PDF", c.Get(documentURL(pdf)), 200, `id="preview"`)
		dl = c.Get(documentURL(pdf) + "/download?inline=1")
		if dl.Header.Get("Content-Type") != "application/pdf" ||
			dl.Header.Get("Content-Disposition") != `inline; filename="Devis ete.pdf"; filename*=UTF-8''Devis%20%C3%A9t%C3%A9.pdf` {
			t.Errorf("PDF inline: %v", dl.Header)
		}
		want(t, "unknown document", c.Get("/documents/999999/download"), 404)
		want(t, "unknown version", c.Get(documentURL(id)+"/download?version=7"), 404)

		// A new version becomes current; the first stays downloadable.
		v2 := "Programme révisé : comptabilité analytique et budgétaire."
		r = postFile(t, c, documentURL(id), documentURL(id)+"/versions", nil, "programme-v2.txt", v2)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("new version: %d %.300s", r.Status, r.Body)
		}
		want(t, "two versions", c.Get(documentURL(id)), 200, "Nouvelle version déposée.", "programme-v2.txt", sum(v2),
			fmt.Sprintf(`href="/documents/%d/download?version=1"`, id), fmt.Sprintf(`href="/documents/%d/download?version=2"`, id),
			`<td>v2 <span class="badge ok">actuelle</span>`)
		if dl := c.Get(documentURL(id) + "/download?version=1"); dl.Body != text {
			t.Errorf("version 1: %q", dl.Body)
		}
		if dl := c.Get(documentURL(id) + "/download"); dl.Body != v2 {
			t.Errorf("current version: %q", dl.Body)
		}
		want(t, "too large version", postFile(t, c, documentURL(id), documentURL(id)+"/versions", nil, "big.txt", strings.Repeat("y", 5<<10)),
			422, "Fichier trop volumineux : 4 Ko au plus.")
		want(t, "search finds the new version", c.Get("/documents?q=budgetaire"), 200, "Programme compta")

		// A damaged blob is an error, never a silently wrong download.
		blob := filepath.Join(f.blobDir, sum(v2)[:2], sum(v2)[2:4], sum(v2))
		if err := os.WriteFile(blob, []byte(strings.ToUpper(v2)), 0o600); err != nil {
			t.Fatal(err)
		}
		want(t, "damaged blob", c.Get(documentURL(id)+"/download"), 500)
		if err := os.Remove(blob); err != nil {
			t.Fatal(err)
		}
		want(t, "lost blob", c.Get(documentURL(id)+"/download"), 500)
		want(t, "lost blob, unknown version", c.Get(documentURL(id)+"/download?version=7"), 404)

		// Tags, links, deletion.
		want(t, "tags", c.Post(documentURL(id)+"/tags", url.Values{"tags": {"catalogue ; Compta"}}), 303)
		want(t, "tags shown", c.Get(documentURL(id)), 200, "Étiquettes enregistrées.", `value="catalogue, compta"`)
		forma := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus"}))
		want(t, "link", c.Post(documentURL(id)+"/links", url.Values{"link_type": {"provider"}, "link_id": {itoa(forma.ID)}}), 303)
		want(t, "link shown", c.Get(documentURL(id)), 200, "Forma Plus", fmt.Sprintf(`href="/providers/%d"`, forma.ID))
		want(t, "bad link", c.Post(documentURL(id)+"/links", url.Values{"link_type": {"provider"}, "link_id": {"x"}}), 422, "Valeur invalide")
		want(t, "unlink", c.Post(documentURL(id)+"/links/remove", url.Values{"link": {fmt.Sprintf("provider:%d", forma.ID)}}), 303)
		notWant(t, "unlinked", c.Get(documentURL(id)), "Forma Plus")
		want(t, "delete unconfirmed", c.Post(documentURL(id)+"/delete", nil), 422)
		want(t, "delete", c.Post(documentURL(id)+"/delete", url.Values{"confirm": {"on"}}), 303)
		want(t, "deleted", c.Get(documentURL(id)), 404)

		// Every action is in the audit log.
		events, err := audit.NewLog(d).List(context.Background(), audit.Filter{Entity: "document", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range events {
			seen[e.Action] = true
		}
		for _, a := range []string{"document.upload", "document.version_add", "document.download", "document.tags", "document.link",
			"document.unlink", "document.delete"} {
			if !seen[a] {
				t.Errorf("no %s in the audit log", a)
			}
		}
	})
}

func documentURL(id int64) string { return fmt.Sprintf("/documents/%d", id) }

// TestDocumentSharingAndImmutability: sharing from the document's page
// shows in the client's timeline; a generated document refuses new
// versions and deletion, and compares the data of its versions.
func TestDocumentSharingAndImmutability(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setupDocs(t, d, 0)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		doc := must(f.docs.Upload(ctx, documents.NewDocument{Title: "Convention signée", FileName: "convention.txt",
			Content: strings.NewReader("Convention de formation signée."), ClientID: acme.ID}))
		c := login(t, f.fixture)
		want(t, "not shared", c.Get(documentURL(doc.ID)), 200, "n&#39;est pas visible sur l&#39;espace client", `id="share"`)
		want(t, "share with an unlinked client", c.Post(documentURL(doc.ID)+"/share", url.Values{"client_id": {"999999"}}), 422,
			"doit être lié à ce client")
		want(t, "share", c.Post(documentURL(doc.ID)+"/share", url.Values{"client_id": {itoa(acme.ID)}}), 303)
		want(t, "shared", c.Get(documentURL(doc.ID)), 200, "Document partagé avec le client.", "Visible sur l&#39;espace client de", `id="unshare"`)
		client := c.Get(fmt.Sprintf("/clients/%d", acme.ID))
		want(t, "client timeline", client, 200, "Partagé avec le client", "Document déposé",
			fmt.Sprintf(`<a href="/documents/%d">Convention signée</a>`, doc.ID))
		want(t, "owner link kept while shared", c.Post(documentURL(doc.ID)+"/links/remove", url.Values{"link": {fmt.Sprintf("client:%d", acme.ID)}}),
			422, "Retirez d&#39;abord le document")
		want(t, "unshare", c.Post(documentURL(doc.ID)+"/unshare", nil), 303)
		want(t, "unshared", c.Get(documentURL(doc.ID)), 200, "Document retiré de l&#39;espace client.", `id="share"`)
		want(t, "client timeline after", c.Get(fmt.Sprintf("/clients/%d", acme.ID)), 200, "Retiré de l&#39;espace client")

		// A generated document, regenerated once with other data.
		snap := func(price int, names ...string) json.RawMessage {
			b, _ := json.Marshal(map[string]any{"price_cents": price, "trainees": names, "place": "Lyon"})
			return b
		}
		gen := must(f.docs.SaveGenerated(ctx, documents.GeneratedDoc{Title: "Convocation", Kind: documents.KindConvocation, Lang: "fr",
			OwnerClientID: acme.ID, FileName: "convocation.txt", Content: strings.NewReader("Convocation v1"), Snapshot: snap(120000, "Durand")}))
		must(f.docs.SaveGenerated(ctx, documents.GeneratedDoc{Title: "Convocation", Kind: documents.KindConvocation, Lang: "fr",
			OwnerClientID: acme.ID, FileName: "convocation.txt", Content: strings.NewReader("Convocation v2"), Snapshot: snap(125000, "Durand", "Leroy"),
			ReplacesID: &gen.ID}))
		page := c.Get(documentURL(gen.ID))
		want(t, "generated", page, 200, "Immuable", "Comparer deux versions", "Document généré : pas de nouvelle version")
		notWant(t, "generated", page, `id="delete"`, `name="file"`)
		want(t, "compare", c.Get(documentURL(gen.ID)+"?from=1&to=2"), 200, "<code>price_cents</code>", "120000", "125000",
			"<code>trainees[1]</code>", "Leroy")
		want(t, "compare same", c.Get(documentURL(gen.ID)+"?from=2&to=2"), 200, "Aucune différence")
		want(t, "compare uploaded", c.Get(documentURL(doc.ID)+"?from=1&to=1"), 200, "pas de données à comparer")
		want(t, "new version refused", postFile(t, c, documentURL(gen.ID), documentURL(gen.ID)+"/versions", nil, "autre.txt", "autre"), 409,
			"Ce document est immuable")
		want(t, "delete refused", c.Post(documentURL(gen.ID)+"/delete", url.Values{"confirm": {"on"}}), 409, "Ce document est immuable")
		if got, err := f.docs.Get(ctx, gen.ID); err != nil || got.CurrentVersion != 2 {
			t.Errorf("generated document changed: %+v %v", got, err)
		}
	})
}

// TestDocumentRoutesNeedLogin: every document page and download redirects
// an anonymous visitor to the login page.
func TestDocumentRoutesNeedLogin(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setupDocs(t, d, 0)
		doc := must(f.docs.Upload(staffCtx(f.admin.ID), documents.NewDocument{Title: "Note", FileName: "note.txt", Content: strings.NewReader("secret")}))
		c := webtest.New(t, f.app)
		for _, path := range []string{"/documents", "/documents/upload", documentURL(doc.ID), documentURL(doc.ID) + "/download"} {
			if r := c.Get(path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") || strings.Contains(r.Body, "secret") {
				t.Errorf("anonymous %s: %d %s", path, r.Status, r.Header.Get("Location"))
			}
		}
	})
}
