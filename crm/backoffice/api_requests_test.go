package backoffice_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/backoffice"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

// flowServices are the services of the "need to session" flow, beside the
// fixture's.
type flowServices struct {
	requests      *crm.Requests
	consultations *crm.Consultations
	proposals     *crm.Proposals
	bookings      *crm.Bookings
}

// setupFlow is setup with the request, consultation, proposal and booking
// services wired into the app; consultations mail through the fixture's
// recorder, with links to http://extranet.test/reponse/.
func setupFlow(t *testing.T, d *db.DB) (fixture, flowServices) {
	t.Helper()
	f := setup(t, d)
	cons, err := crm.NewConsultations(d, crm.ConsultationConfig{Mail: f.crm.mail, Blobs: f.crm.blobs,
		Secret: []byte("consultation-link-key-0123456789"), FormURL: "http://extranet.test/reponse/"})
	if err != nil {
		t.Fatal(err)
	}
	s := flowServices{requests: crm.NewRequests(d), consultations: cons, proposals: crm.NewProposals(d, f.crm.mail), bookings: crm.NewBookings(d)}
	deps := f.deps
	deps.Requests, deps.Consultations, deps.Proposals, deps.Bookings = s.requests, s.consultations, s.proposals, s.bookings
	f.app, err = backoffice.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	return f, s
}

var answerLink = regexp.MustCompile(`http://extranet\.test/reponse/(\S+)`)

