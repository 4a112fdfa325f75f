package crm

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// budgetCSVHeader are the export's column titles (i18n keys, written in French).
var budgetCSVHeader = []string{"budget.year", "budget.department", "budget.funding_source", "budget.label", "budget.amount",
	"budget.planned", "budget.committed", "budget.consumed", "budget.remaining"}

// ExportCSV writes the client's budget of a year (the lines of
// departments, "Hors enveloppe" for those without envelope, then the
// total) as CSV for French Excel: UTF-8 with a byte
// order mark, ';' between fields, CRLF line ends, French titles, amounts in
// euros with a decimal comma and no thousands separator, so that Excel
// reads them as numbers.
func (s *Budgets) ExportCSV(ctx context.Context, clientID int64, year int, departments []int64, w io.Writer) error {
	sum, err := s.Summary(ctx, clientID, year, departments)
	if err != nil {
		return err
	}
	header := make([]string, len(budgetCSVHeader))
	for i, k := range budgetCSVHeader {
		header[i] = i18n.T(i18n.FR, k)
	}
	y := strconv.Itoa(year)
	rows := make([][]string, 0, len(sum.Lines)+1)
	for _, l := range sum.Lines {
		dept := l.DepartmentName
		if l.DepartmentID == nil {
			dept = i18n.T(i18n.FR, "budget.whole_company")
		}
		label := defuseCell(l.Label)
		if l.EnvelopeID == 0 {
			label = i18n.T(i18n.FR, "budget.unbudgeted")
		}
		rows = append(rows, append([]string{y, defuseCell(dept), i18n.T(i18n.FR, "budget.source."+l.FundingSource), label},
			figureCells(l.BudgetFigures)...))
	}
	rows = append(rows, append([]string{y, i18n.T(i18n.FR, "budget.total"), "", ""}, figureCells(sum.Total)...))
	return writeCSV(w, header, rows)
}

func figureCells(f BudgetFigures) []string {
	return []string{euros(f.AmountCents), euros(f.PlannedCents), euros(f.CommittedCents), euros(f.ConsumedCents), euros(f.RemainingCents)}
}

// euros writes cents as a plain French decimal: 1234,50 or -20,00.
func euros(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d,%02d", sign, cents/100, cents%100)
}

// writeCSV writes a header and rows the way internal/web's WriteCSV does
// (UTF-8 with a byte order mark, ';', CRLF), which the domain may not
// import. Cells are written as given: the caller defuses those holding
// text typed by users (defuseCell), not the amounts it formats.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("crm: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("crm: write csv: %w", err)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("crm: write csv: %w", err)
	}
	return nil
}

// defuseCell prefixes with an apostrophe a text a spreadsheet would run as
// a formula (starting with = + - @, a tab or a carriage return: OWASP
// "CSV injection").
func defuseCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
