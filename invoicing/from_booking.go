package invoicing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// sale is what a booking sells, read for its invoices.
type sale struct {
	BookingID  int64      `db:"id"`
	ClientID   int64      `db:"client_id"`
	ProposalID int64      `db:"proposal_id"`
	Title      string     `db:"title"`
	Status     string     `db:"status"`
	Bearer     string     `db:"cancel_cost_bearer"`
	Price      int64      `db:"price_cents"`
	Remote     bool       `db:"remote"`
	Format     string     `db:"format"`
	Mode       string     `db:"contracting_mode"`
	Lang       string     `db:"doc_language"`
	First      *time.Time `db:"-"`
	Last       *time.Time `db:"-"`
	Minutes    int        `db:"-"`
	Trainees   []string   `db:"-"`
	CreatedAt  time.Time  `db:"created_at"`
}

func loadSale(ctx context.Context, q db.Querier, bookingID int64) (sale, error) {
	var s sale
	err := q.Get(ctx, &s, `SELECT b.id, r.client_id, pl.proposal_id, b.title, b.status, b.cancel_cost_bearer, b.price_cents,
		b.remote, r.format, p.contracting_mode, c.doc_language, b.created_at
		FROM bookings b JOIN requests r ON r.id = b.request_id JOIN clients c ON c.id = r.client_id
		JOIN proposal_lines pl ON pl.id = b.proposal_line_id JOIN proposals p ON p.id = pl.proposal_id
		WHERE b.id = ?`, bookingID)
	if err != nil {
		return sale{}, fmt.Errorf("invoicing: booking %d: %w", bookingID, err)
	}
	var slots []struct {
		Day   time.Time `db:"day"`
		Start string    `db:"start_time"`
		End   string    `db:"end_time"`
	}
	if err := q.Select(ctx, &slots, `SELECT day, start_time, end_time FROM booking_slots WHERE booking_id = ? ORDER BY day`,
		bookingID); err != nil {
		return sale{}, err
	}
	for _, sl := range slots {
		s.Minutes += clock(sl.End) - clock(sl.Start)
	}
	if len(slots) > 0 {
		first, last := slots[0].Day, slots[len(slots)-1].Day
		s.First, s.Last = &first, &last
	}
	if err := q.Select(ctx, &s.Trainees, `SELECT TRIM(e.first_name || ' ' || e.last_name) FROM booking_trainees t
		JOIN employees e ON e.id = t.employee_id WHERE t.booking_id = ? ORDER BY e.last_name, e.first_name`, bookingID); err != nil {
		return sale{}, err
	}
	return s, nil
}

func clock(hhmm string) int {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return h*60 + m
}

// kind is the service sold: an inter-company session held at a place is
// admission to an event (its place of supply is where it is held); the
// rest is training.
func (s sale) kind() (tax.ServiceKind, string) {
	if s.Format == "inter" && !s.Remote {
		return tax.TrainingEvent, "FR"
	}
	return tax.TrainingFPC, ""
}

// detail is what a line says under its title: dates, trainees, hours.
func (s sale) detail(lang string) string {
	var parts []string
	if s.First != nil {
		if s.Last != nil && !s.Last.Equal(*s.First) {
			parts = append(parts, pick(lang, "Du %s au %s", "From %s to %s", i18n.Date(lang, *s.First), i18n.Date(lang, *s.Last)))
		} else {
			parts = append(parts, pick(lang, "Le %s", "On %s", i18n.Date(lang, *s.First)))
		}
	}
	if s.Minutes > 0 {
		parts = append(parts, pick(lang, "%s h", "%s h", hours(s.Minutes)))
	}
	if len(s.Trainees) > 0 {
		parts = append(parts, pick(lang, "Stagiaires : %s", "Trainees: %s", strings.Join(s.Trainees, ", ")))
	}
	return strings.Join(parts, " — ")
}

func hours(minutes int) string {
	if minutes%60 == 0 {
		return fmt.Sprint(minutes / 60)
	}
	return fmt.Sprintf("%d,%02d", minutes/60, minutes%60*100/60)
}

func pick(lang, fr, en string, args ...any) string {
	if lang == "en" {
		return fmt.Sprintf(en, args...)
	}
	return fmt.Sprintf(fr, args...)
}

