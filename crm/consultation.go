package crm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Consultation statuses: sent until the provider answers or declines, or
// until its link expires.
const (
	ConsultationSent     = "sent"
	ConsultationAnswered = "answered"
	ConsultationDeclined = "declined"
	ConsultationExpired  = "expired"
)

// Consultation is a request for quotation sent to one provider about one
// request, with the provider's answer once it came.
type Consultation struct {
	ID           int64  `db:"id" json:"id"`
	RequestID    int64  `db:"request_id" json:"request_id"`
	RequestTopic string `db:"request_topic" json:"request_topic"`
	ClientID     int64  `db:"client_id" json:"client_id"`
	ProviderID   int64  `db:"provider_id" json:"provider_id"`
	ProviderName string `db:"provider_name" json:"provider_name"`
	CourseID     *int64 `db:"course_id" json:"course_id,omitempty"`
	Email        string `db:"email" json:"email"`
	ContactName  string `db:"contact_name" json:"contact_name"`
	Language     string `db:"language" json:"language"`
	Message      string `db:"message" json:"message"`
	Status       string `db:"status" json:"status"`
	// DueAt is the answer date asked; the link works TokenGrace longer.
	DueAt time.Time `db:"due_at" json:"due_at"`
	// SentAt is when the first mail left (nil: never mailed, to re-send).
	SentAt        *time.Time `db:"sent_at" json:"sent_at,omitempty"`
	RemindedAt    *time.Time `db:"reminded_at" json:"reminded_at,omitempty"`
	Reminders     int        `db:"reminders" json:"reminders"`
	AnsweredAt    *time.Time `db:"answered_at" json:"answered_at,omitempty"`
	AnsweredVia   string     `db:"answered_via" json:"answered_via,omitempty"`
	DeclineReason string     `db:"decline_reason" json:"decline_reason,omitempty"`
	Quote
	Retained          bool       `db:"retained" json:"retained"`
	NotRetainedSentAt *time.Time `db:"not_retained_sent_at" json:"not_retained_sent_at,omitempty"`
	TokenSeq          int        `db:"token_seq" json:"-"`
	CreatedAt         time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt         time.Time  `db:"updated_at" json:"updated_at"`
}

// Overdue reports whether the consultation waits for an answer past its due date.
func (c Consultation) Overdue(now time.Time) bool {
	return c.Status == ConsultationSent && c.DueAt.Before(now)
}

// Quote is a provider's answer: price excluding VAT, VAT status, dates
// offered (YYYY-MM-DD), trainer, a note and the programme file.
type Quote struct {
	PriceCents   *int64   `db:"price_cents" json:"price_cents,omitempty"`
	VATStatus    string   `db:"vat_status" json:"vat_status,omitempty"`
	DatesList    string   `db:"dates_offered" json:"-"`
	DatesOffered []string `db:"-" json:"dates_offered,omitempty"`
	Trainer      string   `db:"trainer" json:"trainer,omitempty"`
	Note         string   `db:"answer_note" json:"note,omitempty"`
	ProgrammeFile
}

// ProgrammeFile is the programme attached to an answer, kept as a blob.
type ProgrammeFile struct {
	SHA256      string `db:"programme_sha256" json:"programme_sha256,omitempty"`
	Filename    string `db:"programme_filename" json:"programme_filename,omitempty"`
	ContentType string `db:"programme_type" json:"programme_type,omitempty"`
	Size        int64  `db:"programme_size" json:"programme_size,omitempty"`
}

// MailSender sends a mail and writes it to the timeline: *Mail.
type MailSender interface {
	Send(ctx context.Context, out Outgoing) (StoredMail, error)
}

// ConsultationConfig is what the consultation service needs besides the database.
type ConsultationConfig struct {
	Mail  MailSender
	Blobs documents.Blobs
	// Secret signs the answer links (HMAC-SHA256); at least 32 bytes.
	Secret []byte
	// FormURL is the answer form's address; the token is appended:
	// https://broker.example/reponse/ + token.
	FormURL string
}

