package crm

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// pdfText returns a PDF's text through pdftotext (poppler-utils), spaces
// flattened. Under CI=true a missing pdftotext fails the test.
func pdfText(t *testing.T, content []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pdftotext is required under CI (apt-get install poppler-utils): %v", err)
		}
		t.Skip("pdftotext not installed (poppler-utils): skipping outside CI")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(string(out))), " ")
}

// sessionFixture is a booked, attended session of Acme: Léa present on the
// three half-days, Tom on one, Inès absent everywhere, and Hugo, added
// after the attendance was taken, not marked yet.
type sessionFixture struct {
	*flowFixture
	docs      *documents.Service
	paperwork *Paperwork
	request   Request
	proposal  Proposal
	booking   Booking
	ines      Employee
	hugo      Employee
}

func newSessionFixture(t *testing.T, d *db.DB) *sessionFixture {
	t.Helper()
	f := &sessionFixture{flowFixture: newFlowFixture(t, d)}
	ctx := f.ctx
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	f.docs, err = documents.NewService(d, documents.Options{Blobs: f.blobs})
	must(err)
	broker := NewBroker(d)
	_, err = broker.SaveProfile(ctx, BrokerProfile{LegalName: "Courtage Formation Conseil", Street: "12 rue de la République",
		PostalCode: "69002", City: "Lyon", SIRET: "73282932000074", NDA: "84691234569", NDARegion: "Auvergne-Rhône-Alpes",
		VATExempt: true, Representative: "Hélène Garnier", RepresentativeRole: "Présidente", Email: "contact@ccf.test"})
	must(err)
	est := NewEstablishments(d)
	_, err = est.Save(ctx, f.acme.ID, 0, EstablishmentInput{SIRET: "73282932000074", Name: "Siège", AddressLine1: "3 avenue Foch",
		PostalCode: "69006", City: "Lyon", HeadOffice: true, Billing: true})
	must(err)
	emp := NewEmployees(d)
	f.ines, _, err = emp.Upsert(ctx, f.acme.ID, EmployeeInput{ExternalID: "A3", FirstName: "Inès", LastName: "Faure", JobTitle: "Comptable"})
	must(err)
	f.hugo, _, err = emp.Upsert(ctx, f.acme.ID, EmployeeInput{ExternalID: "A4", FirstName: "Hugo", LastName: "Lemaire"})
	must(err)
	f.paperwork = NewPaperwork(PaperworkDeps{Documents: f.docs, Blobs: f.blobs, Broker: broker, Clients: f.clients,
		Establishments: est, Employees: emp, Courses: NewCourses(d), Requests: f.requests, Consultations: f.consultations,
		Proposals: f.proposals, Bookings: f.bookings, Now: func() time.Time { return time.Date(2026, 9, 23, 10, 0, 0, 0, time.UTC) }})

	f.request = f.newRequest(t, "Excel avancé")
	cons, err := f.consultations.Consult(ctx, ConsultInput{RequestID: f.request.ID, DueAt: time.Now().Add(72 * time.Hour),
		Targets: []ConsultTarget{{ProviderID: f.forma.ID}}})
	must(err)
	_, err = f.consultations.RecordAnswer(ctx, cons[0].ID, AnsweredByPhone, QuoteInput{PriceCents: 180000, VATStatus: "exempt", Trainer: "Jérôme Lefèvre"})
	must(err)
	_, err = f.consultations.Retain(ctx, cons[0].ID, true)
	must(err)
	f.proposal, err = f.proposals.Create(ctx, ProposalInput{RequestID: f.request.ID, Mode: ModeSubcontracting,
		Lines: []ProposalLineInput{{ConsultationID: cons[0].ID, ClientPriceCents: 234550}}, ValidUntil: time.Now().AddDate(0, 0, 30),
		Message: "Session en intra dans vos locaux."})
	must(err)
	_, err = f.proposals.Send(ctx, f.proposal.ID, nil)
	must(err)
	f.proposal, err = f.proposals.Accept(f.clientUserCtx, f.acme.ID, f.proposal.ID)
	must(err)
	f.booking, err = f.bookings.Create(ctx, BookingInput{ProposalID: f.proposal.ID, Place: "Acme, 3 avenue Foch, Lyon",
		TraineeIDs: []int64{f.lea.ID, f.tom.ID, f.ines.ID},
		Slots: []Slot{
			{Day: time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC), Half: Morning, Start: "09:00", End: "12:30"},
			{Day: time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC), Half: Afternoon, Start: "13:30", End: "17:00"},
			{Day: time.Date(2026, 9, 22, 0, 0, 0, 0, time.UTC), Half: Morning, Start: "09:00", End: "12:15"},
		}})
	must(err)
	s := f.booking.Slots
	_, err = f.bookings.RecordAttendance(ctx, f.booking.ID, []Mark{
		{s[0].ID, f.lea.ID, Present}, {s[1].ID, f.lea.ID, Present}, {s[2].ID, f.lea.ID, Present},
		{s[0].ID, f.tom.ID, Present}, {s[1].ID, f.tom.ID, Absent}, {s[2].ID, f.tom.ID, Excused},
		{s[0].ID, f.ines.ID, Absent}, {s[1].ID, f.ines.ID, Excused}, {s[2].ID, f.ines.ID, Absent}})
	must(err)
	_, err = d.Exec(context.Background(), "INSERT INTO booking_trainees (booking_id, employee_id) VALUES (?, ?)", f.booking.ID, f.hugo.ID)
	must(err)
	return f
}

