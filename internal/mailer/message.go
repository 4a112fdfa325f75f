// Package mailer owns Courtier's outgoing mail: the Message every module fills
// in, its rendering to RFC 5322 bytes, and the Senders that deliver it (SMTP,
// console log for demo mode, in-memory Recorder for tests).
package mailer

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"maps"
	"net/mail"
	"slices"
	"strings"
)

// Address is a display name and an e-mail address.
type Address = mail.Address

// Message is one outgoing e-mail.
type Message struct {
	From        Address
	To          []Address
	Cc          []Address
	Bcc         []Address // envelope only, never written into the headers
	ReplyTo     *Address
	Subject     string
	Text        string // plain-text body
	HTML        string // optional; with Text, the body is multipart/alternative
	Attachments []Attachment
	MessageID   string // without angle brackets; Senders generate one when empty
	InReplyTo   string
	References  []string
	Headers     map[string]string // extra headers such as X-Courtier-Ref
}

// Attachment is a file attached to a Message.
type Attachment struct {
	Filename    string
	ContentType string // defaults to application/octet-stream
	Data        []byte
}

// NewMessageID returns a random, unique Message-ID "<hex>@domain" without the angle brackets.
func NewMessageID(domain string) string {
	if domain == "" {
		domain = "localhost"
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b) + "@" + domain
}

// prepare returns the copy of m that is actually sent, with the default sender
// and the Message-ID filled in. The caller's Message is left untouched so that
// it can be reused as a template without two sends sharing one Message-ID.
func prepare(m *Message, defaultFrom Address) (Message, error) {
	if m == nil {
		return Message{}, errors.New("mailer: nil message")
	}
	msg := *m
	if msg.From.Address == "" {
		msg.From = defaultFrom
	}
	if len(msg.recipients()) == 0 {
		return Message{}, errors.New("mailer: message has no recipient")
	}
	msg.MessageID = trimID(msg.MessageID)
	if msg.MessageID == "" {
		msg.MessageID = NewMessageID(domainOf(msg.From.Address))
	}
	return msg, nil
}

// clone returns a deep copy of m, so that recorded messages share no memory with the caller.
func (m Message) clone() Message {
	c := m
	c.To, c.Cc, c.Bcc = slices.Clone(m.To), slices.Clone(m.Cc), slices.Clone(m.Bcc)
	if m.ReplyTo != nil {
		r := *m.ReplyTo
		c.ReplyTo = &r
	}
	c.References = slices.Clone(m.References)
	c.Headers = maps.Clone(m.Headers)
	c.Attachments = slices.Clone(m.Attachments)
	for i := range c.Attachments {
		c.Attachments[i].Data = slices.Clone(c.Attachments[i].Data)
	}
	return c
}

// recipients returns the envelope recipients (To, Cc, Bcc), each address once.
func (m *Message) recipients() []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]Address{m.To, m.Cc, m.Bcc} {
		for _, a := range list {
			key := strings.ToLower(a.Address)
			if a.Address == "" || seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, a.Address)
		}
	}
	return out
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}

// trimID accepts ids with or without angle brackets, as callers copy them from headers.
func trimID(id string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(id), "<"), ">")
}
