// Package errs holds the few error categories every layer agrees on.
//
// Domain packages return errors that unwrap to one of these; internal/db maps
// driver errors to them; the web packages map them once to HTTP statuses.
// Keeping them here lets web code classify errors without importing internal/db.
package errs

import (
	"errors"
	"sort"
	"strings"
)

// The categories. Wrap them with context: fmt.Errorf("crm: load client %d: %w", id, errs.ErrNotFound).
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
	ErrInvalid   = errors.New("invalid input")
)

// Invalid carries field-level validation messages as i18n keys
// (field name → message key), so the web layer can show each next to its field.
type Invalid struct {
	Fields map[string]string
}

// NewInvalid returns an *Invalid with one field message; add more with Add.
func NewInvalid(field, key string) *Invalid {
	return &Invalid{Fields: map[string]string{field: key}}
}

// Add records a message for a field and returns the receiver for chaining.
func (e *Invalid) Add(field, key string) *Invalid {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	e.Fields[field] = key
	return e
}

// OrNil returns nil when no field failed, so validators can end with `return v.OrNil()`.
func (e *Invalid) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

func (e *Invalid) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k+": "+e.Fields[k])
	}
	sort.Strings(keys)
	return "invalid input (" + strings.Join(keys, ", ") + ")"
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *Invalid) Unwrap() error { return ErrInvalid }