// content reads a document's current version.
func (f *sessionFixture) content(t *testing.T, id int64, version int) []byte {
	t.Helper()
	r, _, err := f.docs.Open(f.ctx, id, version)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPaperwork(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newSessionFixture(t, d)
		ctx := f.ctx

		// The quotation shows the client price and the exemption, never the cost.
		g, err := f.paperwork.GenerateProposal(ctx, f.proposal.ID)
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, f.content(t, g.Documents[0].ID, 0))
		for _, want := range []string{"Courtage Formation Conseil", "Acme Industrie", "3 avenue Foch", "Excel avancé",
			"2 345,50 €", "261-4-4° a", "Session en intra dans vos locaux."} {
			if !strings.Contains(text, want) {
				t.Errorf("quotation lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "1 800,00") {
			t.Errorf("quotation shows the provider's cost:\n%s", text)
		}

		// The agreement names the parties, the trainees, the hours and the broker's NDA.
		g, err = f.paperwork.GenerateForBooking(ctx, f.booking.ID, pdf.KindAgreement)
		if err != nil {
			t.Fatal(err)
		}
		agreement := g.Documents[0]
		if !agreement.Immutable || !agreement.Generated || agreement.Kind != documents.KindAgreement {
			t.Errorf("agreement document: %+v", agreement)
		}
		text = pdfText(t, f.content(t, agreement.ID, 0))
		for _, want := range []string{"84691234569", "Léa Roux", "Tom Blanc", "Inès Faure", "Hugo Lemaire", "Hélène Garnier",
			"Jérôme Lefèvre", "2 345,50 €", "10 h 15"} {
			if !strings.Contains(text, want) && !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(want, " ", "")) {
				t.Errorf("agreement lacks %q:\n%s", want, text)
			}
		}

		// One convocation per trainee, each linked to its trainee.
		g, err = f.paperwork.GenerateForBooking(ctx, f.booking.ID, pdf.KindConvocation)
		if err != nil || len(g.Documents) != 4 || len(g.Skipped) != 0 {
			t.Fatalf("convocations: %d, skipped %v, %v", len(g.Documents), g.Skipped, err)
		}
		if text = pdfText(t, f.content(t, g.Documents[0].ID, 0)); !strings.Contains(text, "Tom Blanc") || !strings.Contains(text, "13:30") {
			t.Errorf("first convocation (by last name):\n%s", text)
		}

		// Certificates from recorded attendance only, with each one's own hours.
		for _, kind := range []pdf.Kind{pdf.KindCertificate, pdf.KindRealisation} {
			g, err = f.paperwork.GenerateForBooking(ctx, f.booking.ID, kind)
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Documents) != 2 || len(g.Skipped) != 2 ||
				g.Skipped[0] != (Skipped{f.ines.ID, "Inès Faure", NoCertificateAbsent}) ||
				g.Skipped[1] != (Skipped{f.hugo.ID, "Hugo Lemaire", NoCertificateIncomplete}) {
				t.Fatalf("%s: %d documents, skipped %+v", kind, len(g.Documents), g.Skipped)
			}
			tom, lea := pdfText(t, f.content(t, g.Documents[0].ID, 0)), pdfText(t, f.content(t, g.Documents[1].ID, 0))
			if !strings.Contains(lea, "Léa Roux") || !strings.Contains(strings.ReplaceAll(lea, " ", ""), "10h15") {
				t.Errorf("%s of Léa (10 h 15 attended):\n%s", kind, lea)
			}
			if !strings.Contains(tom, "Tom Blanc") || !strings.Contains(strings.ReplaceAll(tom, " ", ""), "3h30") {
				t.Errorf("%s of Tom (3 h 30 attended):\n%s", kind, tom)
			}
		}
		status, err := f.paperwork.Certificates(ctx, f.booking.ID)
		if err != nil || len(status) != 4 || status[3].Name != "Léa Roux" || status[3].AttendedMinutes != 615 || status[3].Reason != "" ||
			status[0].AttendedMinutes != 210 || status[1].Reason != NoCertificateAbsent || status[2].Reason != NoCertificateIncomplete {
			t.Errorf("certificate status: %+v %v", status, err)
		}

		// The attendance sheet and the programme.
		for _, kind := range []pdf.Kind{pdf.KindAttendance, pdf.KindProgramme} {
			if g, err = f.paperwork.GenerateForBooking(ctx, f.booking.ID, kind); err != nil || len(g.Documents) != 1 {
				t.Fatalf("%s: %+v %v", kind, g, err)
			}
		}

		// Making it again with nothing changed keeps version 1; after a
		// change, it makes version 2 of the same document,
		// and the snapshots show what changed.
		f.paperwork.now = func() time.Time { return time.Date(2026, 9, 24, 10, 0, 0, 0, time.UTC) }
		if g, err = f.paperwork.GenerateForBooking(ctx, f.booking.ID, pdf.KindAgreement); err != nil || g.Documents[0].CurrentVersion != 1 {
			t.Fatalf("agreement made again unchanged: %+v %v", g.Documents, err)
		}
		if _, err := d.Exec(context.Background(), "UPDATE bookings SET place = 'Acme, salle Rhône' WHERE id = ?", f.booking.ID); err != nil {
			t.Fatal(err)
		}
		g, err = f.paperwork.GenerateForBooking(ctx, f.booking.ID, pdf.KindAgreement)
		if err != nil || g.Documents[0].ID != agreement.ID || g.Documents[0].CurrentVersion != 2 {
			t.Fatalf("regenerated agreement: %+v %v", g.Documents, err)
		}
		changes, err := f.docs.CompareSnapshots(ctx, agreement.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, c := range changes {
			paths = append(paths, c.Path)
		}
		if !strings.Contains(strings.Join(paths, " "), "action.place") {
			t.Errorf("snapshot changes: %v", paths)
		}
		if v1 := f.content(t, agreement.ID, 1); !bytes.Contains([]byte(pdfText(t, v1)), []byte("3 avenue Foch")) {
			t.Error("version 1 is no longer readable as it was")
		}

		// English for an English-speaking client.
		if _, err := f.clients.SetDocumentStyle(ctx, f.acme.ID, DocumentStyle{Language: "en"}); err != nil {
			t.Fatal(err)
		}
		g, err = f.paperwork.GenerateForBooking(ctx, f.booking.ID, pdf.KindCertificate)
		if err != nil {
			t.Fatal(err)
		}
		if text = pdfText(t, f.content(t, g.Documents[0].ID, 0)); !strings.Contains(text, "Certificate") {
			t.Errorf("English certificate:\n%s", text)
		}

		// A cancelled session, or an unknown kind, makes nothing.
		if _, err := f.paperwork.GenerateForBooking(ctx, f.booking.ID, pdf.KindProposal); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("proposal from a booking: %v", err)
		}
		if _, err := f.paperwork.GenerateForBooking(ctx, 999999, pdf.KindAgreement); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("unknown booking: %v", err)
		}
	})
}
