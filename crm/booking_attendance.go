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

// Attendance marks of a trainee for a slot.
const (
	Present = "present"
	Absent  = "absent"
	Excused = "excused"
)

// AttendanceMarks lists the marks.
var AttendanceMarks = []string{Present, Absent, Excused}

// Mark is one trainee's attendance for one slot.
type Mark struct {
	SlotID     int64  `db:"slot_id" json:"slot_id"`
	EmployeeID int64  `db:"employee_id" json:"employee_id"`
	Status     string `db:"status" json:"status"`
}

// TraineeAttendance is a trainee's row of the sheet: one mark per slot, in
// the order of the sheet's slots ("" when missing), and the hours derived.
type TraineeAttendance struct {
	EmployeeID    int64    `json:"employee_id"`
	Name          string   `json:"name"`
	Marks         []string `json:"marks"`
	HoursAttended float64  `json:"hours_attended"`
	HoursPlanned  float64  `json:"hours_planned"`
}

// AttendanceSheet is a booking's attendance: slots across, trainees down.
type AttendanceSheet struct {
	BookingID int64               `json:"booking_id"`
	Slots     []Slot              `json:"slots"`
	Trainees  []TraineeAttendance `json:"trainees"`
	// Complete: every trainee has a mark for every slot.
	Complete bool `json:"complete"`
}

// Attendance returns a booking's attendance sheet.
func (s *Bookings) Attendance(ctx context.Context, bookingID int64) (AttendanceSheet, error) {
	return attendanceSheet(ctx, s.db, bookingID)
}

func attendanceSheet(ctx context.Context, q db.Querier, bookingID int64) (AttendanceSheet, error) {
	b, err := loadBooking(ctx, q, "b.id = ?", bookingID)
	if err != nil {
		return AttendanceSheet{}, err
	}
	var people []struct {
		ID        int64  `db:"id"`
		FirstName string `db:"first_name"`
		LastName  string `db:"last_name"`
	}
	if err := q.Select(ctx, &people, `SELECT e.id, e.first_name, e.last_name FROM booking_trainees t
		JOIN employees e ON e.id = t.employee_id WHERE t.booking_id = ? ORDER BY e.last_name, e.first_name, e.id`, bookingID); err != nil {
		return AttendanceSheet{}, fmt.Errorf("crm: booking %d trainees: %w", bookingID, err)
	}
	var marks []Mark
	if err := q.Select(ctx, &marks, `SELECT a.slot_id, a.employee_id, a.status FROM attendance a
		JOIN booking_slots sl ON sl.id = a.slot_id WHERE sl.booking_id = ?`, bookingID); err != nil {
		return AttendanceSheet{}, fmt.Errorf("crm: booking %d attendance: %w", bookingID, err)
	}
	sheet := AttendanceSheet{BookingID: bookingID, Slots: b.Slots, Complete: len(people) > 0}
	for _, p := range people {
		row := TraineeAttendance{EmployeeID: p.ID, Name: strings.TrimSpace(p.FirstName + " " + p.LastName), Marks: make([]string, len(b.Slots))}
		for i, sl := range b.Slots {
			row.HoursPlanned += float64(sl.Minutes()) / 60
			if j := slices.IndexFunc(marks, func(m Mark) bool { return m.SlotID == sl.ID && m.EmployeeID == p.ID }); j >= 0 {
				row.Marks[i] = marks[j].Status
			}
			if row.Marks[i] == Present {
				row.HoursAttended += float64(sl.Minutes()) / 60
			}
			sheet.Complete = sheet.Complete && row.Marks[i] != ""
		}
		sheet.Trainees = append(sheet.Trainees, row)
	}
	return sheet, nil
}

