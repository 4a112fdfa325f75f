package crm

import (
	"strings"
	"testing"
	"time"
)

// TestWriteICS: one VEVENT per slot, UTC times from Paris wall clock,
// escaped texts, lines of at most 75 octets ended by CRLF.
func TestWriteICS(t *testing.T) {
	day := time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)
	long := strings.Repeat("Sécurité électrique, habilitation; ", 4)
	s := CalendarSession{ClientBooking: ClientBooking{ID: 7, Title: long, Status: BookingConfirmed, Place: "Salle 2, Lyon\\Est",
		ProviderName: "Formapro", Slots: []Slot{{Day: day, Half: Morning, Start: "09:00", End: "12:30"},
			{Day: day, Half: Afternoon, Start: "13:30", End: "17:00"}}}, Trainees: []string{"Luc Morel"}}
	var b strings.Builder
	if err := WriteICS(&b, "Planning", []CalendarSession{s}, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Count(out, "BEGIN:VEVENT\r\n") != 2 || !strings.HasSuffix(out, "END:VCALENDAR\r\n") {
		t.Fatalf("events: %q", out)
	}
	for _, want := range []string{"DTSTART:20260312T080000Z\r\n", "DTEND:20260312T113000Z\r\n", "DTSTART:20260312T123000Z\r\n",
		"UID:session-7-20260312-am@courtier\r\n", `LOCATION:Salle 2\, Lyon\\Est` + "\r\n", `DESCRIPTION:Formapro\nLuc Morel` + "\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 || strings.Contains(l, "\n") {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	if !strings.Contains(unfolded, "SUMMARY:"+escapeICSText(long)+"\r\n") {
		t.Errorf("summary not folded back whole:\n%s", unfolded)
	}
}
