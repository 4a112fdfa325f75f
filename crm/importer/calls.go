package importer

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// CDR is one Asterisk call detail record. Numbers are as Asterisk logged
// them (an extension such as "201", a national or international number):
// the sink normalises them with internal/phone.
type CDR struct {
	AccountCode string
	Src, Dst    string
	Context     string // dcontext
	CallerID    string // the number part of clid
	CallerName  string // the name part of clid
	Channel     string
	DstChannel  string
	LastApp     string
	Start       time.Time // UTC
	Answer      time.Time // UTC; zero when the call was not answered
	End         time.Time // UTC
	Duration    int       // seconds from start to end
	BillSec     int       // seconds from answer to end
	Disposition string    // ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION
	UniqueID    string
	LinkedID    string
	UserField   string
}

// cdrTime is how cdr_csv writes times, in the server's local time unless
// usegmtime is set in cdr.conf.
const cdrTime = "2006-01-02 15:04:05"

// ReadCalls imports an Asterisk Master.csv (cdr_csv: no header, ',' and
// double quotes), calling add for each valid record. loc is the time zone
// Asterisk wrote times in (Europe/Paris; nil for UTC, when usegmtime=yes).
// Rejects and errors follow ReadEmployees.
//
// The first 16 columns are fixed: accountcode, src, dst, dcontext, clid,
// channel, dstchannel, lastapp, lastdata, start, answer, end, duration,
// billsec, disposition, amaflags. What follows depends on the configuration:
// cdr_csv adds uniqueid (loguniqueid) then userfield (loguserfield), and
// cdr_custom layouts may add linkedid and sequence. A uniqueid has a shape
// of its own ("1710403923.18", optionally prefixed by the system name), so
// the first value of that shape after column 16 is the UniqueID, the second
// the LinkedID, and the first other value of columns 17–18 the UserField.
func ReadCalls(ctx context.Context, r io.Reader, loc *time.Location, add func(ctx context.Context, line int, c CDR) (Outcome, error)) (Report, error) {
	if loc == nil {
		loc = time.UTC
	}
	rd, err := NewReader(r, Options{Comma: ','})
	if err != nil {
		return Report{}, fmt.Errorf("importer: calls: %w", err)
	}
	return run(ctx, "calls", rd, func(rec Record) (CDR, string) { return parseCDR(rec.Fields, loc) }, add)
}

// parseCDR builds the record and lists every problem found in it.
func parseCDR(f []string, loc *time.Location) (CDR, string) {
	if len(f) < 16 {
		return CDR{}, fmt.Sprintf("wrong number of columns: %d, want 16 or more", len(f))
	}
	c := CDR{
		AccountCode: f[0], Src: f[1], Dst: f[2], Context: f[3],
		Channel: f[5], DstChannel: f[6], LastApp: f[7],
		Disposition: f[14],
	}
	c.CallerName, c.CallerID = parseCallerID(f[4])
	var problems []string
	parseTime := func(what, s string, required bool) time.Time {
		s = strings.TrimSpace(s)
		if s == "" {
			if required {
				problems = append(problems, "missing "+what+" time")
			}
			return time.Time{}
		}
		t, err := time.ParseInLocation(cdrTime, s, loc)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s time %q is not yyyy-mm-dd hh:mm:ss", what, s))
		}
		return t.UTC()
	}
	c.Start = parseTime("start", f[9], true)
	c.Answer = parseTime("answer", f[10], false)
	c.End = parseTime("end", f[11], true)
	parseSeconds := func(what, s string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			problems = append(problems, fmt.Sprintf("%s %q is not a number of seconds", what, s))
		}
		return n
	}
	c.Duration = parseSeconds("duration", f[12])
	c.BillSec = parseSeconds("billsec", f[13])
	user := false
	for i, v := range f[16:] {
		switch {
		case isUniqueID(v) && c.UniqueID == "":
			c.UniqueID = v
		case isUniqueID(v) && c.LinkedID == "":
			c.LinkedID = v
		case i < 2 && !user:
			c.UserField, user = v, true
		}
	}
	return c, strings.Join(problems, "; ")
}

// isUniqueID reports the shape of an Asterisk uniqueid: epoch seconds, a
// dot and a counter, after "systemname-" when asterisk.conf sets one.
func isUniqueID(s string) bool {
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		s = s[i+1:]
	}
	sec, seq, ok := strings.Cut(s, ".")
	return ok && len(sec) >= 9 && digits(sec) && seq != "" && digits(seq)
}

func digits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// parseCallerID splits an Asterisk clid, `"Marie Durand" <0612345678>`, into
// name and number. Without angle brackets the value is a number when it
// looks like one (`0612345678`), else a name.
func parseCallerID(clid string) (name, number string) {
	s := strings.TrimSpace(clid)
	if i := strings.LastIndexByte(s, '<'); i >= 0 && strings.HasSuffix(s, ">") {
		number = strings.TrimSpace(s[i+1 : len(s)-1])
		s = strings.TrimSpace(s[:i])
	} else if strings.Trim(s, "+0123456789 ") == "" {
		return "", s
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return strings.TrimSpace(s), number
}
