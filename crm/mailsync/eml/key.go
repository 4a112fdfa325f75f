package eml

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"strings"
	"time"
)

// ContentKey returns the key that identifies a message wherever it is
// found: "sha256:" and the hex SHA-256 of a canonical form that leaves out
// the fields a delivery adds (Received, Delivered-To, Return-Path...), so
// that the copies of one message delivered to two mailboxes or filed in two
// folders get the same key.
//
// The canonical form is the normalised Message-ID when there is one.
// Without one it is, in this order: the From addresses, the To and Cc
// addresses sorted, the Date in UTC RFC 3339 ("" if unknown), the Subject,
// the Text and the attachments' SHA-256 in order. Each item is written as
// "name length\nvalue\n", so no two different forms can collide by
// shifting text from one item to the next.
func ContentKey(m *Message) string {
	h := sha256.New()
	if m.MessageID != "" {
		keyItem(h, "message-id", m.MessageID)
	} else {
		keyItem(h, "from", joinEmails(m.From))
		rcpt := append(emails(m.To), emails(m.Cc)...)
		slices.Sort(rcpt)
		keyItem(h, "to", strings.Join(rcpt, "\n"))
		date := ""
		if !m.Date.IsZero() {
			date = m.Date.UTC().Format(time.RFC3339)
		}
		keyItem(h, "date", date)
		keyItem(h, "subject", m.Subject)
		keyItem(h, "text", m.Text)
		for _, a := range m.Attachments {
			keyItem(h, "attachment", a.SHA256)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func keyItem(h hash.Hash, name, value string) {
	fmt.Fprintf(h, "%s %d\n%s\n", name, len(value), value)
}

func emails(list []Address) []string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		out = append(out, a.Email)
	}
	return out
}

// joinEmails joins the addresses with LF, which no address can contain.
func joinEmails(list []Address) string {
	return strings.Join(emails(list), "\n")
}
