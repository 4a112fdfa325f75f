package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/mailer"
)

// flowFixture adds to fixture what the request flow needs: a staff member
// acting, a client user, three providers, employees, and the services
// with an in-memory mail sender.
type flowFixture struct {
	*fixture
	d             *db.DB
	ctx           context.Context // acting as staff
	staffID       int64
	clientUserCtx context.Context // acting as a client user of Acme
	rec           *mailer.Recorder
	blobs         documents.Blobs
	requests      *Requests
	consultations *Consultations
	proposals     *Proposals
	bookings      *Bookings
	lyon, paris   Provider // besides forma
	lea, tom, zoe Employee // Léa and Tom at Acme, Zoé at Perrin
}

func newFlowFixture(t *testing.T, d *db.DB) *flowFixture {
	t.Helper()
	ctx := context.Background()
	f := &flowFixture{fixture: newFixture(t, d), d: d, rec: &mailer.Recorder{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC()
	must(d.ExecReturning(ctx, &f.staffID, `INSERT INTO staff_users (email, name, role, created_at, updated_at)
		VALUES ('claire@courtier.test', 'Claire Broker', 'consultant', ?, ?) RETURNING id`, now, now))
	f.ctx = audit.WithActor(ctx, audit.Actor{Kind: audit.ActorStaff, ID: f.staffID, Label: "Claire Broker"})
	var userID int64
	must(d.ExecReturning(ctx, &userID, `INSERT INTO extranet_users (client_id, email, name, role, created_at, updated_at)
		VALUES (?, 'rh@acme-industrie.fr', 'Marie RH', 'hr_admin', ?, ?) RETURNING id`, f.acme.ID, now, now))
	f.clientUserCtx = audit.WithActor(ctx, audit.Actor{Kind: audit.ActorExtranet, ID: userID})
	var err error
	f.lyon, err = f.providers.Create(ctx, ProviderInput{Name: "Lyon Formation", PostalCode: "69003", City: "Lyon",
		Email: "devis@lyonformation.fr", QualiopiActions: true})
	must(err)
	f.paris, err = f.providers.Create(ctx, ProviderInput{Name: "Paris Compétences", PostalCode: "75015", City: "Paris"})
	must(err)
	_, err = f.contacts.Create(ctx, ContactInput{ProviderID: &f.paris.ID, FirstName: "John", LastName: "Smith", Role: "sales",
		Language: "en", Emails: []string{"john@pariscompetences.fr"}})
	must(err)
	emp := NewEmployees(d)
	f.lea, _, err = emp.Upsert(ctx, f.acme.ID, EmployeeInput{ExternalID: "A1", FirstName: "Léa", LastName: "Roux"})
	must(err)
	f.tom, _, err = emp.Upsert(ctx, f.acme.ID, EmployeeInput{ExternalID: "A2", FirstName: "Tom", LastName: "Blanc"})
	must(err)
	f.zoe, _, err = emp.Upsert(ctx, f.perrin.ID, EmployeeInput{ExternalID: "P1", FirstName: "Zoé", LastName: "Petit"})
	must(err)
	f.blobs, err = documents.NewLocalBlobs(t.TempDir())
	must(err)
	mail := NewMail(d, MailConfig{Sender: f.rec, From: mailer.Address{Name: "Courtier", Address: "crm@courtier.test"}})
	f.requests, f.proposals, f.bookings = NewRequests(d), NewProposals(d, mail), NewBookings(d)
	f.consultations, err = NewConsultations(d, ConsultationConfig{Mail: mail, Blobs: f.blobs,
		Secret: bytes.Repeat([]byte{42}, 32), FormURL: "https://broker.example/reponse/"})
	must(err)
	return f
}

// newRequest creates Acme's Excel request, asked by Marie, in Lyon.
func (f *flowFixture) newRequest(t *testing.T, topic string) Request {
	t.Helper()
	budget := int64(300000)
	from, to := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	r, err := f.requests.Create(f.ctx, RequestInput{ClientID: f.acme.ID, ContactID: &f.marie.ID, Topic: topic,
		Objectives: "Tableaux croisés dynamiques", Place: "Lyon", Trainees: 2, BudgetCents: &budget, Priority: "high",
		PeriodFrom: &from, PeriodTo: &to})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var linkRe = regexp.MustCompile(`https://broker\.example/reponse/(\S+)`)

// mailTo returns the last message sent to address, and the answer token it carries.
func (f *flowFixture) mailTo(t *testing.T, address string) (mailer.Message, string) {
	t.Helper()
	msgs := f.rec.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if len(msgs[i].To) == 1 && msgs[i].To[0].Address == address {
			token := ""
			if m := linkRe.FindStringSubmatch(msgs[i].Text); m != nil {
				token = m[1]
			}
			return msgs[i], token
		}
	}
	t.Fatalf("no mail to %s", address)
	return mailer.Message{}, ""
}

func TestRequestFlow(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFlowFixture(t, d)
		ctx := f.ctx
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		req := f.newRequest(t, "Excel avancé")
		if req.Stage != StageQualifying || req.CommuneCode != "69123" || req.OwnerID == nil || *req.OwnerID != f.staffID ||
			req.Channel != "backoffice" || req.Format != "intra" || req.ClientName != "Acme Industrie" {
			t.Fatalf("new request: %+v", req)
		}

		// A failed consultation (one provider blacklisted) changes nothing and mails nobody.
		blacklisted, err := f.providers.Create(ctx, ProviderInput{Name: "Interdit SARL", Email: "x@interdit.fr",
			Status: ProviderBlacklisted, StatusReason: "litige"})
		must(err)
		_, err = f.consultations.Consult(ctx, ConsultInput{RequestID: req.ID, Targets: []ConsultTarget{{ProviderID: f.forma.ID}, {ProviderID: blacklisted.ID}}})
		if !isInvalid(err, "targets") {
			t.Fatalf("blacklisted provider: got %v", err)
		}
		if list, _ := f.consultations.List(ctx, req.ID); len(list) != 0 || len(f.rec.Messages()) != 0 {
			t.Fatalf("a refused consultation left %d rows and %d mails", len(list), len(f.rec.Messages()))
		}

		// Three providers consulted in one action, each mailed its own link.
		due := time.Now().Add(5 * 24 * time.Hour)
		cons, err := f.consultations.Consult(ctx, ConsultInput{RequestID: req.ID, DueAt: due, Message: "Groupe de niveau intermédiaire.",
			Targets: []ConsultTarget{{ProviderID: f.lyon.ID}, {ProviderID: f.forma.ID}, {ProviderID: f.paris.ID}}})
		must(err)
		if len(cons) != 3 || len(f.rec.Messages()) != 3 {
			t.Fatalf("consultations %d, mails %d, want 3 and 3", len(cons), len(f.rec.Messages()))
		}
		lyonMail, lyonToken := f.mailTo(t, "devis@lyonformation.fr")
		formaMail, formaToken := f.mailTo(t, "contact@formaplus.fr")
		parisMail, parisToken := f.mailTo(t, "john@pariscompetences.fr")
		for _, m := range []mailer.Message{lyonMail, formaMail, parisMail} {
			if !strings.Contains(m.Subject, "[REQ-"+itoa(req.ID)+"]") || strings.Contains(m.Text, "Acme") ||
				!strings.Contains(m.Text, "Groupe de niveau intermédiaire.") {
				t.Errorf("consultation mail %q:\n%s", m.Subject, m.Text)
			}
		}
		if !strings.HasPrefix(lyonMail.Subject, "Demande de devis : Excel avancé") || !strings.HasPrefix(parisMail.Subject, "Request for quotation") ||
			!strings.HasPrefix(lyonMail.Text, "Bonjour,\n") || !strings.HasPrefix(parisMail.Text, "Hello John Smith,\n") ||
			lyonMail.To[0].Name != "" || formaMail.To[0].Name != "Bob Lefèvre" {
			t.Errorf("languages and recipients: %q %q %+v %+v", lyonMail.Subject, parisMail.Subject, lyonMail.To, formaMail.To)
		}
		if lyonToken == "" || lyonToken == formaToken {
			t.Fatalf("tokens: %q %q", lyonToken, formaToken)
		}
		req, _ = f.requests.Get(ctx, req.ID)
		if req.Sourcing != SourcingConsulting || req.Stage != StageSourcing {
			t.Errorf("after consulting: %s / %s", req.Sourcing, req.Stage)
		}

		// The form shows the need, not the client.
		form, err := f.consultations.Open(context.Background(), lyonToken)
		must(err)
		if form.Topic != "Excel avancé" || form.City != "Lyon" || form.ProviderName != "Lyon Formation" || form.Trainees != 2 {
			t.Errorf("form: %+v", form)
		}

		// Two providers answer through their links, one declines.
		pdf := []byte("%PDF-1.4 programme Excel avancé")
		must(f.consultations.Answer(context.Background(), lyonToken, QuoteInput{PriceCents: 240000, VATStatus: "taxable",
			DatesOffered: []string{"2026-09-14", "2026-09-10"}, Trainer: "Anne Morel",
			Programme: &Upload{Filename: `C:\docs\programme.pdf`, Data: pdf}}))
		must(f.consultations.Answer(context.Background(), formaToken, QuoteInput{PriceCents: 180000, VATStatus: "exempt",
			DatesOffered: []string{"2026-09-21"}}))
		must(f.consultations.Decline(context.Background(), parisToken, "Pas de formateur disponible"))
		if err := f.consultations.Answer(context.Background(), lyonToken, QuoteInput{PriceCents: 1, VATStatus: "exempt"}); !errors.Is(err, ErrTokenUsed) {
			t.Errorf("answer twice: got %v, want ErrTokenUsed", err)
		}
		if _, err := f.consultations.Open(context.Background(), parisToken); !errors.Is(err, ErrTokenUsed) {
			t.Errorf("open a declined link: got %v", err)
		}
		req, _ = f.requests.Get(ctx, req.ID)
		if req.Sourcing != SourcingQuotesIn {
			t.Errorf("every consultation closed: sourcing %s, want quotes_in", req.Sourcing)
		}
		lyonCons, _ := f.consultations.Get(ctx, cons[0].ID)
		if *lyonCons.PriceCents != 240000 || lyonCons.AnsweredVia != AnsweredByForm || !slices.Equal(lyonCons.DatesOffered, []string{"2026-09-10", "2026-09-14"}) ||
			lyonCons.Filename != "programme.pdf" || lyonCons.ContentType != "application/pdf" || lyonCons.Size != int64(len(pdf)) {
			t.Errorf("stored answer: %+v", lyonCons)
		}
		if rc, err := f.blobs.Open(ctx, lyonCons.SHA256); err != nil {
			t.Errorf("programme blob: %v", err)
		} else if got, _ := io.ReadAll(rc); !bytes.Equal(got, pdf) {
			t.Errorf("programme content: %q", got)
		}
		for _, p := range []Provider{f.lyon, f.paris} {
			got, _ := f.providers.Get(ctx, p.ID)
			if got.AnswerRate == nil || *got.AnswerRate != 1 || got.QualityScore == nil || *got.QualityScore != 100 {
				t.Errorf("%s quality after answering: %+v", p.Name, got.Quality)
			}
		}
		if w, _ := f.requests.WaitingOn(ctx, f.staffID, time.Now()); len(w) != 1 || w[0].Action != ActionCompare {
			t.Errorf("waiting after answers: %+v", w)
		}

		// Comparison, then Forma Plus retained; the others are told politely, once.
		rows, err := f.consultations.Compare(ctx, req.ID)
		must(err)
		if len(rows) != 3 || rows[0].ProviderID != f.forma.ID || rows[1].ProviderID != f.lyon.ID || rows[2].Status != ConsultationDeclined {
			t.Fatalf("comparison order: %+v", rows)
		}
		if *rows[0].PriceInclVATCents != 180000 || *rows[1].PriceInclVATCents != 288000 || rows[0].DistanceKm != nil ||
			rows[1].DistanceKm == nil || *rows[1].DistanceKm > 5 || !rows[1].Qualiopi || rows[0].Qualiopi {
			t.Errorf("comparison values: forma %+v lyon %+v", rows[0], rows[1])
		}
		if _, err := f.consultations.NotifyNotRetained(ctx, req.ID); !isInvalid(err, "retained") {
			t.Errorf("not retained before any retained: %v", err)
		}
		if _, err := f.consultations.Retain(ctx, cons[2].ID, true); !isInvalid(err, "status") {
			t.Errorf("retain a decline: %v", err)
		}
		_, err = f.consultations.Retain(ctx, cons[1].ID, true)
		must(err)
		if n, err := f.consultations.NotifyNotRetained(ctx, req.ID); n != 1 || err != nil {
			t.Errorf("not retained mails: %d %v", n, err)
		}
		if m, _ := f.mailTo(t, "devis@lyonformation.fr"); !strings.Contains(m.Text, "retenu une autre offre") {
			t.Errorf("not retained mail: %s", m.Text)
		}
		if n, _ := f.consultations.NotifyNotRetained(ctx, req.ID); n != 0 {
			t.Errorf("not retained mailed twice")
		}
		if w, _ := f.requests.WaitingOn(ctx, f.staffID, time.Now()); len(w) != 1 || w[0].Action != ActionPropose {
			t.Errorf("waiting after retaining: %+v", w)
		}

		// A proposal takes only retained answers of its own request.
		other := f.newRequest(t, "Management")
		validUntil := time.Now().AddDate(0, 0, 30)
		line := []ProposalLineInput{{ConsultationID: cons[1].ID, ClientPriceCents: 210000}}
		if _, err := f.proposals.Create(ctx, ProposalInput{RequestID: other.ID, Mode: ModeSubcontracting, Lines: line, ValidUntil: validUntil}); !isInvalid(err, "lines") {
			t.Errorf("proposal from another request's answer: got %v", err)
		}
		if _, err := f.proposals.Create(ctx, ProposalInput{RequestID: req.ID, Mode: ModeSubcontracting,
			Lines: []ProposalLineInput{{ConsultationID: cons[0].ID, ClientPriceCents: 300000}}, ValidUntil: validUntil}); !isInvalid(err, "lines") {
			t.Errorf("proposal from an answer not retained: got %v", err)
		}
		if _, err := f.proposals.Create(ctx, ProposalInput{RequestID: req.ID, Mode: ModeSubcontracting,
			Lines: []ProposalLineInput{{ConsultationID: cons[1].ID, ClientPriceCents: 150000}}, ValidUntil: validUntil}); !isInvalid(err, "client_price_cents") {
			t.Errorf("proposal below cost: got %v", err)
		}
		prop, err := f.proposals.Create(ctx, ProposalInput{RequestID: req.ID, Mode: ModeSubcontracting, Lines: line, ValidUntil: validUntil})
		must(err)
		if prop.Status != ProposalDraft || prop.CostCents != 180000 || prop.ClientPriceCents != 210000 || prop.FeeCents != 30000 ||
			prop.Lines[0].Label != "Excel avancé" || prop.Lines[0].ProviderName != "Forma Plus" {
			t.Errorf("proposal: %+v", prop)
		}
		if js, _ := json.Marshal(prop.ForClient()); strings.Contains(string(js), "cost") || strings.Contains(string(js), "fee") ||
			strings.Contains(string(js), "Forma") || !strings.Contains(string(js), `"client_price_cents":210000`) {
			t.Errorf("client view shows staff data: %s", js)
		}
		prop, err = f.proposals.Send(ctx, prop.ID, nil)
		must(err)
		propMail, _ := f.mailTo(t, "marie.durand@acme-industrie.fr")
		if prop.Status != ProposalSent || prop.MailedAt == nil || !strings.Contains(propMail.Text, i18n.Money("fr", 210000)+" HT") ||
			!strings.Contains(propMail.Text, "Bonjour Marie Durand") || strings.Contains(propMail.Text, "180") {
			t.Errorf("sent proposal %+v, mail:\n%s", prop, propMail.Text)
		}
		sentAt := time.Now()
		columns, err := f.requests.Pipeline(ctx, PipelineFilter{OwnerID: f.staffID}, sentAt)
		must(err)
		history, _ := f.requests.History(ctx, req.ID)
		last := history[len(history)-1]
		if p := pipelineItem(columns, req.ID); p == nil || p.Stage != StageProposal || !p.StageSince.Equal(last.At) ||
			last.To != SourcingProposalSent || p.InStage != sentAt.Sub(last.At) {
			t.Errorf("pipeline after sending: %+v (last change %+v)", p, last)
		}
		if p := pipelineItem(columns, other.ID); p == nil || p.Stage != StageQualifying || !p.StageSince.Equal(other.CreatedAt) {
			t.Errorf("pipeline, untouched request: %+v", p)
		}

		// Funding is requested beside; the client accepts, booking waits for the OPCO.
		_, err = f.requests.Advance(ctx, req.ID, TrackMove{Track: TrackFunding, To: FundingRequested})
		must(err)
		if _, err := f.requests.Advance(ctx, req.ID, TrackMove{Track: TrackDecision, To: DecisionAccepted}); !isInvalid(err, TrackDecision) {
			t.Errorf("decision by hand: got %v", err)
		}
		if _, err := f.proposals.Accept(f.clientUserCtx, f.perrin.ID, prop.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("accept through another client: got %v", err)
		}
		prop, err = f.proposals.Accept(f.clientUserCtx, f.acme.ID, prop.ID)
		must(err)
		if prop.Status != ProposalAccepted || prop.OnBehalf() || prop.DecidedByName != "Marie RH" {
			t.Errorf("accepted by the client: %+v", prop)
		}
		bookIn := BookingInput{ProposalID: prop.ID, Place: "Acme, 12 rue de la Gare, Lyon", TraineeIDs: []int64{f.lea.ID, f.tom.ID},
			Slots: []Slot{
				{Day: time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC), Half: Afternoon, Start: "13:30", End: "17:00"},
				{Day: time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC), Half: Morning, Start: "09:00", End: "12:30"},
				{Day: time.Date(2026, 9, 22, 0, 0, 0, 0, time.UTC), Half: Morning, Start: "09:00", End: "12:00"},
			}}
		req, _ = f.requests.Get(ctx, req.ID)
		if _, err := f.bookings.Create(ctx, bookIn); req.Stage != StageFunding || !isInvalid(err, "funding") {
			t.Errorf("booking while funding is pending: stage %s, %v", req.Stage, err)
		}
		opco := int64(150000)
		req, err = f.requests.Advance(ctx, req.ID, TrackMove{Track: TrackFunding, To: FundingAgreed, AmountCents: &opco})
		must(err)
		if req.Stage != StageToBook || *req.FundingAmountCents != 150000 {
			t.Errorf("funding agreed: %s %v", req.Stage, req.FundingAmountCents)
		}
		if w, _ := f.requests.WaitingOn(ctx, f.staffID, time.Now()); len(w) != 2 || w[0].ID != req.ID || w[0].Action != ActionBook ||
			w[1].Action != ActionConsult {
			t.Errorf("waiting before booking: %+v", w)
		}

		// Booking: trainees must be the client's employees.
		bad := bookIn
		bad.TraineeIDs = []int64{f.lea.ID, f.zoe.ID}
		if _, err := f.bookings.Create(ctx, bad); !isInvalid(err, "trainee_ids") {
			t.Errorf("trainee of another client: got %v", err)
		}
		b, err := f.bookings.Create(ctx, bookIn)
		must(err)
		if b.Status != BookingPlanned || b.PriceCents != 210000 || b.CostCents != 180000 || b.ProviderID != f.forma.ID ||
			len(b.Slots) != 3 || b.Slots[0].Half != Morning || b.Title != "Excel avancé" {
			t.Errorf("booking: %+v", b)
		}
		req, _ = f.requests.Get(ctx, req.ID)
		if req.Delivery != DeliveryBooked || req.Stage != StageBooked {
			t.Errorf("after booking: %s / %s", req.Delivery, req.Stage)
		}

		// Attendance, in two sittings: the session is done when the sheet is full.
		s := b.Slots
		sheet, err := f.bookings.RecordAttendance(ctx, b.ID, []Mark{{s[0].ID, f.lea.ID, Present}, {s[1].ID, f.lea.ID, Present},
			{s[0].ID, f.tom.ID, Present}, {s[1].ID, f.tom.ID, Absent}})
		must(err)
		if sheet.Complete {
			t.Error("sheet complete with two marks missing")
		}
		if _, err := f.bookings.RecordAttendance(ctx, b.ID, []Mark{{s[2].ID, f.zoe.ID, Present}}); !isInvalid(err, "marks") {
			t.Errorf("mark for someone not booked: %v", err)
		}
		sheet, err = f.bookings.RecordAttendance(ctx, b.ID, []Mark{{s[2].ID, f.lea.ID, Present}, {s[2].ID, f.tom.ID, Excused}})
		must(err)
		hours := map[string]float64{}
		for _, tr := range sheet.Trainees {
			hours[tr.Name] = tr.HoursAttended
		}
		if !sheet.Complete || hours["Léa Roux"] != 10 || hours["Tom Blanc"] != 3.5 || sheet.Trainees[0].HoursPlanned != 10 {
			t.Errorf("sheet: %+v", sheet)
		}
		b, _ = f.bookings.Get(ctx, b.ID)
		req, _ = f.requests.Get(ctx, req.ID)
		if b.Status != BookingDone || b.DoneAt == nil || req.Delivery != DeliveryDone || req.Stage != StageDone {
			t.Errorf("after full attendance: booking %s, request %s / %s", b.Status, req.Delivery, req.Stage)
		}

		// A second session, cancelled: it takes no attendance and the request is done again.
		extra := bookIn
		extra.Slots = bookIn.Slots[:1]
		b2, err := f.bookings.Create(ctx, extra)
		must(err)
		if req, _ = f.requests.Get(ctx, req.ID); req.Stage != StageBooked {
			t.Errorf("with a second session: %s", req.Stage)
		}
		b2, err = f.bookings.Cancel(ctx, b2.ID, "Grève des transports", "provider")
		must(err)
		if _, err := f.bookings.RecordAttendance(ctx, b2.ID, []Mark{{b2.Slots[0].ID, f.lea.ID, Present}}); !isInvalid(err, "status") {
			t.Errorf("attendance on a cancelled session: %v", err)
		}
		if req, _ = f.requests.Get(ctx, req.ID); req.Stage != StageDone || b2.CancelCostBearer != "provider" {
			t.Errorf("after cancelling: %s %+v", req.Stage, b2)
		}

		// Satisfaction feeds the provider's quality: 4/5 is 8/10; 100 × (0.7 × 0.8 + 0.3 × 1) = 86.
		if _, err := f.bookings.Rate(ctx, b2.ID, 5); !isInvalid(err, "status") {
			t.Errorf("rate a cancelled session: %v", err)
		}
		_, err = f.bookings.Rate(ctx, b.ID, 4)
		must(err)
		forma, _ := f.providers.Get(ctx, f.forma.ID)
		if forma.Satisfaction == nil || *forma.Satisfaction != 8 || forma.QualityScore == nil || *forma.QualityScore != 86 {
			t.Errorf("forma quality: %+v", forma.Quality)
		}

		// The history says who moved each track, and the timeline holds every step.
		history, _ = f.requests.History(ctx, req.ID)
		for _, h := range history {
			if h.Track == TrackDecision && (h.ExtranetUserID == nil || h.ByName != "Marie RH") {
				t.Errorf("decision by the client user: %+v", h)
			}
			if h.Track == TrackFunding && (h.StaffUserID == nil || *h.StaffUserID != f.staffID || h.ByName != "Claire Broker") {
				t.Errorf("funding by staff: %+v", h)
			}
		}
		entries, _, err := f.timeline.List(ctx, TimelineFilter{Record: &Ref{RecordRequest, req.ID}, Limit: 200})
		must(err)
		var titles []string
		mails := 0
		for _, e := range entries {
			titles = append(titles, e.Title)
			if e.Kind == KindEmailOut {
				mails++
			}
		}
		for _, want := range []string{
			"request: Excel avancé",
			"request sourcing: qualifying → consulting",
			"consultation: sent → answered",
			"consultation: sent → declined",
			"request sourcing: consulting → quotes_in",
			"consultation: answered → retained",
			"proposal: new → draft",
			"request sourcing: quotes_in → proposal_sent",
			"proposal: draft → sent",
			"request funding: not_needed → requested",
			"proposal: sent → accepted",
			"request decision: pending → accepted",
			"request funding: requested → agreed",
			"booking: new → planned",
			"request delivery: none → booked",
			"booking: attendance (4)",
			"booking: planned → done",
			"request delivery: booked → done",
			"booking: planned → cancelled",
		} {
			if !slices.Contains(titles, want) {
				t.Errorf("timeline lacks %q", want)
			}
		}
		if mails != 5 { // three consultations, one "not retained", the proposal
			t.Errorf("%d mails in the request's timeline, want 5", mails)
		}
	})
}

func pipelineItem(columns []PipelineColumn, id int64) *PipelineItem {
	for _, c := range columns {
		for i := range c.Items {
			if c.Items[i].ID == id {
				return &c.Items[i]
			}
		}
	}
	return nil
}
