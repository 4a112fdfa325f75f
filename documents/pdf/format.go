package pdf

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// Money and dates come from internal/i18n so that PDFs, pages and mails
// print them alike; what is here is only what i18n has no use for.

func (p *page) money(cents int64) string { return i18n.Money(p.lang, cents) }

func (p *page) date(t time.Time) string { return i18n.Date(p.lang, t) }

var weekdays = map[string][7]string{
	i18n.FR: {"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
	i18n.EN: {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
}

// day is the date with its weekday: "lun. 05/10/2026", "Mon 5 Oct 2026".
func (p *page) day(t time.Time) string {
	return weekdays[p.lang][t.In(i18n.Paris).Weekday()] + " " + p.date(t)
}

// clock is the time of day in Paris, 24-hour as i18n.DateTime prints it.
func clock(t time.Time) string { return t.In(i18n.Paris).Format("15:04") }

// times is a slot's timetable: "09:00–12:30".
func times(s Slot) string { return clock(s.Start) + "–" + clock(s.End) }

// duration prints minutes as hours and minutes: "14 h", "10 h 30" (fr) or
// "10 h 30 min" (en).
func (p *page) duration(minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case m == 0:
		return fmt.Sprintf("%d\u00a0h", h)
	case p.lang == i18n.EN:
		return fmt.Sprintf("%d\u00a0h\u00a0%02d\u00a0min", h, m)
	default:
		return fmt.Sprintf("%d\u00a0h\u00a0%02d", h, m)
	}
}

// period is "du 05/10/2026 au 09/10/2026", or "le 05/10/2026" for one day.
func (p *page) period(first, last time.Time) string {
	if first.IsZero() {
		return ""
	}
	if p.date(first) == p.date(last) {
		return p.t("period.one", p.date(first))
	}
	return p.t("period.span", p.date(first), p.date(last))
}

// decimal prints n hundredths with the language's decimal mark, without
// trailing zeros: 150 → "1,5", 1200 → "12".
func (p *page) decimal(n int64) string {
	s := strconv.FormatInt(n/100, 10)
	if n < 0 && n > -100 {
		s = "-" + s
	}
	if frac := abs(n % 100); frac != 0 {
		mark := ","
		if p.lang == i18n.EN {
			mark = "."
		}
		s += mark + strings.TrimRight(fmt.Sprintf("%02d", frac), "0")
	}
	return s
}

// rate prints a VAT rate in basis points: 2000 → "20 %" (fr) or "20%" (en).
func (p *page) rate(bp int64) string {
	if p.lang == i18n.EN {
		return p.decimal(bp) + "%"
	}
	return p.decimal(bp) + "\u00a0%"
}

// category is the label of an L6313-1 category.
func (p *page) category(c Category) string {
	if c == "" {
		c = CategoryTraining
	}
	return p.t("category." + string(c))
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// labelled is "Formateur : X" (fr) or "Trainer: X" (en), empty without a value.
func (p *page) labelled(key, value string) string {
	if value == "" {
		return ""
	}
	return p.t("label", p.t(key), value)
}
