package invoicing

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/mailer"
)

// Mailing is one sending of an invoice or of a reminder.
type Mailing struct {
	ID        int64     `db:"id" json:"id"`
	InvoiceID int64     `db:"invoice_id" json:"invoice_id"`
	Kind      string    `db:"kind" json:"kind"` // invoice or reminder
	SentTo    string    `db:"sent_to" json:"sent_to"`
	SentBy    *int64    `db:"sent_by" json:"sent_by,omitempty"`
	SentAt    time.Time `db:"sent_at" json:"sent_at"`
}

// Mailings lists when an invoice and its reminders were sent.
func (s *Service) Mailings(ctx context.Context, invoiceID int64) ([]Mailing, error) {
	var ms []Mailing
	err := s.db.Select(ctx, &ms, `SELECT id, invoice_id, kind, sent_to, sent_by, sent_at FROM invoice_mailings
		WHERE invoice_id = ? ORDER BY sent_at, id`, invoiceID)
	return ms, err
}

// PDF opens the stored PDF of an issued document: the bytes made at
// issue, checked against their hash while read, never rendered again.
func (s *Service) PDF(ctx context.Context, inv Invoice) (io.ReadCloser, string, error) {
	if !inv.Issued() || inv.PDFDocumentID == nil {
		return nil, "", fmt.Errorf("invoicing: %d has no PDF until it is issued: %w", inv.ID, errs.ErrNotFound)
	}
	r, v, err := s.docs.Open(ctx, *inv.PDFDocumentID, 1)
	if err != nil {
		return nil, "", err
	}
	if v.SHA256 != inv.PDFSHA256 {
		r.Close()
		return nil, "", fmt.Errorf("invoicing: the stored PDF of %s is not the one issued", *inv.Number)
	}
	return r, *inv.Number + ".pdf", nil
}

// Send e-mails an issued invoice (kind "invoice") or a payment reminder
// ("reminder") to the payer's billing address, the PDF attached; the mail
// goes to the timeline of the client and the invoice.
func (s *Service) Send(ctx context.Context, id int64, kind string) (Mailing, error) {
	if s.mail == nil {
		return Mailing{}, fmt.Errorf("invoicing: no mail sender configured")
	}
	inv, err := s.Get(ctx, id)
	if err != nil {
		return Mailing{}, err
	}
	if !inv.Issued() {
		return Mailing{}, errs.NewInvalid("invoice", "error.send_needs_issued")
	}
	if kind != "invoice" && kind != "reminder" {
		return Mailing{}, errs.NewInvalid("kind", "error.invalid")
	}
	if kind == "reminder" && inv.Outstanding() <= 0 {
		return Mailing{}, errs.NewInvalid("invoice", "error.reminder_nothing_due")
	}
	f, err := inv.Frozen()
	if err != nil {
		return Mailing{}, err
	}
	to := f.Buyer.Email
	if to == "" {
		return Mailing{}, errs.NewInvalid("billing_email", "error.billing_email_required")
	}
	r, name, err := s.PDF(ctx, inv)
	if err != nil {
		return Mailing{}, err
	}
	data, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		return Mailing{}, err
	}
	subject, body := mailText(inv, f, kind, s.today())
	out := crm.Outgoing{To: []crm.MailAddress{{Name: f.Buyer.Name, Email: to}}, Subject: subject, Text: body,
		Attachments: []mailer.Attachment{{Filename: name, ContentType: "application/pdf", Data: data}},
		Links:       []crm.Ref{{Type: "client", ID: inv.ClientID}, {Type: "invoice", ID: inv.ID}}}
	if _, err := s.mail.Send(ctx, out); err != nil {
		return Mailing{}, err
	}
	m := Mailing{InvoiceID: id, Kind: kind, SentTo: to, SentBy: staffOf(ctx), SentAt: s.now()}
	err = s.db.ExecReturning(ctx, &m.ID, `INSERT INTO invoice_mailings (invoice_id, kind, sent_to, sent_by, sent_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, m.InvoiceID, m.Kind, m.SentTo, m.SentBy, m.SentAt)
	return m, err
}

func mailText(inv Invoice, f Frozen, kind string, today time.Time) (string, string) {
	lang, number := inv.Lang, *inv.Number
	title := docTitle(inv, lang)
	due := i18n.Date(lang, *inv.DueDate)
	amount := i18n.Money(lang, inv.Due)
	if kind == "reminder" {
		out := i18n.Money(lang, inv.Outstanding())
		if lang == "en" {
			return fmt.Sprintf("Reminder: invoice %s", number), strings.Join([]string{"Hello,", "",
				fmt.Sprintf("Unless we are mistaken, invoice %s of %s, due on %s, still shows %s outstanding.", number,
					i18n.Date(lang, *inv.IssueDate), due, out),
				"Please find it attached. If you have already paid it, please disregard this message.", "",
				"Kind regards,", f.Seller.Name}, "\n")
		}
		return fmt.Sprintf("Relance : facture %s", number), strings.Join([]string{"Bonjour,", "",
			fmt.Sprintf("Sauf erreur de notre part, la facture %s du %s, échue le %s, reste due pour %s.", number,
				i18n.Date(lang, *inv.IssueDate), due, out),
			"Vous la trouverez ci-jointe. Si vous l'avez déjà réglée, merci de ne pas tenir compte de ce message.", "",
			"Bien cordialement,", f.Seller.Name}, "\n")
	}
	if lang == "en" {
		return fmt.Sprintf("%s %s", title, number), strings.Join([]string{"Hello,", "",
			fmt.Sprintf("Please find attached our %s %s for %s, due on %s.", strings.ToLower(title), number, amount, due), "",
			"Kind regards,", f.Seller.Name}, "\n")
	}
	return fmt.Sprintf("%s %s", title, number), strings.Join([]string{"Bonjour,", "",
		fmt.Sprintf("Veuillez trouver ci-jointe notre %s n° %s d'un montant de %s, à régler avant le %s.",
			strings.ToLower(title), number, amount, due), "",
		"Bien cordialement,", f.Seller.Name}, "\n")
}
