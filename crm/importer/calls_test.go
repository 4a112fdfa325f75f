package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadCalls(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatalf("no time zone database: %v", err)
	}
	f, err := os.Open("testdata/Master.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := newSink[CDR]()
	s.answers[11] = fmt.Errorf("crm: call 1710406920.16: %w", errs.ErrConflict)
	rep, err := ReadCalls(context.Background(), f, paris, s.add)
	if err != nil {
		t.Fatalf("ReadCalls: %v", err)
	}
	wantRejects := []string{
		`7:start time "2024-13-01 10:00:00" is not yyyy-mm-dd hh:mm:ss; end time "2024-13-01 10:00:30" is not yyyy-mm-dd hh:mm:ss`,
		"8:wrong number of columns: 9, want 16 or more",
		`9:duration "" is not a number of seconds; billsec "" is not a number of seconds`,
		"11:crm: call 1710406920.16: conflict",
	}
	if got := rejects(rep); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if rep.Inserted != 7 || rep.Rejected != 4 {
		t.Errorf("report: got %v", rep)
	}
	want := map[int]CDR{
		// Winter time: Paris is UTC+1.
		1: {Src: "201", Dst: "0199001234", Context: "from-internal", CallerID: "201", CallerName: "Marie Durand",
			Channel: "PJSIP/201-00000001", DstChannel: "PJSIP/ovh-trunk-00000002", LastApp: "Dial",
			Start: utc("2024-01-15 08:00:05"), Answer: utc("2024-01-15 08:00:12"), End: utc("2024-01-15 08:04:47"),
			Duration: 282, BillSec: 275, Disposition: "ANSWERED"},
		// Summer time: UTC+2; the clid name holds a comma.
		2: {Src: "0639981234", Dst: "201", Context: "from-trunk", CallerID: "0639981234", CallerName: "Dupont, Jean",
			Channel: "PJSIP/ovh-trunk-00000010", DstChannel: "PJSIP/201-00000011", LastApp: "Dial",
			Start: utc("2024-03-14 09:02:00"), Answer: utc("2024-03-14 09:02:06"), End: utc("2024-03-14 09:07:30"),
			Duration: 330, BillSec: 324, Disposition: "ANSWERED", UniqueID: "1710406920.16", UserField: "client-4711"},
		// Not answered: the answer time is empty.
		3: {Src: "0353011234", Dst: "202", Context: "from-trunk", CallerID: "0353011234", CallerName: "0353011234",
			Channel: "PJSIP/ovh-trunk-00000012", DstChannel: "PJSIP/202-00000013", LastApp: "Dial",
			Start: utc("2024-03-14 09:15:40"), End: utc("2024-03-14 09:16:10"),
			Duration: 30, BillSec: 0, Disposition: "NO ANSWER", UniqueID: "1710407740.18"},
		// The first hour of summer time.
		5: {Src: "201", Dst: "202", Context: "from-internal", CallerID: "201", CallerName: "Marie Durand",
			Channel: "PJSIP/201-00000016", DstChannel: "PJSIP/202-00000017", LastApp: "Dial",
			Start: utc("2024-03-31 01:30:00"), Answer: utc("2024-03-31 01:30:04"), End: utc("2024-03-31 01:31:04"),
			Duration: 64, BillSec: 60, Disposition: "ANSWERED", UniqueID: "1711848600.22"},
		// A cdr_custom layout of 20 columns.
		10: {AccountCode: "formation", Src: "202", Dst: "0199004321", Context: "from-internal", CallerID: "202", CallerName: "Paul Martin",
			Channel: "PJSIP/202-0000001f", DstChannel: "PJSIP/ovh-trunk-00000020", LastApp: "Dial",
			Start: utc("2024-11-05 15:45:00"), Answer: utc("2024-11-05 15:45:20"), End: utc("2024-11-05 15:50:20"),
			Duration: 320, BillSec: 300, Disposition: "ANSWERED",
			UniqueID: "pbx1-1730821500.31", LinkedID: "pbx1-1730821500.30", UserField: "devis-2024-118"},
	}
	for line, w := range want {
		if g := s.got[line]; !reflect.DeepEqual(g, w) {
			t.Errorf("line %d:\n got %+v\nwant %+v", line, g, w)
		}
	}
	if g := s.got[4]; g.CallerID != "0465711234" || g.CallerName != "" || g.Disposition != "BUSY" {
		t.Errorf("line 4: got %+v", g)
	}
	if g := s.got[6]; g.Src != "33536491234" || g.CallerID != "33536491234" || g.CallerName != "" {
		t.Errorf("line 6: got %+v", g)
	}
	if _, ok := s.got[7]; ok {
		t.Errorf("the sink got a rejected record")
	}
}

