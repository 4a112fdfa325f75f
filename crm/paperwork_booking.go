package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// session is everything a booking's documents are made from.
type session struct {
	style
	booking  Booking
	request  Request
	mode     string
	trainer  string
	course   *Course
	sheet    AttendanceSheet
	trainees map[int64]Employee
	action   pdf.Action
}

// loadSession reads a booking with its request, proposal mode, course,
// trainees and attendance.
func (s *Paperwork) loadSession(ctx context.Context, bookingID int64) (session, error) {
	b, err := s.Bookings.Get(ctx, bookingID)
	if err != nil {
		return session{}, err
	}
	if b.Status == BookingCancelled {
		return session{}, errs.NewInvalid("booking", "error.booking_cancelled")
	}
	st, err := s.styleFor(ctx, b.ClientID)
	if err != nil {
		return session{}, err
	}
	ss := session{style: st, booking: b, trainees: map[int64]Employee{}}
	if ss.request, err = s.Requests.Get(ctx, b.RequestID); err != nil {
		return session{}, err
	}
	proposals, err := s.Proposals.List(ctx, b.RequestID)
	if err != nil {
		return session{}, err
	}
	for _, p := range proposals {
		if i := slices.IndexFunc(p.Lines, func(l ProposalLine) bool { return l.ID == b.ProposalLineID }); i >= 0 {
			ss.mode = p.Mode
			k, err := s.Consultations.Get(ctx, p.Lines[i].ConsultationID)
			if err != nil {
				return session{}, err
			}
			ss.trainer = k.Trainer
		}
	}
	if b.CourseID != nil {
		c, err := s.Courses.Get(ctx, *b.CourseID)
		if err != nil {
			return session{}, err
		}
		ss.course = &c
	}
	if ss.sheet, err = s.Bookings.Attendance(ctx, bookingID); err != nil {
		return session{}, err
	}
	for _, t := range ss.sheet.Trainees {
		e, err := s.Employees.Get(ctx, b.ClientID, t.EmployeeID)
		if err != nil {
			return session{}, err
		}
		ss.trainees[e.ID] = e
	}
	ss.action = ss.buildAction()
	return ss, nil
}

// buildAction describes the session's training action.
func (ss session) buildAction() pdf.Action {
	b := ss.booking
	a := pdf.Action{Title: b.Title, Category: pdf.CategoryTraining, Place: b.Place, Remote: b.Remote,
		RemoteLink: b.RemoteURL, Trainer: ss.trainer, ProgrammeRef: fmt.Sprintf("PRG-%d", b.ID)}
	objectives := ss.request.Objectives
	if ss.course != nil && strings.TrimSpace(ss.course.Objectives) != "" {
		objectives = ss.course.Objectives
	}
	a.Objectives = splitLines(objectives)
	for _, sl := range b.Slots {
		a.Slots = append(a.Slots, pdf.Slot{Start: slotTime(sl.Day, sl.Start), End: slotTime(sl.Day, sl.End)})
	}
	// The provider delivers; in referral it also contracts, and the
	// documents are its own (see refuseReferral).
	a.Provider = b.ProviderName
	return a
}

// slotTime is a slot's Paris wall-clock time on its day, in UTC.
func slotTime(day time.Time, hhmm string) time.Time {
	m := clockMinutes(hhmm)
	return time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, i18n.Paris).UTC()
}

// trainee is the document view of an employee.
func (ss session) trainee(id int64) pdf.Trainee {
	e := ss.trainees[id]
	return pdf.Trainee{Name: e.Name(), Email: e.Email, JobTitle: e.JobTitle}
}

// clientParty is the client as a contracting party, at its billing (else
// head-office) establishment.
func (s *Paperwork) clientParty(ctx context.Context, c Client, contact string) (pdf.Party, error) {
	p := pdf.Party{Name: c.LegalName, VATNumber: c.VATNumber, Contact: contact, Email: c.BillingEmail}
	ests, err := s.Establishments.List(ctx, c.ID)
	if err != nil {
		return pdf.Party{}, err
	}
	slices.SortStableFunc(ests, func(a, b Establishment) int { return rank(b) - rank(a) })
	if len(ests) > 0 {
		e := ests[0]
		p.SIRET = e.SIRET
		p.Address = joinLines(e.AddressLine1, e.AddressLine2, strings.TrimSpace(e.PostalCode+" "+e.City))
	}
	return p, nil
}

// rank orders establishments for addressing documents: billing, then head office.
func rank(e Establishment) int {
	switch {
	case e.Billing:
		return 2
	case e.HeadOffice:
		return 1
	}
	return 0
}

