package documents

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/internal/errs"
)

// Change operations of a snapshot diff.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeChanged = "changed"
)

// Change is one difference between two JSON snapshots: at Path (e.g.
// "trainees[2].last_name"), Old became New; Old is nil for an added value,
// New for a removed one.
type Change struct {
	Path string `json:"path"`
	Op   string `json:"op"`
	Old  any    `json:"old,omitempty"`
	New  any    `json:"new,omitempty"`
}

// Snapshot returns the JSON a version (0: the current one) was generated
// from; nil for an uploaded version.
func (s *Service) Snapshot(ctx context.Context, id int64, version int) (json.RawMessage, error) {
	var snap *string
	err := s.db.Get(ctx, &snap, `SELECT v.snapshot FROM document_versions v JOIN documents d ON d.id = v.document_id
		WHERE d.id = ? AND v.version = (CASE WHEN ? = 0 THEN d.current_version ELSE ? END)`, id, version, version)
	if err != nil {
		return nil, fmt.Errorf("documents: snapshot of document %d version %d: %w", id, version, err)
	}
	if snap == nil {
		return nil, nil
	}
	return json.RawMessage(*snap), nil
}

// CompareSnapshots lists what changed in the data from one version of a
// generated document to another. A version without snapshot is
// errs.Invalid on "version".
func (s *Service) CompareSnapshots(ctx context.Context, id int64, from, to int) ([]Change, error) {
	a, err := s.Snapshot(ctx, id, from)
	if err != nil {
		return nil, err
	}
	b, err := s.Snapshot(ctx, id, to)
	if err != nil {
		return nil, err
	}
	if a == nil || b == nil {
		return nil, errs.NewInvalid("version", "error.no_snapshot")
	}
	return DiffJSON(a, b)
}

// DiffJSON compares two JSON documents: object keys in sorted order, array
// items by position, so the same inputs always give the same list.
// Numbers are compared as written (1.0 and 1 differ).
func DiffJSON(a, b json.RawMessage) ([]Change, error) {
	va, err := decodeJSON(a)
	if err != nil {
		return nil, fmt.Errorf("documents: diff: old snapshot: %w", err)
	}
	vb, err := decodeJSON(b)
	if err != nil {
		return nil, fmt.Errorf("documents: diff: new snapshot: %w", err)
	}
	changes := []Change{}
	diffValue("", va, vb, &changes)
	return changes, nil
}

func decodeJSON(raw json.RawMessage) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func diffValue(path string, a, b any, out *[]Change) {
	if ma, ok := a.(map[string]any); ok {
		if mb, ok := b.(map[string]any); ok {
			keys := make([]string, 0, len(ma)+len(mb))
			for k := range ma {
				keys = append(keys, k)
			}
			for k := range mb {
				if _, ok := ma[k]; !ok {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			for _, k := range keys {
				va, inA := ma[k]
				vb, inB := mb[k]
				p := joinKey(path, k)
				switch {
				case !inA:
					*out = append(*out, Change{Path: p, Op: ChangeAdded, New: vb})
				case !inB:
					*out = append(*out, Change{Path: p, Op: ChangeRemoved, Old: va})
				default:
					diffValue(p, va, vb, out)
				}
			}
			return
		}
	}
	if la, ok := a.([]any); ok {
		if lb, ok := b.([]any); ok {
			for i := 0; i < max(len(la), len(lb)); i++ {
				p := path + "[" + strconv.Itoa(i) + "]"
				switch {
				case i >= len(la):
					*out = append(*out, Change{Path: p, Op: ChangeAdded, New: lb[i]})
				case i >= len(lb):
					*out = append(*out, Change{Path: p, Op: ChangeRemoved, Old: la[i]})
				default:
					diffValue(p, la[i], lb[i], out)
				}
			}
			return
		}
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, Change{Path: path, Op: ChangeChanged, Old: a, New: b})
	}
}

// joinKey writes a.b, or a["odd key"] for keys that are not plain names.
func joinKey(path, key string) string {
	plain := key != "" && strings.IndexFunc(key, func(r rune) bool {
		return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0
	switch {
	case !plain:
		return path + "[" + strconv.Quote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}
