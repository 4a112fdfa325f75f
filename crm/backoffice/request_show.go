package backoffice

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type requestPageData struct {
	Request     crm.Request
	StageSince  time.Time
	InStage     string
	Tracks      []trackView
	History     []crm.TrackChange
	ContactName string
	Employees   []crm.Employee
	// Consultations in the order they were made; Comparison holds the
	// answers side by side, cheapest first.
	Consultations []consultationView
	Comparison    []comparisonView
	Retained      int
	ToNotify      int // answers neither retained nor told so yet
	Proposals     []proposalView
	Bookings      []bookingRow
	Documents     documentsPanel
	CanBook       bool
	BookBlocked   []string // why an accepted request cannot be booked yet
	panels
}

// consultationView is a consultation with whether it is late and the
// dates offered written out.
type consultationView struct {
	crm.Consultation
	Overdue bool
	Dates   string
}

func newConsultationView(lang string, k crm.Consultation, now time.Time) consultationView {
	return consultationView{Consultation: k, Overdue: k.Overdue(now), Dates: offeredDates(lang, k.DatesOffered)}
}

// offeredDates writes the YYYY-MM-DD dates a provider offered as the
// language writes dates.
func offeredDates(lang string, days []string) string {
	out := make([]string, 0, len(days))
	for _, d := range days {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			d = i18n.Date(lang, t)
		}
		out = append(out, d)
	}
	return strings.Join(out, ", ")
}

// comparisonView is an answer with its figures written out.
type comparisonView struct {
	crm.ComparisonRow
	Distance, Quality, AnswerRate, Dates string
}

// proposalView is a proposal with what staff alone see worked out.
type proposalView struct {
	crm.Proposal
	Expired   bool
	Margin    string               // fee as a share of the client price: "18 %"
	Documents []documents.Document // its quotation PDFs
}

func (h *handlers) requestShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.renderRequest(c, h.page(c, "requests.title", "requests"), id)
}

// renderRequest shows a request: its tracks side by side, the need, the
// consultations and their answers compared, the proposals, the bookings,
// tasks and the timeline.
func (h *handlers) renderRequest(c *fiber.Ctx, p *web.Page, id int64) error {
	ctx := c.UserContext()
	r, err := h.Requests.Get(ctx, id)
	if err != nil {
		return err
	}
	now := time.Now()
	d := requestPageData{Request: r, CanBook: r.CanBook() == nil}
	if d.History, err = h.Requests.History(ctx, id); err != nil {
		return err
	}
	_, d.StageSince = crm.StageSince(r.CreatedAt, d.History)
	d.InStage = sinceText(p.Lang, now.Sub(d.StageSince))
	d.Tracks = requestTracks(r, d.History)
	// Once the client accepted, say what still keeps the session from being booked.
	var blocked *errs.Invalid
	if r.Decision == crm.DecisionAccepted && errors.As(r.CanBook(), &blocked) {
		for _, k := range blocked.Fields {
			d.BookBlocked = append(d.BookBlocked, p.T(k))
		}
		slices.Sort(d.BookBlocked)
	}
	if r.ContactID != nil {
		if ct, err := h.Contacts.Get(ctx, *r.ContactID); err == nil {
			d.ContactName = ct.Name()
		}
	}
	for _, e := range r.EmployeeIDs {
		if emp, err := h.Employees.Get(ctx, r.ClientID, e); err == nil {
			d.Employees = append(d.Employees, emp)
		}
	}
	cons, err := h.Consultations.List(ctx, id)
	if err != nil {
		return err
	}
	for _, k := range cons {
		d.Consultations = append(d.Consultations, newConsultationView(p.Lang, k, now))
	}
	rows, err := h.Consultations.Compare(ctx, id)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if row.Status != crm.ConsultationAnswered {
			continue
		}
		d.Comparison = append(d.Comparison, newComparisonView(p.Lang, row))
		if row.Retained {
			d.Retained++
		} else if row.NotRetainedSentAt == nil {
			d.ToNotify++
		}
	}
	proposals, err := h.Proposals.List(ctx, id)
	if err != nil {
		return err
	}
	for _, o := range proposals {
		v := newProposalView(o, now)
		if v.Documents, err = h.Paperwork.DocumentsOf(ctx, crm.RecordProposal, o.ID); err != nil {
			return err
		}
		d.Proposals = append(d.Proposals, v)
	}
	bookings, _, err := h.Bookings.List(ctx, crm.BookingFilter{RequestID: id, Page: crm.Page{Size: 100}})
	if err != nil {
		return err
	}
	for _, b := range bookings {
		full, err := h.Bookings.Get(ctx, b.ID)
		if err != nil {
			return err
		}
		d.Bookings = append(d.Bookings, bookingRow{Booking: full, Dates: slotDates(p.Lang, full.Slots)})
	}
	ref := crm.Ref{Type: crm.RecordRequest, ID: id}
	n := h.newNames()
	n.set(ref, requestName(id, r.Topic))
	if d.Documents, err = h.loadDocumentsPanel(c, p.Lang, crm.Ref{Type: crm.RecordRequest, ID: id}, r.ClientID); err != nil {
		return err
	}
	if d.panels, err = h.loadPanels(c, p, ref, []crm.Ref{ref, {Type: crm.RecordClient, ID: r.ClientID}}, false, n); err != nil {
		return err
	}
	setDefault(p.Form, "remind_due_at", now.In(i18n.Paris).AddDate(0, 0, crm.DefaultAnswerDays).Format(htmlDate))
	p.Title = p.T("requests.title_of", strconv.FormatInt(id, 10), r.Topic)
	p.Data = d
	return h.tpl.Render(c, "request", p)
}

// bookingRow is a booking in a list, with the days of its slots.
type bookingRow struct {
	crm.Booking
	Dates string
}

// slotDates writes the days a session spans: "02/06/2026" or "02/06/2026 – 04/06/2026".
func slotDates(lang string, slots []crm.Slot) string {
	if len(slots) == 0 {
		return ""
	}
	first, last := i18n.Date(lang, slots[0].Day), i18n.Date(lang, slots[len(slots)-1].Day)
	if first == last {
		return first
	}
	return first + " – " + last
}

func newComparisonView(lang string, row crm.ComparisonRow) comparisonView {
	v := comparisonView{ComparisonRow: row, Dates: offeredDates(lang, row.DatesOffered)}
	if row.DistanceKm != nil {
		v.Distance = decimalText(lang, *row.DistanceKm, 0) + " km"
	}
	q := newQualityView(lang, crm.Quality{QualityScore: row.QualityScore, AnswerRate: row.AnswerRate})
	v.Quality, v.AnswerRate = q.Score, q.AnswerRate
	return v
}

func newProposalView(o crm.Proposal, now time.Time) proposalView {
	v := proposalView{Proposal: o, Expired: o.Expired(now)}
	if o.ClientPriceCents > 0 {
		v.Margin = strconv.FormatInt((o.FeeCents*100+o.ClientPriceCents/2)/o.ClientPriceCents, 10) + " %"
	}
	return v
}