func TestReadCallsUTCAndErrors(t *testing.T) {
	line := `"","201","202","from-internal","","PJSIP/201-1","PJSIP/202-2","Dial","PJSIP/202","2024-03-14 10:00:00","","2024-03-14 10:00:10",10,0,"NO ANSWER","DOCUMENTATION"` + "\n"
	s := newSink[CDR]()
	if _, err := ReadCalls(context.Background(), strings.NewReader(line), nil, s.add); err != nil {
		t.Fatal(err)
	}
	if g := s.got[1]; !g.Start.Equal(utc("2024-03-14 10:00:00")) || g.Start.Location() != time.UTC || !g.Answer.IsZero() {
		t.Errorf("nil location reads UTC: got %+v", g)
	}
	down := errors.New("database is down")
	_, err := ReadCalls(context.Background(), strings.NewReader(line+line), nil, func(context.Context, int, CDR) (Outcome, error) {
		return 0, down
	})
	if !errors.Is(err, down) || err.Error() != "importer: calls: line 1: database is down" {
		t.Errorf("got %v", err)
	}
	if _, err := ReadCalls(context.Background(), strings.NewReader(""), nil, s.add); !errors.Is(err, ErrEmptyFile) {
		t.Errorf("empty file: got %v", err)
	}
	// A missing start or end rejects the record; a negative duration too.
	bad := `"","201","202","c","","a","b","Dial","x","","","",-1,0,"FAILED","DOCUMENTATION"` + "\n"
	rep, err := ReadCalls(context.Background(), strings.NewReader(bad), nil, s.add)
	want := []string{`1:missing start time; missing end time; duration "-1" is not a number of seconds`}
	if err != nil || !reflect.DeepEqual(rejects(rep), want) {
		t.Errorf("got %q, %v", rejects(rep), err)
	}
}

func TestParseCallerID(t *testing.T) {
	cases := []struct{ in, name, number string }{
		{`"Marie Durand" <0612345678>`, "Marie Durand", "0612345678"},
		{`Marie Durand <0612345678>`, "Marie Durand", "0612345678"},
		{`"" <0612345678>`, "", "0612345678"},
		{`<0612345678>`, "", "0612345678"},
		{`"Dupont, Jean" <+33612345678>`, "Dupont, Jean", "+33612345678"},
		{`"Le <Chef>" <201>`, "Le <Chef>", "201"},
		{`0612345678`, "", "0612345678"},
		{`+33 6 12 34 56 78`, "", "+33 6 12 34 56 78"},
		{`"Accueil"`, "Accueil", ""},
		{`Accueil`, "Accueil", ""},
		{``, "", ""},
	}
	for _, c := range cases {
		name, number := parseCallerID(c.in)
		if name != c.name || number != c.number {
			t.Errorf("parseCallerID(%q): got %q %q, want %q %q", c.in, name, number, c.name, c.number)
		}
	}
}

func TestIsUniqueID(t *testing.T) {
	for in, want := range map[string]bool{
		"1710406920.16": true, "pbx1-1710406920.16": true, "my-pbx-1710406920.0": true,
		"": false, "client-4711": false, "42": false, "1710406920": false, "1710406920.": false, "12.5": false, "devis-2024-118": false,
	} {
		if got := isUniqueID(in); got != want {
			t.Errorf("isUniqueID(%q): got %v", in, got)
		}
	}
}
