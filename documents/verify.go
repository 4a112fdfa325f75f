package documents

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/errs"
)

// BlobProblem is a document version whose content is missing or damaged.
type BlobProblem struct {
	DocumentID int64  `json:"document_id"`
	Version    int    `json:"version"`
	SHA256     string `json:"sha256"`
	Err        string `json:"error"`
}

// Report is the outcome of Verify.
type Report struct {
	Versions int           `json:"versions"` // document versions checked
	Blobs    int           `json:"blobs"`    // distinct contents re-hashed
	Bytes    int64         `json:"bytes"`
	Missing  []BlobProblem `json:"missing"`
	Corrupt  []BlobProblem `json:"corrupt"` // hash or size differs, or unreadable
}

// OK reports whether every content was found intact.
func (r Report) OK() bool { return len(r.Missing) == 0 && len(r.Corrupt) == 0 }

// Verify re-reads and re-hashes every blob a document version refers to,
// each once, and reports the missing and corrupt ones with the versions
// concerned. progress (optional) is called after each blob with the count
// done and the total. Only a database or context error stops it.
func (s *Service) Verify(ctx context.Context, progress func(done, total int)) (Report, error) {
	var rows []struct {
		DocumentID int64  `db:"document_id"`
		Version    int    `db:"version"`
		SHA256     string `db:"sha256"`
		Size       int64  `db:"size"`
	}
	if err := s.db.Select(ctx, &rows, `SELECT document_id, version, sha256, size FROM document_versions
		ORDER BY sha256, document_id, version`); err != nil {
		return Report{}, fmt.Errorf("documents: verify: %w", err)
	}
	rep := Report{Versions: len(rows), Missing: []BlobProblem{}, Corrupt: []BlobProblem{}}
	total := 0
	for i := range rows {
		if i == 0 || rows[i].SHA256 != rows[i-1].SHA256 {
			total++
		}
	}
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].SHA256 == rows[i].SHA256 {
			j++
		}
		n, err := s.rehash(ctx, rows[i].SHA256)
		if cerr := ctx.Err(); cerr != nil {
			return rep, cerr
		}
		rep.Blobs++
		rep.Bytes += n
		if err == nil && n != rows[i].Size {
			err = fmt.Errorf("%w: %d bytes stored, %d recorded", ErrCorrupt, n, rows[i].Size)
		}
		for _, r := range rows[i:j] {
			if err == nil {
				break
			}
			p := BlobProblem{DocumentID: r.DocumentID, Version: r.Version, SHA256: r.SHA256, Err: err.Error()}
			if errors.Is(err, errs.ErrNotFound) {
				rep.Missing = append(rep.Missing, p)
			} else {
				rep.Corrupt = append(rep.Corrupt, p)
			}
		}
		if progress != nil {
			progress(rep.Blobs, total)
		}
		i = j
	}
	err := audit.Record(ctx, s.db, audit.Event{Action: "document.verify", Entity: "document",
		Details: map[string]any{"versions": rep.Versions, "blobs": rep.Blobs, "missing": len(rep.Missing), "corrupt": len(rep.Corrupt)}})
	return rep, err
}

// rehash reads a blob to its end through the verifying reader.
func (s *Service) rehash(ctx context.Context, sum string) (int64, error) {
	rc, err := s.blobs.Open(ctx, sum)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, ctxReader{ctx, rc})
}
