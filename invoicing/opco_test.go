package invoicing

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// booking records, the way the CRM leaves them, an accepted proposal of
// the client and its booked two-day session with two trainees.
func (f *fixture) booking(clientID, price int64, format string) int64 {
	f.t.Helper()
	ctx, now := f.ctx, time.Now().UTC()
	var provider, request, consultation, proposal, line, booking int64
	f.must(f.d.ExecReturning(ctx, &provider, `INSERT INTO providers (name, created_at, updated_at) VALUES ('Lyon Formation', ?, ?) RETURNING id`, now, now))
	f.must(f.d.ExecReturning(ctx, &request, `INSERT INTO requests (client_id, kind, topic, trainees, format, channel, created_at, updated_at)
		VALUES (?, 'collective', 'Excel', 2, ?, 'backoffice', ?, ?) RETURNING id`, clientID, format, now, now))
	f.must(f.d.ExecReturning(ctx, &consultation, `INSERT INTO consultations (request_id, provider_id, email, status, due_at, price_cents,
		created_at, updated_at) VALUES (?, ?, 'devis@lyon.example', 'answered', ?, ?, ?, ?) RETURNING id`,
		request, provider, now, price*7/10, now, now))
	f.must(f.d.ExecReturning(ctx, &proposal, `INSERT INTO proposals (request_id, status, contracting_mode, client_price_cents, cost_cents,
		fee_cents, valid_until, created_at, updated_at) VALUES (?, 'accepted', 'subcontracting', ?, ?, ?, ?, ?, ?) RETURNING id`,
		request, price, price*7/10, price*3/10, now.AddDate(0, 1, 0), now, now))
	f.must(f.d.ExecReturning(ctx, &line, `INSERT INTO proposal_lines (proposal_id, consultation_id, position, label, cost_cents,
		client_price_cents) VALUES (?, ?, 1, 'Excel avancé', ?, ?) RETURNING id`, proposal, consultation, price*7/10, price))
	f.must(f.d.ExecReturning(ctx, &booking, `INSERT INTO bookings (request_id, proposal_line_id, provider_id, title, status, place,
		price_cents, cost_cents, created_at, updated_at) VALUES (?, ?, ?, 'Excel avancé — tableaux croisés', 'done', 'Lyon', ?, ?, ?, ?)
		RETURNING id`, request, line, provider, price, price*7/10, now, now))
	for _, s := range []struct{ day, half, start, end string }{
		{"2026-11-02", "am", "09:00", "12:30"}, {"2026-11-02", "pm", "13:30", "17:00"},
		{"2026-11-03", "am", "09:00", "12:30"}, {"2026-11-03", "pm", "13:30", "17:00"}} {
		d, _ := time.Parse(time.DateOnly, s.day)
		_, err := f.d.Exec(ctx, `INSERT INTO booking_slots (booking_id, day, half, start_time, end_time) VALUES (?, ?, ?, ?, ?)`,
			booking, d, s.half, s.start, s.end)
		f.must(err)
	}
	for i, name := range [][2]string{{"Léa", "Roux"}, {"Tom", "Blanc"}} {
		var emp int64
		f.must(f.d.ExecReturning(ctx, &emp, `INSERT INTO employees (client_id, external_id, first_name, last_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, clientID, strings.Repeat("E", i+1)+time.Now().Format("150405.000000"), name[0], name[1], now, now))
		_, err := f.d.Exec(ctx, `INSERT INTO booking_trainees (booking_id, employee_id) VALUES (?, ?)`, booking, emp)
		f.must(err)
	}
	return booking
}

func TestOPCOSubrogationSplitsTheSale(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		client := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554", vat: "FR96552100554"})
		booking := f.booking(client, 280000, "intra")
		if _, err := f.svc.SavePayerPlan(f.ctx, PayerPlan{BookingID: booking, OPCOName: "OPCO EP", OPCOSIREN: "542107651", Address: "31 rue Anatole France",
			PostalCode: "92300", City: "Levallois-Perret", FileNumber: "EP-2026-778", Agreed: 180000, Basis: "TTC"}); err != nil {
			t.Fatal(err)
		}
		drafts, err := f.svc.DraftsFromBooking(f.ctx, booking)
		f.must(err)
		if len(drafts) != 2 || drafts[0].Payer != PayerOPCO || drafts[1].Payer != PayerClient {
			t.Fatalf("drafts %+v", drafts)
		}
		// 1 800,00 TTC at 20 % covers 1 500,00 HT: the client pays the other 1 300,00 HT.
		if drafts[0].Net != 150000 || drafts[1].Net != 130000 || drafts[0].Net+drafts[1].Net != 280000 {
			t.Fatalf("split %d + %d", drafts[0].Net, drafts[1].Net)
		}
		if again, err := f.svc.DraftsFromBooking(f.ctx, booking); err != nil || len(again) != 2 || again[0].ID != drafts[0].ID {
			t.Fatalf("the drafts are made once: %v %+v", err, again)
		}
		opco, cl := f.issue(drafts[0].ID), f.issue(drafts[1].ID)
		if opco.VAT != 30000 || opco.Gross != 180000 || cl.VAT != 26000 {
			t.Fatalf("each invoice has its own VAT: %d/%d, %d", opco.VAT, opco.Gross, cl.VAT)
		}
		f.eInvoice(cl)
		if xml := f.eInvoice(opco); !strings.Contains(string(xml), "EP-2026-778") {
			t.Error("the OPCO e-invoice lacks the file number")
		}
		text := f.pdfText(opco)
		for _, w := range []string{"OPCO EP", "EP-2026-778", "Subrogation", "Boulangeries Françaises SAS", "Léa Roux", "14 h"} {
			if !strings.Contains(text, w) {
				t.Errorf("OPCO invoice lacks %q: %s", w, text)
			}
		}
		text = f.pdfText(cl)
		for _, w := range []string{"OPCO EP", "EP-2026-778", "2 800,00 €"} {
			if !strings.Contains(text, w) {
				t.Errorf("client invoice lacks %q: %s", w, text)
			}
		}
		if _, err := f.svc.DraftsFromBooking(f.ctx, booking); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("a booking invoiced twice: %v", err)
		}
		if _, err := f.svc.SavePayerPlan(f.ctx, PayerPlan{BookingID: booking, OPCOName: "AKTO", OPCOSIREN: "542107651", Address: "x", City: "Paris",
			FileNumber: "1", Agreed: 1}); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("the plan of an invoiced OPCO changed: %v", err)
		}
		// Sales less the provider's invoice: the booking's margin.
		_, err = f.svc.RecordSupplierInvoice(f.ctx, SupplierInput{BookingID: booking, Number: "LF-881",
			IssueDate: f.today, Net: 196000, VAT: 0})
		f.must(err)
		m, err := f.svc.BookingMargin(f.ctx, booking)
		f.must(err)
		if m.Sales != 280000 || m.Purchases != 196000 || m.Margin != 84000 || m.Rate() != 3000 {
			t.Fatalf("margin %+v", m)
		}
	})
}

func TestBookingsAreNotInvoicedTwiceAndDepositsAreDeducted(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		client := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554"})
		booking := f.booking(client, 200000, "inter")
		// A 30 % deposit invoiced on the booking before the session.
		dep, err := f.svc.CreateDraft(f.ctx, DraftInput{ClientID: client, Purpose: PurposeDeposit, BookingID: &booking,
			Lines: []LineInput{{Label: "Acompte de 30 %", ServiceKind: "TRAINING_EVENT", EventCountry: "FR", QuantityMilli: 1000, UnitPrice: 60000}}})
		f.must(err)
		dep = f.issue(dep.ID)
		drafts, err := f.svc.DraftsFromBooking(f.ctx, booking)
		f.must(err)
		if len(drafts) != 1 || drafts[0].Purpose != PurposeFinal || drafts[0].Prepaid != dep.Gross {
			t.Fatalf("final draft %+v", drafts)
		}
		final := f.issue(drafts[0].ID)
		if final.Gross != 240000 || final.Due != 240000-72000 || final.Lines[0].TaxRule != "fr-training" {
			t.Fatalf("final %d due %d rule %s", final.Gross, final.Due, final.Lines[0].TaxRule)
		}
		if !strings.Contains(f.pdfText(final), *dep.Number) {
			t.Error("the final invoice does not list the deposit")
		}
	})
}
