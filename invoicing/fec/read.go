package fec

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Record is one line of a FEC file, its 18 fields parsed. Amounts are cents.
type Record struct {
	JournalCode, JournalLib, EcritureNum string
	EcritureDate                         time.Time
	CompteNum, CompteLib                 string
	CompAuxNum, CompAuxLib               string
	PieceRef                             string
	PieceDate                            time.Time
	EcritureLib                          string
	Debit, Credit                        int64
	EcritureLet                          string
	DateLet                              time.Time // zero when empty
	ValidDate                            time.Time
	Montantdevise                        int64 // 0 when empty
	Idevise                              string
}

// Read parses a file written by Write with the same options: it checks the
// header, the field count and the date and amount formats of every line.
// Dates are parsed in UTC.
func Read(r io.Reader, opt Options) ([]Record, error) {
	sep, err := opt.sep()
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var recs []Record
	var text strings.Builder
	n := 0
	for sc.Scan() {
		n++
		raw := bytes.TrimSuffix(sc.Bytes(), []byte{'\r'})
		text.Reset()
		if opt.Charset == UTF8 {
			if !utf8.Valid(raw) {
				return nil, fmt.Errorf("fec: line %d: invalid UTF-8", n)
			}
			text.Write(raw)
		} else {
			for _, c := range raw {
				text.WriteRune(charmap.ISO8859_15.DecodeByte(c))
			}
		}
		f := strings.Split(text.String(), string(sep))
		if len(f) != len(Fields) {
			return nil, fmt.Errorf("fec: line %d: %d fields, want %d", n, len(f), len(Fields))
		}
		if n == 1 {
			for i, name := range Fields {
				if f[i] != name {
					return nil, fmt.Errorf("fec: header field %d is %q, want %q", i+1, f[i], name)
				}
			}
			continue
		}
		rec, err := parseRecord(f)
		if err != nil {
			return nil, fmt.Errorf("fec: line %d: %w", n, err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("fec: read: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("fec: empty file, no header")
	}
	return recs, nil
}

func parseRecord(f []string) (Record, error) {
	r := Record{
		JournalCode: f[0], JournalLib: f[1], EcritureNum: f[2],
		CompteNum: f[4], CompteLib: f[5], CompAuxNum: f[6], CompAuxLib: f[7],
		PieceRef: f[8], EcritureLib: f[10], EcritureLet: f[13], Idevise: f[17],
	}
	var err error
	date := func(i int, optional bool) time.Time {
		if err != nil || (optional && f[i] == "") {
			return time.Time{}
		}
		t, perr := time.Parse("20060102", f[i])
		if perr != nil || len(f[i]) != 8 {
			err = fmt.Errorf("%s %q: not a AAAAMMJJ date", Fields[i], f[i])
		}
		return t
	}
	amount := func(i int, optional bool) int64 {
		if err != nil || (optional && f[i] == "") {
			return 0
		}
		var a int64
		a, err = parseAmount(f[i])
		if err != nil {
			err = fmt.Errorf("%s %q: %w", Fields[i], f[i], err)
		}
		return a
	}
	r.EcritureDate = date(3, false)
	r.PieceDate = date(9, false)
	r.Debit = amount(11, false)
	r.Credit = amount(12, false)
	r.DateLet = date(14, true)
	r.ValidDate = date(15, false)
	r.Montantdevise = amount(16, true)
	if err == nil && (r.Debit < 0 || r.Credit < 0) {
		err = fmt.Errorf("negative Debit or Credit")
	}
	return r, err
}

// parseAmount reads "-1234,56": decimal comma, exactly two decimals.
func parseAmount(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	units, dec, ok := strings.Cut(s, ",")
	if !ok || len(dec) != 2 || units == "" || strings.TrimLeft(units+dec, "0123456789") != "" {
		return 0, fmt.Errorf("not an amount with a decimal comma and 2 decimals")
	}
	v, err := strconv.ParseInt(units+dec, 10, 64)
	if err != nil {
		return 0, err
	}
	if neg {
		v = -v
	}
	return v, nil
}

// Check verifies what Read cannot see line by line: every EcritureNum of a
// journal balances and keeps one date and piece. The export self-check runs it.
func Check(recs []Record) error {
	type key struct{ journal, num string }
	type sum struct {
		debit, credit int64
		first         int
	}
	sums := map[key]*sum{}
	var order []key
	for i, r := range recs {
		k := key{r.JournalCode, r.EcritureNum}
		s, ok := sums[k]
		if !ok {
			s = &sum{first: i}
			sums[k] = s
			order = append(order, k)
		} else if f := recs[s.first]; f.EcritureDate != r.EcritureDate || f.PieceRef != r.PieceRef {
			return fmt.Errorf("%w: entry %s %s: lines with different dates or pieces", ErrInvalid, k.journal, k.num)
		}
		s.debit += r.Debit
		s.credit += r.Credit
	}
	for _, k := range order {
		if s := sums[k]; s.debit != s.credit {
			return fmt.Errorf("%w: %w: entry %s %s: debit %s, credit %s", ErrInvalid, ErrUnbalanced,
				k.journal, k.num, appendAmount(nil, s.debit), appendAmount(nil, s.credit))
		}
	}
	return nil
}