// ErrReferralDocuments refuses the contract documents of a deal where the
// provider contracts with the client (DOMAIN.md §2): the provider issues
// its agreement and certificates, the broker only introduced it.
var ErrReferralDocuments = errs.NewInvalid("kind", "error.referral_documents")

func (ss session) refuseReferral(kind pdf.Kind) error {
	if ss.mode == ModeReferral && (kind == pdf.KindAgreement || kind == pdf.KindCertificate || kind == pdf.KindRealisation) {
		return ErrReferralDocuments
	}
	return nil
}

// GenerateForBooking makes the documents of one kind for a booking: one
// agreement, programme or attendance sheet; one convocation per trainee;
// one certificate and one certificat de réalisation per trainee who
// attended, from the recorded attendance only — the others are returned in
// Skipped with the reason.
func (s *Paperwork) GenerateForBooking(ctx context.Context, bookingID int64, kind pdf.Kind) (Generated, error) {
	if !slices.Contains(BookingKinds, kind) {
		return Generated{}, errs.NewInvalid("kind", "error.invalid")
	}
	ss, err := s.loadSession(ctx, bookingID)
	if err != nil {
		return Generated{}, err
	}
	if err := ss.refuseReferral(kind); err != nil {
		return Generated{}, err
	}
	base := []documents.Link{{Type: documents.RecordRequest, ID: ss.booking.RequestID}, {Type: documents.RecordBooking, ID: bookingID}}
	title := func(what string) string { return what + " — " + ss.booking.Title }
	lang := i18n.Normalize(ss.frame.Lang)
	var out Generated
	one := func(doc pdf.Document, what string) error {
		d, err := s.store(ctx, ss.style, doc, title(what), fileName(what, ss.booking.Title), base)
		out.Documents = append(out.Documents, d)
		return err
	}
	switch kind {
	case pdf.KindAgreement:
		doc, err := s.agreement(ctx, ss)
		if err != nil {
			return Generated{}, err
		}
		err = one(doc, i18n.T(lang, "paperwork.agreement"))
		return out, err
	case pdf.KindProgramme:
		return out, one(ss.programme(), i18n.T(lang, "paperwork.programme"))
	case pdf.KindAttendance:
		return out, one(ss.attendance(), i18n.T(lang, "paperwork.attendance"))
	}
	party, err := s.clientParty(ctx, ss.client, "")
	if err != nil {
		return Generated{}, err
	}
	for _, t := range ss.sheet.Trainees {
		var doc pdf.Document
		attended := attendedMinutes(ss.booking.Slots, t)
		switch {
		case kind == pdf.KindConvocation:
			doc = pdf.Convocation{Frame: ss.frame, Trainee: ss.trainee(t.EmployeeID), Company: ss.client.LegalName,
				Action: ss.action, Signatory: ss.signatory(), Contact: ss.contactLine()}
		case slices.Contains(t.Marks, ""):
			out.Skipped = append(out.Skipped, Skipped{EmployeeID: t.EmployeeID, Name: t.Name, Reason: NoCertificateIncomplete})
			continue
		case attended == 0:
			out.Skipped = append(out.Skipped, Skipped{EmployeeID: t.EmployeeID, Name: t.Name, Reason: NoCertificateAbsent})
			continue
		case kind == pdf.KindCertificate:
			doc = pdf.Certificate{Frame: ss.frame, Trainee: ss.trainee(t.EmployeeID), Company: ss.client.LegalName,
				Action: ss.action, AttendedMinutes: attended, Place: ss.profile.City, Signatory: ss.signatory()}
		default:
			doc = pdf.Realisation{Frame: ss.frame, Trainee: ss.trainee(t.EmployeeID), Company: party, Action: ss.action,
				DoneMinutes: attended, Place: ss.profile.City, Signatory: ss.signatory()}
		}
		what := i18n.T(lang, "paperwork."+string(kind))
		links := append(slices.Clone(base), documents.Link{Type: RecordEmployee, ID: t.EmployeeID})
		d, err := s.store(ctx, ss.style, doc, what+" — "+t.Name+" — "+ss.booking.Title, fileName(what, t.Name, ss.booking.Title), links)
		if err != nil {
			return out, err
		}
		out.Documents = append(out.Documents, d)
	}
	return out, nil
}

// attendedMinutes is the time a trainee was marked present.
func attendedMinutes(slots []Slot, t TraineeAttendance) int {
	total := 0
	for i, sl := range slots {
		if i < len(t.Marks) && t.Marks[i] == Present {
			total += sl.Minutes()
		}
	}
	return total
}

