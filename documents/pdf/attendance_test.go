package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestAttendanceLarge: 40 trainees over 10 days (20 half-days) split into
// two page sides of five days and as few row pages as fit, each page with
// its header rows, the trainer's row and "n/N".
func TestAttendanceLarge(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			sheet := attendance(t, lang, 40, 10)
			var b bytes.Buffer
			if err := Render(&b, sheet, nil); err != nil {
				t.Fatal(err)
			}
			qpdfCheck(t, b.Bytes())
			texts := pages(t, b.Bytes())
			// 14 rows fit under the title: 3 row pages × 2 sides.
			if len(texts) != 6 {
				t.Errorf("got %d pages, want 6", len(texts))
			}
			p := &page{lang: lang}
			morning, trainer := p.t("slot.morning"), p.t("sheet.trainer")
			seen := map[string]int{}
			for i, text := range texts {
				flat := flatten(text)
				if want := fmt.Sprintf("%d/%d", i+1, len(texts)); !strings.Contains(flat, want) {
					t.Errorf("page %d: no %q", i+1, want)
				}
				// Five days a side: five mornings, five afternoons.
				if got := strings.Count(flat, morning+" "); got != 5 {
					t.Errorf("page %d: %d morning columns, want 5", i+1, got)
				}
				if got := strings.Count(flat, "09:00–12:30") + strings.Count(flat, "13:30–17:00"); got != 10 {
					t.Errorf("page %d: %d half-day timetables, want 10", i+1, got)
				}
				if !strings.Contains(flat, trainer) || !strings.Contains(flat, "François Mercœur") {
					t.Errorf("page %d: no trainer row", i+1)
				}
				for _, tr := range sheet.Trainees {
					seen[tr.Name] += strings.Count(flat, tr.Name)
				}
				for _, day := range sheet.Action.days() {
					seen[p.day(day[0].Start)] += strings.Count(flat, p.day(day[0].Start))
				}
			}
			// Each trainee is on one page of each side; each day heads the
			// three row pages of its side.
			for _, tr := range sheet.Trainees {
				if seen[tr.Name] != 2 {
					t.Errorf("%s appears %d times, want 2", tr.Name, seen[tr.Name])
				}
			}
			for _, day := range sheet.Action.days() {
				if d := p.day(day[0].Start); seen[d] != 3 {
					t.Errorf("day %s heads %d pages, want 3", d, seen[d])
				}
			}
			if t.Failed() {
				t.Logf("page 1:\n%s", texts[0])
			}
		})
	}
}

// TestAttendanceSmall: a one-day session of three fits one page; no trainee
// list gives blank lines to fill in by hand; no half-day is an error.
func TestAttendanceSmall(t *testing.T) {
	texts := pages(t, mustRender(t, attendance(t, "fr", 3, 1)))
	if len(texts) != 1 || !strings.Contains(flatten(texts[0]), "Stagiaires 1 à 3 sur 3") {
		t.Errorf("one page with three trainees expected:\n%s", strings.Join(texts, "\f"))
	}
	blank := attendance(t, "fr", 0, 1)
	if texts := pages(t, mustRender(t, blank)); !strings.Contains(flatten(texts[0]), "Stagiaires 1 à 12 sur 12") {
		t.Errorf("blank sheet: %s", texts[0])
	}
	blank.Action.Slots = nil
	if err := Render(&bytes.Buffer{}, blank, nil); err == nil {
		t.Error("a sheet without half-days rendered")
	}
}

func mustRender(t *testing.T, doc Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, doc, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
