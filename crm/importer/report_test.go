package importer

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestReportString(t *testing.T) {
	cases := []struct {
		r    Report
		want string
	}{
		{Report{}, "0 inserted, 0 updated, 0 unchanged, 0 rejected"},
		{Report{Inserted: 1204, Updated: 3, Rejected: 2}, "1,204 inserted, 3 updated, 0 unchanged, 2 rejected"},
		{Report{Inserted: 150000, Unchanged: 1234567, Rejected: 999}, "150,000 inserted, 0 updated, 1,234,567 unchanged, 999 rejected"},
	}
	for _, c := range cases {
		if got := c.r.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestReportAdd(t *testing.T) {
	var r Report
	for _, o := range []Outcome{Inserted, Inserted, Updated, Unchanged, 0, 42} {
		r.Add(o)
	}
	r.Reject(RowError{Line: 3, Reason: "bad"})
	want := Report{Inserted: 2, Updated: 1, Unchanged: 1, Rejected: 1, Errors: []RowError{{Line: 3, Reason: "bad"}}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got %+v, want %+v", r, want)
	}
}

func TestWriteRejects(t *testing.T) {
	r := Report{}
	r.Reject(RowError{Line: 12, Reason: "wrong number of columns: 28, want 30", Raw: "a;b;\"c;d\""})
	r.Reject(RowError{Line: 15, Reason: "missing last name (nom)", Raw: "\"multi\r\nligne\";Élodie"})
	var b bytes.Buffer
	if err := r.WriteRejects(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\uFEFFline;reason;raw\r\n12;") {
		t.Errorf("got %q, want a BOM and the header", out)
	}
	// The file must read back, through our own reader, as what was written.
	rd, err := NewReader(strings.NewReader(out), Options{Header: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Errors {
		rec, err := rd.Read()
		if err != nil {
			t.Fatal(err)
		}
		raw := strings.ReplaceAll(e.Raw, "\r\n", "\n") // csv reads a quoted CRLF as LF
		if got := rec.Fields; got[0] != strconv.Itoa(e.Line) || got[1] != e.Reason || got[2] != raw {
			t.Errorf("got %q, want %d %q %q", got, e.Line, e.Reason, raw)
		}
	}
	// And Excel's reading, plain encoding/csv, agrees.
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
	cr.Comma = ';'
	all, err := cr.ReadAll()
	if err != nil || len(all) != 3 || all[2][0] != "15" {
		t.Errorf("encoding/csv: got %q, %v", all, err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, bytes.ErrTooLarge }

func TestWriteRejectsError(t *testing.T) {
	r := Report{Errors: []RowError{{Line: 1}}}
	if err := r.WriteRejects(failingWriter{}); err == nil || !strings.HasPrefix(err.Error(), "importer: write rejects:") {
		t.Errorf("got %v", err)
	}
}
