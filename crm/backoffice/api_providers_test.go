package backoffice_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

func TestProviderSearchAPI(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ids := searchFixture(t, f, d)
		token, _, _ := f.auth.CreateToken(context.Background(), f.admin.ID, "test")
		consToken, _, _ := f.auth.CreateToken(context.Background(), f.cons.ID, "test")
		theirs := must(f.crm.shortlists.Add(context.Background(), f.cons.ID, ids["paris"], nil, "compta", ""))

		lyon, remote, black := ids["lyon"], ids["remote"], ids["blacklisted"]
		lyonCourse, parisCourse := ids["lyon/0"], ids["paris/0"]
		courses := "NDA;Référence;Intitulé;Villes;Prix par stagiaire HT\n84690000001;SST1;Sauveteur secouriste du travail;69123;250\n99999999999;X;Inconnu;69123;1\n"
		cases := []apiCase{
			// Providers.
			{"providers by status", "GET", "/api/v1/providers?status=to_verify", "", 200, []string{`"total":1`, "E-Formation Directe"}, []string{"Institut"}},
			{"providers by region and department", "GET", "/api/v1/providers?region=84&department=69&per_page=10", "", 200,
				[]string{`"total":3`, "Institut Lumière Gestion", "Rhône Gestion Conseil", `"per_page":10`}, []string{"Paris Finance"}},
			{"provider with provenance", "GET", fmt.Sprintf("/api/v1/providers/%d", lyon), "", 200,
				[]string{`"provenance":{`, `"name":{"source":"staff","at":"`, `"qualiopi_confirmed":"`, `"qualiopi_confirmed_on":"`, `"region_code":"84"`, `"quality_score":85`}, nil},
			{"update provider with a full-date", "PUT", fmt.Sprintf("/api/v1/providers/%d", lyon), `{"qualiopi_confirmed_on":"2026-03-01","tags":"Compta, Paie"}`, 200,
				[]string{`"qualiopi_confirmed_on":"2026-03-01T00:00:00Z"`, `"tags":"compta paie"`, `"name":"Institut Lumière Gestion"`, `"tags":{"source":"staff"`}, nil},
			{"blacklist without reason", "PUT", fmt.Sprintf("/api/v1/providers/%d", lyon), `{"status":"blacklisted"}`, 422, []string{`"status_reason":`}, nil},
			{"bad provider date", "PUT", fmt.Sprintf("/api/v1/providers/%d", lyon), `{"fiscal_start":"01/01/2025"}`, 400, nil, nil},
			{"create provider", "POST", "/api/v1/providers", `{"name":"Cegos","siret":"55210055400104","last_declaration_on":"2026-02-01"}`, 201,
				[]string{`"siren":"552100554"`, `"last_declaration_on":"2026-02-01T00:00:00Z"`, `"qualiopi_confirmed":null`}, nil},
			{"invalid provider", "POST", "/api/v1/providers", `{"name":"X","siret":"123"}`, 422, []string{`"siret":`}, nil},
			// Search.
			{"search", "GET", "/api/v1/providers/search?q=comptabilite&near=69123&radius_km=30", "", 200,
				[]string{`"total":3`, `"limit":20`, `"offset":0`, `"weights":{"text":0.5,"distance":0.2,"price":0.1,"quality":0.1,"qualiopi":0.1}`,
					`"why":{`, `"matches":[{"term":"comptabilite","fields":["title","nsf","objectives"]}]`, `"place":"Lyon"`, `"distance_km":0`,
					`"qualiopi_valid":true`, `"price_trainee_cents":95000`, `"components":{"text":0.5,`, `"provenance":`},
				[]string{"Compta Express", "Paris Finance", `"Text":`}},
			{"search filters", "GET", "/api/v1/providers/search?q=comptabilite&cpf=true&max_price_cents=50000&modality=remote&language=fr", "", 200,
				[]string{`"total":1`, "E-Formation Directe", `"cpf":true`, `"certification":"RNCP35185"`}, []string{"Institut"}},
			{"search paging", "GET", "/api/v1/providers/search?q=comptabilite&limit=1&offset=1", "", 200, []string{`"total":4`, `"limit":1`, `"offset":1`}, nil},
			{"search by NSF and region", "GET", "/api/v1/providers/search?nsf=31&region=11", "", 200, []string{`"total":1`, "Académie Paris Finance"}, nil},
			{"search Qualiopi", "GET", "/api/v1/providers/search?q=comptabilite&qualiopi=actions", "", 200, []string{`"total":2`}, []string{"E-Formation"}},
			{"unknown Qualiopi category", "GET", "/api/v1/providers/search?qualiopi=gold", "", 422, []string{`"qualiopi":`}, nil},
			{"unknown place", "GET", "/api/v1/providers/search?q=x&near=99999", "", 422, []string{`"near":`}, nil},
			{"bad radius", "GET", "/api/v1/providers/search?near=69123&radius_km=far", "", 422, []string{`"radius_km":`}, nil},
			{"bad price", "GET", "/api/v1/providers/search?max_price_cents=12.5", "", 422, []string{`"max_price_cents":`}, nil},
			{"bad limit", "GET", "/api/v1/providers/search?limit=-1", "", 422, []string{`"limit":`}, nil},
			// Courses.
			{"courses of a provider", "GET", fmt.Sprintf("/api/v1/providers/%d/courses", lyon), "", 200,
				[]string{`"items":[{`, "Comptabilité générale : les fondamentaux", "Excel : niveau avancé", `"communes":["69123"]`, `"languages":["fr"]`}, nil},
			{"courses of a missing provider", "GET", "/api/v1/providers/999999/courses", "", 404, nil, nil},
			{"create course", "POST", fmt.Sprintf("/api/v1/providers/%d/courses", lyon),
				`{"title":"Paie : les bases","ref":"PAIE1","price_trainee_cents":110000,"communes":["69123","69266"],"next_sessions":["2026-09-15"],"last_confirmed_on":"2026-03-01","cpf":true,"certification":"rs 5436"}`, 201,
				[]string{`"title":"Paie : les bases"`, `"provider_name":"Institut Lumière Gestion"`, `"communes":["69123","69266"]`, `"last_confirmed_on":"2026-03-01T00:00:00Z"`, `"certification":"RS5436"`}, nil},
			{"invalid course", "POST", fmt.Sprintf("/api/v1/providers/%d/courses", lyon), `{"title":"","modality":"vr","price_trainee_cents":-1,"communes":["00000"]}`, 422,
				[]string{`"title":`, `"modality":`, `"price":`, `"communes":`}, nil},
			{"course of a missing provider", "POST", "/api/v1/providers/999999/courses", `{"title":"X"}`, 404, nil, nil},
			{"get course", "GET", fmt.Sprintf("/api/v1/courses/%d", lyonCourse), "", 200, []string{`"price_trainee_cents":95000`, fmt.Sprintf(`"provider_id":%d`, lyon)}, nil},
			{"update course, other fields kept", "PUT", fmt.Sprintf("/api/v1/courses/%d", lyonCourse), `{"price_trainee_cents":99000,"last_confirmed_on":"2026-04-02"}`, 200,
				[]string{`"price_trainee_cents":99000`, `"title":"Comptabilité générale : les fondamentaux"`, `"communes":["69123"]`, `"last_confirmed_on":"2026-04-02T00:00:00Z"`}, nil},
			{"invalid course update", "PUT", fmt.Sprintf("/api/v1/courses/%d", lyonCourse), `{"nsf_code":"999"}`, 422, []string{`"nsf_code":`}, nil},
			{"missing course", "GET", "/api/v1/courses/999999", "", 404, nil, nil},
			{"update missing course", "PUT", "/api/v1/courses/999999", `{"title":"X"}`, 404, nil, nil},
			// Shortlist.
			{"empty shortlist", "GET", "/api/v1/shortlist", "", 200, []string{`"items":[]`}, nil},
			{"shortlist a course", "POST", "/api/v1/shortlist", fmt.Sprintf(`{"provider_id":%d,"course_id":%d,"query":"comptabilite"}`, lyon, lyonCourse), 201,
				[]string{`"provider_name":"Institut Lumière Gestion"`, `"course_title":"Comptabilité générale : les fondamentaux"`, `"query":"comptabilite"`}, nil},
			{"shortlist a provider", "POST", "/api/v1/shortlist", fmt.Sprintf(`{"provider_id":%d}`, remote), 201, []string{`"provider_name":"E-Formation Directe"`}, []string{`"course_id"`}},
			{"my shortlist", "GET", "/api/v1/shortlist", "", 200, []string{"E-Formation Directe", "Comptabilité générale"}, []string{"Paris Finance"}},
			{"shortlist a blacklisted provider", "POST", "/api/v1/shortlist", fmt.Sprintf(`{"provider_id":%d}`, black), 422, []string{`"provider_id":`}, nil},
			{"shortlist another provider's course", "POST", "/api/v1/shortlist", fmt.Sprintf(`{"provider_id":%d,"course_id":%d}`, lyon, parisCourse), 404, nil, nil},
			{"shortlist without provider", "POST", "/api/v1/shortlist", `{}`, 422, []string{`"provider_id":`}, nil},
			{"shortlist a missing provider", "POST", "/api/v1/shortlist", `{"provider_id":999999}`, 404, nil, nil},
			{"remove another user's item", "DELETE", fmt.Sprintf("/api/v1/shortlist/%d", theirs.ID), "", 404, []string{`"code":"not_found"`}, nil},
			// Imports.
			{"import the public list", "POST", "/api/v1/providers/import?date=2026-03-15", dgefpHeader + dgefpRows, 200,
				[]string{`"inserted":2`, `"rejected":1`, `"errors":[{"line":3,`, `"conflicts":[]`}, nil},
			{"import courses", "POST", "/api/v1/courses/import", courses, 200, []string{`"inserted":1`, `"rejected":1`, `"line":3`, "no provider with NDA"}, nil},
			{"unreadable course file", "POST", "/api/v1/courses/import", "Nom;Prénom\nA;B\n", 422, []string{`"file":`}, nil},
			{"bad list date", "POST", "/api/v1/providers/import?date=15-03-2026", dgefpHeader, 422, []string{`"date":`}, nil},
		}
		for _, tc := range cases {
			tc.check(t, f.app, token)
		}
		// Removing an item: 204, then it is gone; the other user's is untouched.
		mine := must(f.crm.shortlists.List(context.Background(), f.admin.ID))
		if len(mine) != 2 {
			t.Fatalf("shortlist: %+v", mine)
		}
		if status, body := apiCall(t, f.app, "DELETE", fmt.Sprintf("/api/v1/shortlist/%d", mine[0].ID), "", token); status != 204 || body != "" {
			t.Errorf("remove: %d %q", status, body)
		}
		if status, _ := apiCall(t, f.app, "DELETE", fmt.Sprintf("/api/v1/shortlist/%d", mine[0].ID), "", token); status != 404 {
			t.Errorf("remove twice: %d", status)
		}
		if status, body := apiCall(t, f.app, "GET", "/api/v1/shortlist", "", consToken); status != 200 || !strings.Contains(body, "Académie Paris Finance") {
			t.Errorf("the other user's shortlist: %d %.200s", status, body)
		}
		// The course created through the API is found by the search.
		if _, body := apiCall(t, f.app, "GET", "/api/v1/providers/search?q=paie", "", token); !strings.Contains(body, `"title":"Paie : les bases"`) {
			t.Errorf("new course not searchable: %.300s", body)
		}
		var list struct {
			Items []crm.Course `json:"items"`
		}
		_, body := apiCall(t, f.app, "GET", fmt.Sprintf("/api/v1/providers/%d/courses", lyon), "", token)
		if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Items) != 4 { // the fixture's 2, one created, one imported
			t.Errorf("courses after create: %v %d", err, len(list.Items))
		}
	})
}
