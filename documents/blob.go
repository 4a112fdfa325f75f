package documents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/courtier-crm/courtier/internal/errs"
)

// Blobs stores immutable contents by their SHA-256: uploaded and generated
// documents, raw e-mails and their attachments. The same content is stored
// once. The interface lets an S3-compatible store replace the local folder
// when several servers run.
type Blobs interface {
	// Put stores r's content and returns its SHA-256 (hex) and size. It
	// streams: the content is never held whole in memory.
	Put(ctx context.Context, r io.Reader) (sum string, size int64, err error)
	// Open returns the content; errs.ErrNotFound when absent.
	Open(ctx context.Context, sum string) (io.ReadCloser, error)
}

// LocalBlobs keeps blobs in a folder, as dir/ab/cd/abcdef… files.
type LocalBlobs struct {
	dir string
}

// NewLocalBlobs returns a store in dir, created if needed.
func NewLocalBlobs(dir string) (*LocalBlobs, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("documents: blob folder: %w", err)
	}
	return &LocalBlobs{dir: dir}, nil
}

func (b *LocalBlobs) path(sum string) string {
	return filepath.Join(b.dir, sum[:2], sum[2:4], sum)
}

// Put writes to a temporary file while hashing, then renames it into place:
// a crash never leaves a partial blob under a valid name.
func (b *LocalBlobs) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(b.dir, "tmp"), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("documents: store blob: %w", err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("documents: store blob: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	// Renaming over an existing blob is harmless (same content), so there is
	// no existence check; the folder is created only when missing.
	dst := b.path(sum)
	err = os.Rename(tmp.Name(), dst)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(dst), 0o750); err == nil {
			err = os.Rename(tmp.Name(), dst)
		}
	}
	if err != nil {
		return "", 0, fmt.Errorf("documents: store blob: %w", err)
	}
	return sum, size, nil
}

// Open opens a stored blob.
func (b *LocalBlobs) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if len(sum) != 64 {
		return nil, fmt.Errorf("documents: blob %q: %w", sum, errs.ErrNotFound)
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return nil, fmt.Errorf("documents: blob %q: %w", sum, errs.ErrNotFound)
	}
	f, err := os.Open(b.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("documents: blob %s: %w", sum, errs.ErrNotFound)
	}
	return f, err
}
