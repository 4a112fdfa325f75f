package db

import "strings"

// TextMatch returns a WHERE condition and its argument matching rows whose
// search column holds every term as a prefix. Terms come from
// internal/textsearch, which normalised the column too, so both databases
// match the same rows: SQLite through the FTS5 table ftsTable (rowid = idColumn),
// PostgreSQL through a GIN index on to_tsvector('simple', textColumn).
// It returns an always-false condition when terms is empty.
func (d Dialect) TextMatch(idColumn, ftsTable, textColumn string, terms []string) (string, string) {
	if len(terms) == 0 {
		return "1 = 0", ""
	}
	quoted := make([]string, len(terms))
	if d == Postgres {
		for i, t := range terms {
			quoted[i] = "'" + strings.ReplaceAll(t, "'", "''") + "':*"
		}
		return "to_tsvector('simple', " + textColumn + ") @@ to_tsquery('simple', ?)", strings.Join(quoted, " & ")
	}
	for i, t := range terms {
		quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"*`
	}
	return idColumn + " IN (SELECT rowid FROM " + ftsTable + " WHERE " + ftsTable + " MATCH ?)", strings.Join(quoted, " AND ")
}
