package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Confirm marks a planned session as confirmed with the provider.
func (s *Bookings) Confirm(ctx context.Context, id int64) (Booking, error) {
	return s.setStatus(ctx, id, BookingConfirmed, nil)
}

// Cancel cancels a session, saying why and who bears its cost.
func (s *Bookings) Cancel(ctx context.Context, id int64, reason, costBearer string) (Booking, error) {
	inv := &errs.Invalid{}
	if reason = strings.TrimSpace(reason); reason == "" {
		inv.Add("reason", "error.reason_required")
	}
	if !slices.Contains(CostBearers, costBearer) {
		inv.Add("cost_bearer", "error.required")
	}
	if err := inv.OrNil(); err != nil {
		return Booking{}, err
	}
	return s.setStatus(ctx, id, BookingCancelled, func(ctx context.Context, tx db.Querier) error {
		_, err := tx.Exec(ctx, "UPDATE bookings SET cancel_reason = ?, cancel_cost_bearer = ?, cancelled_at = ? WHERE id = ?",
			reason, costBearer, time.Now().UTC(), id)
		return err
	})
}

func (s *Bookings) setStatus(ctx context.Context, id int64, to string, also func(context.Context, db.Querier) error) (Booking, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		b, err := loadBooking(ctx, tx, "b.id = ?", id)
		if err != nil {
			return err
		}
		return changeBookingStatus(ctx, tx, b, to, also)
	})
	if err != nil {
		return Booking{}, err
	}
	return s.Get(ctx, id)
}

// changeBookingStatus moves a booking inside tx, writes its timeline entry
// and audit event, and settles the request's delivery track.
func changeBookingStatus(ctx context.Context, tx db.Querier, b Booking, to string, also func(context.Context, db.Querier) error) error {
	if !slices.Contains(bookingMoves[b.Status], to) {
		return errs.NewInvalid("status", "error.transition_refused")
	}
	before, err := lockRequest(ctx, tx, b.RequestID)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	var doneAt *time.Time
	if to == BookingDone {
		doneAt = &now
	}
	res, err := tx.Exec(ctx, "UPDATE bookings SET status = ?, done_at = COALESCE(?, done_at), updated_at = ? WHERE id = ? AND status = ?",
		to, doneAt, now, b.ID, b.Status)
	if err != nil {
		return fmt.Errorf("crm: booking %d: %w", b.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("crm: booking %d changed meanwhile: %w", b.ID, errs.ErrConflict)
	}
	if also != nil {
		if err := also(ctx, tx); err != nil {
			return fmt.Errorf("crm: booking %d: %w", b.ID, err)
		}
	}
	if err := RecordStatusChange(ctx, tx, Ref{RecordBooking, b.ID}, b.Status, to, "",
		Ref{RecordRequest, b.RequestID}, Ref{RecordClient, b.ClientID}, Ref{RecordProvider, b.ProviderID}); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, audit.Event{Action: "booking." + to, Entity: RecordBooking, EntityID: b.ID}); err != nil {
		return err
	}
	return settleDelivery(ctx, tx, before, b.ID)
}
