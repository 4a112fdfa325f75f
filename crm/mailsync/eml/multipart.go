package eml

import (
	"bufio"
	"bytes"
	"io"
)

// How a segment of a multipart body ended.
const (
	endNone  = iota
	endDelim // "--boundary": another part follows
	endClose // "--boundary--": the last part is done
	endEOF   // the input ended first
)

// multipartBufSize bounds the line length looked at for a delimiter; longer
// lines (single-line base64, minified HTML) stream through in chunks.
const multipartBufSize = 32 << 10

// multipartReader splits a multipart body into parts as it streams. Unlike
// mime/multipart it never fails: a missing closing delimiter or a boundary
// that never appears ends the parts and is reported through missingClose
// and neverFound.
type multipartReader struct {
	br           *bufio.Reader
	dash         []byte // "--" + boundary
	cur          *segment
	done         bool
	started      bool
	missingClose bool
	neverFound   bool
	// preamble keeps the start of the text before the first delimiter: if
	// the boundary never appears it is the only content there is.
	preamble []byte
	scratch  []byte // buffer for skipping data
}

func newMultipartReader(r io.Reader, boundary string) *multipartReader {
	return &multipartReader{
		br:      bufio.NewReaderSize(r, multipartBufSize),
		dash:    []byte("--" + boundary),
		scratch: make([]byte, 4096),
	}
}

// next returns the reader of the next part, or nil when there is none.
// The previous part is drained first.
func (m *multipartReader) next(preambleCap int) io.Reader {
	if m.done {
		return nil
	}
	var end int
	if m.cur == nil {
		pre := &segment{m: m}
		m.preamble = readCapped(pre, preambleCap, m.scratch)
		end = pre.end
	} else {
		drain(m.cur, m.scratch)
		end = m.cur.end
	}
	switch end {
	case endDelim:
		m.started = true
		m.cur = &segment{m: m}
		return m.cur
	case endClose:
		m.started = true
		// The epilogue carries nothing for us.
		drain(m.br, m.scratch)
	default:
		m.neverFound = !m.started
		m.missingClose = m.started
	}
	m.done = true
	return nil
}

// delimiter tells whether line is a delimiter line of this multipart.
// Trailing blanks are allowed (RFC 2046 §5.1.1 transport padding) and
// anything after the closing "--" is ignored, as mail clients do.
func (m *multipartReader) delimiter(line []byte) int {
	if !bytes.HasPrefix(line, m.dash) {
		return endNone
	}
	rest := line[len(m.dash):]
	if bytes.HasPrefix(rest, []byte("--")) {
		return endClose
	}
	if len(bytes.TrimRight(rest, " \t\r\n")) == 0 {
		return endDelim
	}
	return endNone
}

// segment reads the bytes between two delimiters. The line ending before a
// delimiter belongs to the delimiter (RFC 2046 §5.1.1), so each line ending
// is held back until the next line is known not to be a delimiter.
type segment struct {
	m       *multipartReader
	end     int
	midLine bool    // the last chunk read did not end a line
	held    [2]byte // line ending held back
	nHeld   int
	eol     [2]byte // held line ending now being handed out
	outEOL  []byte
	out     []byte // aliases the bufio buffer until the next ReadSlice
}

// Read implements io.Reader.
func (s *segment) Read(p []byte) (int, error) {
	for len(s.outEOL) == 0 && len(s.out) == 0 {
		if s.end != endNone {
			return 0, io.EOF
		}
		s.fill()
	}
	n := copy(p, s.outEOL)
	s.outEOL = s.outEOL[n:]
	if len(s.outEOL) == 0 {
		k := copy(p[n:], s.out)
		s.out = s.out[k:]
		n += k
	}
	return n, nil
}

func (s *segment) fill() {
	line, err := s.m.br.ReadSlice('\n')
	if len(line) == 0 && err != nil {
		s.end = endEOF
		s.release()
		return
	}
	if !s.midLine {
		if kind := s.m.delimiter(line); kind != endNone {
			s.end = kind
			s.nHeld = 0
			// A delimiter line padded beyond the buffer: drop the rest.
			for err == bufio.ErrBufferFull {
				_, err = s.m.br.ReadSlice('\n')
			}
			return
		}
	}
	s.midLine = err == bufio.ErrBufferFull
	s.release()
	body := line
	if err == nil {
		// A complete line: hold its ending back.
		n := 1
		if len(body) >= 2 && body[len(body)-2] == '\r' {
			n = 2
		}
		copy(s.held[:], body[len(body)-n:])
		s.nHeld = n
		body = body[:len(body)-n]
	}
	s.out = body
}

// release hands out the line ending held back: the line that follows is
// content, so the ending was content too.
func (s *segment) release() {
	s.eol = s.held
	s.outEOL = s.eol[:s.nHeld]
	s.nHeld = 0
}

// readCapped reads r to the end and returns at most limit bytes of it,
// skipping the rest through scratch.
func readCapped(r io.Reader, limit int, scratch []byte) []byte {
	var buf bytes.Buffer
	buf.ReadFrom(io.LimitReader(r, int64(limit)))
	drain(r, scratch)
	return buf.Bytes()
}
