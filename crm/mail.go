package crm

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// MailAddress is a participant of an e-mail.
type MailAddress struct {
	Name  string `db:"name" json:"name"`
	Email string `db:"email" json:"email"`
}

// MailAttachment is a file attached to an e-mail, stored as a blob.
type MailAttachment struct {
	ID          int64  `db:"id" json:"id"`
	Filename    string `db:"filename" json:"filename"`
	ContentType string `db:"content_type" json:"content_type"`
	Size        int64  `db:"size" json:"size"`
	SHA256      string `db:"sha256" json:"sha256"`
	Inline      bool   `db:"inline" json:"inline"`
	ContentID   string `db:"content_id" json:"content_id,omitempty"`
}

// MailLocation is where a message was found: mailbox, folder, UIDVALIDITY, UID.
type MailLocation struct {
	MailboxID   int64
	Folder      string
	UIDValidity uint32
	UID         uint32
}

// MailInput is a parsed e-mail to store, incoming or sent.
type MailInput struct {
	// Key identifies the message across mailboxes and folders: the
	// normalised Message-ID, or a content hash when there is none.
	Key        string
	MessageID  string
	Subject    string
	SentAt     time.Time
	From       []MailAddress
	To, Cc     []MailAddress
	ReplyTo    []MailAddress
	InReplyTo  string
	References []string
	Text, HTML string
	// Attachments are already stored as blobs.
	Attachments []MailAttachment
	RawSHA256   string
	RawSize     int64
	Problems    []string
	Broken      bool
	// Outgoing marks a mail Courtier sent (or found in a Sent folder).
	Outgoing   bool
	ReplyToken string
	Location   *MailLocation
	// Links are records the sender already knows the mail is about.
	Links []Ref
}

// StoredMail says what Store did.
type StoredMail struct {
	ID      int64
	EntryID int64
	Created bool // false: the message was already stored; only the location was added
	Triage  bool // it matched no record and waits in the triage list
}

// Mail stores e-mail in the history, threads and links it, and serves the
// triage list of what matched nothing.
type Mail struct {
	db  *db.DB
	cfg MailConfig
	// own are the broker's addresses, lower-cased: mail from them is outgoing.
	own []string
}

// NewMail returns the mail service.
func NewMail(d *db.DB, cfg MailConfig) *Mail {
	m := &Mail{db: d, cfg: cfg}
	for _, a := range append(cfg.Own, cfg.From.Address) {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			m.own = append(m.own, a)
		}
	}
	return m
}

// replyTokenRe finds the token Courtier puts in its reply address: crm+r7k2…@.
var replyTokenRe = regexp.MustCompile(`\+r([a-z0-9]{6,32})@`)

// subjectTagRe finds a record tag Courtier puts in subjects: [REQ-123].
var subjectTagRe = regexp.MustCompile(`\[(REQ|CLI|PRV)-(\d{1,12})\]`)

var subjectTagTypes = map[string]string{"REQ": RecordRequest, "CLI": RecordClient, "PRV": RecordProvider}

// Store saves a message once per Key: a message already stored (found in
// another folder or mailbox, or fetched again after a UIDVALIDITY change)
// only gains its new location. A new message is threaded (In-Reply-To,
// References, then the reply token, then the subject tag), linked to every
// contact among its participants and their companies, and to the records of
// its thread; one that matches nothing, or could not be parsed, goes to triage.
func (m *Mail) Store(ctx context.Context, in MailInput) (StoredMail, error) {
	if in.Key == "" {
		return StoredMail{}, fmt.Errorf("crm: store mail without key: %w", errs.ErrInvalid)
	}
	var out StoredMail
	err := m.db.WithTx(ctx, func(tx *db.Tx) error {
		err := tx.Get(ctx, &out.ID, "SELECT id FROM mail_messages WHERE message_key = ?", in.Key)
		switch {
		case err == nil:
			if err := tx.Get(ctx, &out.EntryID, "SELECT entry_id FROM mail_messages WHERE id = ?", out.ID); err != nil {
				return err
			}
			return addLocation(ctx, tx, out.ID, in.Location)
		case !errors.Is(err, errs.ErrNotFound):
			return fmt.Errorf("crm: find mail %s: %w", in.Key, err)
		}
		out.Created = true
		return m.insert(ctx, tx, in, &out)
	})
	return out, err
}

