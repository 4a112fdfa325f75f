package crm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// VAT statuses a provider declares: exempt (art. 261-4-4° a CGI),
// franchise (art. 293 B CGI, no VAT charged) or taxable (20 %).
var VATStatuses = []string{"exempt", "franchise", "taxable"}

// StandardVATBasisPoints is the metropolitan rate applied to taxable quotes.
const StandardVATBasisPoints = 2000

// Ways an answer reaches the broker.
const (
	AnsweredByForm  = "form"
	AnsweredByPhone = "phone"
	AnsweredByEmail = "email"
)

// MaxProgrammeSize bounds an uploaded programme file.
const MaxProgrammeSize = 20 << 20

// Upload is a file sent with an answer.
type Upload struct {
	Filename    string
	ContentType string
	Data        []byte
}

// QuoteInput is a provider's answer, through its link or taken by staff.
type QuoteInput struct {
	PriceCents   int64    `json:"price_cents"` // excluding VAT
	VATStatus    string   `json:"vat_status"`
	DatesOffered []string `json:"dates_offered"` // YYYY-MM-DD
	Trainer      string   `json:"trainer"`
	Note         string   `json:"note"`
	Programme    *Upload  `json:"-"`
}

func (in *QuoteInput) normalize() error {
	inv := &errs.Invalid{}
	if in.PriceCents <= 0 {
		inv.Add("price_cents", "error.required")
	}
	if !slices.Contains(VATStatuses, in.VATStatus) {
		inv.Add("vat_status", "error.required")
	}
	var dates []string
	for _, d := range in.DatesOffered {
		d = strings.TrimSpace(d)
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			inv.Add("dates_offered", "error.date_invalid")
		} else if !slices.Contains(dates, d) {
			dates = append(dates, d)
		}
	}
	slices.Sort(dates)
	in.DatesOffered = dates
	in.Trainer, in.Note = strings.TrimSpace(in.Trainer), strings.TrimSpace(in.Note)
	if p := in.Programme; p != nil {
		if len(p.Data) == 0 {
			in.Programme = nil
		} else if len(p.Data) > MaxProgrammeSize {
			inv.Add("programme", "error.file_too_large")
		}
	}
	return inv.OrNil()
}

// ConsultationForm is what the answer page shows a provider: the need,
// without the client's identity, and the date an answer is expected.
type ConsultationForm struct {
	ConsultationID int64      `json:"consultation_id"`
	ProviderName   string     `json:"provider_name"`
	Language       string     `json:"language"`
	Topic          string     `json:"topic"`
	Description    string     `json:"description"`
	Objectives     string     `json:"objectives"`
	Format         string     `json:"format"`
	Trainees       int        `json:"trainees"`
	Remote         bool       `json:"remote"`
	City           string     `json:"city"`
	PeriodFrom     *time.Time `json:"period_from"`
	PeriodTo       *time.Time `json:"period_to"`
	DueAt          time.Time  `json:"due_at"`
}

// byToken checks a link and returns its consultation while it can still
// be answered: a bad signature, an expired link, a link replaced by a
// re-send, and an already answered consultation are each refused.
func (s *Consultations) byToken(ctx context.Context, q db.Querier, token string) (Consultation, error) {
	id, seq, err := s.tokens.verify(token, s.now())
	if err != nil {
		return Consultation{}, err
	}
	c, err := loadConsultation(ctx, q, id)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return c, ErrTokenInvalid
	case err != nil:
		return c, err
	case c.TokenSeq != seq:
		return c, ErrTokenReplaced
	case c.Status == ConsultationExpired:
		return c, ErrTokenExpired
	case c.Status != ConsultationSent:
		return c, ErrTokenUsed
	}
	return c, nil
}

