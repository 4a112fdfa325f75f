package eml

import (
	"fmt"
	"io"
	"strings"
)

// b64Value maps a base64 alphabet byte to its 6-bit value, 0xff otherwise.
var b64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// transferDecoder wraps body with the decoder of its
// Content-Transfer-Encoding. Decoders are lenient: bad input is skipped or
// kept as written and noted as a problem, never returned as an error.
func (p *parser) transferDecoder(cte string, body io.Reader) io.Reader {
	switch cte = strings.ToLower(strings.TrimSpace(cte)); cte {
	case "", "7bit", "8bit", "binary":
		return body
	case "base64":
		return &base64Reader{src: body, p: p}
	case "quoted-printable":
		return &qpReader{src: body, p: p}
	}
	p.problem(fmt.Sprintf("unknown transfer encoding %q, content kept as is", cte))
	return body
}

// base64Reader decodes base64 as it streams. Characters outside the
// alphabet are skipped (a problem unless they are blanks); "=" ends a group,
// and decoding resumes after it, because some mailers concatenate encoded
// chunks.
type base64Reader struct {
	src  io.Reader
	p    *parser
	in   [4096]byte
	buf  [3072]byte
	out  []byte
	quad [4]byte
	n    int
	eof  bool
	bad  bool
}

// Read implements io.Reader.
func (r *base64Reader) Read(b []byte) (int, error) {
	for len(r.out) == 0 {
		if r.eof {
			return 0, io.EOF
		}
		r.fill()
	}
	n := copy(b, r.out)
	r.out = r.out[n:]
	return n, nil
}

func (r *base64Reader) fill() {
	n, err := r.src.Read(r.in[:])
	out := r.buf[:0]
	for _, c := range r.in[:n] {
		v := b64Value[c]
		if v == 0xff {
			switch c {
			case '=':
				out = r.flush(out)
			case ' ', '\t', '\r', '\n':
			default:
				if !r.bad {
					r.bad = true
					r.p.problem("base64: invalid characters skipped")
				}
			}
			continue
		}
		r.quad[r.n] = v
		if r.n++; r.n == 4 {
			out = append(out, r.quad[0]<<2|r.quad[1]>>4, r.quad[1]<<4|r.quad[2]>>2, r.quad[2]<<6|r.quad[3])
			r.n = 0
		}
	}
	if err != nil {
		r.eof = true
		if r.n != 0 {
			r.p.problem("base64: data ends in the middle of a group")
			out = r.flush(out)
		}
	}
	r.out = out
}

// flush emits the bytes of an incomplete group (2 or 3 characters carry
// 1 or 2 bytes; a single character carries none).
func (r *base64Reader) flush(out []byte) []byte {
	if r.n >= 2 {
		out = append(out, r.quad[0]<<2|r.quad[1]>>4)
	}
	if r.n == 3 {
		out = append(out, r.quad[1]<<4|r.quad[2]>>2)
	}
	r.n = 0
	return out
}

// qpReader decodes quoted-printable as it streams, as a byte state
// machine so that no line is ever buffered whole. Trailing blanks of a line
// are dropped (RFC 2045 §6.7 rule 3), "=" at the end of a line is a soft
// break, and an "=" not followed by two hex digits is kept as written.
type qpReader struct {
	src   io.Reader
	p     *parser
	in    [4096]byte
	buf   []byte
	out   []byte
	ws    []byte // blanks seen but not yet known to be inside the line
	state int
	hi    byte
	eof   bool
}

// States of qpReader after the last byte read.
const (
	qpText    = iota
	qpEq      // after "="
	qpEqHex   // after "=" and one hex digit
	qpEqBlank // after "=" and blanks: a soft break padded with blanks
	qpCR      // after a bare CR in text
	qpEqCR    // after "=" CR
)

// Read implements io.Reader.
func (r *qpReader) Read(b []byte) (int, error) {
	for len(r.out) == 0 {
		if r.eof {
			return 0, io.EOF
		}
		r.fill()
	}
	n := copy(b, r.out)
	r.out = r.out[n:]
	return n, nil
}

func (r *qpReader) fill() {
	n, err := r.src.Read(r.in[:])
	r.buf = r.buf[:0]
	for _, c := range r.in[:n] {
		r.step(c)
	}
	if err != nil {
		r.eof = true
		// A final "=" is a soft break at the end of the data: nothing.
		switch r.state {
		case qpEqHex:
			r.buf = append(r.buf, '=', r.hi)
		case qpCR:
			r.buf = append(r.buf, '\r')
		}
	}
	r.out = r.buf
}

func (r *qpReader) step(c byte) {
	switch r.state {
	case qpText:
		switch c {
		case ' ', '\t':
			if len(r.ws) < 1024 {
				r.ws = append(r.ws, c)
				return
			}
			r.text(c)
		case '\r':
			r.state = qpCR
		case '\n':
			r.ws = r.ws[:0]
			r.buf = append(r.buf, '\r', '\n')
		case '=':
			r.flushBlanks()
			r.state = qpEq
		default:
			r.text(c)
		}
	case qpCR:
		r.state = qpText
		if c == '\n' {
			r.ws = r.ws[:0]
			r.buf = append(r.buf, '\r', '\n')
			return
		}
		r.text('\r')
		r.step(c)
	case qpEq:
		switch {
		case isHex(c):
			r.hi, r.state = c, qpEqHex
		case c == '\n':
			r.state = qpText
		case c == '\r':
			r.state = qpEqCR
		case c == ' ' || c == '\t':
			r.state = qpEqBlank
		default:
			r.invalid()
			r.buf = append(r.buf, '=')
			r.state = qpText
			r.step(c)
		}
	case qpEqHex:
		r.state = qpText
		if isHex(c) {
			r.buf = append(r.buf, unhex(r.hi)<<4|unhex(c))
			return
		}
		r.invalid()
		r.buf = append(r.buf, '=', r.hi)
		r.step(c)
	case qpEqBlank:
		switch c {
		case ' ', '\t':
		case '\r':
			r.state = qpEqCR
		case '\n':
			r.state = qpText
		default:
			r.invalid()
			r.buf = append(r.buf, '=', ' ')
			r.state = qpText
			r.step(c)
		}
	case qpEqCR:
		r.state = qpText
		if c != '\n' {
			r.step(c)
		}
	}
}

// text emits pending blanks (they were inside the line) then c.
func (r *qpReader) text(c byte) {
	r.flushBlanks()
	r.buf = append(r.buf, c)
}

func (r *qpReader) flushBlanks() {
	r.buf = append(r.buf, r.ws...)
	r.ws = r.ws[:0]
}

func (r *qpReader) invalid() {
	r.p.problem("quoted-printable: invalid escape kept as written")
}
