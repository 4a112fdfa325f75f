package crm

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
)

// Why a consultation link is refused. They unwrap to errs.ErrForbidden, so
// the answer page shows a refusal; errors.Is tells which one to explain.
var (
	ErrTokenInvalid  = fmt.Errorf("crm: consultation link invalid: %w", errs.ErrForbidden)
	ErrTokenExpired  = fmt.Errorf("crm: consultation link expired: %w", errs.ErrForbidden)
	ErrTokenUsed     = fmt.Errorf("crm: consultation already answered: %w", errs.ErrForbidden)
	ErrTokenReplaced = fmt.Errorf("crm: consultation link replaced by a newer one: %w", errs.ErrForbidden)
)

// minSecretLen is the shortest HMAC key accepted: 32 bytes, the size of the hash.
const minSecretLen = 32

// tokenSigner signs the answer links sent to providers. A token is
// "<consultation id>.<seq>.<expiry, unix seconds>.<HMAC-SHA256, base64url>":
// it names one consultation of one provider, expires, and carries the
// sequence number of the mail that sent it, so a re-send voids older links.
// It holds no secret of its own: forging one needs the server's key.
type tokenSigner struct {
	secret []byte
}

func (t tokenSigner) mac(payload string) []byte {
	h := hmac.New(sha256.New, t.secret)
	h.Write([]byte("consultation:" + payload))
	return h.Sum(nil)
}

// sign returns the token of consultation id, link seq, valid until exp.
func (t tokenSigner) sign(id int64, seq int, exp time.Time) string {
	payload := fmt.Sprintf("%d.%d.%d", id, seq, exp.Unix())
	return payload + "." + base64.RawURLEncoding.EncodeToString(t.mac(payload))
}

// verify checks the signature (in constant time) and the expiry, and
// returns the consultation id and link sequence the token names.
func (t tokenSigner) verify(token string, now time.Time) (id int64, seq int, err error) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return 0, 0, ErrTokenInvalid
	}
	payload := token[:i]
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil || !hmac.Equal(sig, t.mac(payload)) {
		return 0, 0, ErrTokenInvalid
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 {
		return 0, 0, ErrTokenInvalid
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	seq, err2 := strconv.Atoi(parts[1])
	exp, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, ErrTokenInvalid
	}
	if !now.Before(time.Unix(exp, 0)) {
		return 0, 0, ErrTokenExpired
	}
	return id, seq, nil
}