// Open returns what the answer form shows for a link.
func (s *Consultations) Open(ctx context.Context, token string) (ConsultationForm, error) {
	c, err := s.byToken(ctx, s.db, token)
	if err != nil {
		return ConsultationForm{}, err
	}
	r, err := loadRequest(ctx, s.db, "r.id = ?", c.RequestID)
	if err != nil {
		return ConsultationForm{}, err
	}
	return ConsultationForm{ConsultationID: c.ID, ProviderName: c.ProviderName, Language: c.Language, Topic: r.Topic,
		Description: r.Description, Objectives: r.Objectives, Format: r.Format, Trainees: r.Trainees, Remote: r.Remote,
		City: CommuneName(r.CommuneCode), PeriodFrom: r.PeriodFrom, PeriodTo: r.PeriodTo, DueAt: c.DueAt}, nil
}

// Answer records the provider's quote sent through its link; the link
// then stops working.
func (s *Consultations) Answer(ctx context.Context, token string, in QuoteInput) error {
	if err := in.normalize(); err != nil {
		return err
	}
	if _, err := s.byToken(ctx, s.db, token); err != nil {
		return err // checked before storing any upload
	}
	prog, err := s.storeProgramme(ctx, in.Programme)
	if err != nil {
		return err
	}
	return s.closeByToken(ctx, token, closing{To: ConsultationAnswered, Via: AnsweredByForm, Quote: in, Programme: prog})
}

// Decline records that the provider declines, through its link, with a reason.
func (s *Consultations) Decline(ctx context.Context, token, reason string) error {
	if reason = strings.TrimSpace(reason); reason == "" {
		return errs.NewInvalid("reason", "error.reason_required")
	}
	return s.closeByToken(ctx, token, closing{To: ConsultationDeclined, Via: AnsweredByForm, Reason: reason})
}

func (s *Consultations) closeByToken(ctx context.Context, token string, cl closing) error {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		c, err := s.byToken(ctx, tx, token)
		if err != nil {
			return err
		}
		return closeConsultation(ctx, tx, c, cl, s.now().UTC())
	})
	if errors.Is(err, errs.ErrConflict) {
		return ErrTokenUsed // answered twice at once: the first one won
	}
	return err
}

// RecordAnswer records a quote a provider gave staff by phone or e-mail
// (via), also after its link expired.
func (s *Consultations) RecordAnswer(ctx context.Context, id int64, via string, in QuoteInput) (Consultation, error) {
	if err := in.normalize(); err != nil {
		return Consultation{}, err
	}
	if via != AnsweredByPhone && via != AnsweredByEmail {
		return Consultation{}, errs.NewInvalid("via", "error.invalid")
	}
	prog, err := s.storeProgramme(ctx, in.Programme)
	if err != nil {
		return Consultation{}, err
	}
	return s.closeByStaff(ctx, id, closing{To: ConsultationAnswered, Via: via, Quote: in, Programme: prog})
}

// RecordDecline records that a provider declined by phone or e-mail.
func (s *Consultations) RecordDecline(ctx context.Context, id int64, via, reason string) (Consultation, error) {
	inv := &errs.Invalid{}
	if via != AnsweredByPhone && via != AnsweredByEmail {
		inv.Add("via", "error.invalid")
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		inv.Add("reason", "error.reason_required")
	}
	if err := inv.OrNil(); err != nil {
		return Consultation{}, err
	}
	return s.closeByStaff(ctx, id, closing{To: ConsultationDeclined, Via: via, Reason: reason})
}

func (s *Consultations) closeByStaff(ctx context.Context, id int64, cl closing) (Consultation, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		c, err := loadConsultation(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Status != ConsultationSent && c.Status != ConsultationExpired {
			return errs.NewInvalid("status", "error.consultation_closed")
		}
		return closeConsultation(ctx, tx, c, cl, s.now().UTC())
	})
	if err != nil {
		return Consultation{}, err
	}
	return s.Get(ctx, id)
}

