package importer

import (
	"errors"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
)

func TestParseDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		in   string
		want time.Time
	}{
		{"", time.Time{}},
		{"   ", time.Time{}},
		{"15/03/1985", day(1985, 3, 15)},
		{"5/3/1985", day(1985, 3, 5)},
		{"05/3/1985", day(1985, 3, 5)},
		{" 29/02/2024 ", day(2024, 2, 29)},
		{"15-03-1985", day(1985, 3, 15)},
		{"15.03.1985", day(1985, 3, 15)},
		{"1985-03-15", day(1985, 3, 15)},
		{"1985-3-5", day(1985, 3, 5)},
		{"15/03/1985 00:00", day(1985, 3, 15)},
		{"15/03/1985 00:00:00", day(1985, 3, 15)},
		{"1985-03-15T00:00:00Z", day(1985, 3, 15)},
		{"31/12/2099", day(2099, 12, 31)},
	}
	for _, c := range cases {
		got, err := ParseDate(c.in)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseDate(%q): got %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"29/02/2023", "31/04/2024", "32/01/2024", "00/01/2024", "15/13/1985", "15/00/1985",
		"15/03/85", "1985/03", "15/03-1985", "15//03/1985", "03/15/1985", "aujourd'hui", "15/03/198a", "0985-03-15",
		"1985-03-15-01", "+15/03/1985", "123/03/1985"} {
		if got, err := ParseDate(in); err == nil || !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("ParseDate(%q): got %v, %v; want an invalid error", in, got, err)
		}
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{
		"true": true, "TRUE": true, "Vrai": true, "oui": true, " OUI ": true, "yes": true, "O": true, "y": true, "x": true, "1": true,
		"false": false, "Faux": false, "non": false, "NO": false, "n": false, "0": false, "": false, "  ": false,
	} {
		if got, err := ParseBool(in); got != want || err != nil {
			t.Errorf("ParseBool(%q): got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"peut-être", "2", "ok", "-1"} {
		if _, err := ParseBool(in); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("ParseBool(%q): got %v, want an invalid error", in, err)
		}
	}
}
