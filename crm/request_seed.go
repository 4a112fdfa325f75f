package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// SeedRequests writes n generated requests with their whole history —
// track changes and their timeline entries, consultations and answers,
// proposals, bookings with slots, trainees and attendance — for load tests
// and demos (courtier seed --scale). Years of closed work are far too many
// to replay through the services, so it writes in multi-row statements,
// but every generated move is one the transition table allows. It sends no
// mail. topics names the needs; progress is called after each batch.
func SeedRequests(ctx context.Context, d *db.DB, n int, seed uint64, now time.Time, topics func(*rand.Rand) string, progress func(done int)) error {
	pools, err := loadSeedPools(ctx, d)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const batch = 500
	for done := 0; done < n; {
		size := min(batch, n-done)
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			ids, err := nextSeedIDs(ctx, tx)
			if err != nil {
				return err
			}
			w := &seedWriter{ids: ids, rows: map[string][][]any{}}
			for range size {
				w.request(rng, pools, now, topics(rng))
			}
			return w.flush(ctx, tx)
		})
		if err != nil {
			return fmt.Errorf("crm: seed requests: %w", err)
		}
		done += size
		if progress != nil {
			progress(done)
		}
	}
	if err := resetIdentities(ctx, d, seedTables...); err != nil {
		return err
	}
	return refreshSeededProviders(ctx, d, now)
}

