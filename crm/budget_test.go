package crm

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// proposed takes a new request through the consultation of Forma Plus
// (answering cost) to a proposal at price, sent to the client.
func (f *planFixture) proposed(t *testing.T, in RequestInput, cost, price int64) Proposal {
	t.Helper()
	ctx := f.ctx
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.requests.Create(ctx, in)
	must(err)
	cons, err := f.consultations.Consult(ctx, ConsultInput{RequestID: r.ID, DueAt: time.Now().Add(5 * 24 * time.Hour),
		Targets: []ConsultTarget{{ProviderID: f.forma.ID}}})
	must(err)
	_, token := f.mailTo(t, "contact@formaplus.fr")
	must(f.consultations.Answer(context.Background(), token, QuoteInput{PriceCents: cost, VATStatus: "exempt"}))
	_, err = f.consultations.Retain(ctx, cons[0].ID, true)
	must(err)
	p, err := f.proposals.Create(ctx, ProposalInput{RequestID: r.ID, Mode: ModeSubcontracting, ValidUntil: time.Now().AddDate(0, 0, 30),
		Lines: []ProposalLineInput{{ConsultationID: cons[0].ID, ClientPriceCents: price}}})
	must(err)
	p, err = f.proposals.Send(ctx, p.ID, []MailAddress{{Name: "Service RH", Email: "rh@client.test"}})
	must(err)
	return p
}