// DraftsFromBooking makes the drafts that invoice a booking at the client
// price of the accepted proposal: one to the client, and when an OPCO
// funds it (payer plan) one to the OPCO for its share and one to the
// client for the rest. Deposit invoices already issued for the proposal
// are deducted (final invoice). Drafts already made are returned as they
// are; a booking already invoiced is refused.
func (s *Service) DraftsFromBooking(ctx context.Context, bookingID int64) ([]Invoice, error) {
	var ids []int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		sl, err := loadSale(ctx, tx, bookingID)
		if err != nil {
			return err
		}
		switch {
		case sl.Mode == "referral":
			// The provider invoices the client; the broker only its commission.
			return errs.NewInvalid("booking", "error.referral_not_invoiced")
		case sl.Status == "cancelled" && sl.Bearer != "client":
			return errs.NewInvalid("booking", "error.cancelled_not_invoiced")
		}
		var existing []struct {
			ID     int64  `db:"id"`
			Status string `db:"status"`
		}
		if err := tx.Select(ctx, &existing, `SELECT i.id, i.status FROM invoices i WHERE i.booking_id = ? AND i.kind = 'invoice'
			AND i.purpose <> 'deposit' AND NOT EXISTS (SELECT 1 FROM invoices cn WHERE cn.corrects_id = i.id
				AND cn.status = 'issued' AND cn.due_cents = -i.due_cents) ORDER BY i.id`, bookingID); err != nil {
			return err
		}
		for _, e := range existing {
			if e.Status == StatusIssued {
				return conflict{fmt.Errorf("invoicing: booking %d is already invoiced", bookingID)}
			}
			ids = append(ids, e.ID)
		}
		if len(ids) > 0 {
			return nil
		}
		ids, err = s.draftsFor(ctx, tx, sl)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Invoice, 0, len(ids))
	for _, id := range ids {
		inv, err := s.Preview(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, nil
}

func (s *Service) draftsFor(ctx context.Context, tx *db.Tx, sl sale) ([]int64, error) {
	kind, country := sl.kind()
	lang := or(sl.Lang, "fr")
	base := DraftInput{ClientID: sl.ClientID, BookingID: &sl.BookingID, ProposalID: &sl.ProposalID, Lang: lang,
		ServiceStart: sl.First, ServiceEnd: sl.Last}
	line := LineInput{Label: sl.Title, Detail: sl.detail(lang), ServiceKind: kind, EventCountry: country,
		QuantityMilli: 1000, Unit: "session", UnitPrice: sl.Price, BookingID: &sl.BookingID}
	var deposits []int64
	if err := tx.Select(ctx, &deposits, `SELECT d.id FROM invoices d WHERE d.purpose = 'deposit' AND d.status = 'issued'
		AND d.payer = 'client' AND (d.booking_id = ? OR d.proposal_id = ?)
		AND NOT EXISTS (SELECT 1 FROM invoice_deposits x WHERE x.deposit_id = d.id) ORDER BY d.id`,
		sl.BookingID, sl.ProposalID); err != nil {
		return nil, err
	}
	plan, err := loadPayerPlan(ctx, tx, sl.BookingID)
	if errors.Is(err, errs.ErrNotFound) {
		in := base
		in.Lines = []LineInput{line}
		if len(deposits) > 0 {
			in.Purpose, in.DepositIDs = PurposeFinal, deposits
		}
		if err := in.normalize(); err != nil {
			return nil, err
		}
		id, err := s.insertDraft(ctx, tx, in)
		return []int64{id}, err
	} else if err != nil {
		return nil, err
	}
	// The OPCO's share excluding VAT, at the rate the client's line gets.
	seller, err := sellerOn(ctx, tx, s.today())
	if err != nil {
		return nil, err
	}
	supply := s.today()
	if sl.Last != nil {
		supply = *sl.Last
	}
	d, err := tax.Decide(tax.Input{Seller: seller.Seller(), Regime: tax.FRB2B, Kind: kind, SupplyDate: supply, EventCountry: country})
	if err != nil {
		return nil, errs.NewInvalid("booking", "error.tax_undecided")
	}
	share := plan.share(sl.Price, d.RateBP)
	opco := base
	opco.Payer = PayerOPCO
	opcoLine := line
	opcoLine.UnitPrice = share
	opcoLine.Detail = strings.Join(nonEmpty(line.Detail, pick(lang, "Dossier OPCO n° %s", "OPCO file no. %s", plan.FileNumber)), " — ")
	opco.Lines = []LineInput{opcoLine}
	if err := opco.normalize(); err != nil {
		return nil, err
	}
	opcoID, err := s.insertDraft(ctx, tx, opco)
	if err != nil {
		return nil, err
	}
	ids := []int64{opcoID}
	if rest := sl.Price - share; rest > 0 {
		client := base
		clientLine := line
		clientLine.UnitPrice = rest
		clientLine.Detail = strings.Join(nonEmpty(line.Detail, pick(lang,
			"Prix total %s HT, dont %s HT pris en charge par %s et facturés directement à l'OPCO",
			"Total price %s excl. VAT, of which %s excl. VAT funded by %s and invoiced to it directly",
			i18n.Money(lang, sl.Price), i18n.Money(lang, share), plan.OPCOName)), " — ")
		client.Lines = []LineInput{clientLine}
		if len(deposits) > 0 {
			client.Purpose, client.DepositIDs = PurposeFinal, deposits
		}
		if err := client.normalize(); err != nil {
			return nil, err
		}
		id, err := s.insertDraft(ctx, tx, client)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
