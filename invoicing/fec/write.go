package fec

import (
	"bufio"
	"fmt"
	"io"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Charset is the encoding of a written file.
type Charset int

const (
	// ISO885915 is the default: A47 A-1 allows ASCII, ISO 8859-15 or EBCDIC,
	// and 8859-15 has € and the French letters (œ, Ÿ).
	ISO885915 Charset = iota
	// UTF8 is offered for tools that want it; it is not an A47 A-1 charset.
	UTF8
)

// Options choose the separator, charset and line ending of a file.
type Options struct {
	Sep     rune // '|' (default when 0) or '\t'
	Charset Charset
	CRLF    bool // CR/LF line ends instead of LF
}

func (o Options) sep() (byte, error) {
	switch o.Sep {
	case 0, '|':
		return '|', nil
	case '\t':
		return '\t', nil
	}
	return 0, fmt.Errorf("fec: separator %q: only '|' or tab are allowed", o.Sep)
}

// Write writes the header and one line per entry line. It checks every entry
// before writing anything, so an invalid entry never leaves half a file.
// Labels lose the separator and line breaks; characters ISO 8859-15 lacks are
// transliterated (’ → ', ő → o) or become '?'.
func Write(w io.Writer, entries []Entry, opt Options) error {
	sep, err := opt.sep()
	if err != nil {
		return err
	}
	if opt.Charset != ISO885915 && opt.Charset != UTF8 {
		return fmt.Errorf("fec: unknown charset %d", opt.Charset)
	}
	for i := range entries {
		if err := validate(&entries[i]); err != nil {
			return err
		}
	}
	enc := textEncoder{sep: sep, utf8: opt.Charset == UTF8}
	bw := bufio.NewWriterSize(w, 64<<10)
	eol := []byte{'\n'}
	if opt.CRLF {
		eol = []byte{'\r', '\n'}
	}
	var line []byte
	for i, f := range Fields {
		if i > 0 {
			line = append(line, sep)
		}
		line = append(line, f...)
	}
	line = append(line, eol...)
	if _, err := bw.Write(line); err != nil {
		return err
	}
	// head holds fields 1-4, piece fields 9-10 and valid field 16: the same on
	// every line of an entry, so they are encoded once.
	var head, piece, valid []byte
	for i := range entries {
		e := &entries[i]
		head = enc.text(head[:0], e.Journal)
		head = append(head, sep)
		head = enc.text(head, e.JournalLabel)
		head = append(head, sep)
		head = enc.text(head, e.Num)
		head = append(head, sep)
		head = appendDate(head, e.Date)
		head = append(head, sep)
		piece = enc.text(piece[:0], e.PieceRef)
		piece = append(piece, sep)
		piece = appendDate(piece, e.PieceDate)
		piece = append(piece, sep)
		valid = appendDate(valid[:0], e.ValidDate)
		for j := range e.Lines {
			l := &e.Lines[j]
			line = append(line[:0], head...)
			line = enc.text(line, l.Account)
			line = append(line, sep)
			line = enc.text(line, l.AccountLabel)
			line = append(line, sep)
			line = enc.text(line, l.AuxAccount)
			line = append(line, sep)
			line = enc.text(line, l.AuxLabel)
			line = append(line, sep)
			line = append(line, piece...)
			line = enc.text(line, l.Label)
			line = append(line, sep)
			line = appendAmount(line, l.Debit)
			line = append(line, sep)
			line = appendAmount(line, l.Credit)
			line = append(line, sep)
			line = enc.text(line, l.Let)
			line = append(line, sep)
			if l.Let != "" {
				line = appendDate(line, l.LetDate)
			}
			line = append(line, sep)
			line = append(line, valid...)
			line = append(line, sep)
			if foreign(l.Currency) {
				line = appendAmount(line, l.CurrencyAmount)
				line = append(line, sep)
				line = enc.text(line, l.Currency)
			} else {
				line = append(line, sep)
			}
			line = append(line, eol...)
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// foreign reports whether a currency code fills Montantdevise and Idevise.
func foreign(cur string) bool { return cur != "" && cur != "EUR" }

// validate refuses what A47 A-1 does not allow: an entry with no line, one
// that does not balance, a negative or two-sided amount, a missing date.
func validate(e *Entry) error {
	name := func() string { return fmt.Sprintf("entry %s %s (piece %s)", e.Journal, e.Num, e.PieceRef) }
	switch {
	case e.Journal == "":
		return fmt.Errorf("%w: %s: no journal code", ErrInvalid, name())
	case e.Num == "":
		return fmt.Errorf("%w: %s: no number (call Number)", ErrInvalid, name())
	case e.PieceRef == "":
		return fmt.Errorf("%w: %s: no piece reference", ErrInvalid, name())
	case e.Date.IsZero() || e.PieceDate.IsZero() || e.ValidDate.IsZero():
		return fmt.Errorf("%w: %s: entry, piece and validation dates are required", ErrInvalid, name())
	case len(e.Lines) == 0:
		return fmt.Errorf("%w: %s: no lines", ErrInvalid, name())
	}
	for k, l := range e.Lines {
		switch {
		case l.Account == "":
			return fmt.Errorf("%w: %s line %d: no account", ErrInvalid, name(), k+1)
		case l.Debit < 0 || l.Credit < 0:
			return fmt.Errorf("%w: %s line %d: negative amount", ErrInvalid, name(), k+1)
		case l.Debit != 0 && l.Credit != 0:
			return fmt.Errorf("%w: %s line %d: both debit and credit", ErrInvalid, name(), k+1)
		case l.Let != "" && l.LetDate.IsZero():
			return fmt.Errorf("%w: %s line %d: lettering code without date", ErrInvalid, name(), k+1)
		}
	}
	if d, c := e.Totals(); d != c {
		return fmt.Errorf("%w: %w: %s: debit %s, credit %s", ErrInvalid, ErrUnbalanced, name(),
			appendAmount(nil, d), appendAmount(nil, c))
	}
	return nil
}

// appendDate appends AAAAMMJJ, the calendar date in t's own location.
func appendDate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	return append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		byte('0'+int(m)/10), byte('0'+int(m)%10), byte('0'+d/10), byte('0'+d%10))
}

// appendAmount appends cents as "1234,56": decimal comma, no thousands
// separator, a minus sign only for negative amounts (Montantdevise).
func appendAmount(b []byte, cents int64) []byte {
	u := uint64(cents)
	if cents < 0 {
		b = append(b, '-')
		u = -u
	}
	var tmp [24]byte
	i := len(tmp)
	for n := 0; n < 2; n++ {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
	}
	i--
	tmp[i] = ','
	for {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}

// textEncoder appends a field's text in the file's charset.
type textEncoder struct {
	sep  byte // replaced by a space: it must be unique in the file
	utf8 bool
}

// text appends s without the separator and control characters (each run of
// spaces becomes one, none at the ends), encoded in the file's charset.
func (t textEncoder) text(b []byte, s string) []byte {
	start := len(b)
	space := func() {
		if len(b) > start && b[len(b)-1] != ' ' {
			b = append(b, ' ')
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || c == t.sep || c < 0x20 || c == 0x7f:
				space()
			default:
				b = append(b, c)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, '?')
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space()
		case t.utf8:
			b = utf8.AppendRune(b, r)
		default:
			b = latin9(b, r)
		}
	}
	if len(b) > start && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// translit spells in ISO 8859-15 the usual characters it lacks (typographic
// quotes and dashes pasted from word processors, 8859-1 fractions).
var translit = map[rune]string{
	'‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '´': "'", 'ʼ': "'",
	'“': `"`, '”': `"`, '„': `"`, '″': `"`, '¨': `"`,
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '―': "-", '−': "-",
	'…': "...", '•': "-", '¸': ",",
	'¼': "1/4", '½': "1/2", '¾': "3/4", '™': "TM", '‰': "o/oo",
	'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ı': "i", 'ŀ': "l", 'Ŀ': "L",
}

// latin9 appends r in ISO 8859-15, transliterated if the charset lacks it.
func latin9(b []byte, r rune) []byte {
	if c, ok := charmap.ISO8859_15.EncodeRune(r); ok {
		return append(b, c)
	}
	if s, ok := translit[r]; ok {
		for _, x := range s {
			c, _ := charmap.ISO8859_15.EncodeRune(x) // the table's output is ASCII
			b = append(b, c)
		}
		return b
	}
	// Marks, joiners, variation selectors and skin tones are invisible or
	// qualify the previous character: drop them rather than add '?'.
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || (r >= 0x1F3FB && r <= 0x1F3FF) {
		return b
	}
	// A letter with a diacritic 8859-15 lacks (ő, č, ą) keeps its base letter.
	var tmp [utf8.UTFMax * 4]byte
	d := norm.NFD.Append(tmp[:0], utf8.AppendRune(nil, r)...)
	if base, _ := utf8.DecodeRune(d); base != r {
		if c, ok := charmap.ISO8859_15.EncodeRune(base); ok {
			return append(b, c)
		}
	}
	return append(b, '?')
}
