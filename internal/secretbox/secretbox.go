// Package secretbox encrypts the few secrets Courtier must store and read
// back (mailbox passwords) with AES-256-GCM under a key derived from the
// server key, so a copy of the database alone does not reveal them.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// Box seals and opens strings for one purpose.
type Box struct {
	aead cipher.AEAD
}

// New derives a key for purpose from the server key (HMAC-SHA256), so that
// each use of the server key gets its own encryption key.
func New(serverKey []byte, purpose string) (*Box, error) {
	if len(serverKey) < 32 {
		return nil, errors.New("secretbox: server key shorter than 32 bytes")
	}
	block, err := aes.NewCipher(Derive(serverKey, "secretbox/"+purpose))
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Derive returns a 32-byte key for one purpose (HMAC-SHA256 of the server
// key), so that no two uses share a key: a signing key derived for answer
// links is useless for anything else.
func Derive(serverKey []byte, purpose string) []byte {
	mac := hmac.New(sha256.New, serverKey)
	mac.Write([]byte("courtier/" + purpose))
	return mac.Sum(nil)
}

// Seal encrypts plaintext with a random nonce; the result is printable text.
func (b *Box) Seal(plaintext string) string {
	nonce := make([]byte, b.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return "v1:" + base64.RawStdEncoding.EncodeToString(b.aead.Seal(nonce, nonce, []byte(plaintext), nil))
}

// ErrOpen means the sealed text was altered or sealed under another key.
var ErrOpen = errors.New("secretbox: cannot decrypt (altered, or sealed with another server key)")

// Open decrypts what Seal produced.
func (b *Box) Open(sealed string) (string, error) {
	if len(sealed) < 3 || sealed[:3] != "v1:" {
		return "", ErrOpen
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed[3:])
	n := b.aead.NonceSize()
	if err != nil || len(raw) < n {
		return "", ErrOpen
	}
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}