// accepted is proposed, then accepted by staff on the client's behalf.
func (f *planFixture) accepted(t *testing.T, in RequestInput, cost, price int64) Proposal {
	t.Helper()
	p, err := f.proposals.Accept(f.ctx, in.ClientID, f.proposed(t, in, cost, price).ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// session books one half-day of an accepted proposal for Léa, at price
// (nil: the proposal's), and marks it done when done.
func (f *planFixture) session(t *testing.T, p Proposal, price *int64, done bool) Booking {
	t.Helper()
	b, err := f.bookings.Create(f.ctx, BookingInput{ProposalID: p.ID, Place: "Acme, Lyon", PriceCents: price, TraineeIDs: []int64{f.lea.ID},
		Slots: []Slot{{Day: *date(2026, 9, 14), Half: Morning, Start: "09:00", End: "12:30"}}})
	if err != nil {
		t.Fatal(err)
	}
	if done {
		if _, err := f.bookings.RecordAttendance(f.ctx, b.ID, []Mark{{b.Slots[0].ID, f.lea.ID, Present}}); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func TestBudgets(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newPlanFixture(t, d)
		ctx, acme, perrin := f.ctx, f.acme.ID, f.perrin.ID
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}

		// Acme's plan: electrical clearance (Maintenance, OPCO), Excel
		// (Administration, company), English (whole company, CPF co-funding).
		plan, err := f.plans.Create(ctx, acme, PlanInput{Year: 2026})
		must(err)
		lines := map[string]*PlanLine{}
		for _, in := range []PlanLineInput{
			{Title: "Habilitation électrique", DepartmentID: &f.maint.ID, Category: CategoryMandatory, EstimatedCostCents: 240000, FundingSource: SourceOPCO},
			{Title: "Excel avancé", DepartmentID: &f.admin.ID, Category: CategoryDevelopment, EstimatedCostCents: 150000},
			{Title: "Anglais", Category: CategoryDevelopment, EstimatedCostCents: 80000, FundingSource: SourceCPF},
		} {
			l, err := f.plans.AddLine(ctx, acme, plan.ID, in)
			must(err)
			lines[in.Title] = &l
		}

		// Envelopes: one per year, department and source.
		company, err := f.budgets.Create(ctx, acme, EnvelopeInput{Year: 2026, FundingSource: SourceCompany, AmountCents: 500000,
			Label: "Budget formation; 2026"})
		must(err)
		maintOPCO, err := f.budgets.Create(ctx, acme, EnvelopeInput{Year: 2026, DepartmentID: &f.maint.ID, FundingSource: SourceOPCO,
			AmountCents: 300000, Label: "OPCO maintenance"})
		must(err)
		adminEnv, err := f.budgets.Create(ctx, acme, EnvelopeInput{Year: 2026, DepartmentID: &f.admin.ID, FundingSource: SourceCompany,
			AmountCents: 150000, Label: "=1+1"})
		must(err)
		for _, c := range []struct {
			in    EnvelopeInput
			field string
		}{
			{EnvelopeInput{Year: 2026, FundingSource: SourceCompany, AmountCents: 1}, "funding_source"},
			{EnvelopeInput{Year: 2026, DepartmentID: &f.maint.ID, FundingSource: SourceOPCO, AmountCents: 1}, "funding_source"},
			{EnvelopeInput{Year: 2026, AmountCents: 1}, "funding_source"},
			{EnvelopeInput{Year: 2026, FundingSource: "state"}, "funding_source"},
			{EnvelopeInput{Year: 1999, FundingSource: SourceCPF}, "year"},
			{EnvelopeInput{Year: 2026, FundingSource: SourceCPF, AmountCents: -1}, "amount_cents"},
			{EnvelopeInput{Year: 2026, FundingSource: SourceCPF, DepartmentID: &f.bake.ID}, "department_id"},
		} {
			if _, err := f.budgets.Create(ctx, acme, c.in); !isInvalid(err, c.field) {
				t.Errorf("%+v: got %v, want an error on %s", c.in, err, c.field)
			}
		}
		if _, err := f.budgets.Update(ctx, acme, adminEnv.ID, EnvelopeInput{Year: 2026, FundingSource: SourceCompany}); !isInvalid(err, "funding_source") {
			t.Errorf("update onto another envelope's key: %v", err)
		}
		adminEnv.AmountCents = 200000
		adminEnv, err = f.budgets.Update(ctx, acme, adminEnv.ID, adminEnv.EnvelopeInput)
		must(err)
		if adminEnv.AmountCents != 200000 || adminEnv.DepartmentName != "Administration" {
			t.Errorf("updated envelope: %+v", adminEnv)
		}
		perrinEnv, err := f.budgets.Create(ctx, perrin, EnvelopeInput{Year: 2026, FundingSource: SourceCompany, AmountCents: 100000})
		must(err)
		for what, err := range map[string]error{
			"get":    func() error { _, err := f.budgets.Get(ctx, perrin, company.ID); return err }(),
			"update": func() error { _, err := f.budgets.Update(ctx, perrin, company.ID, company.EnvelopeInput); return err }(),
			"delete": f.budgets.Delete(ctx, perrin, company.ID),
			"create": func() error {
				_, err := f.budgets.Create(f.clientUserCtx, perrin, EnvelopeInput{Year: 2027, FundingSource: SourceCPF})
				return err
			}(),
		} {
			if !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("%s through another client: %v", what, err)
			}
		}
		if list, _ := f.budgets.List(ctx, acme, 2026, nil); len(list) != 3 || list[0].ID != company.ID || list[1].ID != adminEnv.ID || list[2].ID != maintOPCO.ID {
			t.Errorf("envelopes in order: %+v", list)
		}
		if list, _ := f.budgets.List(ctx, acme, 2026, []int64{f.maint.ID}); len(list) != 1 || list[0].ID != maintOPCO.ID {
			t.Errorf("Maintenance's envelopes: %+v", list)
		}

		// The year's requests. Electrical clearance (plan line, Maintenance,
		// OPCO): 2,100 € accepted, a first session done at 1,000 €, a second
		// one booked.
		autumn := date(2026, 9, 1)
		elec := f.accepted(t, RequestInput{ClientID: acme, Topic: "Habilitation électrique", PlanLineID: &lines["Habilitation électrique"].ID,
			PeriodFrom: autumn}, 180000, 210000)
		first := int64(100000)
		f.session(t, elec, &first, true)
		second := f.session(t, elec, nil, false)
		// Excel (plan line, Administration): 1,500 € accepted, not booked yet.
		excel := f.accepted(t, RequestInput{ClientID: acme, Topic: "Excel avancé", PeriodFrom: autumn}, 120000, 150000)
		must(f.plans.LinkRequest(ctx, acme, lines["Excel avancé"].ID, excel.RequestID))
		// Forklift (no plan line, an OPCO file): 600 € done → whole company, OPCO.
		caces := f.accepted(t, RequestInput{ClientID: acme, Topic: "CACES R489", FundingBody: "OPCO 2i", PeriodFrom: autumn}, 50000, 60000)
		f.session(t, caces, nil, true)
		// English (plan line, CPF): 700 € accepted, then the request is cancelled.
		english := f.accepted(t, RequestInput{ClientID: acme, Topic: "Anglais", PlanLineID: &lines["Anglais"].ID, PeriodFrom: autumn}, 60000, 70000)
		_, err = f.requests.Advance(ctx, english.RequestID, TrackMove{Track: TrackRequest, To: RequestCancelled, Reason: "Départ du salarié"})
		must(err)
		// Next year's request and Perrin's count elsewhere.
		f.accepted(t, RequestInput{ClientID: acme, Topic: "Excel 2027", PeriodFrom: date(2027, 2, 1)}, 40000, 50000)
		f.accepted(t, RequestInput{ClientID: perrin, Topic: "Hygiène alimentaire", PeriodFrom: autumn}, 30000, 40000)

		// Management (no plan line, no funding body): accepting it commits 900 € of the company envelope.
		mgmt := f.proposed(t, RequestInput{ClientID: acme, Topic: "Management", PeriodFrom: autumn}, 80000, 90000)
		before, err := f.budgets.Summary(ctx, acme, 2026, []int64{0})
		must(err)
		_, err = f.proposals.Accept(f.clientUserCtx, acme, mgmt.ID)
		must(err)
		after, err := f.budgets.Summary(ctx, acme, 2026, []int64{0})
		must(err)
		if before.Lines[0].CommittedCents != 0 || after.Lines[0].CommittedCents != 90000 || after.Lines[0].EnvelopeID != company.ID {
			t.Errorf("accepting commits: before %+v, after %+v", before.Lines[0], after.Lines[0])
		}

		sum, err := f.budgets.Summary(ctx, acme, 2026, nil)
		must(err)
		type row struct {
			Envelope   int64
			Department string
			Source     string
			BudgetFigures
		}
		var got []row
		for _, l := range sum.Lines {
			got = append(got, row{l.EnvelopeID, l.DepartmentName, l.FundingSource, l.BudgetFigures})
		}
		want := []row{
			{company.ID, "", SourceCompany, BudgetFigures{500000, 0, 90000, 0, 410000}},
			{0, "", SourceOPCO, BudgetFigures{0, 0, 0, 60000, -60000}},
			{0, "", SourceCPF, BudgetFigures{0, 80000, 0, 0, 0}},
			{adminEnv.ID, "Administration", SourceCompany, BudgetFigures{200000, 150000, 150000, 0, 50000}},
			{maintOPCO.ID, "Maintenance", SourceOPCO, BudgetFigures{300000, 240000, 110000, 100000, 90000}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("summary:\n got %+v\nwant %+v", got, want)
		}
		if wantTotal := (BudgetFigures{1000000, 470000, 350000, 160000, 490000}); sum.Total != wantTotal {
			t.Errorf("total %+v, want %+v", sum.Total, wantTotal)
		}
		if maint, _ := f.budgets.Summary(ctx, acme, 2026, []int64{f.maint.ID}); len(maint.Lines) != 1 ||
			maint.Lines[0].EnvelopeID != maintOPCO.ID || maint.Total != maint.Lines[0].BudgetFigures {
			t.Errorf("Maintenance's summary: %+v", maint)
		}
		if next, _ := f.budgets.Summary(ctx, acme, 2027, nil); len(next.Lines) != 1 || next.Total.CommittedCents != 50000 {
			t.Errorf("2027: %+v", next)
		}
		if p, _ := f.budgets.Summary(ctx, perrin, 2026, nil); len(p.Lines) != 1 || p.Lines[0].EnvelopeID != perrinEnv.ID ||
			p.Total.CommittedCents != 40000 {
			t.Errorf("Perrin's summary: %+v", p)
		}
		// Once invoiced, a session counts at what was invoiced: a deposit of
		// 300 € on the booked session moves it from committed to consumed, and
		// the done session invoiced 950 € (after a credit note) counts 950 €.
		invoice := func(bookingID, net int64, number string) {
			t.Helper()
			_, err := d.Exec(ctx, `INSERT INTO invoices (client_id, kind, purpose, status, series, year, seq, number, booking_id,
				issue_date, due_date, net_cents, gross_cents, due_cents, created_at, updated_at)
				VALUES (?, ?, 'standard', 'issued', ?, 2026, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, acme,
				map[bool]string{true: "credit_note", false: "invoice"}[net < 0], map[bool]string{true: "credit_note", false: "invoice"}[net < 0],
				len(number), number, bookingID, autumn, autumn, net, net, net, autumn, autumn)
			must(err)
		}
		invoice(second.ID, 30000, "F1")
		var firstBooking int64
		must(d.Get(ctx, &firstBooking, `SELECT id FROM bookings WHERE request_id = ? AND status = 'done'`, elec.RequestID))
		invoice(firstBooking, 100000, "F22")
		invoice(firstBooking, -5000, "AV1")
		if m, _ := f.budgets.Summary(ctx, acme, 2026, []int64{f.maint.ID}); m.Total.ConsumedCents != 125000 || m.Total.CommittedCents != 85000 {
			t.Errorf("Maintenance once invoiced: %+v", m.Total)
		}
		if _, err := f.budgets.Summary(ctx, 999999, 2026, nil); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("summary of an unknown client: %v", err)
		}

		// Each plan line shows its requests and sessions.
		p, err := f.plans.Get(ctx, acme, plan.ID, nil)
		must(err)
		if l := p.Lines[0]; len(l.Requests) != 1 || l.Requests[0].ID != elec.RequestID || l.Requests[0].Stage != StageBooked ||
			l.SessionsBooked != 1 || l.SessionsDone != 1 {
			t.Errorf("electrical clearance progress: %+v", l)
		}
		if l := p.Lines[2]; len(l.Requests) != 1 || l.Requests[0].Stage != StageCancelled {
			t.Errorf("English progress: %+v", l)
		}

		// The CSV for French Excel.
		var buf bytes.Buffer
		must(f.budgets.ExportCSV(ctx, acme, 2026, nil, &buf))
		wantCSV := "\uFEFFAnnée;Service;Financement;Libellé;Montant;Prévu au plan;Engagé;Consommé;Reste\r\n" +
			"2026;Toute l'entreprise;Entreprise;\"Budget formation; 2026\";5000,00;0,00;900,00;0,00;4100,00\r\n" +
			"2026;Toute l'entreprise;OPCO;Hors enveloppe;0,00;0,00;0,00;600,00;-600,00\r\n" +
			"2026;Toute l'entreprise;Abondement CPF;Hors enveloppe;0,00;800,00;0,00;0,00;0,00\r\n" +
			"2026;Administration;Entreprise;'=1+1;2000,00;1500,00;1500,00;0,00;500,00\r\n" +
			"2026;Maintenance;OPCO;OPCO maintenance;3000,00;2400,00;850,00;1250,00;900,00\r\n" +
			"2026;Total;;;10000,00;4700,00;3250,00;1850,00;4900,00\r\n"
		if buf.String() != wantCSV {
			t.Errorf("csv:\n%q\nwant\n%q", buf.String(), wantCSV)
		}
		buf.Reset()
		must(f.budgets.ExportCSV(ctx, acme, 2026, []int64{f.admin.ID}, &buf))
		if want := "\uFEFFAnnée;Service;Financement;Libellé;Montant;Prévu au plan;Engagé;Consommé;Reste\r\n" +
			"2026;Administration;Entreprise;'=1+1;2000,00;1500,00;1500,00;0,00;500,00\r\n" +
			"2026;Total;;;2000,00;1500,00;1500,00;0,00;500,00\r\n"; buf.String() != want {
			t.Errorf("Administration's csv:\n%q", buf.String())
		}

		// Deleting an envelope leaves what it held unbudgeted.
		must(f.budgets.Delete(ctx, acme, adminEnv.ID))
		if sum, _ := f.budgets.Summary(ctx, acme, 2026, []int64{f.admin.ID}); len(sum.Lines) != 1 || sum.Lines[0].EnvelopeID != 0 ||
			sum.Lines[0].RemainingCents != -150000 {
			t.Errorf("after deleting Administration's envelope: %+v", sum)
		}
		for action, n := range map[string]int{"budget.create": 4, "budget.update": 1, "budget.delete": 1} {
			if got := auditCount(t, d, action); got != n {
				t.Errorf("audit %s: %d events, want %d", action, got, n)
			}
		}
	})
}
