package crm

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
)

// consultationTiming is what the answer rate of a provider is computed from.
type consultationTiming struct {
	Status     string     `db:"status"`
	DueAt      time.Time  `db:"due_at"`
	SentAt     *time.Time `db:"sent_at"`
	AnsweredAt *time.Time `db:"answered_at"`
}

// answerStats returns a provider's answer rate — consultations answered or
// declined, over those closed or past due — and its mean answer time in
// hours (from the first mail to the answer). Consultations never mailed do
// not count against the provider. Nil when there is nothing to measure yet.
func answerStats(list []consultationTiming, now time.Time) (rate, hours *float64) {
	var counted, answered int
	var total time.Duration
	var timed int
	for _, c := range list {
		if c.SentAt == nil {
			continue
		}
		closed := c.Status == ConsultationAnswered || c.Status == ConsultationDeclined
		if closed || c.Status == ConsultationExpired || c.DueAt.Before(now) {
			counted++
		}
		if closed {
			answered++
			if c.AnsweredAt != nil {
				total += c.AnsweredAt.Sub(*c.SentAt)
				timed++
			}
		}
	}
	if counted > 0 {
		r := float64(answered) / float64(counted)
		rate = &r
	}
	if timed > 0 {
		h := math.Round(total.Hours()/float64(timed)*10) / 10
		hours = &h
	}
	return rate, hours
}

// refreshAnswerRate recomputes a provider's answer rate and answer time,
// then its quality score.
func refreshAnswerRate(ctx context.Context, q db.Querier, providerID int64, now time.Time) error {
	var list []consultationTiming
	if err := q.Select(ctx, &list, "SELECT status, due_at, sent_at, answered_at FROM consultations WHERE provider_id = ?", providerID); err != nil {
		return fmt.Errorf("crm: provider %d consultations: %w", providerID, err)
	}
	rate, hours := answerStats(list, now)
	if _, err := q.Exec(ctx, "UPDATE providers SET answer_rate = ?, answer_hours = ? WHERE id = ?", rate, hours, providerID); err != nil {
		return fmt.Errorf("crm: provider %d answer rate: %w", providerID, err)
	}
	return refreshQualityScore(ctx, q, providerID)
}

// refreshSatisfaction sets a provider's satisfaction to the mean of its
// done sessions' ratings, then its quality score. Staff rate sessions 1–5;
// the provider's satisfaction is shown out of 10, so the mean is doubled.
func refreshSatisfaction(ctx context.Context, q db.Querier, providerID int64) error {
	var mean *float64
	if err := q.Get(ctx, &mean, `SELECT AVG(CAST(satisfaction AS DOUBLE PRECISION)) FROM bookings
		WHERE provider_id = ? AND status = 'done' AND satisfaction IS NOT NULL`, providerID); err != nil {
		return fmt.Errorf("crm: provider %d satisfaction: %w", providerID, err)
	}
	if mean != nil {
		v := math.Round(*mean*2*10) / 10
		mean = &v
	}
	if _, err := q.Exec(ctx, "UPDATE providers SET satisfaction = ? WHERE id = ?", mean, providerID); err != nil {
		return fmt.Errorf("crm: provider %d satisfaction: %w", providerID, err)
	}
	return refreshQualityScore(ctx, q, providerID)
}

func refreshQualityScore(ctx context.Context, q db.Querier, providerID int64) error {
	var m Quality
	if err := q.Get(ctx, &m, "SELECT satisfaction, answer_rate, incidents, quality_score FROM providers WHERE id = ?", providerID); err != nil {
		return fmt.Errorf("crm: provider %d quality: %w", providerID, err)
	}
	if _, err := q.Exec(ctx, "UPDATE providers SET quality_score = ? WHERE id = ?",
		QualityScore(m.Satisfaction, m.AnswerRate, m.Incidents), providerID); err != nil {
		return fmt.Errorf("crm: provider %d quality: %w", providerID, err)
	}
	return nil
}

// Weights of the quality score: what clients think of the sessions counts
// more than how readily the provider answers.
const (
	QualityWeightSatisfaction = 0.7
	QualityWeightAnswerRate   = 0.3
	QualityIncidentPenalty    = 10.0
)

// QualityScore is a provider's score out of 100, to one decimal:
// 100 × (0.7 × satisfaction/10 + 0.3 × answer rate), minus 10 points per
// incident, never below 0. A part not measured yet is left out and the
// other takes the whole weight; nil when neither is measured.
func QualityScore(satisfaction, answerRate *float64, incidents int) *float64 {
	var sum, weight float64
	if satisfaction != nil {
		sum += QualityWeightSatisfaction * *satisfaction / 10
		weight += QualityWeightSatisfaction
	}
	if answerRate != nil {
		sum += QualityWeightAnswerRate * *answerRate
		weight += QualityWeightAnswerRate
	}
	if weight == 0 {
		return nil
	}
	score := math.Max(0, 100*sum/weight-QualityIncidentPenalty*float64(incidents))
	score = math.Round(score*10) / 10
	return &score
}