func (m *Mail) insert(ctx context.Context, tx *db.Tx, in MailInput, out *StoredMail) error {
	outgoing := in.Outgoing
	for _, a := range in.From {
		outgoing = outgoing || slices.Contains(m.own, a.Email)
	}
	links := slices.Clone(in.Links)

	// Threading: the nearest known ancestor named by the headers, else the
	// outgoing mail whose reply token is in a recipient address.
	var parent *mailRef
	ancestors := slices.Clone(in.References)
	slices.Reverse(ancestors)
	if in.InReplyTo != "" {
		ancestors = append([]string{in.InReplyTo}, ancestors...)
	}
	if len(ancestors) > 0 {
		// One query for all the ids; the nearest ancestor wins.
		var found []struct {
			mailRef
			MessageID string `db:"message_id"`
		}
		byID := map[string]*mailRef{}
		args := make([]any, len(ancestors))
		for i, a := range ancestors {
			args[i] = a
		}
		if err := tx.Select(ctx, &found, "SELECT id, thread_id, entry_id, message_id FROM mail_messages WHERE message_id IN (?"+
			strings.Repeat(", ?", len(args)-1)+") ORDER BY id", args...); err != nil {
			return fmt.Errorf("crm: thread mail: %w", err)
		}
		for i := range found {
			if byID[found[i].MessageID] == nil {
				byID[found[i].MessageID] = &found[i].mailRef
			}
		}
		for _, id := range ancestors {
			if parent = byID[id]; parent != nil {
				break
			}
		}
	}
	if parent == nil {
		for _, a := range slices.Concat(in.To, in.Cc) {
			if mt := replyTokenRe.FindStringSubmatch(a.Email); mt != nil {
				if p := new(mailRef); tx.Get(ctx, p, "SELECT id, thread_id, entry_id FROM mail_messages WHERE reply_token = ?", mt[1]) == nil {
					parent = p
					break
				}
			}
		}
	}
	var parentID, threadID *int64
	if parent != nil {
		parentID, threadID = &parent.ID, parent.ThreadID
		var inherited []Ref
		if err := tx.Select(ctx, &inherited, "SELECT record_type, record_id FROM timeline_links WHERE entry_id = ?", parent.EntryID); err != nil {
			return fmt.Errorf("crm: thread links: %w", err)
		}
		links = append(links, inherited...)
	}
	for _, mt := range subjectTagRe.FindAllStringSubmatch(in.Subject, -1) {
		id, _ := strconv.ParseInt(mt[2], 10, 64)
		ref := Ref{subjectTagTypes[mt[1]], id}
		if checkRefs(ctx, tx, []Ref{ref}) == nil {
			links = append(links, ref)
		}
	}

	// Participants: every address, not only the sender, is matched.
	var emails []string
	for _, a := range slices.Concat(in.From, in.To, in.Cc, in.ReplyTo) {
		if a.Email != "" && !slices.Contains(m.own, a.Email) && !slices.Contains(emails, a.Email) {
			emails = append(emails, a.Email)
		}
	}
	byEmail, err := ByEmails(ctx, tx, emails)
	if err != nil {
		return err
	}
	for _, e := range emails {
		for _, c := range byEmail[e] {
			links = append(links, Ref{RecordContact, c.ID}, c.Owner())
		}
	}
	links = dedupeRefs(links)

	kind, dir := KindEmailIn, "in"
	if outgoing {
		kind, dir = KindEmailOut, "out"
	}
	triage := TriageNone
	if len(links) == 0 || in.Broken {
		triage = TriagePending
	}
	out.Triage = triage == TriagePending
	occurred := in.SentAt
	if occurred.IsZero() {
		occurred = time.Now().UTC()
	}
	var names []string
	for _, a := range in.Attachments {
		names = append(names, a.Filename)
	}
	data := map[string]any{"from": in.From, "to": in.To}
	if len(in.Cc) > 0 {
		data["cc"] = in.Cc
	}
	if len(in.Attachments) > 0 {
		data["attachments"] = len(in.Attachments)
	}
	if in.Broken || len(in.Problems) > 0 {
		data["problems"] = in.Problems
	}
	out.EntryID, err = AddEntry(ctx, tx, NewEntry{Kind: kind, OccurredAt: occurred, Title: in.Subject, Body: in.Text,
		Data: data, Links: links, SearchExtra: strings.Join(append(emails, names...), " ")})
	if err != nil {
		return err
	}
	var sentAt *time.Time
	if !in.SentAt.IsZero() {
		t := in.SentAt.UTC()
		sentAt = &t
	}
	out.ID, err = db.InsertID(ctx, tx, `INSERT INTO mail_messages (entry_id, message_key, message_id, direction, subject,
		sent_at, in_reply_to, ref_ids, parent_id, thread_id, html, raw_sha256, raw_size, problems, broken, triage,
		reply_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		out.EntryID, in.Key, in.MessageID, dir, in.Subject, sentAt, in.InReplyTo, strings.Join(in.References, " "),
		parentID, threadID, in.HTML, in.RawSHA256, in.RawSize, strings.Join(in.Problems, "\n"), in.Broken, triage,
		in.ReplyToken, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("crm: store mail %s: %w", in.Key, err)
	}
	if threadID == nil {
		// A thread is named after its first message.
		if _, err := tx.Exec(ctx, "UPDATE mail_messages SET thread_id = id WHERE id = ?", out.ID); err != nil {
			return fmt.Errorf("crm: thread mail %d: %w", out.ID, err)
		}
	}
	var people, files [][]any
	for _, p := range []struct {
		role string
		list []MailAddress
	}{{"from", in.From}, {"to", in.To}, {"cc", in.Cc}, {"reply_to", in.ReplyTo}} {
		for _, a := range p.list {
			if a.Email != "" {
				people = append(people, []any{out.ID, p.role, a.Email, a.Name})
			}
		}
	}
	if err := insertRows(ctx, tx, "mail_participants (message_id, role, email, name)", "ON CONFLICT DO NOTHING", people); err != nil {
		return fmt.Errorf("crm: mail participants: %w", err)
	}
	for i, a := range in.Attachments {
		files = append(files, []any{out.ID, i, a.Filename, a.ContentType, a.Size, a.SHA256, a.Inline, a.ContentID})
	}
	if err := insertRows(ctx, tx, "mail_attachments (message_id, position, filename, content_type, size, sha256, inline, content_id)", "", files); err != nil {
		return fmt.Errorf("crm: mail attachments: %w", err)
	}
	return addLocation(ctx, tx, out.ID, in.Location)
}

// mailRef is a stored message as threading needs it.
type mailRef struct {
	ID       int64  `db:"id"`
	ThreadID *int64 `db:"thread_id"`
	EntryID  int64  `db:"entry_id"`
}

func addLocation(ctx context.Context, q db.Querier, id int64, l *MailLocation) error {
	if l == nil {
		return nil
	}
	_, err := q.Exec(ctx, `INSERT INTO mail_locations (mailbox_id, folder, uid_validity, uid, message_id) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, l.MailboxID, l.Folder, int64(l.UIDValidity), int64(l.UID), id)
	if err != nil {
		return fmt.Errorf("crm: mail location: %w", err)
	}
	return nil
}

