package crm

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTokenSigner(t *testing.T) {
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	signer := tokenSigner{secret: bytes.Repeat([]byte{7}, 32)}
	token := signer.sign(42, 3, now.Add(time.Hour))
	if id, seq, err := signer.verify(token, now); err != nil || id != 42 || seq != 3 {
		t.Fatalf("valid token: id %d seq %d err %v", id, seq, err)
	}
	if strings.Trim(token, "0123456789.-_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		t.Errorf("token %q is not URL-safe", token)
	}
	other := tokenSigner{secret: bytes.Repeat([]byte{8}, 32)}
	cases := []struct {
		name  string
		token string
		at    time.Time
		want  error
	}{
		{"expired", token, now.Add(time.Hour), ErrTokenExpired},
		{"another consultation's id", withPart(token, 0, "43"), now, ErrTokenInvalid},
		{"expiry pushed back", withPart(token, 2, "1893456000"), now, ErrTokenInvalid},
		{"older link number", withPart(token, 1, "2"), now, ErrTokenInvalid},
		{"signature altered", token[:len(token)-2] + "xx", now, ErrTokenInvalid},
		{"signed with another secret", other.sign(42, 3, now.Add(time.Hour)), now, ErrTokenInvalid},
		{"no signature", "42.3.1777896000", now, ErrTokenInvalid},
		{"garbage", "not-a-token", now, ErrTokenInvalid},
		{"empty", "", now, ErrTokenInvalid},
	}
	for _, c := range cases {
		if _, _, err := signer.verify(c.token, c.at); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

// withPart replaces the i-th dot-separated part of a token.
func withPart(token string, i int, v string) string {
	parts := strings.Split(token, ".")
	parts[i] = v
	return strings.Join(parts, ".")
}
