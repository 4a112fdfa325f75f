package crm

import (
	"testing"
	"time"
)

func TestQualityScore(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		satisfaction, answerRate *float64
		incidents                int
		want                     *float64
	}{
		{nil, nil, 0, nil},
		{f(10), f(1), 0, f(100)},
		{f(8), f(0.5), 0, f(71)},         // 100 × (0.7 × 0.8 + 0.3 × 0.5)
		{f(8), nil, 0, f(80)},            // satisfaction alone takes the whole weight
		{nil, f(0.75), 0, f(75)},         // answer rate alone
		{f(8), f(0.5), 2, f(51)},         // 10 points per incident
		{f(2), f(0), 3, f(0)},            // never below 0
		{f(7.3), f(2.0 / 3), 0, f(71.1)}, // 51.1 + 20 = 71.1, to one decimal
	}
	for _, c := range cases {
		got := QualityScore(c.satisfaction, c.answerRate, c.incidents)
		if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
			t.Errorf("QualityScore(%v, %v, %d) = %v, want %v", deref(c.satisfaction), deref(c.answerRate), c.incidents, deref(got), deref(c.want))
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestAnswerStats(t *testing.T) {
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	sent := now.AddDate(0, 0, -10)
	at := func(hours int) *time.Time { x := sent.Add(time.Duration(hours) * time.Hour); return &x }
	list := []consultationTiming{
		{Status: ConsultationAnswered, DueAt: now.AddDate(0, 0, -3), SentAt: &sent, AnsweredAt: at(24)},
		{Status: ConsultationDeclined, DueAt: now.AddDate(0, 0, -3), SentAt: &sent, AnsweredAt: at(48)},
		{Status: ConsultationExpired, DueAt: now.AddDate(0, 0, -8), SentAt: &sent},
		{Status: ConsultationSent, DueAt: now.AddDate(0, 0, -1), SentAt: &sent}, // past due: counts against
		{Status: ConsultationSent, DueAt: now.AddDate(0, 0, 2), SentAt: &sent},  // not due yet: not counted
		{Status: ConsultationSent, DueAt: now.AddDate(0, 0, -5)},                // never mailed: not counted
	}
	rate, hours := answerStats(list, now)
	if rate == nil || *rate != 0.5 {
		t.Errorf("rate: got %v, want 0.5 (2 answered of 4 counted)", deref(rate))
	}
	if hours == nil || *hours != 36 {
		t.Errorf("hours: got %v, want 36", deref(hours))
	}
	if rate, hours := answerStats(list[4:], now); rate != nil || hours != nil {
		t.Errorf("nothing to measure: got %v %v", deref(rate), deref(hours))
	}
}
