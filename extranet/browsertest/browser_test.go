package browsertest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// stage returns the request's stage as its page shows it: the class of the
// badge beside the title (stage-sourcing…), and the tracker's current step.
func stage(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	do(t, ctx, "stage "+want, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("h1 .badge.stage-"+want)))
	if cur, label := text(t, ctx, `ol.tracker li[aria-current="step"]`), i18n.T(i18n.FR, "requests.stage."+want); !strings.Contains(cur, label) {
		t.Errorf("tracker's current step %q, want %q", cur, label)
	}
}

// committed reads the total committed on /budgets (the tfoot's third
// figure: amount, planned, committed, consumed, remaining).
func committed(t *testing.T, ctx context.Context, f *fixture) (committed, remaining string) {
	t.Helper()
	do(t, ctx, "budgets", chromedp.Navigate(f.base+"/budgets"), chromedp.WaitVisible(chromedp.ID("total-remaining")))
	return text(t, ctx, "table.budgets tfoot td:nth-of-type(3)"), text(t, ctx, "#total-remaining")
}

// TestHRAdminFollowsACollectiveRequest: Hélène (HR admin) logs in and types
// a collective need into the form; as Claire consults a provider, records
// its quote and sends a proposal (through the crm services), the request's
// page, reloaded, shows each new stage; Hélène opens the proposal, clicks
// accept, and the year's budget (a whole-company envelope of the company's
// own funds, where a request outside the plan without a funding body
// counts) shows the price committed.
func TestHRAdminFollowsACollectiveRequest(t *testing.T) {
	start := time.Now()
	f := newFixture(t)
	year := time.Now().In(i18n.Paris).Year()
	if _, err := f.budgets.Create(f.staff, f.morel.ID, crm.EnvelopeInput{Year: year, FundingSource: crm.FundingSources[0],
		AmountCents: 5_000_00, Label: "Budget formation"}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	login(t, ctx, f, "helene")
	screenshot(t, ctx, "01-dashboard")

	c0, r0 := committed(t, ctx, f)
	if c0 != spaces(i18n.Money(i18n.FR, 0)) || r0 != spaces(i18n.Money(i18n.FR, 5_000_00)) {
		t.Errorf("budget before: committed %q, remaining %q", c0, r0)
	}

	// The form, filled and sent by hand.
	do(t, ctx, "requests list", chromedp.Navigate(f.base+"/requests"), chromedp.Click(chromedp.CSS(`a[href="/requests/new"]`)))
	waitPath(t, ctx, "/requests/new")
	do(t, ctx, "request form",
		chromedp.SendKeys(chromedp.ID("topic"), "Gestes et postures"),
		chromedp.SendKeys(chromedp.ID("description"), "Les caristes de l'entrepôt"),
		chromedp.SendKeys(chromedp.ID("trainees"), "8"),
		chromedp.SendKeys(chromedp.ID("place"), "Lyon"),
		chromedp.Click(chromedp.CSS(`form[action="/requests"] button[type="submit"]`)))
	reqID := id(waitPath(t, ctx, `/requests/(\d+)`)[1])
	do(t, ctx, "new request", chromedp.WaitVisible(chromedp.CSS("h1 .badge.stage-qualifying")))
	if h := text(t, ctx, "h1"); !strings.Contains(h, "Gestes et postures") {
		t.Errorf("request page title %q", h)
	}
	r, err := f.requests.Get(f.staff, reqID)
	if err != nil || r.ClientID != f.morel.ID || r.Kind != "collective" || r.Trainees != 8 {
		t.Fatalf("request recorded: %+v %v", r, err)
	}

	// Claire consults a provider: sourcing.
	cs, err := f.consultations.Consult(f.staff, crm.ConsultInput{RequestID: reqID, Targets: []crm.ConsultTarget{{ProviderID: f.provider.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	stage(t, ctx, crm.StageSourcing)
	// The quote comes in, Claire retains it and sends a proposal: proposal.
	if _, err := f.consultations.RecordAnswer(f.staff, cs[0].ID, crm.AnsweredByPhone, crm.QuoteInput{PriceCents: 1_600_00, VATStatus: "exempt"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.consultations.Retain(f.staff, cs[0].ID, true); err != nil {
		t.Fatal(err)
	}
	stage(t, ctx, crm.StageSourcing)
	const price = 2_000_00
	p, err := f.proposals.Create(f.staff, crm.ProposalInput{RequestID: reqID, Mode: crm.ModeSubcontracting, CommissionCents: 1000,
		Lines:      []crm.ProposalLineInput{{ConsultationID: cs[0].ID, Label: "Gestes et postures, 2 jours", ClientPriceCents: price}},
		ValidUntil: time.Now().AddDate(0, 0, 30)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.proposals.Send(f.staff, p.ID, []crm.MailAddress{{Name: "Hélène", Email: "helene@morel.test"}}); err != nil {
		t.Fatal(err)
	}
	stage(t, ctx, crm.StageProposal)
	screenshot(t, ctx, "03-request")

	// Hélène opens the proposal from the request and accepts it.
	do(t, ctx, "open proposal", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/proposals/%d"]`, p.ID))))
	waitPath(t, ctx, fmt.Sprintf("/proposals/%d", p.ID))
	do(t, ctx, "proposal", chromedp.WaitVisible(chromedp.CSS(`form[action$="/accept"] button[type="submit"]`)))
	if total := text(t, ctx, "table.lines tfoot"); !strings.Contains(total, spaces(i18n.Money(i18n.FR, price))) {
		t.Errorf("proposal total %q", total)
	}
	screenshot(t, ctx, "04-proposal")
	do(t, ctx, "accept", chromedp.Click(chromedp.CSS(`form[action$="/accept"] button[type="submit"]`)))
	waitPath(t, ctx, fmt.Sprintf("/proposals/%d", p.ID))
	do(t, ctx, "accepted", chromedp.WaitVisible(chromedp.CSS("h1 .badge.ok")), chromedp.WaitNotPresent(chromedp.CSS(`form[action$="/accept"]`)))

	c1, r1 := committed(t, ctx, f)
	if c1 != spaces(i18n.Money(i18n.FR, price)) || r1 != spaces(i18n.Money(i18n.FR, 5_000_00-price)) {
		t.Errorf("budget after accepting: committed %q, remaining %q; want %s and %s", c1, r1,
			i18n.Money(i18n.FR, price), i18n.Money(i18n.FR, 5_000_00-price))
	}
	screenshot(t, ctx, "05-budgets")

	do(t, ctx, "back to the request", chromedp.Navigate(fmt.Sprintf("%s/requests/%d", f.base, reqID)))
	r, err = f.requests.Get(f.staff, reqID)
	if err != nil {
		t.Fatal(err)
	}
	stage(t, ctx, r.Stage)
	if r.Stage == crm.StageProposal || r.Stage == crm.StageSourcing {
		t.Errorf("accepted request still at %s", r.Stage)
	}
	do(t, ctx, "requests list", chromedp.Navigate(f.base+"/requests"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`a[href="/requests/%d"]`, reqID))))
	screenshot(t, ctx, "02-requests")
	do(t, ctx, "planning", chromedp.Navigate(f.base+"/planning"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	screenshot(t, ctx, "08-planning")
	// Hélène opens the year's plan: typed title, clicked button.
	do(t, ctx, "plan", chromedp.Navigate(f.base+"/plan"),
		chromedp.SendKeys(chromedp.ID("title"), fmt.Sprintf("Plan %d", year)),
		chromedp.Click(chromedp.CSS(`form[action="/plan"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("freeze")))
	if h := text(t, ctx, "main"); !strings.Contains(h, fmt.Sprintf("Plan %d", year)) {
		t.Errorf("plan page after opening it: %.300s", h)
	}
	screenshot(t, ctx, "09-plan")
	t.Logf("scenario took %s", time.Since(start).Round(time.Millisecond))
}

// TestEmployeeWishApprovedByManager: Léa types an individual request into
// the form; her manager Paul finds it in his list, opens it and clicks
// approve; Léa then sees it approved.
func TestEmployeeWishApprovedByManager(t *testing.T) {
	start := time.Now()
	f := newFixture(t)
	ctx := newBrowser(t)
	login(t, ctx, f, "lea")
	do(t, ctx, "wishes", chromedp.Navigate(f.base+"/wishes"), chromedp.Click(chromedp.CSS(`a[href="/wishes/new"]`)))
	waitPath(t, ctx, "/wishes/new")
	do(t, ctx, "wish form",
		chromedp.SendKeys(chromedp.ID("topic"), "Anglais professionnel"),
		chromedp.SendKeys(chromedp.ID("justification"), "Clients export"),
		chromedp.SendKeys(chromedp.ID("estimated_cost"), "1200"),
		chromedp.Click(chromedp.CSS(`form[action="/wishes"] button[type="submit"]`)))
	wishID := id(waitPath(t, ctx, `/wishes/(\d+)`)[1])
	want := i18n.T(i18n.FR, "wish.status."+crm.WishSubmitted)
	if s := text(t, ctx, "#wish-status"); s != want {
		t.Errorf("Léa's new wish: status %q, want %q", s, want)
	}
	logout(t, ctx)

	login(t, ctx, f, "paul")
	do(t, ctx, "Paul's wishes", chromedp.Navigate(f.base+"/wishes"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`a[href="/wishes/%d"]`, wishID))))
	screenshot(t, ctx, "06-wishes")
	do(t, ctx, "open wish", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/wishes/%d"]`, wishID))))
	waitPath(t, ctx, fmt.Sprintf("/wishes/%d", wishID))
	do(t, ctx, "approve", chromedp.Click(chromedp.ID("move-manager_approved")))
	waitPath(t, ctx, fmt.Sprintf("/wishes/%d", wishID))
	do(t, ctx, "approved", chromedp.WaitNotPresent(chromedp.ID("move-manager_approved")))
	want = i18n.T(i18n.FR, "wish.status."+crm.WishManagerApproved)
	if s := text(t, ctx, "#wish-status"); s != want {
		t.Errorf("after Paul's approval: status %q, want %q", s, want)
	}
	screenshot(t, ctx, "07-wish")
	logout(t, ctx)

	login(t, ctx, f, "lea")
	do(t, ctx, "Léa's wish", chromedp.Navigate(fmt.Sprintf("%s/wishes/%d", f.base, wishID)), chromedp.WaitVisible(chromedp.ID("wish-status")))
	if s := text(t, ctx, "#wish-status"); s != want {
		t.Errorf("Léa sees status %q, want %q", s, want)
	}
	t.Logf("scenario took %s", time.Since(start).Round(time.Millisecond))
}

// TestManagerDoesNotSeeAnotherDepartment: Léa (Ventes) has an individual
// request and a collective need raised for her; Marc manages Atelier: his
// lists do not show them and their addresses answer 404, while Tom's
// request (Atelier) is there.
func TestManagerDoesNotSeeAnotherDepartment(t *testing.T) {
	start := time.Now()
	f := newFixture(t)
	lea, err := f.viewers.Load(f.staff, f.users["lea"])
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.wishes.Submit(f.staff, lea, crm.WishInput{Topic: "Négociation commerciale"})
	if err != nil {
		t.Fatal(err)
	}
	req := func(topic string, e crm.Employee) int64 {
		r, err := f.requests.Create(f.staff, crm.RequestInput{ClientID: f.morel.ID, Topic: topic, Kind: "individual", Trainees: 1, EmployeeIDs: []int64{e.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	ventes, atelier := req("Vente conseil", f.lea), req("Soudure TIG", f.tom)

	ctx := newBrowser(t)
	login(t, ctx, f, "marc")
	do(t, ctx, "Marc's requests", chromedp.Navigate(f.base+"/requests"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`a[href="/requests/%d"]`, atelier))))
	if body := text(t, ctx, "main"); strings.Contains(body, "Vente conseil") || !strings.Contains(body, "Soudure TIG") {
		t.Errorf("Marc's requests list: %.500s", body)
	}
	do(t, ctx, "Marc's wishes", chromedp.Navigate(f.base+"/wishes"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if body := text(t, ctx, "main"); strings.Contains(body, "Négociation") {
		t.Errorf("Marc's wishes list shows Léa's wish: %.500s", body)
	}
	for _, path := range []string{fmt.Sprintf("/requests/%d", ventes), fmt.Sprintf("/wishes/%d", w.ID)} {
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(f.base+path))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if resp.Status != http.StatusNotFound {
			t.Errorf("Marc opens %s: %d, want 404", path, resp.Status)
		}
		if body := text(t, ctx, "body"); strings.Contains(body, "Vente conseil") || strings.Contains(body, "Négociation") {
			t.Errorf("Marc's 404 page of %s shows the record: %.300s", path, body)
		}
	}
	// His own department's request opens.
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(fmt.Sprintf("%s/requests/%d", f.base, atelier)))
	if err != nil || resp.Status != http.StatusOK {
		t.Errorf("Marc opens his department's request: %v %v", resp, err)
	}
	t.Logf("scenario took %s", time.Since(start).Round(time.Millisecond))
}
