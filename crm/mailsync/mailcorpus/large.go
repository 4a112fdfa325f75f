package mailcorpus

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
)

// Large returns a message with one attachment of sizeMB MiB
// ("rapport-<size>Mo.bin", the bytes of LargeContent) after a short text,
// built in a buffer allocated once at its final size.
func Large(sizeMB int) []byte {
	var b bytes.Buffer
	b.Grow(sizeMB<<20*4/3*78/76 + 4096)
	WriteLarge(&b, sizeMB)
	return b.Bytes()
}

// WriteLarge writes the message of Large to w as it builds it, so that a
// test can stream it to a parser without holding it.
func WriteLarge(w io.Writer, sizeMB int) error {
	head := crlf(fmt.Sprintf(`From: FormaPlus <contact@formaplus.fr>
To: crm@courtier.test
Subject: Rapport annuel (%d Mo)
Date: Tue, 31 Mar 2026 18:00:00 +0200
Message-ID: <large-%d@formaplus.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="large"

--large
Content-Type: text/plain; charset=utf-8

Voici le rapport annuel en pièce jointe.
--large
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="rapport-%dMo.bin"
Content-Transfer-Encoding: base64

`, sizeMB, sizeMB, sizeMB))
	if _, err := w.Write(head); err != nil {
		return err
	}
	lw := &lineWriter{w: w, eol: []byte("\r\n")}
	enc := base64.NewEncoder(base64.StdEncoding, lw)
	if _, err := io.Copy(enc, LargeContent(sizeMB)); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	if err := lw.end(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "--large--\r\n")
	return err
}

// LargeContent returns the attachment bytes of Large: sizeMB MiB of
// deterministic pseudo-random bytes (xorshift), generated as read.
func LargeContent(sizeMB int) io.Reader {
	return &xorshiftReader{state: 0x9e3779b97f4a7c15, left: int64(sizeMB) << 20}
}

// xorshiftReader yields a fixed pseudo-random byte stream of a given length.
type xorshiftReader struct {
	state uint64
	left  int64
	pos   int // byte of state handed out next, so that chunking does not matter
}

// Read implements io.Reader.
func (x *xorshiftReader) Read(p []byte) (int, error) {
	if x.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > x.left {
		p = p[:x.left]
	}
	for i := range p {
		if x.pos == 0 {
			x.state ^= x.state << 13
			x.state ^= x.state >> 7
			x.state ^= x.state << 17
		}
		p[i] = byte(x.state >> (8 * x.pos))
		x.pos = (x.pos + 1) % 8
	}
	x.left -= int64(len(p))
	return len(p), nil
}
