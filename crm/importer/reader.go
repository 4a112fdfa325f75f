package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/courtier-crm/courtier/internal/errs"
)

// ErrEmptyFile is returned by NewReader for a file without a single
// non-blank line; it wraps errs.ErrInvalid.
var ErrEmptyFile = fmt.Errorf("importer: empty file: %w", errs.ErrInvalid)

// Options configure a Reader.
type Options struct {
	// Comma is the field separator; 0 sniffs it from the first line among
	// ';', ',' and '\t' (French Excel writes ';').
	Comma rune
	// Header says the first record names the columns. It then sets the
	// width every record must have.
	Header bool
	// LazyQuotes accepts a quote inside an unquoted field (`12" screen`)
	// instead of rejecting the record.
	LazyQuotes bool
}

// Record is one CSV record. Fields are valid until the next Read.
type Record struct {
	Line   int // 1-based physical line where the record starts
	Fields []string
}

// RowError is a record that cannot be imported: Read returns it for a
// malformed record, and the typed imports for a record they reject. It never
// stops a read: the next Read goes on with the following record.
type RowError struct {
	Line   int
	Reason string
	Raw    string // the record's text, for the reject file
}

// Error returns "line 12: wrong number of columns: 28, want 30".
func (e *RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Reader reads CSV records from a stream, decoding UTF-8 or Windows-1252
// line by line, skipping blank lines and reporting bad records as
// *RowError without stopping. It holds a few records in memory whatever the
// size of the file.
type Reader struct {
	src        *lineSource
	csv        *csv.Reader
	header     []string
	width      int // fields a record must have; 0 when there is no header
	start, end int64
}

// NewReader prepares a Reader on r: it removes a byte order mark, sniffs
// the separator when opts.Comma is 0 and reads the header when opts.Header
// is set. A file without a non-blank line gives ErrEmptyFile.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	src := newLineSource(r)
	first, ok := src.peekLine()
	if !ok {
		if src.err != nil && src.err != io.EOF {
			return nil, fmt.Errorf("importer: read: %w", src.err)
		}
		return nil, ErrEmptyFile
	}
	comma := opts.Comma
	if comma == 0 {
		comma = sniff(first)
	}
	if comma == '"' || comma == '\r' || comma == '\n' || comma == utf8.RuneError || !utf8.ValidRune(comma) {
		return nil, fmt.Errorf("importer: invalid separator %q", comma)
	}
	c := csv.NewReader(src)
	c.Comma = comma
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	c.LazyQuotes = opts.LazyQuotes
	rd := &Reader{src: src, csv: c}
	if !opts.Header {
		return rd, nil
	}
	rec, err := rd.next()
	for err == nil && blank(rec.Fields) {
		rec, err = rd.next()
	}
	if err != nil {
		var re *RowError
		if errors.As(err, &re) {
			return nil, fmt.Errorf("importer: header at %w: %w", re, errs.ErrInvalid)
		}
		if err == io.EOF {
			return nil, ErrEmptyFile
		}
		return nil, err
	}
	h := make([]string, len(rec.Fields))
	for i, f := range rec.Fields {
		h[i] = strings.TrimSpace(f)
	}
	// The DGEFP list and many Excel exports end every line with a separator.
	for len(h) > 0 && h[len(h)-1] == "" {
		h = h[:len(h)-1]
	}
	rd.header, rd.width = h, len(h)
	return rd, nil
}

// sniff returns the separator seen most often outside quotes in the first
// line; ';' wins ties and single-column files, as French Excel writes it.
func sniff(line []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, b := range line {
		switch {
		case b == '"':
			quoted = !quoted
		case !quoted && (b == ';' || b == ',' || b == '\t'):
			counts[b]++
		}
	}
	best := byte(';')
	for _, b := range []byte{'\t', ','} {
		if counts[b] > counts[best] {
			best = b
		}
	}
	return rune(best)
}

// Header returns the column names of the first record, trimmed and without
// trailing empty names; nil when Options.Header was not set.
func (r *Reader) Header() []string { return r.header }

// Read returns the next non-blank record, io.EOF at the end, a *RowError
// for a malformed record or one whose number of columns differs from the
// header's, or another error when the input itself fails. Records whose
// fields are all blank (";;;" lines) are skipped like empty lines, and empty
// fields beyond the header width are dropped.
func (r *Reader) Read() (Record, error) {
	for {
		rec, err := r.next()
		if err != nil {
			return Record{}, err
		}
		if blank(rec.Fields) {
			continue
		}
		if r.width == 0 {
			return rec, nil
		}
		f := rec.Fields
		for len(f) > r.width && strings.TrimSpace(f[len(f)-1]) == "" {
			f = f[:len(f)-1]
		}
		if len(f) != r.width {
			return Record{}, &RowError{Line: rec.Line, Reason: fmt.Sprintf("wrong number of columns: %d, want %d", len(f), r.width), Raw: r.Raw()}
		}
		rec.Fields = f
		return rec, nil
	}
}

// next reads one record and remembers where its text is.
func (r *Reader) next() (Record, error) {
	r.start = r.csv.InputOffset()
	r.src.release(r.start)
	fields, err := r.csv.Read()
	r.end = r.csv.InputOffset()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Record{}, &RowError{Line: pe.StartLine, Reason: "malformed quotes: " + pe.Err.Error(), Raw: r.Raw()}
		}
		if err == io.EOF {
			return Record{}, io.EOF
		}
		return Record{}, fmt.Errorf("importer: read: %w", err)
	}
	line, _ := r.csv.FieldPos(0)
	return Record{Line: line, Fields: fields}, nil
}

// Raw returns the text of the last record read, without blank lines before
// it nor its line ending, for the reject file.
func (r *Reader) Raw() string {
	s := r.src.text(r.start, r.end)
	return strings.TrimRight(strings.TrimLeft(s, "\r\n"), "\r\n")
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
