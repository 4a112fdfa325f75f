package backoffice

import (
	"context"
	"slices"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// paperworkRow is a kind of document of a session: those generated, and
// whether it can be generated now.
type paperworkRow struct {
	Kind      pdf.Kind
	Documents []documents.Document
}

// sessionPaperwork is the documents section of a booking page.
type sessionPaperwork struct {
	Rows         []paperworkRow
	Certificates []certificateView
}

// certificateView is a trainee's right to a certificate, hours as shown.
type certificateView struct {
	crm.CertificateStatus
	Attended, Planned string
}

// loadSessionPaperwork lists a booking's generated documents by kind and
// each trainee's right to a certificate (with the reason when none).
func (h *handlers) loadSessionPaperwork(ctx context.Context, lang string, bookingID int64) (sessionPaperwork, error) {
	docs, err := h.Paperwork.DocumentsOf(ctx, crm.RecordBooking, bookingID)
	if err != nil {
		return sessionPaperwork{}, err
	}
	var out sessionPaperwork
	for _, kind := range crm.BookingKinds {
		row := paperworkRow{Kind: kind}
		for _, d := range docs {
			if d.Kind == crm.StoreKind(kind) {
				row.Documents = append(row.Documents, d)
			}
		}
		slices.SortFunc(row.Documents, func(a, b documents.Document) int { return int(a.ID - b.ID) })
		out.Rows = append(out.Rows, row)
	}
	status, err := h.Paperwork.Certificates(ctx, bookingID)
	for _, st := range status {
		out.Certificates = append(out.Certificates, certificateView{CertificateStatus: st,
			Attended: hoursText(lang, float64(st.AttendedMinutes)/60), Planned: hoursText(lang, float64(st.PlannedMinutes)/60)})
	}
	return out, err
}

// bookingGenerate makes the session's documents of one kind (a new version
// of those made before) and says how many, and who got no certificate.
func (h *handlers) bookingGenerate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	g, err := h.Paperwork.GenerateForBooking(c.UserContext(), id, pdf.Kind(c.FormValue("kind")))
	if err != nil {
		p := h.page(c, "bookings.title", "requests")
		if !refused(p, err, "paperwork") {
			return err
		}
		return h.renderBookingFailed(c, p, id)
	}
	key := "paperwork.generated"
	if len(g.Skipped) > 0 {
		key = "paperwork.generated_skipped"
	}
	web.Flash(c, key)
	return c.Redirect("/bookings/"+itoa(id)+"#paperwork", fiber.StatusSeeOther)
}
