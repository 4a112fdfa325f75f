package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Remind sends the consultation again with a new link (older links stop
// working) and a new due date (DefaultAnswerDays from now when zero). An
// expired consultation is reopened. The mail leaves after the commit.
func (s *Consultations) Remind(ctx context.Context, id int64, due time.Time) (Consultation, error) {
	now := s.now().UTC()
	if due.IsZero() {
		due = now.AddDate(0, 0, DefaultAnswerDays)
	}
	if !due.After(now) {
		return Consultation{}, errs.NewInvalid("due_at", "error.date_past")
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		c, err := loadConsultation(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Status != ConsultationSent && c.Status != ConsultationExpired {
			return errs.NewInvalid("status", "error.consultation_closed")
		}
		res, err := tx.Exec(ctx, `UPDATE consultations SET status = ?, due_at = ?, token_seq = token_seq + 1, updated_at = ?
			WHERE id = ? AND token_seq = ?`, ConsultationSent, due.UTC(), now, id, c.TokenSeq)
		if err != nil {
			return fmt.Errorf("crm: remind consultation %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("crm: consultation %d changed meanwhile: %w", id, errs.ErrConflict)
		}
		if c.Status == ConsultationExpired {
			if err := RecordStatusChange(ctx, tx, Ref{RecordConsultation, id}, c.Status, ConsultationSent, "",
				consultationLinks(c)[:3]...); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "consultation.remind", Entity: RecordConsultation, EntityID: id})
	})
	if err != nil {
		return Consultation{}, err
	}
	if err := s.mailConsultation(ctx, id, true); err != nil {
		return Consultation{}, err
	}
	return s.Get(ctx, id)
}

// UnansweredFilter selects consultations waiting for an answer.
type UnansweredFilter struct {
	RequestID int64
	// OwnerID keeps the requests a staff member answers for (see mineCond).
	OwnerID     int64
	OverdueOnly bool
	Page        Page
}

// Unanswered lists the consultations still sent or expired (the ones to
// remind), earliest due first: never-mailed ones have SentAt nil.
func (s *Consultations) Unanswered(ctx context.Context, f UnansweredFilter) ([]Consultation, int, error) {
	where, args := []string{"k.status IN ('sent', 'expired')"}, []any{}
	if f.RequestID != 0 {
		where, args = append(where, "k.request_id = ?"), append(args, f.RequestID)
	}
	if f.OwnerID != 0 {
		where = append(where, "k.request_id IN (SELECT r.id FROM requests r WHERE "+mineCond("TRUE")+")")
		args = append(args, f.OwnerID, f.OwnerID)
	}
	if f.OverdueOnly {
		where, args = append(where, "k.due_at < ?"), append(args, s.now().UTC())
	}
	rows, total, err := selectPage[Consultation](ctx, s.db, "consultations", consultationColumns, consultationFrom,
		" WHERE "+strings.Join(where, " AND "), "k.due_at, k.id", args, f.Page)
	for i := range rows {
		rows[i].DatesOffered = strings.Fields(rows[i].DatesList)
	}
	return rows, total, err
}

// ExpireOverdue closes the consultations whose link has expired (due date
// plus TokenGrace) without answer, and updates their providers' answer
// rate; a background job calls it. It returns how many expired.
func (s *Consultations) ExpireOverdue(ctx context.Context) (int, error) {
	now := s.now().UTC()
	n := 0
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		list, err := loadConsultations(ctx, tx, "k.status = 'sent' AND k.due_at < ? ORDER BY k.id", now.Add(-TokenGrace))
		if err != nil {
			return err
		}
		for _, c := range list {
			if err := closeConsultation(ctx, tx, c, closing{To: ConsultationExpired}, now); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}