// Consultations is the consultation service: parallel RFQ, answers,
// reminders, comparison, and the provider's answer rate.
type Consultations struct {
	db      *db.DB
	mail    MailSender
	blobs   documents.Blobs
	tokens  tokenSigner
	formURL string
	now     func() time.Time
}

// NewConsultations returns the consultation service; it refuses a short secret.
func NewConsultations(d *db.DB, cfg ConsultationConfig) (*Consultations, error) {
	if len(cfg.Secret) < minSecretLen {
		return nil, fmt.Errorf("crm: consultation link secret must have at least %d bytes", minSecretLen)
	}
	if cfg.Mail == nil || cfg.Blobs == nil || cfg.FormURL == "" {
		return nil, errors.New("crm: consultations need a mail sender, a blob store and the answer form URL")
	}
	return &Consultations{db: d, mail: cfg.Mail, blobs: cfg.Blobs, tokens: tokenSigner{secret: cfg.Secret},
		formURL: strings.TrimRight(cfg.FormURL, "/") + "/", now: time.Now}, nil
}

// DefaultAnswerDays is the answer delay when staff set no due date.
const DefaultAnswerDays = 7

// TokenGrace is how long a link keeps working after the due date: a late
// answer is still welcome; after that the consultation expires.
const TokenGrace = 7 * 24 * time.Hour

const consultationColumns = `k.id, k.request_id, r.topic AS request_topic, r.client_id, k.provider_id, p.name AS provider_name,
	k.course_id, k.email, k.contact_name, k.language, k.message, k.status, k.due_at, k.sent_at, k.reminded_at, k.reminders,
	k.answered_at, k.answered_via, k.decline_reason, k.price_cents, k.vat_status, k.dates_offered, k.trainer, k.answer_note,
	k.programme_sha256, k.programme_filename, k.programme_type, k.programme_size, k.retained, k.not_retained_sent_at,
	k.token_seq, k.created_at, k.updated_at`

const consultationFrom = " FROM consultations k JOIN requests r ON r.id = k.request_id JOIN providers p ON p.id = k.provider_id"

func loadConsultations(ctx context.Context, q db.Querier, cond string, args ...any) ([]Consultation, error) {
	var out []Consultation
	if err := q.Select(ctx, &out, "SELECT "+consultationColumns+consultationFrom+" WHERE "+cond, args...); err != nil {
		return nil, fmt.Errorf("crm: load consultations: %w", err)
	}
	for i := range out {
		out[i].DatesOffered = strings.Fields(out[i].DatesList)
	}
	return out, nil
}

func loadConsultation(ctx context.Context, q db.Querier, id int64) (Consultation, error) {
	list, err := loadConsultations(ctx, q, "k.id = ?", id)
	if err != nil {
		return Consultation{}, err
	}
	if len(list) == 0 {
		return Consultation{}, fmt.Errorf("crm: consultation %d: %w", id, errs.ErrNotFound)
	}
	return list[0], nil
}

// Get loads one consultation.
func (s *Consultations) Get(ctx context.Context, id int64) (Consultation, error) {
	return loadConsultation(ctx, s.db, id)
}

// List returns the consultations of a request, in the order they were made.
func (s *Consultations) List(ctx context.Context, requestID int64) ([]Consultation, error) {
	return loadConsultations(ctx, s.db, "k.request_id = ? ORDER BY k.id", requestID)
}

// ConsultTarget is a provider to consult, and the course of it in view.
type ConsultTarget struct {
	ProviderID int64  `json:"provider_id"`
	CourseID   *int64 `json:"course_id,omitempty"`
}

// ShortlistTargets turns the chosen items of a shortlist into targets
// (every item when ids is empty).
func ShortlistTargets(items []ShortlistItem, ids ...int64) []ConsultTarget {
	var out []ConsultTarget
	for _, it := range items {
		if len(ids) == 0 || slices.Contains(ids, it.ID) {
			out = append(out, ConsultTarget{ProviderID: it.ProviderID, CourseID: it.CourseID})
		}
	}
	return out
}