func dedupeRefs(refs []Ref) []Ref {
	var out []Ref
	for _, r := range refs {
		if r.ID != 0 && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// MailMessage is a stored e-mail as shown to staff.
type MailMessage struct {
	ID          int64            `db:"id" json:"id"`
	EntryID     int64            `db:"entry_id" json:"entry_id"`
	MessageID   string           `db:"message_id" json:"message_id"`
	Direction   string           `db:"direction" json:"direction"`
	Subject     string           `db:"subject" json:"subject"`
	SentAt      *time.Time       `db:"sent_at" json:"sent_at"`
	Text        string           `db:"body" json:"text"`
	HTML        string           `db:"html" json:"html"`
	ThreadID    *int64           `db:"thread_id" json:"thread_id"`
	RawSHA256   string           `db:"raw_sha256" json:"raw_sha256"`
	RawSize     int64            `db:"raw_size" json:"raw_size"`
	Problems    string           `db:"problems" json:"problems"`
	Broken      bool             `db:"broken" json:"broken"`
	Triage      string           `db:"triage" json:"triage"`
	CreatedAt   time.Time        `db:"created_at" json:"created_at"`
	From        []MailAddress    `db:"-" json:"from"`
	To          []MailAddress    `db:"-" json:"to"`
	Cc          []MailAddress    `db:"-" json:"cc"`
	Attachments []MailAttachment `db:"-" json:"attachments"`
	Locations   []string         `db:"-" json:"locations"`
}

const mailColumns = `m.id, m.entry_id, m.message_id, m.direction, m.subject, m.sent_at, e.body, m.html, m.thread_id,
	m.raw_sha256, m.raw_size, m.problems, m.broken, m.triage, m.created_at`

// Get loads a message with its participants, attachments and locations.
func (m *Mail) Get(ctx context.Context, id int64) (MailMessage, error) {
	var msg MailMessage
	if err := m.db.Get(ctx, &msg, "SELECT "+mailColumns+" FROM mail_messages m JOIN timeline_entries e ON e.id = m.entry_id WHERE m.id = ?", id); err != nil {
		return MailMessage{}, fmt.Errorf("crm: load mail %d: %w", id, err)
	}
	var parts []struct {
		Role string `db:"role"`
		MailAddress
	}
	if err := m.db.Select(ctx, &parts, "SELECT role, email, name FROM mail_participants WHERE message_id = ? ORDER BY role, email", id); err != nil {
		return MailMessage{}, fmt.Errorf("crm: mail %d participants: %w", id, err)
	}
	for _, p := range parts {
		switch p.Role {
		case "from":
			msg.From = append(msg.From, p.MailAddress)
		case "to":
			msg.To = append(msg.To, p.MailAddress)
		case "cc":
			msg.Cc = append(msg.Cc, p.MailAddress)
		}
	}
	if err := m.db.Select(ctx, &msg.Attachments, `SELECT id, filename, content_type, size, sha256, inline, content_id
		FROM mail_attachments WHERE message_id = ? ORDER BY position`, id); err != nil {
		return MailMessage{}, fmt.Errorf("crm: mail %d attachments: %w", id, err)
	}
	var locs []struct {
		Name   string `db:"name"`
		Folder string `db:"folder"`
	}
	if err := m.db.Select(ctx, &locs, `SELECT b.name, l.folder FROM mail_locations l JOIN mailboxes b ON b.id = l.mailbox_id
		WHERE l.message_id = ? ORDER BY b.name, l.folder`, id); err != nil {
		return MailMessage{}, fmt.Errorf("crm: mail %d locations: %w", id, err)
	}
	for _, l := range locs {
		if s := l.Name + " / " + l.Folder; !slices.Contains(msg.Locations, s) {
			msg.Locations = append(msg.Locations, s)
		}
	}
	return msg, nil
}

// ByEntry loads the message behind a timeline entry.
func (m *Mail) ByEntry(ctx context.Context, entryID int64) (MailMessage, error) {
	var id int64
	if err := m.db.Get(ctx, &id, "SELECT id FROM mail_messages WHERE entry_id = ?", entryID); err != nil {
		return MailMessage{}, fmt.Errorf("crm: mail of entry %d: %w", entryID, err)
	}
	return m.Get(ctx, id)
}

// Attachment returns one attachment of a message (for download).
func (m *Mail) Attachment(ctx context.Context, messageID, attachmentID int64) (MailAttachment, error) {
	var a MailAttachment
	err := m.db.Get(ctx, &a, `SELECT id, filename, content_type, size, sha256, inline, content_id FROM mail_attachments
		WHERE message_id = ? AND id = ?`, messageID, attachmentID)
	if err != nil {
		return a, fmt.Errorf("crm: attachment %d of mail %d: %w", attachmentID, messageID, err)
	}
	return a, nil
}

// Thread returns the messages of a thread, oldest first.
func (m *Mail) Thread(ctx context.Context, threadID int64) ([]MailMessage, error) {
	var out []MailMessage
	err := m.db.Select(ctx, &out, "SELECT "+mailColumns+` FROM mail_messages m JOIN timeline_entries e ON e.id = m.entry_id
		WHERE m.thread_id = ? ORDER BY e.occurred_at, m.id`, threadID)
	return out, err
}

// TriageItem is a message waiting in the triage list.
type TriageItem struct {
	ID       int64      `db:"id" json:"id"`
	EntryID  int64      `db:"entry_id" json:"entry_id"`
	Subject  string     `db:"subject" json:"subject"`
	From     string     `db:"from_email" json:"from"`
	SentAt   *time.Time `db:"sent_at" json:"sent_at"`
	Broken   bool       `db:"broken" json:"broken"`
	Problems string     `db:"problems" json:"problems"`
}

// Triage lists the messages that matched no record or could not be parsed, newest first.
func (m *Mail) Triage(ctx context.Context, page Page) ([]TriageItem, int, error) {
	var total int
	if err := m.db.Get(ctx, &total, "SELECT COUNT(*) FROM mail_messages WHERE triage = ?", TriagePending); err != nil {
		return nil, 0, fmt.Errorf("crm: count triage: %w", err)
	}
	limit, offset := page.bounds()
	var out []TriageItem
	err := m.db.Select(ctx, &out, `SELECT m.id, m.entry_id, m.subject, m.sent_at, m.broken, m.problems,
		COALESCE((SELECT MIN(email) FROM mail_participants p WHERE p.message_id = m.id AND p.role = 'from'), '') AS from_email
		FROM mail_messages m WHERE m.triage = ? ORDER BY m.sent_at DESC, m.id DESC LIMIT ? OFFSET ?`, TriagePending, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("crm: list triage: %w", err)
	}
	return out, total, nil
}

// Resolve links a triaged message to records and takes it out of triage.
// With remember, the sender's address is added to the contact linked, so
// that the next mail from it matches by itself.
func (m *Mail) Resolve(ctx context.Context, id int64, refs []Ref, remember bool) error {
	refs = dedupeRefs(refs)
	if len(refs) == 0 {
		return errs.NewInvalid("links", "error.required")
	}
	return m.db.WithTx(ctx, func(tx *db.Tx) error {
		var entryID int64
		if err := tx.Get(ctx, &entryID, "SELECT entry_id FROM mail_messages WHERE id = ?", id); err != nil {
			return fmt.Errorf("crm: mail %d: %w", id, err)
		}
		if err := checkRefs(ctx, tx, refs); err != nil {
			return err
		}
		all := refs
		for _, r := range refs {
			if r.Type == RecordContact {
				var c Contact
				if err := tx.Get(ctx, &c, "SELECT "+contactColumns+contactFrom+" WHERE k.id = ?", r.ID); err != nil {
					return err
				}
				all = append(all, c.Owner())
				if remember {
					if _, err := tx.Exec(ctx, `INSERT INTO contact_emails (contact_id, email, position)
						SELECT ?, p.email, 99 FROM mail_participants p WHERE p.message_id = ? AND p.role = 'from'
						ON CONFLICT DO NOTHING`, c.ID, id); err != nil {
						return fmt.Errorf("crm: remember address: %w", err)
					}
				}
			}
		}
		if err := linkEntry(ctx, tx, entryID, dedupeRefs(all)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE mail_messages SET triage = ? WHERE id = ?", TriageNone, id); err != nil {
			return fmt.Errorf("crm: resolve mail %d: %w", id, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "mail.resolve", Entity: "mail", EntityID: id, Details: map[string]any{"links": refs}})
	})
}

// Dismiss takes a message out of triage without linking it (spam, newsletters).
func (m *Mail) Dismiss(ctx context.Context, id int64) error {
	return m.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE mail_messages SET triage = ? WHERE id = ? AND triage = ?", TriageDismissed, id, TriagePending)
		if err != nil {
			return fmt.Errorf("crm: dismiss mail %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("crm: mail %d in triage: %w", id, errs.ErrNotFound)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "mail.dismiss", Entity: "mail", EntityID: id})
	})
}