// contactLine is whom trainees call about the session: the broker.
func (ss session) contactLine() string {
	return strings.Join(slices.DeleteFunc([]string{ss.profile.LegalName, ss.profile.Phone, ss.profile.Email},
		func(s string) bool { return s == "" }), " · ")
}

// agreement is the convention de formation between the broker (selling the
// training, subcontracted to the provider) and the client.
func (s *Paperwork) agreement(ctx context.Context, ss session) (pdf.Agreement, error) {
	party, err := s.clientParty(ctx, ss.client, "")
	if err != nil {
		return pdf.Agreement{}, err
	}
	a := pdf.Agreement{Frame: ss.frame, Client: party, Action: ss.action, Place: ss.profile.City, Signatory: ss.signatory(),
		Lines: []pdf.Line{{Label: ss.booking.Title, Quantity: 100, UnitCents: ss.booking.PriceCents, VATRateBP: ss.vatRate()}}}
	a.Frame.Reference = fmt.Sprintf("CONV-%d", ss.booking.ID)
	if ss.profile.VATExempt {
		a.VATMention = i18n.T(i18n.Normalize(ss.frame.Lang), "paperwork.vat_exempt")
	}
	if ss.client.PaymentTermsDays != nil {
		a.PaymentTerms = i18n.T(i18n.Normalize(ss.frame.Lang), "paperwork.payment_days", *ss.client.PaymentTermsDays)
	}
	if ss.request.FundingBody != "" {
		a.Funding = ss.request.FundingBody
		if ss.request.FundingFile != "" {
			a.Funding += " — " + ss.request.FundingFile
		}
	}
	for _, t := range ss.sheet.Trainees {
		a.Trainees = append(a.Trainees, ss.trainee(t.EmployeeID))
	}
	return a, nil
}

// vatRate is the rate of the training the broker sells itself: none when
// it holds the 261-4-4° a attestation, else the normal rate.
func (ss session) vatRate() int64 {
	if ss.profile.VATExempt {
		return 0
	}
	return 2000
}

// programme is the annex describing the action, from the course when the
// booking names one, else from the request.
func (ss session) programme() pdf.Programme {
	p := pdf.Programme{Frame: ss.frame, Action: ss.action, AgreementRef: fmt.Sprintf("CONV-%d", ss.booking.ID)}
	p.Frame.Reference = ss.action.ProgrammeRef
	content := ss.request.Description
	if c := ss.course; c != nil {
		p.Prerequisites = c.Prerequisites
		if strings.TrimSpace(c.Programme) != "" {
			content = c.Programme
		}
	}
	p.Modules = []pdf.Module{{Title: ss.booking.Title, Items: splitLines(content)}}
	if ss.booking.Remote {
		p.Delivery = "remote"
	}
	p.Contact = ss.contactLine()
	return p
}

// attendance is the sheet trainees and trainer sign per half-day.
func (ss session) attendance() pdf.AttendanceSheet {
	a := pdf.AttendanceSheet{Frame: ss.frame, Company: ss.client.LegalName, Action: ss.action}
	a.Frame.Reference = fmt.Sprintf("EMG-%d", ss.booking.ID)
	for _, t := range ss.sheet.Trainees {
		a.Trainees = append(a.Trainees, ss.trainee(t.EmployeeID))
	}
	return a
}

// CertificateStatus says, per trainee, whether a certificate can be made
// and the minutes it would show — what the staff page explains.
type CertificateStatus struct {
	EmployeeID      int64  `json:"employee_id"`
	Name            string `json:"name"`
	AttendedMinutes int    `json:"attended_minutes"`
	PlannedMinutes  int    `json:"planned_minutes"`
	Reason          string `json:"reason,omitempty"` // empty: eligible
}

// Certificates lists each trainee's eligibility for the certificates.
func (s *Paperwork) Certificates(ctx context.Context, bookingID int64) ([]CertificateStatus, error) {
	b, err := s.Bookings.Get(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	sheet, err := s.Bookings.Attendance(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	var out []CertificateStatus
	for _, t := range sheet.Trainees {
		cs := CertificateStatus{EmployeeID: t.EmployeeID, Name: t.Name, AttendedMinutes: attendedMinutes(b.Slots, t)}
		for _, sl := range b.Slots {
			cs.PlannedMinutes += sl.Minutes()
		}
		switch {
		case slices.Contains(t.Marks, ""):
			cs.Reason = NoCertificateIncomplete
		case cs.AttendedMinutes == 0:
			cs.Reason = NoCertificateAbsent
		}
		out = append(out, cs)
	}
	return out, nil
}
