package fec

import (
	"bufio"
	"encoding/csv"
	"io"
)

// WriteCSV writes the accountant's entries export: the 18 FEC columns and
// formats (AAAAMMJJ dates, decimal comma), but ';' separated, RFC 4180
// quoted and UTF-8 with a BOM, so that French Excel opens it as is.
func WriteCSV(w io.Writer, entries []Entry) error {
	for i := range entries {
		if err := validate(&entries[i]); err != nil {
			return err
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(Fields[:]); err != nil {
		return err
	}
	// No separator to strip: csv quotes it; line breaks go, as in Write.
	enc := textEncoder{utf8: true}
	var buf []byte
	str := func(s string) string {
		buf = enc.text(buf[:0], s)
		return string(buf)
	}
	// Labels come from users: a leading = + - @ would run as an Excel formula.
	label := func(s string) string {
		s = str(s)
		if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
			return "'" + s
		}
		return s
	}
	rec := make([]string, len(Fields))
	for _, e := range entries {
		for _, l := range e.Lines {
			rec[0] = str(e.Journal)
			rec[1] = label(e.JournalLabel)
			rec[2] = str(e.Num)
			rec[3] = string(appendDate(nil, e.Date))
			rec[4] = str(l.Account)
			rec[5] = label(l.AccountLabel)
			rec[6] = str(l.AuxAccount)
			rec[7] = label(l.AuxLabel)
			rec[8] = label(e.PieceRef)
			rec[9] = string(appendDate(nil, e.PieceDate))
			rec[10] = label(l.Label)
			rec[11] = string(appendAmount(nil, l.Debit))
			rec[12] = string(appendAmount(nil, l.Credit))
			rec[13] = str(l.Let)
			rec[14] = ""
			if l.Let != "" {
				rec[14] = string(appendDate(nil, l.LetDate))
			}
			rec[15] = string(appendDate(nil, e.ValidDate))
			rec[16], rec[17] = "", ""
			if foreign(l.Currency) {
				rec[16] = string(appendAmount(nil, l.CurrencyAmount))
				rec[17] = str(l.Currency)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
