package backoffice_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/gofiber/fiber/v2"
)

// apiUpload posts a multipart form to the API with the bearer token (none
// when empty) and returns the status and body.
func apiUpload(t *testing.T, app *fiber.App, path, tok string, fields url.Values, name, content string) (int, string) {
	t.Helper()
	req := multipartRequest(t, path, fields, name, content)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestDocumentAPI(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setupDocs(t, d, 2<<10)
		ctx := staffCtx(f.admin.ID)
		token, _, _ := f.auth.CreateToken(context.Background(), f.admin.ID, "test")
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		forma := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus"}))

		// Uploads (multipart), with and without a token, too large, without file.
		text := "Compte rendu de l'entretien annuel : besoins en bureautique."
		fields := url.Values{"title": {"Compte rendu"}, "kind": {"other"}, "tags": {"entretien, 2026"}, "link": {fmt.Sprintf("provider:%d", forma.ID)},
			"client_id": {itoa(acme.ID)}, "shared": {"true"}}
		if status, body := apiUpload(t, f.app, "/api/v1/documents", "", fields, "cr.txt", text); status != 401 || !strings.Contains(body, `"code":"unauthorized"`) {
			t.Errorf("upload without a token: %d %s", status, body)
		}
		if status, body := apiUpload(t, f.app, "/api/v1/documents", token, fields, "big.txt", strings.Repeat("z", 3<<10)); status != 422 ||
			!strings.Contains(body, `"file":`) {
			t.Errorf("too large: %d %s", status, body)
		}
		if status, body := apiUpload(t, f.app, "/api/v1/documents", token, fields, "", ""); status != 422 || !strings.Contains(body, `"file":`) {
			t.Errorf("no file: %d %s", status, body)
		}
		if status, body := apiUpload(t, f.app, "/api/v1/documents", token, url.Values{"link": {"nonsense"}}, "a.txt", "a"); status != 422 ||
			!strings.Contains(body, `"links":`) {
			t.Errorf("bad link: %d %s", status, body)
		}
		if n := countDocuments(t, f.docs); n != 0 {
			t.Fatalf("refused uploads stored %d document(s)", n)
		}
		status, body := apiUpload(t, f.app, "/api/v1/documents", token, fields, "cr.txt", text)
		var doc documents.Document
		if err := json.Unmarshal([]byte(body), &doc); status != 201 || err != nil || doc.ID == 0 || !doc.Shared || doc.MimeType != "text/plain; charset=utf-8" ||
			doc.SHA256 != sum(text) || len(doc.Links) != 2 || strings.Join(doc.Tags, ",") != "2026,entretien" {
			t.Fatalf("upload: %d %s", status, body)
		}
		status, body = apiUpload(t, f.app, fmt.Sprintf("/api/v1/documents/%d/versions", doc.ID), token, nil, "cr-v2.txt", text+" Révisé.")
		if status != 201 || !strings.Contains(body, `"current_version":2`) || !strings.Contains(body, `"file_name":"cr-v2.txt"`) {
			t.Errorf("new version: %d %s", status, body)
		}
		if status, _ := apiUpload(t, f.app, fmt.Sprintf("/api/v1/documents/%d/versions", doc.ID), "", nil, "x.txt", "x"); status != 401 {
			t.Errorf("new version without a token: %d", status)
		}
		if status, _ := apiUpload(t, f.app, "/api/v1/documents/999999/versions", token, nil, "x.txt", "x"); status != 404 {
			t.Errorf("new version of a missing document: %d", status)
		}
		gen := must(f.docs.SaveGenerated(ctx, documents.GeneratedDoc{Title: "Facture F-2026-001", Kind: documents.KindInvoice,
			OwnerClientID: acme.ID, FileName: "F-2026-001.txt", Content: strings.NewReader("Facture"), Snapshot: json.RawMessage(`{"total":100}`)}))
		conv := must(f.docs.SaveGenerated(ctx, documents.GeneratedDoc{Title: "Convocation", Kind: documents.KindConvocation,
			OwnerClientID: acme.ID, FileName: "convocation.txt", Content: strings.NewReader("Convocation"), Snapshot: json.RawMessage(`{"day":"2026-05-04","room":"A"}`)}))
		must(f.docs.SaveGenerated(ctx, documents.GeneratedDoc{Title: "Convocation", Kind: documents.KindConvocation, OwnerClientID: acme.ID,
			FileName: "convocation.txt", Content: strings.NewReader("Convocation modifiée"), Snapshot: json.RawMessage(`{"day":"2026-05-11","room":"A"}`),
			ReplacesID: &conv.ID}))
		if status, body := apiUpload(t, f.app, fmt.Sprintf("/api/v1/documents/%d/versions", gen.ID), token, nil, "x.txt", "x"); status != 409 ||
			!strings.Contains(body, `"code":"conflict"`) {
			t.Errorf("new version of an immutable document: %d %s", status, body)
		}

		id, g, cv, a, p := doc.ID, gen.ID, conv.ID, acme.ID, forma.ID
		cases := []apiCase{
			{"list", "GET", "/api/v1/documents", "", 200, []string{`"total":3`, `"page":1`, `"per_page":50`, "Compte rendu", "F-2026-001"}, nil},
			{"full-text search", "GET", "/api/v1/documents?q=bureautique", "", 200, []string{`"total":1`, "Compte rendu"}, []string{"F-2026-001"}},
			{"title", "GET", "/api/v1/documents?title=facture", "", 200, []string{`"total":1`, "F-2026-001"}, nil},
			{"kinds", "GET", "/api/v1/documents?kind=invoice&kind=convocation", "", 200, []string{`"total":2`}, []string{"Compte rendu"}},
			{"tag", "GET", "/api/v1/documents?tag=entretien", "", 200, []string{`"total":1`, "Compte rendu"}, nil},
			{"record", "GET", fmt.Sprintf("/api/v1/documents?record_type=provider&record_id=%d", p), "", 200, []string{`"total":1`, "Compte rendu"}, nil},
			{"shared", "GET", "/api/v1/documents?shared=false", "", 200, []string{`"total":2`}, []string{"Compte rendu"}},
			{"owner client", "GET", fmt.Sprintf("/api/v1/documents?client_id=%d&per_page=1", a), "", 200, []string{`"total":3`, `"per_page":1`}, nil},
			{"bad shared", "GET", "/api/v1/documents?shared=maybe", "", 422, []string{`"shared":`}, nil},
			{"get", "GET", fmt.Sprintf("/api/v1/documents/%d", id), "", 200, []string{`"title":"Compte rendu"`, `"current_version":2`, `"tags":["2026","entretien"]`}, nil},
			{"get missing", "GET", "/api/v1/documents/999999", "", 404, []string{`"code":"not_found"`}, nil},
			{"not an id", "GET", "/api/v1/documents/abc", "", 404, nil, nil},
			{"versions", "GET", fmt.Sprintf("/api/v1/documents/%d/versions", id), "", 200, []string{`"version":2`, `"version":1`, `"file_name":"cr.txt"`, sum(text)}, nil},
			{"versions of a missing document", "GET", "/api/v1/documents/999999/versions", "", 404, nil, nil},
			{"tags", "PUT", fmt.Sprintf("/api/v1/documents/%d/tags", id), `{"tags":["Bilan"," bilan ","RH"]}`, 200, []string{`"tags":["bilan","rh"]`}, nil},
			{"tags malformed", "PUT", fmt.Sprintf("/api/v1/documents/%d/tags", id), `{"tags":`, 400, nil, nil},
			{"tags of a missing document", "PUT", "/api/v1/documents/999999/tags", `{"tags":["x"]}`, 404, nil, nil},
			{"link", "POST", fmt.Sprintf("/api/v1/documents/%d/links", id), `{"links":[{"type":"request","id":12}]}`, 200, []string{`{"type":"request","id":12}`}, nil},
			{"link nothing", "POST", fmt.Sprintf("/api/v1/documents/%d/links", id), `{"links":[]}`, 422, []string{`"links":`}, nil},
			{"link a missing document", "POST", "/api/v1/documents/999999/links", `{"links":[{"type":"request","id":12}]}`, 404, nil, nil},
			{"unlink", "DELETE", fmt.Sprintf("/api/v1/documents/%d/links/request/12", id), "", 200, nil, []string{`"type":"request"`}},
			{"unlink the shared owner", "DELETE", fmt.Sprintf("/api/v1/documents/%d/links/client/%d", id, a), "", 422, []string{`"links":`}, nil},
			{"unlink on a missing document", "DELETE", "/api/v1/documents/999999/links/request/12", "", 404, nil, nil},
			{"unshare", "POST", fmt.Sprintf("/api/v1/documents/%d/unshare", id), "", 200, []string{`"shared":false`}, nil},
			{"unshare a missing document", "POST", "/api/v1/documents/999999/unshare", "", 404, nil, nil},
			{"share with an unlinked client", "POST", fmt.Sprintf("/api/v1/documents/%d/share", id), `{"client_id":999999}`, 422, []string{`"client_id":`}, nil},
			{"share", "POST", fmt.Sprintf("/api/v1/documents/%d/share", id), fmt.Sprintf(`{"client_id":%d}`, a), 200, []string{`"shared":true`, fmt.Sprintf(`"client_id":%d`, a)}, nil},
			{"share a missing document", "POST", "/api/v1/documents/999999/share", fmt.Sprintf(`{"client_id":%d}`, a), 404, nil, nil},
			{"compare", "GET", fmt.Sprintf("/api/v1/documents/%d/compare?from=1&to=2", cv), "", 200, []string{`"from":1`, `"to":2`, `{"path":"day","op":"changed","old":"2026-05-04","new":"2026-05-11"}`}, []string{`"room"`}},
			{"compare without versions", "GET", fmt.Sprintf("/api/v1/documents/%d/compare", cv), "", 422, []string{`"version":`}, nil},
			{"compare uploaded versions", "GET", fmt.Sprintf("/api/v1/documents/%d/compare?from=1&to=2", id), "", 422, []string{`"version":`}, nil},
			{"compare a missing version", "GET", fmt.Sprintf("/api/v1/documents/%d/compare?from=1&to=9", cv), "", 404, nil, nil},
			{"delete immutable", "DELETE", fmt.Sprintf("/api/v1/documents/%d", g), "", 409, []string{`"code":"conflict"`}, nil},
			{"delete missing", "DELETE", "/api/v1/documents/999999", "", 404, nil, nil},
		}
		for _, tc := range cases {
			tc.check(t, f.app, token)
		}

		// Downloads: the file with its headers, a version, 401 and 404.
		dl := func(path, tok string) *http.Response {
			req := httptest.NewRequest("GET", path, nil)
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			res, err := f.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		res := dl(fmt.Sprintf("/api/v1/documents/%d/download?version=1", id), token)
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || string(b) != text || res.Header.Get("Content-Disposition") != `attachment; filename="cr.txt"; filename*=UTF-8''cr.txt` ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("download: %d %v %q", res.StatusCode, res.Header, b)
		}
		if res := dl(fmt.Sprintf("/api/v1/documents/%d/download", id), ""); res.StatusCode != 401 {
			t.Errorf("download without a token: %d", res.StatusCode)
		}
		for _, path := range []string{"/api/v1/documents/999999/download", fmt.Sprintf("/api/v1/documents/%d/download?version=5", id)} {
			if res := dl(path, token); res.StatusCode != 404 {
				t.Errorf("%s: %d", path, res.StatusCode)
			}
		}

		// Deleting a document: 204, then 404.
		(apiCase{"delete", "DELETE", fmt.Sprintf("/api/v1/documents/%d", id), "", 204, nil, nil}).checkEmpty(t, f.app, token)
		(apiCase{"deleted", "GET", fmt.Sprintf("/api/v1/documents/%d", id), "", 404, nil, nil}).check(t, f.app, token)
	})
}

// checkEmpty runs a case whose success has no body (204).
func (tc apiCase) checkEmpty(t *testing.T, app *fiber.App, token string) {
	t.Helper()
	if status, body := apiCall(t, app, tc.method, tc.path, tc.body, ""); status != 401 {
		t.Errorf("%s without a token: %d %.200s", tc.name, status, body)
	}
	if status, body := apiCall(t, app, tc.method, tc.path, tc.body, token); status != tc.status || body != "" {
		t.Errorf("%s: %d %.200s, want %d and no body", tc.name, status, body, tc.status)
	}
}
