package backoffice_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/gofiber/fiber/v2"
)

// apiCase is one request to the JSON API and what its answer must hold.
type apiCase struct {
	name     string
	method   string
	path     string
	body     string
	status   int
	contains []string
	absent   []string
}

// apiCall sends one request to the API of app with the bearer token (none
// when empty); a body is JSON, except the CSV posted to an import.
func apiCall(t *testing.T, app *fiber.App, method, path, body, tok string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != "" && !strings.Contains(path, "/import") {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// check runs the case with the token: its status, a JSON body holding what
// it must and not what it must not; then the same request without a token
// must be refused. It returns the body.
func (tc apiCase) check(t *testing.T, app *fiber.App, token string) string {
	t.Helper()
	status, body := apiCall(t, app, tc.method, tc.path, tc.body, token)
	if status != tc.status {
		t.Errorf("%s: %s %s: status %d, want %d (%.400s)", tc.name, tc.method, tc.path, status, tc.status, body)
	}
	if !json.Valid([]byte(body)) {
		t.Errorf("%s: not JSON: %.200s", tc.name, body)
	}
	for _, s := range tc.contains {
		if !strings.Contains(body, s) {
			t.Errorf("%s: body lacks %s (%.600s)", tc.name, s, body)
		}
	}
	for _, s := range tc.absent {
		if strings.Contains(body, s) {
			t.Errorf("%s: body has %s (%.400s)", tc.name, s, body)
		}
	}
	if status, body := apiCall(t, app, tc.method, tc.path, tc.body, ""); status != 401 || !strings.Contains(body, `"code":"unauthorized"`) {
		t.Errorf("%s without a token: %d %.200s", tc.name, status, body)
	}
	return body
}

func TestCRMAPI(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		token, _, _ := f.auth.CreateToken(context.Background(), f.admin.ID, "test")
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie", SIREN: "732829320", Status: crm.ClientActive}))
		perrin := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Boulangeries Perrin"}))
		site := must(f.crm.establishments.Save(ctx, acme.ID, 0, crm.EstablishmentInput{SIRET: "73282932000074", Name: "Usine", PostalCode: "69003", City: "Lyon"}))
		marie := must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &acme.ID, FirstName: "Marie", LastName: "Durand", Role: "hr_director",
			Emails: []string{"marie.durand@acme.fr"}, Phones: []crm.Phone{{Number: "01 23 45 67 89"}}}))
		forma := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus"}))
		note := must(f.crm.timeline.Add(ctx, crm.NewEntry{Kind: crm.KindNote, Title: "Besoin en comptabilité", Links: []crm.Ref{{Type: crm.RecordClient, ID: acme.ID}}}))
		task := must(f.crm.tasks.Create(ctx, crm.NewTask{Title: "Relancer", AssigneeID: &f.admin.ID, Links: []crm.Ref{{Type: crm.RecordClient, ID: acme.ID}}}))
		stray, _, _ := f.crm.calls.Log(ctx, crm.CallInput{Direction: "in", Number: "04 78 00 00 01"})
		other, _, _ := f.crm.calls.Log(ctx, crm.CallInput{Direction: "in", Number: "04 78 00 00 02"})

		a, c, m, p, s := acme.ID, marie.ID, forma.ID, perrin.ID, site.ID
		cases := []apiCase{
			// Clients.
			{"list clients", "GET", "/api/v1/clients?q=acme", "", 200, []string{`"total":1`, `"page":1`, `"per_page":50`, `"legal_name":"Acme Industrie"`, `"city":"Lyon"`}, []string{"Perrin"}},
			{"filter clients", "GET", "/api/v1/clients?status=prospect&per_page=1", "", 200, []string{`"total":1`, `"per_page":1`, "Perrin"}, []string{"Acme"}},
			{"SIREN search", "GET", "/api/v1/clients?q=732829320", "", 200, []string{`"total":1`, "Acme"}, nil},
			{"create client", "POST", "/api/v1/clients", `{"legal_name":"Cegos Clients","siren":"552 100 554","payment_terms_days":30}`, 201, []string{`"legal_name":"Cegos Clients"`, `"siren":"552100554"`, `"status":"prospect"`, `"payment_terms_days":30`}, nil},
			{"invalid client", "POST", "/api/v1/clients", `{"legal_name":"","siren":"123","payment_terms_days":90}`, 422, []string{`"code":"invalid"`, `"legal_name":`, `"siren":`, `"payment_terms_days":`}, nil},
			{"malformed JSON", "POST", "/api/v1/clients", `{"legal_name":`, 400, []string{`"code":"bad_request"`}, nil},
			{"get client", "GET", fmt.Sprintf("/api/v1/clients/%d", a), "", 200, []string{`"vat_number":"FR44732829320"`}, nil},
			{"missing client", "GET", "/api/v1/clients/999999", "", 404, []string{`"code":"not_found"`}, nil},
			{"update client, other fields kept", "PUT", fmt.Sprintf("/api/v1/clients/%d", a), `{"status":"former","billing_email":"Compta@Acme.fr"}`, 200, []string{`"status":"former"`, `"billing_email":"compta@acme.fr"`, `"siren":"732829320"`}, nil},
			{"invalid update", "PUT", fmt.Sprintf("/api/v1/clients/%d", a), `{"status":"vip"}`, 422, []string{`"status":`}, nil},
			{"update missing client", "PUT", "/api/v1/clients/999999", `{"status":"active"}`, 404, nil, nil},
			// Establishments and departments.
			{"list establishments", "GET", fmt.Sprintf("/api/v1/clients/%d/establishments", a), "", 200, []string{`"siret":"73282932000074"`, `"commune_code":"69123"`}, nil},
			{"establishments of a missing client", "GET", "/api/v1/clients/999999/establishments", "", 404, nil, nil},
			{"create establishment", "POST", fmt.Sprintf("/api/v1/clients/%d/establishments", a), `{"siret":"73282932000017","name":"Siège","postal_code":"75008","city":"Paris","head_office":true}`, 201, []string{`"name":"Siège"`, `"head_office":true`}, nil},
			{"invalid establishment", "POST", fmt.Sprintf("/api/v1/clients/%d/establishments", a), `{"siret":"123"}`, 422, []string{`"siret":`}, nil},
			{"duplicate SIRET", "POST", fmt.Sprintf("/api/v1/clients/%d/establishments", a), `{"siret":"73282932000074"}`, 409, []string{`"code":"conflict"`}, nil},
			{"update establishment", "PUT", fmt.Sprintf("/api/v1/clients/%d/establishments/%d", a, s), `{"billing":true}`, 200, []string{`"billing":true`, `"name":"Usine"`}, nil},
			{"establishment of another client", "PUT", fmt.Sprintf("/api/v1/clients/%d/establishments/%d", p, s), `{"billing":true}`, 404, nil, nil},
			{"add department", "POST", fmt.Sprintf("/api/v1/clients/%d/departments", a), `{"name":"Comptabilité"}`, 201, []string{`"name":"Comptabilité"`}, nil},
			{"empty department", "POST", fmt.Sprintf("/api/v1/clients/%d/departments", a), `{"name":" "}`, 422, []string{`"department":`}, nil},
			{"list departments", "GET", fmt.Sprintf("/api/v1/clients/%d/departments", a), "", 200, []string{`"items":[{`, "Comptabilité"}, nil},
			{"departments of a missing client", "POST", "/api/v1/clients/999999/departments", `{"name":"X"}`, 404, nil, nil},
			// Contacts.
			{"client contacts", "GET", fmt.Sprintf("/api/v1/clients/%d/contacts", a), "", 200, []string{`"last_name":"Durand"`, `"primary_email":"marie.durand@acme.fr"`, `"primary_phone":"+33123456789"`}, nil},
			{"contacts of a missing client", "GET", "/api/v1/clients/999999/contacts", "", 404, nil, nil},
			{"add client contact", "POST", fmt.Sprintf("/api/v1/clients/%d/contacts", a), `{"last_name":"Martin","first_name":"Paul","role":"manager","phones":[{"number":"06 12 34 56 78","label":"mobile"}],"provider_id":1}`, 201, []string{`"phones":[{"number":"+33612345678","label":"mobile"}]`, `"active":true`}, []string{`"provider_id"`}},
			{"invalid client contact", "POST", fmt.Sprintf("/api/v1/clients/%d/contacts", a), `{"last_name":"","role":"trainer","emails":["x@"]}`, 422, []string{`"last_name":`, `"role":`, `"emails":`}, nil},
			{"contacts of a missing provider", "POST", "/api/v1/providers/999999/contacts", `{"last_name":"X"}`, 404, nil, nil},
			{"add provider contact", "POST", fmt.Sprintf("/api/v1/providers/%d/contacts", m), `{"last_name":"Lefèvre","role":"trainer"}`, 201, []string{fmt.Sprintf(`"provider_id":%d`, m), `"role":"trainer"`}, nil},
			{"invalid provider contact", "POST", fmt.Sprintf("/api/v1/providers/%d/contacts", m), `{"last_name":"X","role":"hr_director"}`, 422, []string{`"role":`}, nil},
			{"search contacts", "GET", "/api/v1/contacts?q=durand", "", 200, []string{`"total":1`, `"owner_name":"Acme Industrie"`}, nil},
			{"provider side", "GET", "/api/v1/contacts?side=provider", "", 200, []string{"Lefèvre"}, []string{"Durand"}},
			{"contacts by role", "GET", "/api/v1/contacts?role=manager", "", 200, []string{"Martin"}, []string{"Durand"}},
			{"get contact", "GET", fmt.Sprintf("/api/v1/contacts/%d", c), "", 200, []string{`"emails":["marie.durand@acme.fr"]`}, nil},
			{"missing contact", "GET", "/api/v1/contacts/999999", "", 404, nil, nil},
			{"update contact, channels kept", "PUT", fmt.Sprintf("/api/v1/contacts/%d", c), `{"job_title":"DRH groupe","client_id":999}`, 200, []string{`"job_title":"DRH groupe"`, `"number":"+33123456789"`, fmt.Sprintf(`"client_id":%d`, a)}, nil},
			{"invalid contact update", "PUT", fmt.Sprintf("/api/v1/contacts/%d", c), `{"phones":[{"number":"12"}]}`, 422, []string{`"phones":`}, nil},
			{"update missing contact", "PUT", "/api/v1/contacts/999999", `{}`, 404, nil, nil},
			// Providers.
			{"list providers", "GET", "/api/v1/providers?q=forma", "", 200, []string{`"total":1`, "Forma Plus"}, nil},
			{"create provider", "POST", "/api/v1/providers", `{"name":"Cegos"}`, 201, []string{`"name":"Cegos"`}, nil},
			{"invalid provider", "POST", "/api/v1/providers", `{"name":""}`, 422, []string{`"name":`}, nil},
			{"get provider", "GET", fmt.Sprintf("/api/v1/providers/%d", m), "", 200, []string{"Forma Plus"}, nil},
			{"missing provider", "GET", "/api/v1/providers/999999", "", 404, nil, nil},
			// Employees.
			{"upsert employee", "PUT", fmt.Sprintf("/api/v1/clients/%d/employees/A%%2F01", a), `{"last_name":"Durand","first_name":"Marie","hire_date":"2020-09-01","department_name":"Atelier","establishment":"Usine"}`, 201, []string{`"outcome":"inserted"`, `"external_id":"A/01"`, `"department":"Atelier"`, `"establishment":"Usine"`, `"hire_date":"2020-09-01T00:00:00Z"`}, nil},
			{"same employee again", "PUT", fmt.Sprintf("/api/v1/clients/%d/employees/A%%2F01", a), `{"last_name":"Durand","first_name":"Marie","hire_date":"2020-09-01","department_name":"Atelier","establishment":"Usine"}`, 200, []string{`"outcome":"unchanged"`}, nil},
			{"invalid employee", "PUT", fmt.Sprintf("/api/v1/clients/%d/employees/A02", a), `{"last_name":"","email":"x@"}`, 422, []string{`"last_name":`, `"email":`}, nil},
			{"employee bad date", "PUT", fmt.Sprintf("/api/v1/clients/%d/employees/A02", a), `{"last_name":"X","birth_date":"31/12/1980"}`, 400, nil, nil},
			{"employee of a missing client", "PUT", "/api/v1/clients/999999/employees/A01", `{"last_name":"X"}`, 404, nil, nil},
			{"import employees", "POST", fmt.Sprintf("/api/v1/clients/%d/employees/import", a), "Matricule;Nom;Prénom\nA/01;Durand;Marie\nB02;;Paul\nB03;Leroy;Luc\n", 200, []string{`"inserted":1`, `"updated":1`, `"rejected":1`, `"line":3`, `"raw":"B02;;Paul"`}, nil},
			{"import without columns", "POST", fmt.Sprintf("/api/v1/clients/%d/employees/import", a), "Nom\nDurand\n", 422, []string{`"file":`, "matricule"}, nil},
			{"import for a missing client", "POST", "/api/v1/clients/999999/employees/import", "Matricule;Nom\nA;B\n", 404, nil, nil},
			{"list employees", "GET", fmt.Sprintf("/api/v1/clients/%d/employees?q=leroy", a), "", 200, []string{`"total":1`, `"last_name":"Leroy"`}, []string{"Durand"}},
			{"employees of a missing client", "GET", "/api/v1/clients/999999/employees", "", 404, nil, nil},
			// Timeline.
			{"client timeline", "GET", fmt.Sprintf("/api/v1/timeline?record_type=client&record_id=%d", a), "", 200, []string{"Besoin en comptabilité", `"more":false`, `"links":[{"type":"client"`}, nil},
			{"timeline search", "GET", "/api/v1/timeline?q=COMPTABILITE", "", 200, []string{"Besoin en comptabilité"}, nil},
			{"timeline kinds", "GET", "/api/v1/timeline?kind=meeting&kind=call", "", 200, []string{`"kind":"call"`}, []string{"Besoin en comptabilité"}},
			{"add meeting", "POST", "/api/v1/timeline", fmt.Sprintf(`{"kind":"meeting","title":"Lancement","occurred_at":"2026-03-02T10:00:00+01:00","links":[{"type":"contact","id":%d}]}`, c), 201, []string{`"kind":"meeting"`, `"occurred_at":"2026-03-02T09:00:00Z"`, `"author_name":"Claire Moreau"`}, nil},
			{"with contacts", "GET", fmt.Sprintf("/api/v1/timeline?record_type=client&record_id=%d&with_contacts=true", a), "", 200, []string{"Lancement", "Besoin en comptabilité"}, nil},
			{"without contacts", "GET", fmt.Sprintf("/api/v1/timeline?record_type=client&record_id=%d", a), "", 200, []string{"Besoin en comptabilité"}, []string{"Lancement"}},
			{"invalid entry", "POST", "/api/v1/timeline", `{"kind":"email_in","links":[]}`, 422, []string{`"kind":`, `"body":`, `"links":`}, nil},
			{"entry linked to a missing record", "POST", "/api/v1/timeline", `{"kind":"note","body":"x","links":[{"type":"client","id":999999}]}`, 404, nil, nil},
			{"link entry", "POST", fmt.Sprintf("/api/v1/timeline/%d/links", note.ID), fmt.Sprintf(`{"links":[{"type":"provider","id":%d}]}`, m), 200, []string{`"type":"provider"`, `"type":"client"`}, nil},
			{"link nothing", "POST", fmt.Sprintf("/api/v1/timeline/%d/links", note.ID), `{"links":[]}`, 422, []string{`"links":`}, nil},
			{"link a missing entry", "POST", "/api/v1/timeline/999999/links", fmt.Sprintf(`{"links":[{"type":"client","id":%d}]}`, a), 404, nil, nil},
			// Tasks.
			{"my tasks", "GET", "/api/v1/tasks?assignee_id=me", "", 200, []string{"Relancer"}, nil},
			{"create task", "POST", "/api/v1/tasks", fmt.Sprintf(`{"title":"Envoyer la convention","due_on":"2026-04-01","assignee_id":%d,"links":[{"type":"contact","id":%d}]}`, f.cons.ID, c), 201, []string{`"due_on":"2026-04-01T00:00:00Z"`, `"assignee_name":"Julien Lefèvre"`}, nil},
			{"tasks of a contact", "GET", fmt.Sprintf("/api/v1/tasks?record_type=contact&record_id=%d", c), "", 200, []string{"Envoyer la convention"}, []string{"Relancer"}},
			{"invalid task", "POST", "/api/v1/tasks", `{"title":" "}`, 422, []string{`"title":`}, nil},
			{"task done", "POST", fmt.Sprintf("/api/v1/tasks/%d/done", task.ID), "", 200, []string{`"done_at":"`}, nil},
			{"open tasks only", "GET", "/api/v1/tasks?assignee_id=me&open_only=true", "", 200, []string{`"items":[]`}, nil},
			{"task undone", "POST", fmt.Sprintf("/api/v1/tasks/%d/undone", task.ID), "", 200, []string{`"title":"Relancer"`}, []string{`"done_at"`}},
			{"missing task", "POST", "/api/v1/tasks/999999/done", "", 404, nil, nil},
			// Calls.
			{"log call", "POST", "/api/v1/calls", `{"direction":"out","number":"01 23 45 67 89","duration_s":270,"outcome":"answered","note":"Devis accepté","started_at":"2026-03-10T10:15:00+01:00"}`, 201, []string{fmt.Sprintf(`"contact_id":%d`, c), `"contact_name":"Marie Durand"`, `"number":"+33123456789"`, `"triage":"none"`}, nil},
			{"invalid call", "POST", "/api/v1/calls", `{"direction":"sideways","number":"12","outcome":"maybe"}`, 422, []string{`"direction":`, `"number":`, `"outcome":`}, nil},
			{"call of a missing contact", "POST", "/api/v1/calls", `{"direction":"out","contact_id":999999}`, 404, nil, nil},
			{"calls of a contact", "GET", fmt.Sprintf("/api/v1/calls?record_type=contact&record_id=%d", c), "", 200, []string{"Devis accepté", `"duration_s":270`}, []string{"Lancement"}},
			{"triage", "GET", "/api/v1/calls/triage", "", 200, []string{`"number":"+33478000001"`, `"triage":"pending"`}, nil},
			{"assign", "POST", fmt.Sprintf("/api/v1/calls/%d/assign", stray.ID), fmt.Sprintf(`{"contact_id":%d,"remember_number":true}`, c), 200, []string{`"triage":"none"`, `"contact_name":"Marie Durand"`}, nil},
			{"assign without contact", "POST", fmt.Sprintf("/api/v1/calls/%d/assign", other.ID), `{}`, 422, []string{`"contact_id":`}, nil},
			{"assign a missing call", "POST", "/api/v1/calls/999999/assign", fmt.Sprintf(`{"contact_id":%d}`, c), 404, nil, nil},
			{"dismiss", "POST", fmt.Sprintf("/api/v1/calls/%d/dismiss", other.ID), "", 200, []string{`"triage":"dismissed"`}, nil},
			{"dismiss again", "POST", fmt.Sprintf("/api/v1/calls/%d/dismiss", other.ID), "", 404, nil, nil},
			{"triage emptied", "GET", "/api/v1/calls/triage", "", 200, []string{`"items":[]`}, nil},
			{"unknown endpoint", "GET", "/api/v1/clients/1/nothing", "", 404, []string{`"code":"not_found"`}, nil},
			{"not an id", "GET", "/api/v1/contacts/abc", "", 404, nil, nil},
		}
		for _, tc := range cases {
			tc.check(t, f.app, token)
		}
		// The number assigned with remember_number now finds Marie by itself.
		next, _, _ := f.crm.calls.Log(ctx, crm.CallInput{Direction: "in", Number: "+33478000001", StartedAt: time.Now()})
		if next.ContactID == nil || *next.ContactID != marie.ID {
			t.Errorf("remembered number not matched: %+v", next)
		}
	})
}
