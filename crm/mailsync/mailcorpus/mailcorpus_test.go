package mailcorpus

import (
	"bytes"
	"crypto/sha256"
	"io"
	"strings"
	"testing"
)

// TestFixturesShape checks what every consumer of the fixtures relies on:
// unique names, CRLF line endings, lower-case addresses in Want.
func TestFixturesShape(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Fixtures() {
		if f.Name == "" || seen[f.Name] {
			t.Errorf("fixture name %q empty or repeated", f.Name)
		}
		seen[f.Name] = true
		if i := bareLF(f.Raw); i >= 0 {
			t.Errorf("%s: bare LF at byte %d", f.Name, i)
		}
		for _, a := range append([]string{f.Want.From}, f.Want.Participants...) {
			if a != strings.ToLower(a) {
				t.Errorf("%s: address %q not lower-case", f.Name, a)
			}
		}
		if !f.Want.Broken && f.Want.From == "" {
			t.Errorf("%s: Want.From missing", f.Name)
		}
	}
	if len(seen) < 25 {
		t.Errorf("only %d fixtures", len(seen))
	}
}

func bareLF(b []byte) int {
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			return i
		}
	}
	return -1
}

// TestFixturesFresh checks that callers may modify what Fixtures returns.
func TestFixturesFresh(t *testing.T) {
	a := Fixtures()
	a[0].Raw[0] = 'X'
	a[0].Want.TextContains[0] = "changed"
	b := Fixtures()
	if b[0].Raw[0] == 'X' || b[0].Want.TextContains[0] == "changed" {
		t.Error("Fixtures shares state between calls")
	}
}

func TestSynthetic(t *testing.T) {
	participants := []string{Broker, Client, Provider}
	for i := range 500 {
		raw := Synthetic(42, i, participants)
		if !bytes.Equal(raw, Synthetic(42, i, participants)) {
			t.Fatalf("message %d is not deterministic", i)
		}
		if len(raw) < 2000 || len(raw) > 40*1024 {
			t.Errorf("message %d is %d bytes, want 2 to 40 KB", i, len(raw))
		}
		if i := bareLF(raw); i >= 0 {
			t.Errorf("message %d: bare LF at %d", i, i)
		}
		if !bytes.Contains(raw, []byte("Message-ID: <"+SyntheticID(42, i)+">")) {
			t.Errorf("message %d lacks its Message-ID", i)
		}
	}
	if bytes.Equal(Synthetic(1, 5, nil), Synthetic(2, 5, nil)) {
		t.Error("seed does not change the message")
	}
}

func TestReplyWithToken(t *testing.T) {
	if a, b := ReplyWithToken("crm+r1@courtier.test", "Devis"), ReplyWithToken("crm+r1@courtier.test", "RE: Devis"); bytes.Contains(b, []byte("Re: RE:")) || !bytes.Contains(a, []byte("Subject: Re: Devis\r\n")) {
		t.Errorf("Re: prefix: %q / %q", a, b)
	}
	raw := string(ReplyWithToken("crm+r123@courtier.test", "Devis SST"))
	for _, s := range []string{"To: Courtier <crm+r123@courtier.test>\r\n", "Subject: Re: Devis SST\r\n", "From: Marie Durand <" + Client + ">"} {
		if !strings.Contains(raw, s) {
			t.Errorf("reply lacks %q", s)
		}
	}
	for _, s := range []string{"In-Reply-To", "References"} {
		if strings.Contains(raw, s) {
			t.Errorf("reply has %s", s)
		}
	}
}

func TestLarge(t *testing.T) {
	raw := Large(2)
	if len(raw) < 2<<20*4/3 || len(raw) > 2<<20*4/3*78/76+4096 {
		t.Errorf("Large(2) is %d bytes", len(raw))
	}
	if i := bareLF(raw); i >= 0 {
		t.Errorf("bare LF at %d", i)
	}
	if !bytes.HasSuffix(raw, []byte("--large--\r\n")) {
		t.Error("Large lacks its closing boundary")
	}
	// The content does not depend on how it is read.
	whole := sha256.New()
	io.Copy(whole, LargeContent(2))
	chunked := sha256.New()
	io.Copy(chunked, io.LimitReader(&oddReader{LargeContent(2)}, 3<<20))
	if !bytes.Equal(whole.Sum(nil), chunked.Sum(nil)) {
		t.Error("LargeContent depends on read sizes")
	}
	n, _ := io.Copy(io.Discard, LargeContent(3))
	if n != 3<<20 {
		t.Errorf("LargeContent(3) is %d bytes", n)
	}
}

// oddReader reads in odd-sized chunks.
type oddReader struct{ r io.Reader }

func (o *oddReader) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 13)]) }
