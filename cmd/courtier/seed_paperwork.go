package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/errs"
)

// demoBroker is the demo's broker identity, printed on every document.
var demoBroker = crm.BrokerProfile{LegalName: "Courtier Formation Conseil", LegalForm: "SAS au capital de 20 000 €",
	Street: "24 rue de la République", PostalCode: "69002", City: "Lyon", Country: "FR", SIRET: "73282932000074",
	RCS: "RCS Lyon 732 829 320", NDA: "84691234569", NDARegion: "Auvergne-Rhône-Alpes", VATExempt: true,
	Representative: "Hélène Garnier", RepresentativeRole: "Présidente", Email: "contact@courtier.test",
	Phone: "+33 4 72 00 00 00", Website: "https://courtier.test", Colour: "#1f3a5f"}

// demoPaperworkSessions is how many done sessions get their documents in the demo.
const demoPaperworkSessions = 3

// seedPaperwork fills the broker's identity and makes the documents of the
// demo's most recent done sessions, so that the document store and the
// booking pages show real PDFs.
func seedPaperwork(ctx context.Context, s *services, sessions int) error {
	if _, err := s.broker.SaveProfile(ctx, demoBroker); err != nil {
		return fmt.Errorf("seed: broker profile: %w", err)
	}
	done, _, err := s.bookings.List(ctx, crm.BookingFilter{Status: crm.BookingDone, Page: crm.Page{Size: sessions}})
	if err != nil {
		return err
	}
	for _, b := range done {
		for _, kind := range crm.BookingKinds {
			_, err := s.paperwork.GenerateForBooking(ctx, b.ID, kind)
			if errors.Is(err, errs.ErrInvalid) && kind != pdf.KindConvocation && kind != pdf.KindAttendance && kind != pdf.KindProgramme {
				continue // a referral deal: the provider makes its agreement and certificates
			}
			if err != nil {
				return fmt.Errorf("seed: %s of booking %d: %w", kind, b.ID, err)
			}
		}
	}
	return nil
}
