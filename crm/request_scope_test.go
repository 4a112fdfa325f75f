package crm

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// TestRequestRules checks the need's validation and scoping, manual moves,
// and decisions taken by staff on the client's behalf.
func TestRequestRules(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFlowFixture(t, d)
		ctx := f.ctx
		cases := []struct {
			in    RequestInput
			field string
		}{
			{RequestInput{ClientID: f.acme.ID, Topic: " "}, "topic"},
			{RequestInput{ClientID: f.acme.ID, Topic: "Anglais", Kind: "individual"}, "employee_ids"},
			{RequestInput{ClientID: f.acme.ID, Topic: "Anglais", Kind: "individual", EmployeeIDs: []int64{f.zoe.ID}}, "employee_ids"},
			{RequestInput{ClientID: f.acme.ID, Topic: "Anglais", ContactID: &f.formaBob.ID}, "contact_id"},
			{RequestInput{ClientID: f.acme.ID, Topic: "Anglais", Priority: "asap"}, "priority"},
			{RequestInput{ClientID: f.acme.ID, Topic: "Anglais", CommuneCode: "99999"}, "commune_code"},
			{RequestInput{ClientID: f.acme.ID, Topic: "Anglais", PeriodFrom: ptrTime(2026, 6, 1), PeriodTo: ptrTime(2026, 5, 1)}, "period_to"},
		}
		for _, c := range cases {
			if _, err := f.requests.Create(ctx, c.in); !isInvalid(err, c.field) {
				t.Errorf("%+v: got %v, want an error on %s", c.in, err, c.field)
			}
		}
		if _, total, _ := f.requests.List(ctx, RequestFilter{}); total != 0 {
			t.Errorf("refused requests were written: %d", total)
		}

		// A client user creates for its own company only.
		own, err := f.requests.Create(f.clientUserCtx, RequestInput{ClientID: f.acme.ID, Topic: "Anglais des affaires",
			Kind: "individual", EmployeeIDs: []int64{f.lea.ID}, Remote: true})
		if err != nil || own.Channel != "extranet" || own.CreatedByExtranetID == nil || own.Format != "inter" || own.Trainees != 1 ||
			len(own.EmployeeIDs) != 1 {
			t.Fatalf("client user's request: %+v %v", own, err)
		}
		if _, err := f.requests.Create(f.clientUserCtx, RequestInput{ClientID: f.perrin.ID, Topic: "Hygiène"}); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("client user for another company: %v", err)
		}
		if _, err := f.requests.GetForClient(ctx, f.perrin.ID, own.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("request seen by another client: %v", err)
		}
		if rows, total, _ := f.requests.List(ctx, RequestFilter{ClientID: f.acme.ID, Query: "anglais"}); total != 1 || rows[0].ID != own.ID || rows[0].Stage != StageQualifying {
			t.Errorf("list by words: %d %+v", total, rows)
		}

		// Manual moves: cancelling needs a reason, nothing moves on a cancelled request but reopening.
		if _, err := f.requests.Advance(ctx, own.ID, TrackMove{Track: TrackRequest, To: RequestCancelled}); !isInvalid(err, "reason") {
			t.Errorf("cancel without reason: %v", err)
		}
		cancelled, err := f.requests.Advance(ctx, own.ID, TrackMove{Track: TrackRequest, To: RequestCancelled, Reason: "budget gelé"})
		if err != nil || cancelled.Stage != StageCancelled {
			t.Fatalf("cancel: %+v %v", cancelled, err)
		}
		if _, err := f.requests.Advance(ctx, own.ID, TrackMove{Track: TrackFunding, To: FundingRequested}); !isInvalid(err, "status") {
			t.Errorf("funding on a cancelled request: %v", err)
		}
		if _, err := f.consultations.Consult(ctx, ConsultInput{RequestID: own.ID, Targets: []ConsultTarget{{ProviderID: f.forma.ID}}}); !isInvalid(err, "status") {
			t.Errorf("consult on a cancelled request: %v", err)
		}
		if _, err := f.requests.Advance(ctx, own.ID, TrackMove{Track: TrackSourcing, To: SourcingConsulting}); !isInvalid(err, TrackSourcing) {
			t.Errorf("an event-driven move by hand: %v", err)
		}
		reopened, err := f.requests.Advance(ctx, own.ID, TrackMove{Track: TrackRequest, To: RequestOpen})
		if err != nil || reopened.Stage != StageQualifying {
			t.Errorf("reopen: %+v %v", reopened, err)
		}
		if h, _ := f.requests.History(ctx, own.ID); len(h) != 2 || h[0].Reason != "budget gelé" || h[0].ByName != "Claire Broker" {
			t.Errorf("history: %+v", h)
		}

		// Staff decline a proposal on the client's behalf; the request is declined, then revived by consulting again.
		req := f.newRequest(t, "Excel")
		cons, err := f.consultations.Consult(ctx, ConsultInput{RequestID: req.ID, Targets: []ConsultTarget{{ProviderID: f.forma.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.consultations.RecordAnswer(ctx, cons[0].ID, AnsweredByEmail, QuoteInput{PriceCents: 50000, VATStatus: "exempt"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.consultations.Retain(ctx, cons[0].ID, true); err != nil {
			t.Fatal(err)
		}
		p, err := f.proposals.Create(ctx, ProposalInput{RequestID: req.ID, Mode: ModeReferral, CommissionCents: 5000,
			Lines: []ProposalLineInput{{ConsultationID: cons[0].ID, ClientPriceCents: 90000}}, ValidUntil: time.Now().AddDate(0, 0, 10)})
		if err != nil || p.ClientPriceCents != 50000 || p.FeeCents != 5000 || p.ForClient().Lines[0].ProviderName != "Forma Plus" {
			t.Fatalf("referral proposal: %+v %v", p, err)
		}
		if _, err := f.proposals.Decline(ctx, f.acme.ID, p.ID, "trop cher"); !isInvalid(err, "status") {
			t.Errorf("decline a draft: %v", err)
		}
		if _, err := f.proposals.Send(ctx, p.ID, []MailAddress{{Name: "Paul", Email: "paul.martin@acme-industrie.fr"}}); err != nil {
			t.Fatal(err)
		}
		if m, _ := f.mailTo(t, "paul.martin@acme-industrie.fr"); !strings.Contains(m.Text, "facturée directement par l'organisme") {
			t.Errorf("referral mail: %s", m.Text)
		}
		p, err = f.proposals.Decline(ctx, f.acme.ID, p.ID, "trop cher")
		if err != nil || !p.OnBehalf() || p.DecisionReason != "trop cher" || p.DecidedByName != "Claire Broker" {
			t.Errorf("declined on behalf: %+v %v", p, err)
		}
		if req, _ = f.requests.Get(ctx, req.ID); req.Stage != StageDeclined {
			t.Errorf("after the decline: %s", req.Stage)
		}
		if _, err := f.consultations.Consult(ctx, ConsultInput{RequestID: req.ID, Targets: []ConsultTarget{{ProviderID: f.lyon.ID}}}); err != nil {
			t.Fatal(err)
		}
		if req, _ = f.requests.Get(ctx, req.ID); req.Decision != DecisionPending || req.Sourcing != SourcingConsulting || req.Stage != StageSourcing {
			t.Errorf("consulting again: %+v", req.TrackState)
		}
	})
}

func ptrTime(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}