// ConsultInput consults providers about a request in one action.
type ConsultInput struct {
	RequestID int64           `json:"request_id"`
	Targets   []ConsultTarget `json:"targets"`
	// DueAt is when answers are expected; DefaultAnswerDays from now when zero.
	DueAt time.Time `json:"due_at"`
	// Message is added to every mail (context the providers should know).
	Message string `json:"message"`
}

// Consult creates one consultation per provider, moves the sourcing track
// to consulting (and a declined decision back to pending: the broker is
// looking again), commits, then mails each provider its own answer link.
// A provider already consulted for the request, blacklisted, or without an
// e-mail address refuses the whole call. Mails go after the commit: one
// that fails leaves its consultation unsent (SentAt nil), to send again with
// Remind, and is reported in the returned error next to the consultations.
func (s *Consultations) Consult(ctx context.Context, in ConsultInput) ([]Consultation, error) {
	now := s.now().UTC()
	if in.DueAt.IsZero() {
		in.DueAt = now.AddDate(0, 0, DefaultAnswerDays)
	}
	in.Message = strings.TrimSpace(in.Message)
	if err := checkTargets(in, now); err != nil {
		return nil, err
	}
	var ids []int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		r, err := lockRequest(ctx, tx, in.RequestID)
		if err != nil {
			return err
		}
		if r.Status != RequestOpen {
			return errs.NewInvalid("status", "error.request_cancelled")
		}
		for _, t := range in.Targets {
			id, err := insertConsultation(ctx, tx, r.ID, t, in, now)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return startConsulting(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	var mailErrs []error
	for _, id := range ids {
		if err := s.mailConsultation(ctx, id, false); err != nil {
			mailErrs = append(mailErrs, err)
		}
	}
	list, err := loadConsultations(ctx, s.db, "k.request_id = ? ORDER BY k.id", in.RequestID)
	if err != nil {
		return nil, err
	}
	list = slices.DeleteFunc(list, func(c Consultation) bool { return !slices.Contains(ids, c.ID) })
	return list, errors.Join(mailErrs...)
}

func checkTargets(in ConsultInput, now time.Time) error {
	inv := &errs.Invalid{}
	if len(in.Targets) == 0 {
		inv.Add("targets", "error.required")
	}
	seen := map[int64]bool{}
	for _, t := range in.Targets {
		if seen[t.ProviderID] {
			inv.Add("targets", "error.already_consulted")
		}
		seen[t.ProviderID] = true
	}
	if !in.DueAt.After(now) {
		inv.Add("due_at", "error.date_past")
	}
	return inv.OrNil()
}

// insertConsultation adds the consultation of one provider, addressed to
// its preferred contact.
func insertConsultation(ctx context.Context, tx db.Querier, requestID int64, t ConsultTarget, in ConsultInput, now time.Time) (int64, error) {
	var status string
	if err := tx.Get(ctx, &status, "SELECT status FROM providers WHERE id = ?", t.ProviderID); err != nil {
		return 0, fmt.Errorf("crm: provider %d: %w", t.ProviderID, err)
	}
	if status == ProviderBlacklisted {
		return 0, errs.NewInvalid("targets", "error.provider_blacklisted")
	}
	if t.CourseID != nil {
		var one int
		if err := tx.Get(ctx, &one, "SELECT 1 FROM courses WHERE id = ? AND provider_id = ?", *t.CourseID, t.ProviderID); err != nil {
			return 0, fmt.Errorf("crm: course %d of provider %d: %w", *t.CourseID, t.ProviderID, err)
		}
	}
	to, err := providerRecipient(ctx, tx, t.ProviderID)
	if err != nil {
		return 0, err
	}
	staff, _ := actorIDs(ctx)
	id, err := db.InsertID(ctx, tx, `INSERT INTO consultations (request_id, provider_id, course_id, email, contact_name,
		language, message, due_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		requestID, t.ProviderID, t.CourseID, to.Email, to.Name, to.Language, in.Message, in.DueAt.UTC(), staff, now, now)
	if errors.Is(err, errs.ErrConflict) {
		return 0, errs.NewInvalid("targets", "error.already_consulted")
	}
	if err != nil {
		return 0, fmt.Errorf("crm: consult provider %d: %w", t.ProviderID, err)
	}
	return id, audit.Record(ctx, tx, audit.Event{Action: "consultation.create", Entity: RecordConsultation, EntityID: id,
		Details: map[string]any{"request_id": requestID, "provider_id": t.ProviderID}})
}

// recipient is who receives a consultation at a provider.
type recipient struct {
	Email    string `db:"email"`
	Name     string `db:"name"`
	Language string `db:"language"`
}

// providerRecipient picks the provider's sales contact, else its training
// manager, else any active contact with an address, else the provider's
// own address.
func providerRecipient(ctx context.Context, q db.Querier, providerID int64) (recipient, error) {
	var to recipient
	err := q.Get(ctx, &to, `SELECT ce.email, TRIM(k.first_name || ' ' || k.last_name) AS name, k.language
		FROM contacts k JOIN contact_emails ce ON ce.contact_id = k.id WHERE k.provider_id = ? AND k.active = TRUE
		ORDER BY CASE k.role WHEN 'sales' THEN 0 WHEN 'training_manager' THEN 1 ELSE 2 END, k.id, ce.position LIMIT 1`, providerID)
	if err == nil {
		return to, nil
	}
	if !errors.Is(err, errs.ErrNotFound) {
		return to, fmt.Errorf("crm: provider %d contact: %w", providerID, err)
	}
	to.Language = "fr"
	if err := q.Get(ctx, &to.Email, "SELECT email FROM providers WHERE id = ?", providerID); err != nil || to.Email == "" {
		return to, errs.NewInvalid("targets", "error.provider_no_email")
	}
	return to, nil
}

// startConsulting moves the tracks as consulting begins (or begins again).
func startConsulting(ctx context.Context, tx db.Querier, r requestState) error {
	if r.Sourcing != SourcingConsulting {
		if err := changeTrack(ctx, tx, r.ID, r.ClientID, move{Track: TrackSourcing, From: r.Sourcing, To: SourcingConsulting}); err != nil {
			return err
		}
	}
	if r.Decision == DecisionDeclined {
		return changeTrack(ctx, tx, r.ID, r.ClientID, move{Track: TrackDecision, From: DecisionDeclined, To: DecisionPending})
	}
	return nil
}

// mailConsultation mails the consultation its answer link (a first mail,
// or a reminder) and records when it left.
func (s *Consultations) mailConsultation(ctx context.Context, id int64, reminder bool) error {
	c, err := loadConsultation(ctx, s.db, id)
	if err != nil {
		return err
	}
	r, err := loadRequest(ctx, s.db, "r.id = ?", c.RequestID)
	if err != nil {
		return err
	}
	link := s.formURL + s.tokens.sign(c.ID, c.TokenSeq, c.DueAt.Add(TokenGrace))
	text := consultationMail(c.Language, r, c, link, reminder)
	if _, err := s.mail.Send(ctx, Outgoing{To: []MailAddress{{Name: c.ContactName, Email: c.Email}}, Subject: text.Subject,
		Text: text.Body, Links: consultationLinks(c)}); err != nil {
		return fmt.Errorf("crm: mail consultation %d to %s: %w", c.ID, c.ProviderName, err)
	}
	now := s.now().UTC()
	q := "UPDATE consultations SET sent_at = COALESCE(sent_at, ?), updated_at = ? WHERE id = ?"
	if reminder {
		q = "UPDATE consultations SET sent_at = COALESCE(sent_at, ?), reminded_at = ?, reminders = reminders + 1 WHERE id = ?"
	}
	if _, err := s.db.Exec(ctx, q, now, now, c.ID); err != nil {
		return fmt.Errorf("crm: consultation %d mailed but not marked: %w", c.ID, err)
	}
	return nil
}

// consultationLinks are the records a consultation's entries concern.
func consultationLinks(c Consultation) []Ref {
	return []Ref{{RecordRequest, c.RequestID}, {RecordClient, c.ClientID}, {RecordProvider, c.ProviderID}, {RecordConsultation, c.ID}}
}
