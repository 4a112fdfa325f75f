// Package importer reads the CSV files Courtier imports: a client's
// employees, Asterisk call records, and later the public list of training
// providers and courses.
//
// Every import streams: a Reader holds a few records in memory, decodes
// UTF-8 or Windows-1252 line by line, sniffs the separator, and reports a
// malformed record as a *RowError with its line number without stopping. The
// typed imports (ReadEmployees, ReadCalls) turn each record into a struct
// and hand it to a sink function that stores it; a record the sink refuses as
// invalid or conflicting is rejected and the import goes on, any other sink
// error aborts it. The Report counts outcomes and keeps the rejected records
// so the user can download them, fix them and import them again.
//
// The sinks are plain functions so that this package does not depend on the
// crm package that stores the records.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// run drives an import: it reads every record of rd, parses it with parse
// (a non-empty reason rejects the record) and hands the result to sink,
// checking ctx between records. what names the import in errors.
func run[T any](ctx context.Context, what string, rd *Reader, parse func(Record) (T, string),
	sink func(context.Context, int, T) (Outcome, error)) (Report, error) {
	var rep Report
	raw := rd.Raw
	for {
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("importer: %s: %w", what, err)
		}
		rec, err := rd.Read()
		if err == io.EOF {
			return rep, nil
		}
		var re *RowError
		if errors.As(err, &re) {
			rep.Reject(*re)
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("importer: %s: %w", what, err)
		}
		v, reason := parse(rec)
		if reason != "" {
			rep.Reject(RowError{Line: rec.Line, Reason: reason, Raw: raw()})
			continue
		}
		o, err := sink(ctx, rec.Line, v)
		if err := rep.settle(rec.Line, raw, o, err); err != nil {
			return rep, fmt.Errorf("importer: %s: %w", what, err)
		}
	}
}