// RecordAttendance saves marks entered by staff (a mark given again
// replaces the previous one). Each mark must be for a slot of the booking
// and one of its trainees; a cancelled session takes none. When every
// trainee has a mark for every slot, the session is done.
func (s *Bookings) RecordAttendance(ctx context.Context, bookingID int64, marks []Mark) (AttendanceSheet, error) {
	if len(marks) == 0 {
		return AttendanceSheet{}, errs.NewInvalid("marks", "error.required")
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		b, err := loadBooking(ctx, tx, "b.id = ?", bookingID)
		if err != nil {
			return err
		}
		if b.Status == BookingCancelled {
			return errs.NewInvalid("status", "error.booking_cancelled")
		}
		now := time.Now().UTC()
		staff, _ := actorIDs(ctx)
		rows := make([][]any, 0, len(marks))
		for _, m := range marks {
			switch {
			case !slices.ContainsFunc(b.Slots, func(sl Slot) bool { return sl.ID == m.SlotID }):
				return errs.NewInvalid("marks", "error.slot_invalid")
			case !slices.Contains(b.TraineeIDs, m.EmployeeID):
				return errs.NewInvalid("marks", "error.not_trainee")
			case !slices.Contains(AttendanceMarks, m.Status):
				return errs.NewInvalid("marks", "error.invalid")
			}
			rows = append(rows, []any{m.SlotID, m.EmployeeID, m.Status, now, staff})
		}
		if err := insertRows(ctx, tx, "attendance (slot_id, employee_id, status, recorded_at, recorded_by)",
			`ON CONFLICT (slot_id, employee_id) DO UPDATE SET status = excluded.status, recorded_at = excluded.recorded_at,
			recorded_by = excluded.recorded_by`, rows); err != nil {
			return fmt.Errorf("crm: booking %d attendance: %w", bookingID, err)
		}
		if _, err := AddEntry(ctx, tx, NewEntry{Kind: KindNote, Title: fmt.Sprintf("%s: attendance (%d)", RecordBooking, len(marks)),
			Data:  map[string]any{"record": RecordBooking, "id": bookingID, "marks": marks},
			Links: []Ref{{RecordBooking, bookingID}, {RecordRequest, b.RequestID}, {RecordClient, b.ClientID}}}); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "booking.attendance", Entity: RecordBooking, EntityID: bookingID,
			Details: map[string]any{"marks": len(marks)}}); err != nil {
			return err
		}
		sheet, err := attendanceSheet(ctx, tx, bookingID)
		if err != nil || !sheet.Complete || b.Status == BookingDone {
			return err
		}
		return changeBookingStatus(ctx, tx, b, BookingDone, nil)
	})
	if err != nil {
		return AttendanceSheet{}, err
	}
	return s.Attendance(ctx, bookingID)
}

// Rate records staff's satisfaction rating (1–5) of a done session and
// feeds the provider's satisfaction and quality score.
func (s *Bookings) Rate(ctx context.Context, bookingID int64, satisfaction int) (Booking, error) {
	if satisfaction < 1 || satisfaction > 5 {
		return Booking{}, errs.NewInvalid("satisfaction", "error.invalid")
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		b, err := loadBooking(ctx, tx, "b.id = ?", bookingID)
		if err != nil {
			return err
		}
		if b.Status != BookingDone {
			return errs.NewInvalid("status", "error.booking_not_done")
		}
		if _, err := tx.Exec(ctx, "UPDATE bookings SET satisfaction = ?, updated_at = ? WHERE id = ?", satisfaction, time.Now().UTC(), bookingID); err != nil {
			return fmt.Errorf("crm: rate booking %d: %w", bookingID, err)
		}
		if _, err := AddEntry(ctx, tx, NewEntry{Kind: KindNote, Title: fmt.Sprintf("%s: satisfaction %d/5", RecordBooking, satisfaction),
			Data:  map[string]any{"record": RecordBooking, "id": bookingID, "satisfaction": satisfaction},
			Links: []Ref{{RecordBooking, bookingID}, {RecordRequest, b.RequestID}, {RecordProvider, b.ProviderID}}}); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "booking.rate", Entity: RecordBooking, EntityID: bookingID,
			Details: map[string]any{"satisfaction": satisfaction}}); err != nil {
			return err
		}
		return refreshSatisfaction(ctx, tx, b.ProviderID)
	})
	if err != nil {
		return Booking{}, err
	}
	return s.Get(ctx, bookingID)
}
