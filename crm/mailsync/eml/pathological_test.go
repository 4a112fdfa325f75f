package eml

import (
	"strings"
	"testing"
	"time"
)

// TestPathological parses hostile shapes that once took quadratic time or
// unbounded resources; each must finish quickly and keep the invariants.
func TestPathological(t *testing.T) {
	tests := []struct {
		name, raw   string
		attachments int
	}{
		{"many folded lines", "Subject: x\n" + strings.Repeat(" y\n", 200000) + "\nbody", 0},
		{"many parts", "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\n\nx\n", 100000), 0},
		{"many empty parts", "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\n", 200000), 0},
		{"many attachments", "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\nContent-Type: image/png\n\nx\n", 5000), maxAttachments},
		{"many alternatives", "Content-Type: multipart/alternative; boundary=b\n\n" + strings.Repeat("--b\n\nx\n", 100000), 0},
		{"deep nesting", nested(10000), 1},
		{"huge html", "Content-Type: text/html\n\n" + strings.Repeat("<div><b>x</b>", 300000), 0},
		{"many encoded words", "Subject: " + strings.Repeat("=?utf-8?q?a?= ", 50000) + "\n\n", 0},
		{"many addresses", "To: " + strings.Repeat("a@b, ", 40000) + "\n\n", 0},
		{"many bad addresses", "To: " + strings.Repeat("a <b, ", 40000) + "\n\n", 0},
		{"many references", "References: " + strings.Repeat("<a@b> ", 40000) + "\n\n", 0},
		{"many parameters", "Content-Type: text/plain; " + strings.Repeat("a*1*=b; ", 30000) + "\n\n", 0},
		{"huge header", "X-Big: " + strings.Repeat("y", 1<<20) + "\n" + strings.Repeat("X-Many: z\n", 100000) + "\n\nbody", 0},
		{"binary line", "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/pdf\n\n" + strings.Repeat("\x00\xff", 1<<20) + "\n--b--\n", 1},
	}
	limit := 5 * time.Second
	if raceEnabled {
		limit *= 10
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			m, err := Parse(strings.NewReader(tt.raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > limit {
				t.Errorf("took %v", d)
			}
			if len(m.Attachments) != tt.attachments {
				t.Errorf("%d attachments, want %d", len(m.Attachments), tt.attachments)
			}
			if len(m.Problems) > maxProblems+1 {
				t.Errorf("%d problems", len(m.Problems))
			}
			checkInvariants(t, m)
		})
	}
}