// refreshSeededProviders gives the consulted providers the answer rate,
// satisfaction and quality score their seeded history says, as the
// services do after each answer and rating.
func refreshSeededProviders(ctx context.Context, d *db.DB, now time.Time) error {
	var ids []int64
	if err := d.Select(ctx, &ids, "SELECT DISTINCT provider_id FROM consultations ORDER BY provider_id"); err != nil {
		return fmt.Errorf("crm: seeded providers: %w", err)
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			for _, id := range chunk {
				if err := refreshAnswerRate(ctx, tx, id, now); err != nil {
					return err
				}
				if err := refreshSatisfaction(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// seedPools are the records generated requests draw from.
type seedPools struct {
	clients []struct {
		ID        int64  `db:"id"`
		Manager   *int64 `db:"account_manager_id"`
		Contact   *int64 `db:"contact_id"`
		Commune   string `db:"commune_code"`
		City      string `db:"city"`
		employees []int64
	}
	providers []struct {
		ID     int64  `db:"id"`
		Email  string `db:"email"`
		Course int64  `db:"course_id"`
	}
	staff []int64
}

func loadSeedPools(ctx context.Context, d *db.DB) (*seedPools, error) {
	p := &seedPools{}
	if err := d.Select(ctx, &p.clients, `SELECT c.id, c.account_manager_id,
		(SELECT MIN(k.id) FROM contacts k WHERE k.client_id = c.id) AS contact_id,
		COALESCE((SELECT MIN(e.commune_code) FROM client_establishments e WHERE e.client_id = c.id AND e.head_office = TRUE), '') AS commune_code,
		COALESCE((SELECT MIN(e.city) FROM client_establishments e WHERE e.client_id = c.id AND e.head_office = TRUE), '') AS city
		FROM clients c WHERE c.status = 'active' ORDER BY c.id`); err != nil {
		return nil, fmt.Errorf("crm: seed clients: %w", err)
	}
	var emps []struct {
		ID     int64 `db:"id"`
		Client int64 `db:"client_id"`
	}
	if err := d.Select(ctx, &emps, "SELECT id, client_id FROM employees ORDER BY id"); err != nil {
		return nil, fmt.Errorf("crm: seed employees: %w", err)
	}
	at := map[int64]int{}
	for i, c := range p.clients {
		at[c.ID] = i
	}
	for _, e := range emps {
		if i, ok := at[e.Client]; ok {
			p.clients[i].employees = append(p.clients[i].employees, e.ID)
		}
	}
	if err := d.Select(ctx, &p.providers, `SELECT p.id, p.email, MIN(c.id) AS course_id FROM providers p
		JOIN courses c ON c.provider_id = p.id WHERE p.status = 'active' GROUP BY p.id, p.email ORDER BY p.id`); err != nil {
		return nil, fmt.Errorf("crm: seed providers: %w", err)
	}
	if err := d.Select(ctx, &p.staff, "SELECT id FROM staff_users WHERE active = TRUE ORDER BY id"); err != nil {
		return nil, fmt.Errorf("crm: seed staff: %w", err)
	}
	if len(p.clients) == 0 || len(p.providers) < 5 || len(p.staff) == 0 {
		return nil, fmt.Errorf("crm: seed requests needs active clients, providers with courses and staff (%d, %d, %d)",
			len(p.clients), len(p.providers), len(p.staff))
	}
	return p, nil
}

// seedTables are the tables SeedRequests gives ids to, in insert order.
var seedTables = []string{"requests", "request_track_changes", "consultations", "proposals", "proposal_lines",
	"bookings", "booking_slots", "timeline_entries"}

// seedColumns are the columns each table is written with.
var seedColumns = map[string]string{
	"requests": `requests (id, client_id, contact_id, kind, topic, description, objectives, period_from, period_to, remote,
		place, commune_code, trainees, format, budget_cents, priority, owner_id, channel, funding_body, funding_file,
		created_by_staff_id, status, sourcing, decision, funding, delivery, funding_amount_cents, search_text, created_at, updated_at,
		stage_since)`,
	"request_employees":     "request_employees (request_id, employee_id)",
	"request_track_changes": "request_track_changes (id, request_id, track, from_status, to_status, at, staff_user_id, reason, amount_cents)",
	"consultations": `consultations (id, request_id, provider_id, course_id, email, message, status, due_at, sent_at,
		answered_at, answered_via, price_cents, vat_status, dates_offered, trainer, decline_reason, retained, created_by,
		created_at, updated_at)`,
	"proposals": `proposals (id, request_id, status, contracting_mode, client_price_cents, cost_cents, fee_cents, valid_until,
		sent_at, sent_to, mailed_at, decided_at, decision_reason, decided_by_staff_id, created_by, created_at, updated_at)`,
	"proposal_lines": "proposal_lines (id, proposal_id, consultation_id, position, label, cost_cents, client_price_cents)",
	"bookings": `bookings (id, request_id, proposal_line_id, provider_id, course_id, title, status, remote, place, price_cents,
		cost_cents, done_at, satisfaction, created_by, created_at, updated_at)`,
	"booking_slots":    "booking_slots (id, booking_id, day, half, start_time, end_time)",
	"booking_trainees": "booking_trainees (booking_id, employee_id)",
	"attendance":       "attendance (slot_id, employee_id, status, recorded_at, recorded_by)",
	"timeline_entries": "timeline_entries (id, kind, occurred_at, created_at, author_id, title, body, data, search_text)",
	"timeline_links":   "timeline_links (entry_id, record_type, record_id)",
}

// seedInsertOrder respects the foreign keys.
var seedInsertOrder = []string{"requests", "request_employees", "request_track_changes", "consultations", "proposals",
	"proposal_lines", "bookings", "booking_slots", "booking_trainees", "attendance", "timeline_entries", "timeline_links"}

func nextSeedIDs(ctx context.Context, q db.Querier) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, t := range seedTables {
		var max int64
		if err := q.Get(ctx, &max, "SELECT COALESCE(MAX(id), 0) FROM "+t); err != nil {
			return nil, fmt.Errorf("crm: seed ids of %s: %w", t, err)
		}
		ids[t] = max
	}
	return ids, nil
}

// resetIdentities moves PostgreSQL's identity sequences past the ids
// written explicitly (SQLite takes MAX(id) + 1 by itself).
func resetIdentities(ctx context.Context, d *db.DB, tables ...string) error {
	if d.Dialect() != db.Postgres {
		return nil
	}
	for _, t := range tables {
		if _, err := d.Exec(ctx, "SELECT setval(pg_get_serial_sequence('"+t+"', 'id'), COALESCE((SELECT MAX(id) FROM "+t+"), 0) + 1, false)"); err != nil {
			return fmt.Errorf("crm: reset ids of %s: %w", t, err)
		}
	}
	return nil
}

// seedWriter collects the rows of a batch, with ids it hands out itself.
type seedWriter struct {
	ids  map[string]int64
	rows map[string][][]any
}

func (w *seedWriter) add(table string, row ...any) int64 {
	var id int64
	if _, ok := w.ids[table]; ok {
		w.ids[table]++
		id = w.ids[table]
		row = append([]any{id}, row...)
	}
	w.rows[table] = append(w.rows[table], row)
	return id
}

func (w *seedWriter) flush(ctx context.Context, q db.Querier) error {
	for _, t := range seedInsertOrder {
		rows := w.rows[t]
		// Chunks stay under SQLite's 32,766 bound variables.
		per := max(1, 30000/max(1, len(firstRow(rows))))
		for len(rows) > 0 {
			chunk := rows[:min(len(rows), per)]
			rows = rows[len(chunk):]
			if err := insertRows(ctx, q, seedColumns[t], "", chunk); err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
		}
	}
	return nil
}

func firstRow(rows [][]any) []any {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

// seedRequest is one request being generated: its tracks move forward in time.
type seedRequest struct {
	w        *seedWriter
	open     bool // an open request's history is recent: its gaps are shorter
	id       int64
	clientID int64
	owner    int64
	at       time.Time
	since    time.Time // when the current stage began
	st       TrackState
	now      time.Time
}

// move applies an allowed move after gap, with its history row and timeline entry.
func (r *seedRequest) move(track, to string, gap time.Duration, reason string, amount *int64, links ...Ref) {
	from := r.st.Get(track)
	if _, ok := FindTransition(track, from, to); !ok {
		panic(fmt.Sprintf("seed: %s %s → %s is not an allowed move", track, from, to))
	}
	r.at = r.advance(gap)
	r.w.add("request_track_changes", r.id, track, from, to, r.at, r.owner, reason, amount)
	data := map[string]any{"record": RecordRequest, "id": r.id, "track": track, "from": from, "to": to}
	if amount != nil {
		data["amount_cents"] = *amount
	}
	title := fmt.Sprintf("%s %s: %s → %s", RecordRequest, track, from, to)
	r.entry(KindStatusChange, title, reason, data, links...)
	if next := r.st.With(track, to); next.Stage() != r.st.Stage() {
		r.since = r.at
	}
	r.st = r.st.With(track, to)
}

// advance returns the time gap later, never past now.
func (r *seedRequest) advance(gap time.Duration) time.Time {
	if r.open {
		gap = gap * 2 / 5
	}
	t := r.at.Add(gap)
	if t.After(r.now) {
		t = r.now.Add(-time.Minute)
	}
	if t.Before(r.at) {
		t = r.at
	}
	return t
}

func (r *seedRequest) entry(kind, title, body string, data map[string]any, links ...Ref) {
	raw, _ := json.Marshal(data)
	e := r.w.add("timeline_entries", kind, r.at, r.at, r.owner, title, body, string(raw), textsearch.Index(title, body))
	for _, l := range append([]Ref{{RecordRequest, r.id}, {RecordClient, r.clientID}}, links...) {
		r.w.add("timeline_links", e, l.Type, l.ID)
	}
}

// Fates of generated requests, as shares: most of a broker's history is
// closed work; a few percent are open, spread over the stages.
const (
	seedOpenShare      = 0.04
	seedCancelledShare = 0.10
	seedDeclinedShare  = 0.14
)

var (
	seedPriorities   = []string{"low", "normal", "normal", "normal", "high", "urgent"}
	seedChannels     = []string{"backoffice", "email", "email", "phone", "meeting", "extranet"}
	seedDeclines     = []string{"Budget insuffisant cette année", "Formation reportée à l'an prochain", "Solution trouvée en interne"}
	seedCancels      = []string{"Besoin abandonné par le client", "Doublon d'une autre demande", "Salarié parti de l'entreprise"}
	seedProviderNoes = []string{"Pas de formateur disponible sur la période", "Hors de notre zone d'intervention", "Effectif trop réduit"}
	seedFunders      = []string{"OPCO Atlas", "OPCO EP", "Akto", "Opco 2i", "Constructys", "OPCO Santé", "Uniformation"}
)

// request generates one request and its history.
func (w *seedWriter) request(rng *rand.Rand, p *seedPools, now time.Time, topic string) {
	c := &p.clients[rng.IntN(len(p.clients))]
	owner := p.staff[rng.IntN(len(p.staff))]
	if c.Manager != nil {
		owner = *c.Manager
	}
	fate := rng.Float64()
	open := fate < seedOpenShare
	// Closed requests spread over six years, open ones over the last six weeks.
	created := now.Add(-time.Duration(rng.Int64N(int64(6 * 365 * 24 * time.Hour))))
	if open {
		created = now.Add(-time.Duration(rng.Int64N(int64(45 * 24 * time.Hour))))
	}
	created = created.Truncate(time.Minute)
	trainees := 1 + rng.IntN(8)
	kind, format := "collective", "intra"
	if trainees == 1 {
		kind, format = "individual", "inter"
	} else if rng.IntN(3) == 0 {
		format = "inter"
	}
	remote := rng.IntN(5) == 0
	place := c.City
	if remote {
		place = ""
	}
	budget := int64(trainees) * (60000 + rng.Int64N(180000)) / 100 * 100
	from := created.AddDate(0, 1+rng.IntN(3), 0).Truncate(24 * time.Hour)
	to := from.AddDate(0, 2, 0)
	funding := rng.IntN(10) < 3
	fundingBody := ""
	if funding {
		fundingBody = seedFunders[rng.IntN(len(seedFunders))]
	}
	r := &seedRequest{w: w, open: open, clientID: c.ID, owner: owner, at: created, since: created, st: InitialTracks, now: now}
	r.id = w.add("requests", c.ID, c.Contact, kind, topic, "", "", from, to, remote, place, c.Commune, trainees, format,
		budget, seedPriorities[rng.IntN(len(seedPriorities))], owner, seedChannels[rng.IntN(len(seedChannels))], fundingBody, "",
		owner, "", "", "", "", "", nil, textsearch.Index(topic), created, created, created)
	row := w.rows["requests"][len(w.rows["requests"])-1]
	var employees []int64
	if len(c.employees) > 0 {
		for _, i := range rng.Perm(len(c.employees))[:min(trainees, len(c.employees))] {
			employees = append(employees, c.employees[i])
		}
	}
	if kind == "individual" {
		for _, e := range employees {
			w.add("request_employees", r.id, e)
		}
	}
	defer func() {
		// The row holds the tracks as they ended.
		row[21], row[22], row[23], row[24], row[25], row[29], row[30] = r.st.Status, r.st.Sourcing, r.st.Decision, r.st.Funding,
			r.st.Delivery, r.at, r.since
	}()

	// How far this one goes: open ones stop at a stage, closed ones end.
	stop := 99
	if open {
		stop = rng.IntN(6) // 0 qualifying … 5 booked
	}
	if funding && stop > 0 {
		r.move(TrackFunding, FundingRequested, day(rng, 1, 5), "", nil)
	}
	if stop == 0 {
		return
	}
	if !open && fate < seedOpenShare+seedCancelledShare {
		r.move(TrackRequest, RequestCancelled, day(rng, 2, 20), seedCancels[rng.IntN(len(seedCancels))], nil)
		return
	}
	// Consultations: three to five providers, answered over a few days.
	r.move(TrackSourcing, SourcingConsulting, day(rng, 1, 6), "", nil)
	sent := r.at
	due := sent.Add(7 * 24 * time.Hour)
	type answer struct {
		id, provider, course, price int64
	}
	var answers []answer
	last := sent
	for _, i := range rng.Perm(len(p.providers))[:3+rng.IntN(3)] {
		prov := p.providers[i]
		email := prov.Email
		if email == "" {
			email = fmt.Sprintf("contact@of%d.test", prov.ID)
		}
		status, answeredAt, via := "sent", any(nil), ""
		var price, vat, dates, trainer, decline any = nil, "", "", "", ""
		roll := rng.IntN(10)
		at := sent.Add(time.Duration(2+rng.IntN(140)) * time.Hour)
		switch {
		case at.After(now), open && stop == 1 && roll < 3:
			// Not answered yet.
		case roll < 7:
			status, answeredAt, via = "answered", at, "form"
			cents := int64(trainees) * (40000 + rng.Int64N(160000)) / 100 * 100
			price, vat, dates, trainer = cents, []string{"exempt", "taxable"}[rng.IntN(2)], from.Format(time.DateOnly), "Formateur·rice certifié·e"
		case roll < 9:
			status, answeredAt, via, decline = "declined", at, "form", seedProviderNoes[rng.IntN(len(seedProviderNoes))]
		default:
			if due.Add(TokenGrace).Before(now) {
				status = "expired"
			}
		}
		if answeredAt != nil && at.After(last) {
			last = at
		}
		k := w.add("consultations", r.id, prov.ID, prov.Course, email, "", status, due, sent, answeredAt, via, price, vat, dates,
			trainer, decline, false, owner, sent, sent)
		if status == "answered" {
			answers = append(answers, answer{id: k, provider: prov.ID, course: prov.Course, price: price.(int64)})
		}
	}
	if stop == 1 || len(answers) == 0 {
		if !open {
			r.move(TrackRequest, RequestCancelled, day(rng, 8, 20), "Aucun prestataire n'a répondu", nil)
		}
		return
	}
	r.at = last
	r.move(TrackSourcing, SourcingQuotesIn, time.Hour, "", nil)
	// The cheapest answer is retained and proposed with the broker's margin.
	best := answers[0]
	for _, a := range answers[1:] {
		if a.price < best.price {
			best = a
		}
	}
	w.rows["consultations"][indexOfID(w.rows["consultations"], best.id)][16] = true
	mode, price, fee := ModeSubcontracting, best.price*(115+rng.Int64N(20))/100, int64(0)
	if rng.IntN(4) == 0 {
		mode, price, fee = ModeReferral, best.price, best.price*(8+rng.Int64N(7))/100
	}
	if mode == ModeSubcontracting {
		fee = price - best.price
	}
	r.move(TrackSourcing, SourcingProposalSent, day(rng, 1, 4), "", nil)
	proposalAt := r.at
	validUntil := proposalAt.AddDate(0, 1, 0).Truncate(24 * time.Hour)
	if stop == 2 {
		w.proposal(r, best.id, mode, "sent", price, best.price, fee, validUntil, proposalAt, nil, "")
		return
	}
	if fate > 1-seedDeclinedShare {
		reason := seedDeclines[rng.IntN(len(seedDeclines))]
		r.move(TrackDecision, DecisionDeclined, day(rng, 2, 15), reason, nil)
		w.proposal(r, best.id, mode, "declined", price, best.price, fee, validUntil, proposalAt, r.at, reason)
		return
	}
	r.move(TrackDecision, DecisionAccepted, day(rng, 2, 15), "", nil)
	line := w.proposal(r, best.id, mode, "accepted", price, best.price, fee, validUntil, proposalAt, r.at, "")
	if funding {
		agreed := price * int64(50+rng.IntN(50)) / 100
		if stop == 3 {
			return // the funder has not answered yet
		}
		r.move(TrackFunding, FundingAgreed, day(rng, 5, 25), "", &agreed)
		row[26] = agreed
	}
	if stop <= 4 {
		return
	}
	// The booking: one to three days of two half-days, some weeks later.
	start := r.advance(day(rng, 14, 50)).Truncate(24 * time.Hour)
	if open {
		start = now.Add(day(rng, 7, 60)).Truncate(24 * time.Hour)
	}
	r.move(TrackDelivery, DeliveryBooked, day(rng, 1, 3), "", nil)
	done := !open && start.AddDate(0, 0, 4).Before(now)
	// Confirmed, without done date nor rating until its attendance is in.
	b := w.add("bookings", r.id, line, best.provider, best.course, topic, "confirmed", remote, place, price, best.price, nil,
		nil, owner, r.at, r.at)
	brow := w.rows["bookings"][len(w.rows["bookings"])-1]
	for _, e := range employees {
		w.add("booking_trainees", b, e)
	}
	var lastDay time.Time
	for d := range 1 + rng.IntN(3) {
		lastDay = start.AddDate(0, 0, d)
		for _, half := range []struct{ name, start, end string }{{"am", "09:00", "12:30"}, {"pm", "13:30", "17:00"}} {
			slot := w.add("booking_slots", b, lastDay, half.name, half.start, half.end)
			if !done {
				continue
			}
			for _, e := range employees {
				mark := "present"
				if rng.IntN(25) == 0 {
					mark = []string{"absent", "excused"}[rng.IntN(2)]
				}
				w.add("attendance", slot, e, mark, lastDay.Add(18*time.Hour), owner)
			}
		}
	}
	if done {
		r.at = lastDay.Add(18 * time.Hour)
		r.move(TrackDelivery, DeliveryDone, time.Minute, "", nil, Ref{RecordBooking, b})
		brow[6], brow[11], brow[12], brow[15] = "done", r.at, 3+rng.IntN(3), r.at
	}
}

// proposal writes a proposal of one line and returns the line's id.
func (w *seedWriter) proposal(r *seedRequest, consultation int64, mode, status string, price, cost, fee int64,
	validUntil, sentAt time.Time, decidedAt any, reason string) int64 {
	var decidedBy any
	if decidedAt != nil {
		decidedBy = r.owner // recorded on the client's behalf
	}
	p := w.add("proposals", r.id, status, mode, price, cost, fee, validUntil, sentAt, "", sentAt, decidedAt, reason,
		decidedBy, r.owner, sentAt, r.at)
	return w.add("proposal_lines", p, consultation, 1, "Formation", cost, price)
}

func indexOfID(rows [][]any, id int64) int {
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i][0] == id {
			return i
		}
	}
	panic(fmt.Sprintf("seed: row %d not found", id))
}

// day is a random gap of lo to hi days, at a random minute.
func day(rng *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo)*24*time.Hour + time.Duration(rng.Int64N(int64(hi-lo+1)*int64(24*time.Hour))).Truncate(time.Minute)
}