// TestRequestFlowAPI walks a need to a rated session through the API only:
// request, three providers consulted, answers and a decline recorded,
// comparison, retention, proposal sent and accepted on the client's behalf,
// funding, booking, attendance, completion and rating; with the refusals
// (422 on the field), unknown ids (404) and missing tokens (401) on the way.
func TestRequestFlowAPI(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f, s := setupFlow(t, d)
		ctx := staffCtx(f.admin.ID)
		token, _, _ := f.auth.CreateToken(context.Background(), f.admin.ID, "test")
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie", Status: crm.ClientActive}))
		marie := must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &acme.ID, FirstName: "Marie", LastName: "Durand",
			Role: "hr_director", Emails: []string{"marie.durand@acme.fr"}}))
		lea, _, _ := f.crm.employees.Upsert(ctx, acme.ID, crm.EmployeeInput{ExternalID: "A1", FirstName: "Léa", LastName: "Roux"})
		tom, _, _ := f.crm.employees.Upsert(ctx, acme.ID, crm.EmployeeInput{ExternalID: "A2", FirstName: "Tom", LastName: "Blanc"})
		lyon := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Lyon Formation", PostalCode: "69003", City: "Lyon",
			Email: "devis@lyonformation.fr", QualiopiActions: true}))
		forma := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus", Email: "contact@formaplus.fr"}))
		paris := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Paris Compétences", Email: "devis@pariscompetences.fr"}))
		mute := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Sans Adresse"}))
		parisItem := must(f.crm.shortlists.Add(ctx, f.admin.ID, paris.ID, nil, "excel", ""))
		theirItem := must(f.crm.shortlists.Add(ctx, f.cons.ID, mute.ID, nil, "excel", ""))

		// run checks one case as TestCRMAPI does, and returns the body.
		run := func(tc apiCase) string {
			t.Helper()
			return tc.check(t, f.app, token)
		}
		runAll := func(cases []apiCase) {
			t.Helper()
			for _, tc := range cases {
				run(tc)
			}
		}
		var created struct {
			ID    int64 `json:"id"`
			Items []struct {
				ID         int64 `json:"id"`
				ProviderID int64 `json:"provider_id"`
			} `json:"items"`
			Slots []struct {
				ID int64 `json:"id"`
			} `json:"slots"`
		}
		decode := func(body string) {
			t.Helper()
			created.Items, created.Slots = nil, nil
			if err := json.Unmarshal([]byte(body), &created); err != nil {
				t.Fatalf("decode %.200s: %v", body, err)
			}
		}

		// The request.
		later := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
		decode(run(apiCase{"create request", "POST", "/api/v1/requests", fmt.Sprintf(`{"client_id":%d,"contact_id":%d,"topic":"Excel avancé",
			"objectives":"Tableaux croisés","place":"Lyon","trainees":2,"budget_cents":300000,"period_from":"%s"}`, acme.ID, marie.ID, later), 201,
			[]string{`"topic":"Excel avancé"`, `"stage":"qualifying"`, `"channel":"api"`, `"commune_code":"69123"`, `"period_from":"` + later + `"`,
				`"period_to":null`, `"budget_cents":300000`, `"client_name":"Acme Industrie"`, `"history":[]`, `"can_book":false`,
				`{"track":"request","to":"cancelled","needs_reason":true,"needs_amount":false}`, `{"track":"funding","to":"requested"`,
				fmt.Sprintf(`"owner_id":%d`, f.admin.ID)}, nil}))
		req := created.ID
		r := func(format string, args ...any) string {
			return fmt.Sprintf("/api/v1/requests/%d"+format, append([]any{req}, args...)...)
		}
		runAll([]apiCase{
			{"invalid request", "POST", "/api/v1/requests", `{"topic":" ","kind":"solo","priority":"asap"}`, 422, []string{`"client_id":`, `"topic":`, `"kind":`, `"priority":`}, nil},
			{"request of a missing client", "POST", "/api/v1/requests", `{"client_id":999999,"topic":"X"}`, 404, nil, nil},
			{"bad period", "POST", "/api/v1/requests", fmt.Sprintf(`{"client_id":%d,"topic":"X","period_from":"01/12/2026"}`, acme.ID), 400, nil, nil},
			{"list requests", "GET", "/api/v1/requests?q=excel&owner_id=me", "", 200, []string{`"total":1`, `"per_page":50`, `"topic":"Excel avancé"`}, nil},
			{"filter requests", "GET", fmt.Sprintf("/api/v1/requests?client_id=%d&sourcing=consulting", acme.ID), "", 200, []string{`"total":0`, `"items":[]`}, nil},
			{"bad owner", "GET", "/api/v1/requests?owner_id=her", "", 422, []string{`"owner_id":`}, nil},
			{"update request, other fields kept", "PUT", r(""), `{"priority":"high","period_to":"2027-03-31"}`, 200,
				[]string{`"priority":"high"`, `"topic":"Excel avancé"`, `"period_to":"2027-03-31"`, `"period_from":"` + later + `"`}, nil},
			{"invalid update", "PUT", r(""), `{"trainees":-1}`, 422, []string{`"trainees":`}, nil},
			{"update missing request", "PUT", "/api/v1/requests/999999", `{"priority":"low"}`, 404, nil, nil},
			{"missing request", "GET", "/api/v1/requests/999999", "", 404, []string{`"code":"not_found"`}, nil},
			{"refused move", "POST", r("/advance"), `{"track":"sourcing","to":"proposal_sent"}`, 422, []string{`"code":"invalid"`, `"sourcing":`}, nil},
			{"automatic move", "POST", r("/advance"), `{"track":"sourcing","to":"consulting"}`, 422, []string{`"sourcing":`}, nil},
			{"move without track", "POST", r("/advance"), `{"to":"x"}`, 422, []string{`"track":`}, nil},
			{"cancel without reason", "POST", r("/advance"), `{"track":"request","to":"cancelled"}`, 422, []string{`"reason":`}, nil},
			{"cancel", "POST", r("/advance"), `{"track":"request","to":"cancelled","reason":"Doublon"}`, 200,
				[]string{`"status":"cancelled"`, `"stage":"cancelled"`, `"moves":[{"track":"request","to":"open"`, `"reason":"Doublon"`, `"by_name":"Claire Moreau"`}, nil},
			{"consult a cancelled request", "POST", r("/consultations"), fmt.Sprintf(`{"targets":[{"provider_id":%d}]}`, lyon.ID), 422, []string{`"status":`}, nil},
			{"reopen", "POST", r("/advance"), `{"track":"request","to":"open"}`, 200, []string{`"status":"open"`, `"stage":"qualifying"`}, nil},
			{"advance a missing request", "POST", "/api/v1/requests/999999/advance", `{"track":"request","to":"cancelled","reason":"x"}`, 404, nil, nil},
		})

		// Three providers consulted in one call: two by id, one from the shortlist.
		due := time.Now().Add(5 * 24 * time.Hour).UTC().Format(time.RFC3339)
		runAll([]apiCase{
			{"consult nobody", "POST", r("/consultations"), `{}`, 422, []string{`"targets":`}, nil},
			{"consult without address", "POST", r("/consultations"), fmt.Sprintf(`{"targets":[{"provider_id":%d}]}`, mute.ID), 422, []string{`"targets":`}, nil},
			{"consult from another user's shortlist", "POST", r("/consultations"), fmt.Sprintf(`{"shortlist_item_ids":[%d]}`, theirItem.ID), 404, nil, nil},
			{"consult a missing provider", "POST", r("/consultations"), `{"targets":[{"provider_id":999999}]}`, 404, nil, nil},
			{"due date past", "POST", r("/consultations"), fmt.Sprintf(`{"targets":[{"provider_id":%d}],"due_at":"2020-01-01"}`, lyon.ID), 422, []string{`"due_at":`}, nil},
			{"consultations of a missing request", "GET", "/api/v1/requests/999999/consultations", "", 404, nil, nil},
		})
		if n := len(f.mail.Messages()); n != 0 {
			t.Fatalf("refused consultations mailed %d messages", n)
		}
		decode(run(apiCase{"consult", "POST", r("/consultations"), fmt.Sprintf(`{"targets":[{"provider_id":%d},{"provider_id":%d}],
			"shortlist_item_ids":[%d],"due_at":"%s","message":"Groupe intermédiaire."}`, lyon.ID, forma.ID, parisItem.ID, due), 201,
			[]string{`"provider_name":"Lyon Formation"`, `"provider_name":"Forma Plus"`, `"provider_name":"Paris Compétences"`,
				`"status":"sent"`, `"overdue":false`, `"message":"Groupe intermédiaire."`, `"sent_at":"`}, []string{"token"}}))
		if len(created.Items) != 3 {
			t.Fatalf("consultations: %+v", created.Items)
		}
		byProvider := map[int64]int64{}
		for _, it := range created.Items {
			byProvider[it.ProviderID] = it.ID
		}
		kLyon, kForma, kParis := byProvider[lyon.ID], byProvider[forma.ID], byProvider[paris.ID]
		var tokens []string
		for _, m := range f.mail.Messages() {
			if l := answerLink.FindStringSubmatch(m.Text); l != nil {
				tokens = append(tokens, l[1])
			}
		}
		if len(tokens) != 3 {
			t.Fatalf("%d answer links mailed, want 3", len(tokens))
		}
		k := func(id int64, format string) string { return fmt.Sprintf("/api/v1/consultations/%d%s", id, format) }
		programme := []byte("%PDF-1.4 programme Excel avancé")
		cases := []apiCase{
			{"consult twice", "POST", r("/consultations"), fmt.Sprintf(`{"targets":[{"provider_id":%d}]}`, lyon.ID), 422, []string{`"targets":`}, nil},
			{"request consulting", "GET", r(""), "", 200, []string{`"sourcing":"consulting"`, `"stage":"sourcing"`, `"from":"qualifying","to":"consulting"`}, nil},
			{"list consultations", "GET", r("/consultations"), "", 200, []string{`"items":[{`, `"email":"devis@lyonformation.fr"`}, nil},
			{"unanswered", "GET", fmt.Sprintf("/api/v1/consultations/unanswered?request_id=%d&owner_id=me", req), "", 200, []string{`"total":3`}, nil},
			{"overdue only", "GET", "/api/v1/consultations/unanswered?overdue=true", "", 200, []string{`"total":0`}, nil},
			{"get consultation", "GET", k(kLyon, ""), "", 200, []string{`"request_topic":"Excel avancé"`, `"reminders":0`}, nil},
			{"missing consultation", "GET", k(999999, ""), "", 404, nil, nil},
			{"remind", "POST", k(kParis, "/remind"), "", 200, []string{`"reminders":1`, `"reminded_at":"`}, nil},
			{"remind with a past date", "POST", k(kParis, "/remind"), `{"due_at":"2020-01-01"}`, 422, []string{`"due_at":`}, nil},
			{"remind a missing consultation", "POST", k(999999, "/remind"), "", 404, nil, nil},
			{"invalid answer", "POST", k(kLyon, "/answer"), `{"via":"phone","price_cents":0,"vat_status":"maybe","dates_offered":["14/12/2026"]}`, 422,
				[]string{`"price_cents":`, `"vat_status":`, `"dates_offered":`}, nil},
			{"answer by fax", "POST", k(kLyon, "/answer"), `{"via":"fax","price_cents":100,"vat_status":"exempt"}`, 422, []string{`"via":`}, nil},
			{"answer by phone", "POST", k(kLyon, "/answer"), fmt.Sprintf(`{"via":"phone","price_cents":240000,"vat_status":"taxable",
				"dates_offered":["2027-01-14","2027-01-11"],"trainer":"Anne Morel","programme":{"filename":"programme.pdf","content":"%s"}}`,
				base64.StdEncoding.EncodeToString(programme)), 200,
				[]string{`"status":"answered"`, `"answered_via":"phone"`, `"price_cents":240000`, `"dates_offered":["2027-01-11","2027-01-14"]`,
					`"programme_filename":"programme.pdf"`, `"programme_type":"application/pdf"`, fmt.Sprintf(`"programme_size":%d`, len(programme))}, nil},
			{"answer twice", "POST", k(kLyon, "/answer"), `{"via":"email","price_cents":1,"vat_status":"exempt"}`, 422, []string{`"status":`}, nil},
			{"answer a missing consultation", "POST", k(999999, "/answer"), `{"via":"email","price_cents":1,"vat_status":"exempt"}`, 404, nil, nil},
			{"answer by mail", "POST", k(kForma, "/answer"), `{"via":"email","price_cents":180000,"vat_status":"exempt","dates_offered":["2027-01-18"]}`, 200,
				[]string{`"answered_via":"email"`, `"vat_status":"exempt"`}, nil},
			{"decline without reason", "POST", k(kParis, "/decline"), `{"via":"phone"}`, 422, []string{`"reason":`}, nil},
			{"decline", "POST", k(kParis, "/decline"), `{"via":"phone","reason":"Pas de formateur"}`, 200, []string{`"status":"declined"`, `"decline_reason":"Pas de formateur"`}, nil},
			{"nothing unanswered", "GET", fmt.Sprintf("/api/v1/consultations/unanswered?request_id=%d", req), "", 200, []string{`"total":0`, `"items":[]`}, nil},
			{"quotes in", "GET", r(""), "", 200, []string{`"sourcing":"quotes_in"`}, nil},
			{"waiting: compare", "GET", "/api/v1/requests/waiting", "", 200, []string{`"action":"compare"`, `"topic":"Excel avancé"`}, nil},
			// Comparison and retention.
			{"compare", "GET", r("/comparison"), "", 200, []string{`"price_incl_vat_cents":180000`, `"price_incl_vat_cents":288000`, `"qualiopi":true`,
				`"answer_rate":1`, `"quality_score":100`}, nil},
			{"compare a missing request", "GET", "/api/v1/requests/999999/comparison", "", 404, nil, nil},
			{"not retained before retaining", "POST", r("/not-retained"), "", 422, []string{`"retained":`}, nil},
			{"not retained, missing request", "POST", "/api/v1/requests/999999/not-retained", "", 404, nil, nil},
			{"retain a decline", "POST", k(kParis, "/retain"), "", 422, []string{`"status":`}, nil},
			{"retain", "POST", k(kForma, "/retain"), "", 200, []string{`"retained":true`}, nil},
			{"retain a missing consultation", "POST", k(999999, "/retain"), "", 404, nil, nil},
			{"unretain", "POST", k(kForma, "/unretain"), "", 200, []string{`"retained":false`}, nil},
			{"retain again", "POST", k(kForma, "/retain"), "", 200, []string{`"retained":true`}, nil},
			{"not retained mails", "POST", r("/not-retained"), "", 200, []string{`"sent":1`}, nil},
			{"not retained mails, once", "POST", r("/not-retained"), "", 200, []string{`"sent":0`}, nil},
			{"waiting: propose", "GET", "/api/v1/requests/waiting", "", 200, []string{`"action":"propose"`}, nil},
		}
		runAll(cases)
		// The API never shows an answer link.
		for _, path := range []string{r("/consultations"), r("/comparison"), k(kLyon, ""), "/api/v1/consultations/unanswered"} {
			_, body := apiCall(t, f.app, "GET", path, "", token)
			for _, tok := range tokens {
				if sig := tok[strings.LastIndexByte(tok, '.')+1:]; strings.Contains(body, sig) {
					t.Errorf("%s shows an answer link's signature", path)
				}
			}
		}
		// The programme is downloaded as uploaded.
		if status, body := apiCall(t, f.app, "GET", k(kLyon, "/programme"), "", token); status != 200 || body != string(programme) {
			t.Errorf("programme: %d %q", status, body)
		}
		if status, _ := apiCall(t, f.app, "GET", k(kForma, "/programme"), "", token); status != 404 {
			t.Errorf("programme of an answer without one: %d", status)
		}
		if m, ok := f.mail.Last(); !ok || m.To[0].Address != "devis@lyonformation.fr" || !strings.Contains(m.Text, "retenu une autre offre") {
			t.Errorf("not retained mail: %+v", m)
		}

		// The proposal.
		validUntil := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
		line := func(id, price int64) string {
			return fmt.Sprintf(`{"contracting_mode":"subcontracting","lines":[{"consultation_id":%d,"client_price_cents":%d}],"valid_until":"%s"}`, id, price, validUntil)
		}
		runAll([]apiCase{
			{"proposal from an answer not retained", "POST", r("/proposals"), line(kLyon, 300000), 422, []string{`"lines":`}, nil},
			{"proposal below cost", "POST", r("/proposals"), line(kForma, 150000), 422, []string{`"client_price_cents":`}, nil},
			{"invalid proposal", "POST", r("/proposals"), `{"contracting_mode":"barter","valid_until":"2020-01-01"}`, 422,
				[]string{`"contracting_mode":`, `"lines":`, `"valid_until":`}, nil},
			{"proposal of a missing request", "POST", "/api/v1/requests/999999/proposals", line(kForma, 210000), 404, nil, nil},
		})
		decode(run(apiCase{"create proposal", "POST", r("/proposals"), line(kForma, 210000), 201,
			[]string{`"status":"draft"`, `"cost_cents":180000`, `"client_price_cents":210000`, `"fee_cents":30000`, `"valid_until":"` + validUntil + `"`,
				`"label":"Excel avancé"`, `"provider_name":"Forma Plus"`, `"expired":false`, `"on_behalf":false`}, nil}))
		prop := created.ID
		p := func(format string) string { return fmt.Sprintf("/api/v1/proposals/%d%s", prop, format) }
		bookBody := func(proposal int64, slots string) string {
			return fmt.Sprintf(`{"proposal_id":%d,"place":"Acme, Lyon","trainee_ids":[%d,%d],"slots":[%s]}`, proposal, lea.ID, tom.ID, slots)
		}
		slots := `{"day":"2027-01-18","half":"pm","start":"13:30","end":"17:00"},{"day":"2027-01-18","half":"am","start":"09:00","end":"12:30"}`
		runAll([]apiCase{
			{"accept a draft", "POST", p("/accept"), "", 422, []string{`"status":`}, nil},
			{"get proposal", "GET", p(""), "", 200, []string{`"contracting_mode":"subcontracting"`, `"lines":[{`}, nil},
			{"proposals of the request", "GET", r("/proposals"), "", 200, []string{fmt.Sprintf(`"id":%d`, prop)}, nil},
			{"proposals of a missing request", "GET", "/api/v1/requests/999999/proposals", "", 404, nil, nil},
			{"missing proposal", "GET", "/api/v1/proposals/999999", "", 404, nil, nil},
			{"send", "POST", p("/send"), "", 200, []string{`"status":"sent"`, `"sent_to":"marie.durand@acme.fr"`, `"mailed_at":"`}, nil},
			{"send twice", "POST", p("/send"), "", 422, []string{`"status":`}, nil},
			{"send a missing proposal", "POST", "/api/v1/proposals/999999/send", "", 404, nil, nil},
			{"pipeline", "GET", "/api/v1/pipeline?owner_id=me", "", 200, []string{`"stage":"proposal","items":[{`, `"in_stage_seconds":`, `"stage_since":"`,
				`{"stage":"qualifying","items":[]}`}, nil},
			{"book before acceptance", "POST", "/api/v1/bookings", bookBody(prop, slots), 422, []string{`"proposal_id":`}, nil},
			{"funding requested", "POST", r("/advance"), `{"track":"funding","to":"requested"}`, 200, []string{`"funding":"requested"`}, nil},
			{"decision by hand", "POST", r("/advance"), `{"track":"decision","to":"accepted"}`, 422, []string{`"decision":`}, nil},
			{"decline without reason", "POST", p("/decline"), `{}`, 422, []string{`"reason":`}, nil},
			{"accept on behalf", "POST", p("/accept"), "", 200, []string{`"status":"accepted"`, `"on_behalf":true`, `"decided_by_name":"Claire Moreau"`}, nil},
			{"accept a missing proposal", "POST", "/api/v1/proposals/999999/accept", "", 404, nil, nil},
			{"book while funding is pending", "POST", "/api/v1/bookings", bookBody(prop, slots), 422, []string{`"funding":`}, nil},
			{"funding agreed without amount", "POST", r("/advance"), `{"track":"funding","to":"agreed"}`, 422, []string{`"amount_cents":`}, nil},
			{"funding agreed", "POST", r("/advance"), `{"track":"funding","to":"agreed","amount_cents":150000}`, 200,
				[]string{`"funding":"agreed"`, `"funding_amount_cents":150000`, `"stage":"to_book"`, `"can_book":true`, `"amount_cents":150000`}, nil},
			{"waiting: book", "GET", "/api/v1/requests/waiting", "", 200, []string{`"action":"book"`}, nil},
			{"invalid booking", "POST", "/api/v1/bookings", bookBody(prop, `{"day":"2027-01-18","half":"am","start":"14:00","end":"12:00"}`), 422, []string{`"slots":`}, nil},
			{"booking of a missing proposal", "POST", "/api/v1/bookings", bookBody(999999, slots), 404, nil, nil},
			{"bad booking body", "POST", "/api/v1/bookings", `{"slots":[{"day":"18/01/2027"}]}`, 400, nil, nil},
		})

		// The booking, its attendance, completion and rating.
		decode(run(apiCase{"book", "POST", "/api/v1/bookings", bookBody(prop, slots), 201,
			[]string{`"status":"planned"`, `"price_cents":210000`, `"cost_cents":180000`, `"title":"Excel avancé"`, `"half":"am","start":"09:00","end":"12:30","day":"2027-01-18"`,
				`"minutes":210`, fmt.Sprintf(`"trainee_ids":[%d,%d]`, lea.ID, tom.ID)}, nil}))
		bk := created.ID
		sl := created.Slots
		b := func(format string) string { return fmt.Sprintf("/api/v1/bookings/%d%s", bk, format) }
		marks := func(status string) string {
			return fmt.Sprintf(`{"marks":[{"slot_id":%d,"employee_id":%d,"status":"present"},{"slot_id":%d,"employee_id":%d,"status":"present"},
				{"slot_id":%d,"employee_id":%d,"status":"present"},{"slot_id":%d,"employee_id":%d,"status":"%s"}]}`,
				sl[0].ID, lea.ID, sl[1].ID, lea.ID, sl[0].ID, tom.ID, sl[1].ID, tom.ID, status)
		}
		runAll([]apiCase{
			{"request booked", "GET", r(""), "", 200, []string{`"delivery":"booked"`, `"stage":"booked"`}, nil},
			{"list bookings", "GET", fmt.Sprintf("/api/v1/bookings?request_id=%d&from=2027-01-01&to=2027-01-31", req), "", 200,
				[]string{`"total":1`, `"provider_name":"Forma Plus"`}, []string{`"slots"`}},
			{"bookings out of range", "GET", "/api/v1/bookings?from=2027-02-01", "", 200, []string{`"total":0`}, nil},
			{"bad range", "GET", "/api/v1/bookings?from=janvier", "", 422, []string{`"from":`}, nil},
			{"get booking", "GET", b(""), "", 200, []string{`"slots":[{`, `"start":"09:00"`}, nil},
			{"missing booking", "GET", "/api/v1/bookings/999999", "", 404, nil, nil},
			{"confirm", "POST", b("/confirm"), "", 200, []string{`"status":"confirmed"`}, nil},
			{"confirm twice", "POST", b("/confirm"), "", 422, []string{`"status":`}, nil},
			{"rate before done", "PUT", b("/rating"), `{"satisfaction":4}`, 422, []string{`"status":`}, nil},
			{"empty sheet", "GET", b("/attendance"), "", 200, []string{`"complete":false`, `"name":"Léa Roux"`, `"marks":["",""]`, `"hours_planned":7`}, nil},
			{"attendance of a missing booking", "GET", "/api/v1/bookings/999999/attendance", "", 404, nil, nil},
			{"mark someone not booked", "PUT", b("/attendance"), fmt.Sprintf(`{"marks":[{"slot_id":%d,"employee_id":999999,"status":"present"}]}`, sl[0].ID), 422, []string{`"marks":`}, nil},
			{"no marks", "PUT", b("/attendance"), `{"marks":[]}`, 422, []string{`"marks":`}, nil},
			{"attendance", "PUT", b("/attendance"), marks("absent"), 200, []string{`"complete":true`, `"hours_attended":7`, `"hours_attended":3.5`, `"day":"2027-01-18"`}, nil},
			{"booking done", "GET", b(""), "", 200, []string{`"status":"done"`, `"done_at":"`}, nil},
			{"request done", "GET", r(""), "", 200, []string{`"delivery":"done"`, `"stage":"done"`, `"from":"booked","to":"done"`}, nil},
			{"invalid rating", "PUT", b("/rating"), `{"satisfaction":6}`, 422, []string{`"satisfaction":`}, nil},
			{"rate", "PUT", b("/rating"), `{"satisfaction":4}`, 200, []string{`"satisfaction":4`}, nil},
			{"rate a missing booking", "PUT", "/api/v1/bookings/999999/rating", `{"satisfaction":4}`, 404, nil, nil},
			{"provider quality", "GET", fmt.Sprintf("/api/v1/providers/%d", forma.ID), "", 200, []string{`"satisfaction":8`, `"quality_score":86`}, nil},
		})
		// Its documents: refused until the broker's identity is set, then made
		// from the recorded data; the certificates only for who attended.
		// (Léa present twice, Tom once: both get one; marks("absent").)
		runAll([]apiCase{
			{"documents before the broker's identity", "POST", b("/documents"), `{"kind":"agreement"}`, 422, []string{`"broker":`}, nil},
			{"broker identity, invalid", "PUT", "/api/v1/settings/broker", `{"legal_name":"","nda":"12"}`, 422, []string{`"legal_name":`, `"nda":`}, nil},
			{"broker identity", "PUT", "/api/v1/settings/broker", `{"legal_name":"Courtage Formation Conseil","city":"Lyon",
				"siret":"73282932000074","nda":"84691234569","nda_region":"Auvergne-Rhône-Alpes","vat_exempt":true,
				"representative":"Hélène Garnier","logo_sum":"ignored"}`, 200, []string{`"nda":"84691234569"`, `"vat_exempt":true`, `"logo_sum":""`}, nil},
			{"read broker identity", "GET", "/api/v1/settings/broker", "", 200, []string{`"legal_name":"Courtage Formation Conseil"`}, nil},
			{"unknown document kind", "POST", b("/documents"), `{"kind":"invoice"}`, 422, []string{`"kind":`}, nil},
			{"agreement", "POST", b("/documents"), `{"kind":"agreement"}`, 201, []string{`"kind":"agreement"`, `"immutable":true`, `"current_version":1`}, nil},
			{"agreement again, nothing changed", "POST", b("/documents"), `{"kind":"agreement"}`, 201, []string{`"current_version":1`}, nil},
			{"convocations", "POST", b("/documents"), `{"kind":"convocation"}`, 201, []string{`Léa Roux`, `Tom Blanc`}, nil},
			{"certificates", "POST", b("/documents"), `{"kind":"certificate"}`, 201, []string{`Léa Roux`, `Tom Blanc`}, []string{`"skipped"`}},
			{"certificate status", "GET", b("/certificates"), "", 200, []string{`"attended_minutes":420`, `"attended_minutes":210`}, []string{`"reason"`}},
			{"documents of a missing booking", "POST", "/api/v1/bookings/999999/documents", `{"kind":"agreement"}`, 404, nil, nil},
			{"quotation", "POST", fmt.Sprintf("/api/v1/proposals/%d/documents", prop), "", 201, []string{`"kind":"proposal"`}, nil},
			{"document style", "PUT", fmt.Sprintf("/api/v1/clients/%d/document-style", acme.ID), `{"language":"en","colour":"#AA0000","variants":{"convocation":"acme"}}`, 200,
				[]string{`"language":"en"`, `"colour":"#aa0000"`, `"convocation":"acme"`}, nil},
			{"unknown variant", "PUT", fmt.Sprintf("/api/v1/clients/%d/document-style", acme.ID), `{"variants":{"agreement":"nope"}}`, 422, []string{`"variants":`}, nil},
			{"read document style", "GET", fmt.Sprintf("/api/v1/clients/%d/document-style", acme.ID), "", 200, []string{`"language":"en"`}, nil},
		})
		consToken, _, _ := f.auth.CreateToken(context.Background(), f.cons.ID, "test")
		if status, _ := apiCall(t, f.app, "PUT", "/api/v1/settings/broker", `{"legal_name":"X"}`, consToken); status != 403 {
			t.Errorf("a consultant sets the broker's identity: %d", status)
		}
		// A second session, cancelled.
		decode(run(apiCase{"book again", "POST", "/api/v1/bookings", bookBody(prop, `{"day":"2027-02-01","half":"am","start":"09:00","end":"12:00"}`), 201, nil, nil}))
		second := fmt.Sprintf("/api/v1/bookings/%d", created.ID)
		runAll([]apiCase{
			{"booked again", "GET", r(""), "", 200, []string{`"stage":"booked"`}, nil},
			{"cancel without reason", "POST", second + "/cancel", `{}`, 422, []string{`"reason":`, `"cost_bearer":`}, nil},
			{"cancel", "POST", second + "/cancel", `{"reason":"Grève","cost_bearer":"provider"}`, 200,
				[]string{`"status":"cancelled"`, `"cancel_reason":"Grève"`, `"cancel_cost_bearer":"provider"`}, nil},
			{"attendance on a cancelled session", "PUT", second + "/attendance", fmt.Sprintf(`{"marks":[{"slot_id":1,"employee_id":%d,"status":"present"}]}`, lea.ID), 422, []string{`"status":`}, nil},
			{"rate a cancelled session", "PUT", second + "/rating", `{"satisfaction":5}`, 422, []string{`"status":`}, nil},
			{"done again", "GET", r(""), "", 200, []string{`"stage":"done"`}, nil},
			{"cancel a missing booking", "POST", "/api/v1/bookings/999999/cancel", `{"reason":"x","cost_bearer":"client"}`, 404, nil, nil},
		})
		// What the API did is in the request's history, and the consultations
		// answered through it count for the providers.
		hist, _ := s.requests.History(ctx, req)
		if len(hist) < 10 {
			t.Errorf("history: %d changes", len(hist))
		}
	})
}
