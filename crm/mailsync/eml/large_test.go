package eml

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm/mailsync/mailcorpus"
)

// TestLargeAttachmentMemory parses a message with a 25 MiB attachment,
// streamed from a generator through a pipe as an IMAP fetch would be, and
// checks that the heap never grows by more than 8 MB meanwhile: the
// attachment is never held whole.
func TestLargeAttachmentMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("25 MiB parse: skipped with -short")
	}
	const sizeMB = 25
	h := sha256.New()
	io.Copy(h, mailcorpus.LargeContent(sizeMB))
	wantSum := hex.EncodeToString(h.Sum(nil))

	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(mailcorpus.WriteLarge(pw, sizeMB)) }()

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, baseTotal := ms.HeapAlloc, ms.TotalAlloc
	var peak uint64
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	sink := func(r io.Reader) (string, int64, error) {
		h := sha256.New()
		buf := make([]byte, 32<<10)
		var n int64
		for {
			k, err := r.Read(buf)
			h.Write(buf[:k])
			if n/(1<<20) != (n+int64(k))/(1<<20) {
				sample() // every MiB
			}
			n += int64(k)
			if err == io.EOF {
				return hex.EncodeToString(h.Sum(nil)), n, nil
			}
			if err != nil {
				return "", n, err
			}
		}
	}
	m, err := Parse(pr, sink)
	if err != nil {
		t.Fatal(err)
	}
	sample()
	total := ms.TotalAlloc - baseTotal
	growth := int64(peak) - int64(base)
	t.Logf("25 MiB attachment: peak heap growth %.2f MB, total allocated during parse %.2f MB", float64(growth)/1e6, float64(total)/1e6)
	if growth > 8e6 {
		t.Errorf("heap grew by %d bytes, want < 8 MB", growth)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
	a := m.Attachments[0]
	if a.Size != sizeMB<<20 || a.SHA256 != wantSum || a.Filename != "rapport-25Mo.bin" {
		t.Errorf("attachment = %+v, want %d bytes, sha256 %s", a, sizeMB<<20, wantSum)
	}
	if !strings.Contains(m.Text, "rapport annuel") || len(m.Problems) > 0 {
		t.Errorf("Text = %q, problems = %q", m.Text, m.Problems)
	}
}

// TestSynthetic parses generated messages: no problems, the expected
// threading, and attachments and replies in the advertised proportions.
func TestSynthetic(t *testing.T) {
	const n = 300
	participants := []string{mailcorpus.Broker, mailcorpus.Client, mailcorpus.Client2, mailcorpus.Provider}
	replies, attached := 0, 0
	for i := range n {
		raw := mailcorpus.Synthetic(7, i, participants)
		m, err := Parse(bytes.NewReader(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Problems) > 0 || m.MessageID != mailcorpus.SyntheticID(7, i) || len(m.From) != 1 || m.Text == "" {
			t.Fatalf("message %d: id %q, problems %q, from %v", i, m.MessageID, m.Problems, m.From)
		}
		if len(m.InReplyTo) > 0 {
			replies++
			if !strings.HasPrefix(m.Subject, "Re: ") || !strings.HasPrefix(m.InReplyTo[0], "synth-7-") {
				t.Errorf("message %d: reply %q to %q", i, m.Subject, m.InReplyTo)
			}
		}
		attached += len(m.Attachments)
		checkInvariants(t, m)
	}
	if replies < n*2/10 || replies > n*4/10 || attached < n/20 || attached > n*2/10 {
		t.Errorf("%d replies and %d attachments in %d messages, want ~30%% and ~10%%", replies, attached, n)
	}
}

// TestReplyWithToken checks the reply-token fixture: addressed to the
// token address, with no threading header.
func TestReplyWithToken(t *testing.T) {
	m, err := Parse(bytes.NewReader(mailcorpus.ReplyWithToken("crm+r7k2abc9@courtier.test", "Devis « SST »")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.To) != 1 || m.To[0].Email != "crm+r7k2abc9@courtier.test" || len(m.InReplyTo)+len(m.References) != 0 ||
		m.Subject != "Re: Devis « SST »" || len(m.Problems) > 0 {
		t.Errorf("got To %v, InReplyTo %q, References %q, Subject %q, problems %q", m.To, m.InReplyTo, m.References, m.Subject, m.Problems)
	}
}

func BenchmarkParseSynthetic(b *testing.B) {
	var msgs [][]byte
	size := 0
	for i := range 100 {
		msgs = append(msgs, mailcorpus.Synthetic(1, i, nil))
		size += len(msgs[i])
	}
	b.SetBytes(int64(size / len(msgs)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(bytes.NewReader(msgs[i%len(msgs)]), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseLarge(b *testing.B) {
	raw := mailcorpus.Large(5)
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(bytes.NewReader(raw), nil); err != nil {
			b.Fatal(fmt.Errorf("parse: %w", err))
		}
	}
}
