package web

import (
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// WriteCSV writes a header and rows as CSV the way French Excel opens it:
// UTF-8 with a byte order mark, ';' between fields, CRLF line ends. A cell
// that a spreadsheet would run as a formula (starting with = + - @ or a
// tab) is prefixed with an apostrophe (OWASP "CSV injection").
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("web: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("web: write csv: %w", err)
	}
	cells := make([]string, 0, len(header))
	for _, row := range rows {
		cells = cells[:0]
		for _, v := range row {
			cells = append(cells, defuseCell(v))
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("web: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("web: write csv: %w", err)
	}
	return nil
}

func defuseCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// SendCSV answers with a CSV download (see WriteCSV) named filename.
func SendCSV(c *fiber.Ctx, filename string, header []string, rows [][]string) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	return WriteCSV(c.Response().BodyWriter(), header, rows)
}
