package crm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

// TestConsultationLinks refuses expired, tampered, reused and replaced
// links, and expires consultations nobody answered.
func TestConsultationLinks(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFlowFixture(t, d)
		ctx, anon := f.ctx, context.Background()
		req := f.newRequest(t, "Sécurité incendie")
		start := time.Now().UTC()
		due := start.Add(3 * 24 * time.Hour)
		cons, err := f.consultations.Consult(ctx, ConsultInput{RequestID: req.ID, DueAt: due,
			Targets: []ConsultTarget{{ProviderID: f.lyon.ID}, {ProviderID: f.forma.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		_, lyonToken := f.mailTo(t, "devis@lyonformation.fr")
		_, formaToken := f.mailTo(t, "contact@formaplus.fr")
		quote := QuoteInput{PriceCents: 99000, VATStatus: "exempt"}

		// Tampered: another consultation's id with this signature, or a longer life.
		for _, bad := range []string{withPart(lyonToken, 0, itoa(cons[1].ID)), withPart(lyonToken, 2, "4102444800"), lyonToken + "x", "999.1.4102444800.abc"} {
			if err := f.consultations.Answer(anon, bad, quote); !errors.Is(err, ErrTokenInvalid) {
				t.Errorf("tampered %q: got %v, want ErrTokenInvalid", bad, err)
			}
		}
		// Replaced: a reminder issues a new link; the old one stops working.
		reminded, err := f.consultations.Remind(ctx, cons[0].ID, due.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		reminder, newToken := f.mailTo(t, "devis@lyonformation.fr")
		if reminded.Reminders != 1 || reminded.RemindedAt == nil || !strings.HasPrefix(reminder.Subject, "Relance") || newToken == lyonToken {
			t.Errorf("reminder: %+v %q", reminded, reminder.Subject)
		}
		if _, err := f.consultations.Open(anon, lyonToken); !errors.Is(err, ErrTokenReplaced) {
			t.Errorf("replaced link: got %v, want ErrTokenReplaced", err)
		}
		// Reused: the first answer wins.
		if err := f.consultations.Answer(anon, newToken, quote); err != nil {
			t.Fatal(err)
		}
		if err := f.consultations.Decline(anon, newToken, "finalement non"); !errors.Is(err, ErrTokenUsed) {
			t.Errorf("reused link: got %v, want ErrTokenUsed", err)
		}
		if got, _ := f.consultations.Get(ctx, cons[0].ID); got.Status != ConsultationAnswered || *got.PriceCents != 99000 {
			t.Errorf("the reuse changed the answer: %+v", got)
		}
		var hours *float64
		if err := d.Get(ctx, &hours, "SELECT answer_hours FROM providers WHERE id = ?", f.lyon.ID); err != nil || hours == nil || *hours > 1 {
			t.Errorf("answer time of an immediate answer: %v %v", hours, err)
		}

		// Unanswered: Forma Plus, overdue once its date passed.
		f.consultations.now = func() time.Time { return due.Add(time.Hour) }
		late, total, err := f.consultations.Unanswered(ctx, UnansweredFilter{OwnerID: f.staffID, OverdueOnly: true})
		if err != nil || total != 1 || late[0].ID != cons[1].ID || !late[0].Overdue(due.Add(time.Hour)) {
			t.Errorf("unanswered: %d %+v %v", total, late, err)
		}
		// Expired: the link dies TokenGrace after the due date, and the job closes the consultation.
		f.consultations.now = func() time.Time { return due.Add(TokenGrace + time.Minute) }
		if _, err := f.consultations.Open(anon, formaToken); !errors.Is(err, ErrTokenExpired) {
			t.Errorf("expired link: got %v, want ErrTokenExpired", err)
		}
		if n, err := f.consultations.ExpireOverdue(ctx); n != 1 || err != nil {
			t.Errorf("expire: %d %v", n, err)
		}
		forma, _ := f.providers.Get(ctx, f.forma.ID)
		if got, _ := f.consultations.Get(ctx, cons[1].ID); got.Status != ConsultationExpired || forma.AnswerRate == nil || *forma.AnswerRate != 0 {
			t.Errorf("after expiry: %s, answer rate %v", got.Status, forma.AnswerRate)
		}
		if req, _ = f.requests.Get(ctx, req.ID); req.Sourcing != SourcingQuotesIn {
			t.Errorf("sourcing after expiry: %s", req.Sourcing)
		}
		// A late answer by phone is still recorded, and counts.
		got, err := f.consultations.RecordAnswer(ctx, cons[1].ID, AnsweredByPhone, QuoteInput{PriceCents: 120000, VATStatus: "franchise"})
		if err != nil || got.Status != ConsultationAnswered || got.AnsweredVia != AnsweredByPhone {
			t.Fatalf("answer by phone: %+v %v", got, err)
		}
		forma, _ = f.providers.Get(ctx, f.forma.ID)
		if *forma.AnswerRate != 1 || forma.QualityScore == nil || *forma.QualityScore != 100 {
			t.Errorf("answer rate after the phone answer: %+v", forma.Quality)
		}
		if _, err := f.consultations.RecordDecline(ctx, cons[1].ID, AnsweredByEmail, "doublon"); !isInvalid(err, "status") {
			t.Errorf("decline an answered consultation: %v", err)
		}
		// Consulting a provider twice for one request is refused.
		_, err = f.consultations.Consult(ctx, ConsultInput{RequestID: req.ID, DueAt: due.Add(30 * 24 * time.Hour), Targets: []ConsultTarget{{ProviderID: f.forma.ID}}})
		if !isInvalid(err, "targets") {
			t.Errorf("consult twice: %v", err)
		}
	})
}
