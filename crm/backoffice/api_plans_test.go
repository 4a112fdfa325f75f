package backoffice_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

// TestPlansAPI reads a client's training plan and budgets as staff.
func TestPlansAPI(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		token, _, _ := f.auth.CreateToken(context.Background(), f.admin.ID, "test")
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie", Status: crm.ClientActive}))
		year := time.Now().Year()
		plans, budgets := crm.NewPlans(d), crm.NewBudgets(d)
		plan := must(plans.Create(ctx, acme.ID, crm.PlanInput{Year: year, Title: "Plan de développement des compétences"}))
		if _, err := plans.AddLine(ctx, acme.ID, plan.ID, crm.PlanLineInput{Title: "Habilitation électrique B1V",
			Population: "Techniciens", Trainees: 6, Priority: "high", Category: crm.CategoryMandatory,
			EstimatedCostCents: 420000, FundingSource: crm.SourceOPCO}); err != nil {
			t.Fatal(err)
		}
		if _, err := budgets.Create(ctx, acme.ID, crm.EnvelopeInput{Year: year, FundingSource: crm.SourceOPCO,
			AmountCents: 1000000, Label: "OPCO"}); err != nil {
			t.Fatal(err)
		}
		c := func(path string) string { return fmt.Sprintf("/api/v1/clients/%d%s", acme.ID, path) }
		for _, tc := range []apiCase{
			{"plans", "GET", c("/plans"), "", 200, []string{fmt.Sprintf(`"year":%d`, year), `"status":"draft"`}, nil},
			{"plan of the year", "GET", c(fmt.Sprintf("/plans/%d", year)), "", 200, []string{`"title":"Habilitation électrique B1V"`,
				`"estimated_cost_cents":420000`}, nil},
			{"no plan that year", "GET", c("/plans/2001"), "", 404, nil, nil},
			{"budgets", "GET", c(fmt.Sprintf("/budgets?year=%d", year)), "", 200, []string{`"amount_cents":1000000`,
				`"planned_cents":420000`}, nil},
			{"bad year", "GET", c("/budgets?year=deux"), "", 422, []string{`"year":`}, nil},
			{"unknown client", "GET", "/api/v1/clients/999999/plans/2026", "", 404, nil, nil},
			{"no token", "GET", c("/plans"), "", 401, nil, nil},
		} {
			tok := token
			if tc.status == 401 {
				tok = ""
			}
			tc.check(t, f.app, tok)
		}
	})
}
