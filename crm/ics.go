package crm

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// RecordCalendarFeed is the audit entity of calendar feeds.
const RecordCalendarFeed = "calendar_feed"

// CalendarFeeds are the private calendar feeds of extranet users: a
// random token, shown once and kept hashed, gives the sessions its user
// sees to a calendar application, without a session cookie.
type CalendarFeeds struct {
	db *db.DB
}

// NewCalendarFeeds returns the calendar feed service.
func NewCalendarFeeds(d *db.DB) *CalendarFeeds { return &CalendarFeeds{db: d} }

// CalendarFeed is a user's active feed; its token is not kept.
type CalendarFeed struct {
	ID        int64     `db:"id"`
	UserID    int64     `db:"user_id"`
	CreatedAt time.Time `db:"created_at"`
}

func hashFeedToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ActiveFor returns v's active feed, nil when v has none.
func (s *CalendarFeeds) ActiveFor(ctx context.Context, v Viewer) (*CalendarFeed, error) {
	var out []CalendarFeed
	if err := s.db.Select(ctx, &out, "SELECT id, user_id, created_at FROM calendar_feeds WHERE user_id = ? AND revoked_at IS NULL",
		v.UserID); err != nil {
		return nil, fmt.Errorf("crm: calendar feed of user %d: %w", v.UserID, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return &out[0], nil
}

// CreateFor gives v a new feed, revoking the one v had, and returns its
// token: the only time it can be read.
func (s *CalendarFeeds) CreateFor(ctx context.Context, v Viewer) (string, error) {
	if v.ClientID == 0 || v.UserID == 0 {
		return "", fmt.Errorf("crm: calendar feed without a user: %w", errs.ErrForbidden)
	}
	ctx = v.context(ctx)
	token := rand.Text()
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		now := time.Now().UTC()
		if _, err := tx.Exec(ctx, "UPDATE calendar_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now, v.UserID); err != nil {
			return fmt.Errorf("crm: revoke calendar feed of user %d: %w", v.UserID, err)
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?) RETURNING id`,
			v.UserID, hashFeedToken(token), now)
		if err != nil {
			return fmt.Errorf("crm: create calendar feed: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "calendar_feed.create", Entity: RecordCalendarFeed, EntityID: id})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeFor revokes v's feed, if any: its token is then unknown.
func (s *CalendarFeeds) RevokeFor(ctx context.Context, v Viewer) error {
	ctx = v.context(ctx)
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE calendar_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
			time.Now().UTC(), v.UserID)
		if err != nil {
			return fmt.Errorf("crm: revoke calendar feed of user %d: %w", v.UserID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Event{Action: "calendar_feed.revoke", Entity: RecordCalendarFeed, EntityID: v.UserID})
	})
}

// UserOf returns the user of an active feed's token; an unknown or
// revoked token is errs.ErrNotFound.
func (s *CalendarFeeds) UserOf(ctx context.Context, token string) (int64, error) {
	var userID int64
	if err := s.db.Get(ctx, &userID, "SELECT user_id FROM calendar_feeds WHERE token_hash = ? AND revoked_at IS NULL",
		hashFeedToken(token)); err != nil {
		return 0, fmt.Errorf("crm: calendar feed: %w", err)
	}
	return userID, nil
}

// CalendarSession is a session as calendars show it: what the client sees
// of it, with its slots and the names of the trainees the viewer may see.
type CalendarSession struct {
	ClientBooking
	Trainees []string
}

// calendarMax is the most sessions a calendar reads.
const calendarMax = 500

// CalendarFor returns the sessions v may see that have a slot between from
// and to (days, inclusive), with their slots and trainees, by first slot.
func (s *Bookings) CalendarFor(ctx context.Context, v Viewer, from, to time.Time) ([]CalendarSession, error) {
	list, _, err := s.ListFor(ctx, v, BookingFilter{From: &from, To: &to, Page: Page{Size: calendarMax}})
	if err != nil {
		return nil, err
	}
	empScope, empArgs := v.scope(RecordEmployee)
	out := make([]CalendarSession, 0, len(list))
	for _, b := range list {
		full, err := s.GetFor(ctx, v, b.ID)
		if err != nil {
			return nil, err
		}
		cs := CalendarSession{ClientBooking: full}
		if err := s.db.Select(ctx, &cs.Trainees, `SELECT TRIM(e.first_name || ' ' || e.last_name) FROM booking_trainees bt
			JOIN employees e ON e.id = bt.employee_id WHERE bt.booking_id = ? AND `+empScope+` ORDER BY e.last_name, e.first_name, e.id`,
			append([]any{b.ID}, empArgs...)...); err != nil {
			return nil, fmt.Errorf("crm: trainees of session %d: %w", b.ID, err)
		}
		out = append(out, cs)
	}
	first := func(c CalendarSession) time.Time {
		if len(c.Slots) == 0 {
			return time.Time{}
		}
		return c.Slots[0].Day
	}
	for i := 1; i < len(out); i++ { // insertion sort: a month holds few sessions
		for j := i; j > 0 && first(out[j]).Before(first(out[j-1])); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// SlotTimes returns when a slot starts and ends: its day at its Paris
// wall-clock times.
func SlotTimes(sl Slot) (time.Time, time.Time) {
	at := func(hhmm string) time.Time {
		m := max(clockMinutes(hhmm), 0)
		y, mo, d := sl.Day.Date()
		return time.Date(y, mo, d, m/60, m%60, 0, 0, i18n.Paris)
	}
	return at(sl.Start), at(sl.End)
}

// WriteICS writes sessions as an iCalendar (RFC 5545) feed named name:
// one VEVENT per half-day slot, times in UTC, a UID stable across
// reads (session, day and half), lines folded at 75 octets and ended by
// CRLF. stamp is the DTSTAMP of every event (when the feed is read).
func WriteICS(w io.Writer, name string, sessions []CalendarSession, stamp time.Time) error {
	var b strings.Builder
	line := func(prop, value string) { writeFolded(&b, prop+":"+value) }
	text := func(prop, value string) { line(prop, escapeICSText(value)) }
	utc := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Courtier//Extranet//FR")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	text("X-WR-CALNAME", name)
	for _, s := range sessions {
		status := "CONFIRMED"
		switch s.Status {
		case BookingPlanned:
			status = "TENTATIVE"
		case BookingCancelled:
			status = "CANCELLED"
		}
		location := s.Place
		if s.Remote || location == "" {
			location = s.RemoteURL
		}
		desc := s.ProviderName
		if len(s.Trainees) > 0 {
			desc += "\n" + strings.Join(s.Trainees, ", ")
		}
		for _, sl := range s.Slots {
			start, end := SlotTimes(sl)
			line("BEGIN", "VEVENT")
			line("UID", fmt.Sprintf("session-%d-%s-%s@courtier", s.ID, sl.Day.Format("20060102"), sl.Half))
			line("DTSTAMP", utc(stamp))
			line("DTSTART", utc(start))
			line("DTEND", utc(end))
			text("SUMMARY", s.Title)
			if location != "" {
				text("LOCATION", location)
			}
			if desc != "" {
				text("DESCRIPTION", desc)
			}
			line("STATUS", status)
			line("END", "VEVENT")
		}
	}
	line("END", "VCALENDAR")
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeICSText escapes a TEXT value: backslash, semicolon, comma and newlines.
func escapeICSText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// writeFolded writes a content line folded at 75 octets, never inside a
// UTF-8 sequence: each continuation starts with a space.
func writeFolded(b *strings.Builder, l string) {
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		b.WriteString(l[:cut])
		b.WriteString("\r\n ")
		l = l[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(l)
	b.WriteString("\r\n")
}
