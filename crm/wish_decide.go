package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// ManagerDecide approves or refuses a wish as the employee's manager, or
// as HR taking the manager's step; refusing needs a reason. A wish v may
// not see is errs.ErrNotFound; one v may not decide (not a manager of the
// employee's department, or v's own wish) is errs.ErrForbidden.
func (s *Wishes) ManagerDecide(ctx context.Context, v Viewer, id int64, approve bool, reason string) (Wish, error) {
	to := WishManagerRefused
	if approve {
		to = WishManagerApproved
	}
	return s.move(ctx, v, id, ActManagerDecide, to, reason)
}

// HRArbitrate is HR's decision on a wish, with or without the manager's,
// and possibly against it (recorded as HROverrode; going against the
// manager, like refusing, needs a reason). An approved wish is sent to the
// broker at once as an individual request created by v: the wish returned
// is then sent, with its RequestID. When the request cannot be created,
// the wish stays hr_approved and is returned with the error; Send retries.
func (s *Wishes) HRArbitrate(ctx context.Context, v Viewer, id int64, approve bool, reason string) (Wish, error) {
	to := WishHRRefused
	if approve {
		to = WishHRApproved
	}
	w, err := s.move(ctx, v, id, ActArbitrate, to, reason)
	if err != nil || !approve {
		return w, err
	}
	return s.send(ctx, v, w)
}

// Withdraw withdraws a wish before HR decides; only its submitter may.
func (s *Wishes) Withdraw(ctx context.Context, v Viewer, id int64, reason string) (Wish, error) {
	return s.move(ctx, v, id, ActWithdraw, WishWithdrawn, reason)
}

// Send sends an HR-approved wish whose request could not be created.
func (s *Wishes) Send(ctx context.Context, v Viewer, id int64) (Wish, error) {
	w, err := s.GetFor(ctx, v, id)
	switch {
	case err != nil:
		return Wish{}, err
	case !v.Can(ActArbitrate, w.Resource()):
		return Wish{}, fmt.Errorf("crm: send wish %d as %s: %w", id, v.Role, errs.ErrForbidden)
	case w.Status != WishHRApproved:
		return Wish{}, errs.NewInvalid("status", "error.wish_status")
	}
	return s.send(ctx, v, w)
}

// move makes one move of WishMoves by action by, after the policy allowed it.
func (s *Wishes) move(ctx context.Context, v Viewer, id int64, by Action, to, reason string) (Wish, error) {
	ctx = v.context(ctx)
	reason = strings.TrimSpace(reason)
	var from string
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		w, err := getWishFor(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if !v.Can(by, w.Resource()) {
			return fmt.Errorf("crm: wish %d: %s as %s: %w", id, by, v.Role, errs.ErrForbidden)
		}
		m, ok := findWishMove(w.Status, to)
		switch {
		case !ok || m.By != by:
			return errs.NewInvalid("status", "error.wish_status")
		case m.NeedsReason && reason == "":
			return errs.NewInvalid("reason", "error.reason_required")
		}
		from = w.Status
		now := time.Now().UTC()
		set, args := "status = ?, updated_at = ?", []any{to, now}
		extra := map[string]any{}
		switch by {
		case ActManagerDecide:
			set += ", manager_decided_by = ?, manager_decided_at = ?, manager_reason = ?"
			args = append(args, v.UserID, now, reason)
		case ActArbitrate:
			overrode := (from == WishManagerRefused && to == WishHRApproved) || (from == WishManagerApproved && to == WishHRRefused)
			set += ", hr_decided_by = ?, hr_decided_at = ?, hr_reason = ?, hr_overrode = ?"
			args = append(args, v.UserID, now, reason, overrode)
			extra["overrode"] = overrode
		}
		// The status in the WHERE clause turns a concurrent move into a conflict.
		res, err := tx.Exec(ctx, "UPDATE wishes SET "+set+" WHERE id = ? AND status = ?", append(args, id, from)...)
		if err != nil {
			return fmt.Errorf("crm: move wish %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("crm: wish %d moved meanwhile: %w", id, errs.ErrConflict)
		}
		return recordWishMove(ctx, tx, v, w, from, to, reason, extra)
	})
	if err != nil {
		return Wish{}, err
	}
	return s.committed(ctx, v, id, from)
}

// send creates the individual request of an HR-approved wish (with its
// tracks, timeline and audit, as one raised by v in the extranet) and marks
// the wish sent, in one transaction: either both happen or neither.
func (s *Wishes) send(ctx context.Context, v Viewer, w Wish) (Wish, error) {
	ctx = v.context(ctx)
	in := RequestInput{ClientID: w.ClientID, Kind: "individual", EmployeeIDs: []int64{w.EmployeeID},
		Topic: w.Topic, Description: w.Description, Objectives: w.Justification, PeriodFrom: w.PeriodFrom, PeriodTo: w.PeriodTo,
		BudgetCents: w.EstimatedCostCents}
	if err := prepareRequest(ctx, &in); err != nil {
		return w, fmt.Errorf("crm: send wish %d to the broker: %w", w.ID, err)
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		reqID, err := createRequest(ctx, tx, in)
		if err != nil {
			return fmt.Errorf("crm: send wish %d to the broker: %w", w.ID, err)
		}
		res, err := tx.Exec(ctx, "UPDATE wishes SET status = ?, request_id = ?, updated_at = ? WHERE id = ? AND status = ?",
			WishSent, reqID, time.Now().UTC(), w.ID, WishHRApproved)
		if err != nil {
			return fmt.Errorf("crm: mark wish %d sent: %w", w.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("crm: wish %d moved meanwhile: %w", w.ID, errs.ErrConflict)
		}
		w.RequestID = &reqID
		extra := map[string]any{"request_id": reqID, "on_behalf": w.OnBehalf, "cpf_cofunding": w.CPFCoFunding}
		if w.CPFAmountCents != nil {
			extra["cpf_amount_cents"] = *w.CPFAmountCents
		}
		if w.InterviewDate != nil {
			extra["interview_date"] = w.InterviewDate.Format(time.DateOnly)
		}
		return recordWishMove(ctx, tx, v, w, WishHRApproved, WishSent, "", extra)
	})
	if err != nil {
		return w, err
	}
	return s.committed(ctx, v, w.ID, WishHRApproved)
}