// storeProgramme keeps an uploaded programme as a blob, before the
// transaction: an unused blob is harmless, content-addressed storage
// dedupes it.
func (s *Consultations) storeProgramme(ctx context.Context, u *Upload) (ProgrammeFile, error) {
	if u == nil {
		return ProgrammeFile{}, nil
	}
	sum, size, err := s.blobs.Put(ctx, bytes.NewReader(u.Data))
	if err != nil {
		return ProgrammeFile{}, fmt.Errorf("crm: store programme: %w", err)
	}
	name := filepath.Base(strings.ReplaceAll(strings.TrimSpace(u.Filename), `\`, "/"))
	if name == "." || name == "/" || name == "" {
		name = "programme"
	}
	ctype, _, _ := mime.ParseMediaType(u.ContentType)
	if ctype == "" {
		ctype, _, _ = mime.ParseMediaType(mime.TypeByExtension(filepath.Ext(name)))
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return ProgrammeFile{SHA256: sum, Filename: name, ContentType: ctype, Size: size}, nil
}

// closing is how a consultation closes: its new status and what came with it.
type closing struct {
	To        string
	Via       string
	Quote     QuoteInput
	Programme ProgrammeFile
	Reason    string
}

// closeConsultation closes c inside tx, only if it still stands as read
// (else ErrConflict), writes the timeline entry and audit event, updates
// the provider's answer rate and, when no consultation of the request
// waits any more, moves the sourcing track to quotes_in.
func closeConsultation(ctx context.Context, tx db.Querier, c Consultation, cl closing, now time.Time) error {
	staff, _ := actorIDs(ctx)
	set, args := "status = ?, updated_at = ?", []any{cl.To, now}
	note := cl.Reason
	if cl.To != ConsultationExpired {
		set += ", answered_at = ?, answered_via = ?, answered_by_staff_id = ?, decline_reason = ?"
		args = append(args, now, cl.Via, staff, cl.Reason)
	}
	if cl.To == ConsultationAnswered {
		q, p := cl.Quote, cl.Programme
		set += `, price_cents = ?, vat_status = ?, dates_offered = ?, trainer = ?, answer_note = ?, programme_sha256 = ?,
			programme_filename = ?, programme_type = ?, programme_size = ?`
		args = append(args, q.PriceCents, q.VATStatus, strings.Join(q.DatesOffered, " "), q.Trainer, q.Note,
			p.SHA256, p.Filename, p.ContentType, p.Size)
		note = quoteSummary(q)
	}
	res, err := tx.Exec(ctx, "UPDATE consultations SET "+set+" WHERE id = ? AND status = ? AND token_seq = ?",
		append(args, c.ID, c.Status, c.TokenSeq)...)
	if err != nil {
		return fmt.Errorf("crm: close consultation %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("crm: consultation %d changed meanwhile: %w", c.ID, errs.ErrConflict)
	}
	links := consultationLinks(c)
	if err := RecordStatusChange(ctx, tx, links[3], c.Status, cl.To, note, links[:3]...); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, audit.Event{Action: "consultation." + cl.To, Entity: RecordConsultation, EntityID: c.ID,
		Details: map[string]any{"via": cl.Via}}); err != nil {
		return err
	}
	if err := refreshAnswerRate(ctx, tx, c.ProviderID, now); err != nil {
		return err
	}
	return quotesIn(ctx, tx, c.RequestID)
}

// quoteSummary is the timeline line of a quote: "1 250,00 € HT, exempt, 2026-06-01".
func quoteSummary(q QuoteInput) string {
	parts := []string{i18n.Money(i18n.FR, q.PriceCents) + " HT", q.VATStatus}
	parts = append(parts, q.DatesOffered...)
	if q.Trainer != "" {
		parts = append(parts, q.Trainer)
	}
	return strings.Join(parts, ", ")
}

// quotesIn moves the sourcing track from consulting to quotes_in once no
// consultation of the request waits for an answer.
func quotesIn(ctx context.Context, tx db.Querier, requestID int64) error {
	r, err := lockRequest(ctx, tx, requestID)
	if err != nil || r.Sourcing != SourcingConsulting || r.Status != RequestOpen {
		return err
	}
	var waiting int
	if err := tx.Get(ctx, &waiting, "SELECT COUNT(*) FROM consultations WHERE request_id = ? AND status = 'sent'", requestID); err != nil {
		return fmt.Errorf("crm: request %d consultations: %w", requestID, err)
	}
	if waiting > 0 {
		return nil
	}
	return changeTrack(ctx, tx, r.ID, r.ClientID, move{Track: TrackSourcing, From: SourcingConsulting, To: SourcingQuotesIn})
}
