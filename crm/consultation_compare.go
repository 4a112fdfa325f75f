package crm

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/geo"
)

// ComparisonRow is one consultation of a request beside the others.
type ComparisonRow struct {
	Consultation
	// PriceInclVATCents adds 20 % to a taxable quote; exempt and franchise quotes carry no VAT.
	PriceInclVATCents *int64 `json:"price_incl_vat_cents,omitempty"`
	// DistanceKm is from the request's commune to the provider; nil when the request is remote or a place is unknown.
	DistanceKm   *float64 `json:"distance_km,omitempty"`
	Qualiopi     bool     `db:"qualiopi_actions" json:"qualiopi"`
	QualityScore *float64 `db:"quality_score" json:"quality_score"`
	AnswerRate   *float64 `db:"answer_rate" json:"answer_rate"`
	Latitude     *float64 `db:"latitude" json:"-"`
	Longitude    *float64 `db:"longitude" json:"-"`
}

// Compare returns the consultations of a request side by side: answers by
// price excluding VAT, then declines, then those still waiting.
func (s *Consultations) Compare(ctx context.Context, requestID int64) ([]ComparisonRow, error) {
	r, err := loadRequest(ctx, s.db, "r.id = ?", requestID)
	if err != nil {
		return nil, err
	}
	var rows []ComparisonRow
	if err := s.db.Select(ctx, &rows, "SELECT "+consultationColumns+`, p.qualiopi_actions, p.quality_score, p.answer_rate,
		p.latitude, p.longitude`+consultationFrom+` WHERE k.request_id = ?
		ORDER BY CASE k.status WHEN 'answered' THEN 0 WHEN 'declined' THEN 1 ELSE 2 END, k.price_cents, k.id`, requestID); err != nil {
		return nil, fmt.Errorf("crm: compare request %d: %w", requestID, err)
	}
	for i := range rows {
		row := &rows[i]
		row.DatesOffered = strings.Fields(row.DatesList)
		if row.PriceCents != nil {
			incl := *row.PriceCents
			if row.VATStatus == "taxable" {
				incl += (*row.PriceCents*StandardVATBasisPoints + 5000) / 10000
			}
			row.PriceInclVATCents = &incl
		}
		row.DistanceKm = requestDistance(r, row.Latitude, row.Longitude)
	}
	return rows, nil
}

// requestDistance is the distance in km from the request's commune to a
// provider, to one decimal; nil for a remote request or an unknown place.
func requestDistance(r Request, lat, lon *float64) *float64 {
	c, ok := geo.CommuneByCode(r.CommuneCode)
	if r.Remote || !ok || !c.HasCoordinates || lat == nil || lon == nil {
		return nil
	}
	d := math.Round(geo.DistanceKm(c.Lat, c.Lon, *lat, *lon)*10) / 10
	return &d
}

// Retain marks an answered consultation as retained for the proposal (or
// not any more).
func (s *Consultations) Retain(ctx context.Context, id int64, retained bool) (Consultation, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		c, err := loadConsultation(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Status != ConsultationAnswered {
			return errs.NewInvalid("status", "error.not_answered")
		}
		if c.Retained == retained {
			return nil
		}
		if _, err := tx.Exec(ctx, "UPDATE consultations SET retained = ?, updated_at = ? WHERE id = ?", retained, s.now().UTC(), id); err != nil {
			return fmt.Errorf("crm: retain consultation %d: %w", id, err)
		}
		from, to := "answered", "retained"
		if !retained {
			from, to = to, from
		}
		links := consultationLinks(c)
		if err := RecordStatusChange(ctx, tx, links[3], from, to, "", links[:3]...); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "consultation.retain", Entity: RecordConsultation, EntityID: id,
			Details: map[string]any{"retained": retained}})
	})
	if err != nil {
		return Consultation{}, err
	}
	return s.Get(ctx, id)
}

// NotifyNotRetained sends the polite "not retained" mail to every provider
// that answered the request and was not retained, once each; it needs a
// retained answer first. It returns how many mails left.
func (s *Consultations) NotifyNotRetained(ctx context.Context, requestID int64) (int, error) {
	list, err := loadConsultations(ctx, s.db, "k.request_id = ? AND k.status = 'answered' ORDER BY k.id", requestID)
	if err != nil {
		return 0, err
	}
	if !slices.ContainsFunc(list, func(c Consultation) bool { return c.Retained }) {
		return 0, errs.NewInvalid("retained", "error.none_retained")
	}
	r, err := loadRequest(ctx, s.db, "r.id = ?", requestID)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, c := range list {
		if c.Retained || c.NotRetainedSentAt != nil {
			continue
		}
		text := notRetainedMail(c.Language, r, c)
		if _, err := s.mail.Send(ctx, Outgoing{To: []MailAddress{{Name: c.ContactName, Email: c.Email}}, Subject: text.Subject,
			Text: text.Body, Links: consultationLinks(c)}); err != nil {
			return sent, fmt.Errorf("crm: mail not retained to %s: %w", c.ProviderName, err)
		}
		if err := s.db.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, "UPDATE consultations SET not_retained_sent_at = ? WHERE id = ?", s.now().UTC(), c.ID); err != nil {
				return fmt.Errorf("crm: consultation %d: %w", c.ID, err)
			}
			return audit.Record(ctx, tx, audit.Event{Action: "consultation.not_retained", Entity: RecordConsultation, EntityID: c.ID})
		}); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}
