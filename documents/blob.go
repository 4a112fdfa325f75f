package documents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
)

// Blobs stores immutable contents by their SHA-256: uploaded and generated
// documents, raw e-mails and their attachments. The same content is stored
// once. The interface lets an S3-compatible store replace the local folder
// when several servers run (Put = PUT of a temporary key then copy, Open =
// GET, Stat = HEAD, Walk = a listing).
type Blobs interface {
	// Put stores r's content and returns its SHA-256 (hex) and size. It
	// streams: the content is never held whole in memory.
	Put(ctx context.Context, r io.Reader) (sum string, size int64, err error)
	// Open returns the content; errs.ErrNotFound when absent. The reader
	// re-hashes what it reads and fails with ErrCorrupt at the end when the
	// content does not match its name.
	Open(ctx context.Context, sum string) (io.ReadCloser, error)
	// Stat returns a blob's stored size; errs.ErrNotFound when absent.
	Stat(ctx context.Context, sum string) (int64, error)
	// Walk calls fn for every stored blob, in no particular order, and stops
	// at fn's first error.
	Walk(ctx context.Context, fn func(sum string, size int64) error) error
}

// ErrCorrupt is the error of a blob whose content no longer matches its SHA-256.
var ErrCorrupt = errors.New("documents: blob content does not match its SHA-256")

// LocalBlobs keeps blobs in a folder, as dir/ab/cd/abcdef… files (two
// fan-out levels keep folders small); dir/tmp holds writes in progress.
type LocalBlobs struct {
	dir string
}

// staleTemp is the age past which a temporary file is a crash's leftover.
const staleTemp = 24 * time.Hour

// NewLocalBlobs returns a store in dir, created if needed, and removes the
// temporary files that crashed writes left behind.
func NewLocalBlobs(dir string) (*LocalBlobs, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("documents: blob folder: %w", err)
	}
	b := &LocalBlobs{dir: dir}
	if entries, err := os.ReadDir(filepath.Join(dir, "tmp")); err == nil {
		for _, e := range entries {
			// Only old ones: another process may be writing the recent ones.
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp {
				os.Remove(filepath.Join(dir, "tmp", e.Name()))
			}
		}
	}
	return b, nil
}

func (b *LocalBlobs) path(sum string) string {
	return filepath.Join(b.dir, sum[:2], sum[2:4], sum)
}

// validSum reports whether sum is 64 lower-case hex digits, so that a name
// from outside can never reach another path.
func validSum(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	for i := 0; i < len(sum); i++ {
		if c := sum[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Put writes to a temporary file while hashing, flushes it to disk, then
// renames it into place and flushes the folder: a crash never leaves a
// partial blob under a valid name, and a stored blob survives a power cut.
func (b *LocalBlobs) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(b.dir, "tmp"), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("documents: store blob: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("documents: store blob: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	// Renaming over an existing blob is harmless (same content) and even
	// repairs a corrupt copy, so there is no existence check.
	dst := b.path(sum)
	created, err := mkdirs(filepath.Dir(dst), b.dir)
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err == nil {
		err = syncDir(filepath.Dir(dst))
	}
	for _, d := range created {
		if err == nil {
			err = syncDir(filepath.Dir(d))
		}
	}
	if err != nil {
		return "", 0, fmt.Errorf("documents: store blob: %w", err)
	}
	return sum, size, nil
}

// mkdirs creates dir and its missing parents below root, returning those
// it created (deepest last), whose parents must be flushed too.
func mkdirs(dir, root string) ([]string, error) {
	var missing []string
	for d := dir; d != root && len(d) > len(root); d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append([]string{d}, missing...)
	}
	if len(missing) == 0 {
		return nil, nil
	}
	return missing, os.MkdirAll(dir, 0o750)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Open opens a stored blob behind a reader that checks its hash.
func (b *LocalBlobs) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if !validSum(sum) {
		return nil, fmt.Errorf("documents: blob %q: %w", sum, errs.ErrNotFound)
	}
	f, err := os.Open(b.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("documents: blob %s: %w", sum, errs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("documents: open blob %s: %w", sum, err)
	}
	return &verifyingReader{f: f, sum: sum, h: sha256.New()}, nil
}

// Stat returns the size of a stored blob.
func (b *LocalBlobs) Stat(ctx context.Context, sum string) (int64, error) {
	if !validSum(sum) {
		return 0, fmt.Errorf("documents: blob %q: %w", sum, errs.ErrNotFound)
	}
	info, err := os.Stat(b.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("documents: blob %s: %w", sum, errs.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("documents: stat blob %s: %w", sum, err)
	}
	return info.Size(), nil
}

// Walk lists the blobs: files named by a sum at their fan-out place. The
// tmp folder and anything else are skipped, so a crash's leftover is never seen.
func (b *LocalBlobs) Walk(ctx context.Context, fn func(sum string, size int64) error) error {
	err := filepath.WalkDir(b.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() {
			if p != b.dir && filepath.Dir(p) == b.dir && e.Name() == "tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		sum := e.Name()
		if !e.Type().IsRegular() || !validSum(sum) || p != b.path(sum) {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		return fn(sum, info.Size())
	})
	if err != nil {
		return fmt.Errorf("documents: walk blobs: %w", err)
	}
	return nil
}

// verifyingReader hashes what is read and, at the end, turns io.EOF into
// ErrCorrupt when the content does not match the blob's name.
type verifyingReader struct {
	f   *os.File
	sum string
	h   hash.Hash
	err error
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.f.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.sum {
			err = fmt.Errorf("%w: blob %s hashes to %s", ErrCorrupt, v.sum, got)
		}
	}
	if err != nil {
		v.err = err
	}
	return n, err
}

func (v *verifyingReader) Close() error { return v.f.Close() }

// ctxReader stops a long copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
