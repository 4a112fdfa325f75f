package importer

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// lineSource hands encoding/csv a UTF-8 stream, one physical line per fill:
// a line that is valid UTF-8 passes unchanged, any other is decoded as
// Windows-1252. Files from French offices are often mostly ASCII with a few
// lines typed in Excel on Windows, so the decision is made per line, not per
// file. It also keeps the text the csv reader may still need, so the raw
// text of a bad record can go into the reject file.
type lineSource struct {
	src  *bufio.Reader
	buf  []byte // decoded text from stream offset base on
	base int64
	pos  int   // buf[pos:] is decoded but not yet handed to csv
	keep int64 // offset before which nothing is needed any more
	long []byte
	err  error // sticky; io.EOF at the end of the input
}

// newLineSource removes a UTF-8 byte order mark and decodes UTF-16 (what
// Excel saves as "Unicode text") when the file starts with its mark.
func newLineSource(r io.Reader) *lineSource {
	br := bufio.NewReaderSize(r, 64<<10)
	switch head, _ := br.Peek(3); {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
	}
	return &lineSource{src: br, buf: make([]byte, 0, 128<<10)}
}

// Read implements io.Reader for csv.Reader.
func (l *lineSource) Read(p []byte) (int, error) {
	if l.pos == len(l.buf) {
		if l.err != nil {
			return 0, l.err
		}
		l.fill()
		if l.pos == len(l.buf) {
			return 0, l.err
		}
	}
	n := copy(p, l.buf[l.pos:])
	l.pos += n
	return n, nil
}

// fill appends the next physical line, decoded, to buf; at the end of the
// input it sets err and appends nothing.
func (l *lineSource) fill() {
	l.compact()
	line, err := l.src.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// A line longer than the buffer: gather it before deciding its encoding.
		l.long = append(l.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = l.src.ReadSlice('\n')
			l.long = append(l.long, line...)
		}
		line = l.long
	}
	if err != nil {
		l.err = err
	}
	if utf8.Valid(line) {
		l.buf = append(l.buf, line...)
	} else {
		l.buf = appendWindows1252(l.buf, line)
	}
}

// compact drops the text before keep once it fills half the buffer, so
// memory stays at a few records whatever the file size.
func (l *lineSource) compact() {
	k := int(l.keep - l.base)
	if k <= 0 || k < cap(l.buf)/2 {
		return
	}
	n := copy(l.buf, l.buf[k:])
	l.buf = l.buf[:n]
	l.pos -= k
	l.base = l.keep
}

// release tells the source that the text before off is no longer needed.
func (l *lineSource) release(off int64) { l.keep = off }

// text returns the decoded text between two stream offsets, or "" when it
// was already released.
func (l *lineSource) text(from, to int64) string {
	if from < l.base || to > l.base+int64(len(l.buf)) || from > to {
		return ""
	}
	return string(l.buf[from-l.base : to-l.base])
}

// peekLine decodes lines until one holds more than white space and returns
// it without handing anything to csv, for sniffing the separator. ok is
// false when the input has no such line.
func (l *lineSource) peekLine() (line []byte, ok bool) {
	for l.err == nil {
		start := len(l.buf)
		l.fill()
		if line := l.buf[start:]; len(bytes.TrimSpace(line)) > 0 {
			return line, true
		}
	}
	return nil, false
}

// cp1252 maps each byte to its Windows-1252 character. ISO-8859-1 text
// decodes the same way except for 0x80–0x9F, control codes nobody types.
var cp1252 [256]rune

func init() {
	for b := range 256 {
		cp1252[b] = charmap.Windows1252.DecodeByte(byte(b))
	}
}

func appendWindows1252(dst, line []byte) []byte {
	for _, b := range line {
		if b < utf8.RuneSelf {
			dst = append(dst, b)
		} else {
			dst = utf8.AppendRune(dst, cp1252[b])
		}
	}
	return dst
}
