package eml

import (
	"bytes"
	"io"
	"testing"

	"github.com/courtier-crm/courtier/crm/mailsync/mailcorpus"
)

// FuzzParse checks that no input makes Parse panic, fail, or break the
// invariants of a Message. The fixtures are the seeds.
func FuzzParse(f *testing.F) {
	for _, fx := range mailcorpus.Fixtures() {
		f.Add(fx.Raw)
	}
	f.Add(mailcorpus.Synthetic(1, 3, nil))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\nx\n--b--\n--a--\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(bytes.NewReader(raw), func(r io.Reader) (string, int64, error) {
			n, err := io.Copy(io.Discard, r)
			return "0000", n, err
		})
		if err != nil {
			t.Fatalf("Parse returned %v", err)
		}
		checkInvariants(t, m)
	})
}
