package eml

import (
	"bufio"
	"bytes"
	"strings"
)

// field is one header field as read: the name as written and the value
// unfolded but otherwise raw (encoded words and 8-bit bytes untouched).
type field struct {
	name, value string
}

// header is a header section in the order of the message.
type header []field

// get returns the first value of the named field, or "".
func (h header) get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// has reports whether the named field is present, even empty.
func (h header) has(name string) bool {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

// all returns every value of the named field, in order.
func (h header) all(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// Limits that keep a hostile header from using unbounded memory; real
// headers are a few KiB, Received chains of big providers reach ~20 KiB.
const (
	maxHeaderBytes = 256 << 10
	maxLineBytes   = 64 << 10
)

// readLine returns the next line with its line ending, truncated to
// maxLineBytes (the rest of a longer line is consumed and dropped). The
// slice is only valid until the next read on br.
func readLine(br *bufio.Reader) (line []byte, truncated bool, err error) {
	line, err = br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, false, err
	}
	buf := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = br.ReadSlice('\n')
		if room := maxLineBytes - len(buf); room > 0 {
			buf = append(buf, line[:min(room, len(line))]...)
		} else {
			truncated = true
		}
	}
	return buf, truncated, err
}

// validFieldName reports whether b is a header field name (RFC 5322 ftext:
// printable ASCII except colon), allowing the blanks some mailers put
// before the colon.
func validFieldName(b []byte) bool {
	b = bytes.TrimRight(b, " \t")
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// readHeader reads a header section up to and including the blank line
// that ends it. A line that is not a header field ends the section early:
// it is returned in rest so that the caller reads it as the first line of
// the body (found is false when this happens on the very first line, i.e.
// there is no header at all). top enables the mbox "From " line skip.
func (p *parser) readHeader(br *bufio.Reader, top bool) (h header, rest []byte, found bool) {
	size := 0
	first := true
	// The value being read is built in val so that many folded lines cost
	// linear time; it is stored in h when the next field starts.
	var val []byte
	flush := func() {
		if len(h) > 0 && val != nil {
			h[len(h)-1].value = string(val)
		}
		val = val[:0]
	}
	defer flush()
	for {
		line, truncated, err := readLine(br)
		if len(line) == 0 && err != nil {
			// A message may be all header and no body (RFC 5322 §3.5).
			return h, nil, len(h) > 0
		}
		if truncated {
			p.problem("header: line longer than 64 KiB truncated")
		}
		content := bytes.TrimRight(line, "\r\n")
		if len(content) == 0 {
			// The blank line: end of header. A part may legitimately have
			// no header at all and start with it.
			return h, nil, true
		}
		if first && top && bytes.HasPrefix(content, []byte("From ")) {
			// mbox separator left by some exporters.
			first = false
			continue
		}
		first = false
		if content[0] == ' ' || content[0] == '\t' {
			if len(h) == 0 {
				// Leading folded line: no header field before it.
				return nil, append([]byte(nil), line...), false
			}
			if size += len(content); size <= maxHeaderBytes {
				val = append(val, content...)
			}
			if err != nil {
				return h, nil, true
			}
			continue
		}
		colon := bytes.IndexByte(content, ':')
		if colon < 0 || !validFieldName(content[:colon]) {
			if len(h) > 0 {
				p.problem("header: line without a field name, read as the start of the body")
			}
			return h, append([]byte(nil), line...), len(h) > 0
		}
		size += len(content)
		if size <= maxHeaderBytes {
			flush()
			name := string(bytes.TrimRight(content[:colon], " \t"))
			h = append(h, field{name: name})
			val = append(val, content[colon+1:]...)
		} else {
			p.problem("header: larger than 256 KiB, extra fields ignored")
		}
		if err != nil {
			return h, nil, true
		}
	}
}
