package secretbox

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	box, err := New(key, "mailbox")
	if err != nil {
		t.Fatal(err)
	}
	sealed := box.Seal("mot de passe é")
	if bytes.Contains([]byte(sealed), []byte("passe")) {
		t.Fatalf("sealed text shows the plaintext: %q", sealed)
	}
	if got, err := box.Open(sealed); err != nil || got != "mot de passe é" {
		t.Fatalf("Open: got %q, %v", got, err)
	}
	if box.Seal("x") == box.Seal("x") {
		t.Error("two seals of the same text are equal: the nonce is not random")
	}
	other, _ := New(key, "other purpose")
	if _, err := other.Open(sealed); !errors.Is(err, ErrOpen) {
		t.Errorf("another purpose opened it: %v", err)
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := box.Open(tampered); !errors.Is(err, ErrOpen) {
		t.Errorf("tampered text opened: %v", err)
	}
	if _, err := New(key[:16], "x"); err == nil {
		t.Error("short key accepted")
	}
}
