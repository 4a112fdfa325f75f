package invoicing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// SeriesReport is the state of one numbering series and year.
type SeriesReport struct {
	Series     string   `json:"series"`
	Year       int      `json:"year"`
	Issued     int      `json:"issued"`
	Last       int64    `json:"last_number"` // the counter
	Gaps       []int64  `json:"gaps,omitempty"`
	Duplicates []int64  `json:"duplicates,omitempty"`
	BadPDFs    []string `json:"bad_pdfs,omitempty"` // numbers whose stored PDF is missing or altered
}

// OK says whether the series is whole: numbers 1…Last each used once, and
// every stored PDF still the one issued.
func (r SeriesReport) OK() bool {
	return len(r.Gaps) == 0 && len(r.Duplicates) == 0 && len(r.BadPDFs) == 0 && int64(r.Issued) == r.Last
}

// Check reports every series: gaps and duplicates in the numbers, and the
// stored PDFs re-hashed against the hash recorded at issue.
func (s *Service) Check(ctx context.Context, progress func(done, total int)) ([]SeriesReport, error) {
	var counters []struct {
		Series string `db:"series"`
		Year   int    `db:"year"`
		Last   int64  `db:"last_number"`
	}
	if err := s.db.Select(ctx, &counters, `SELECT series, year, last_number FROM invoice_series ORDER BY year, series`); err != nil {
		return nil, fmt.Errorf("invoicing: read series: %w", err)
	}
	var total int
	if err := s.db.Get(ctx, &total, `SELECT COUNT(*) FROM invoices WHERE status = 'issued'`); err != nil {
		return nil, err
	}
	done := 0
	var out []SeriesReport
	for _, c := range counters {
		r := SeriesReport{Series: c.Series, Year: c.Year, Last: c.Last}
		var rows []struct {
			ID     int64  `db:"id"`
			Seq    int64  `db:"seq"`
			Number string `db:"number"`
			Doc    *int64 `db:"pdf_document_id"`
			Sum    string `db:"pdf_sha256"`
		}
		if err := s.db.Select(ctx, &rows, `SELECT id, seq, number, pdf_document_id, pdf_sha256 FROM invoices
			WHERE status = 'issued' AND series = ? AND year = ? ORDER BY seq`, c.Series, c.Year); err != nil {
			return nil, err
		}
		seen := map[int64]int{}
		for _, row := range rows {
			seen[row.Seq]++
			if row.Doc == nil || !s.pdfIntact(ctx, *row.Doc, row.Sum) {
				r.BadPDFs = append(r.BadPDFs, row.Number)
			}
			done++
			if progress != nil {
				progress(done, total)
			}
		}
		r.Issued = len(rows)
		for n := int64(1); n <= c.Last; n++ {
			switch seen[n] {
			case 0:
				r.Gaps = append(r.Gaps, n)
			case 1:
			default:
				r.Duplicates = append(r.Duplicates, n)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// pdfIntact re-reads a stored PDF and compares its hash.
func (s *Service) pdfIntact(ctx context.Context, docID int64, sum string) bool {
	r, v, err := s.docs.Open(ctx, docID, 1)
	if err != nil {
		return false
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return false
	}
	return v.SHA256 == sum && hex.EncodeToString(h.Sum(nil)) == sum
}
