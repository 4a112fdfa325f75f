package backoffice

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// Entries shown per timeline page on a record page and on the history page.
const (
	recordTimelinePage  = 20
	historyTimelinePage = 50
)

// panels are the sections every record page (client, contact, provider)
// shares: its tasks, its timeline, and the forms that add to them.
type panels struct {
	Ref      crm.Ref
	Links    []string // the references new notes and tasks are linked to ("client:42")
	Back     string   // the record page, where the forms return
	Tasks    []taskView
	Staff    []auth.User
	Timeline timelineView
}

// recordLink is a linked record with its name and page.
type recordLink struct {
	crm.Ref
	Name string
	URL  string
}

// timelineView is one page of history with its filter form.
type timelineView struct {
	Action  string // the page the filter form reloads
	Kinds   []kindOption
	Query   string
	Entries []entryView
	Newer   string // URL of the previous page, "" on the first
	Older   string // URL of the next page, "" on the last
}

type kindOption struct {
	Kind    string
	Checked bool
}

// entryView is an entry with its links named and its details decoded.
type entryView struct {
	crm.Entry
	Icon  string
	Links []recordLink
	Call  *callDetails
	Task  *taskDetails
	Move  *moveDetails
}

// moveDetails is a move of a request's track, shown in the reader's language
// rather than by the entry's stored title.
type moveDetails struct {
	Track, From, To string
}

type callDetails struct {
	Direction, Number, Duration, Outcome string
}

type taskDetails struct {
	Event string // created, done, reopened
	DueOn *time.Time
}

// kindIcons are the symbols shown before each kind of entry.
var kindIcons = map[string]string{crm.KindNote: "📝", crm.KindCall: "📞", crm.KindMeeting: "👥", crm.KindEmailIn: "📥",
	crm.KindEmailOut: "📤", crm.KindTask: "✅", crm.KindStatusChange: "🔄", crm.KindDocument: "📄"}

// taskView is a task with its links named and whether it is overdue.
type taskView struct {
	crm.Task
	Overdue bool
	Links   []recordLink
}

// timelineFilter reads the timeline filter of a page's query: kind
// (repeatable), q and offset.
func timelineFilter(c *fiber.Ctx, record *crm.Ref, withContacts bool, limit int) crm.TimelineFilter {
	return crm.TimelineFilter{Record: record, WithContacts: withContacts, Kinds: queryValues(c, "kind"),
		Query: c.Query("q"), Limit: limit, Offset: max(0, c.QueryInt("offset"))}
}

// loadTimeline reads one page of entries and names their links; path is
// the page showing them.
func (h *handlers) loadTimeline(c *fiber.Ctx, path string, f crm.TimelineFilter, names *names) (timelineView, error) {
	entries, more, err := h.Timeline.List(c.UserContext(), f)
	if err != nil {
		return timelineView{}, err
	}
	v := timelineView{Action: path, Query: f.Query}
	for _, k := range crm.EntryKinds {
		opt := kindOption{Kind: k}
		for _, s := range f.Kinds {
			opt.Checked = opt.Checked || s == k
		}
		v.Kinds = append(v.Kinds, opt)
	}
	for _, e := range entries {
		names.want(e.Links...)
	}
	if err := names.load(c.UserContext()); err != nil {
		return timelineView{}, err
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, entryDetails(e, names))
	}
	page := func(offset int) string {
		q := currentQuery(c)
		q.Set("offset", strconv.Itoa(offset))
		return path + "?" + q.Encode() + "#timeline"
	}
	if f.Offset > 0 {
		v.Newer = page(max(0, f.Offset-f.Limit))
	}
	if more {
		v.Older = page(f.Offset + f.Limit)
	}
	return v, nil
}

// entryDetails decodes the kind-specific data of an entry for display.
func entryDetails(e crm.Entry, n *names) entryView {
	v := entryView{Entry: e, Icon: kindIcons[e.Kind], Links: n.links(e.Links)}
	data := e.DataMap()
	str := func(k string) string { s, _ := data[k].(string); return s }
	switch e.Kind {
	case crm.KindCall:
		secs, _ := data["duration_s"].(float64)
		v.Call = &callDetails{Direction: str("direction"), Number: str("number"), Duration: formatDuration(int(secs)), Outcome: str("outcome")}
	case crm.KindStatusChange:
		if str("record") == crm.RecordRequest && str("track") != "" {
			v.Move = &moveDetails{Track: str("track"), From: str("from"), To: str("to")}
		}
	case crm.KindTask:
		v.Task = &taskDetails{Event: str("event")}
		if due, err := time.Parse(time.DateOnly, str("due_on")); err == nil {
			v.Task.DueOn = &due
		}
	}
	return v
}

// loadPanels reads a record's tasks and timeline, and the staff to assign
// tasks to. links are what new notes and tasks of the page link to (the
// record first); withContacts adds the entries of a company's contacts.
func (h *handlers) loadPanels(c *fiber.Ctx, p *web.Page, ref crm.Ref, links []crm.Ref, withContacts bool, n *names) (panels, error) {
	ctx := c.UserContext()
	out := panels{Ref: ref, Back: recordURL(ref)}
	for _, l := range links {
		out.Links = append(out.Links, refString(l))
	}
	tasks, err := h.Tasks.List(ctx, crm.TaskFilter{Record: &ref})
	if err != nil {
		return panels{}, err
	}
	if out.Staff, err = h.Auth.ListUsers(ctx, 0); err != nil {
		return panels{}, err
	}
	for _, t := range tasks {
		n.want(t.Links...)
	}
	if out.Timeline, err = h.loadTimeline(c, out.Back, timelineFilter(c, &ref, withContacts, recordTimelinePage), n); err != nil {
		return panels{}, err
	}
	out.Tasks = taskViews(tasks, n)
	// The forms of the panels start with sensible values.
	setDefault(p.Form, "task_assignee_id", strconv.FormatInt(p.User().ID, 10))
	setDefault(p.Form, "note_kind", crm.KindNote)
	return out, nil
}

func taskViews(tasks []crm.Task, n *names) []taskView {
	today := parisToday()
	out := make([]taskView, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, taskView{Task: t, Overdue: t.Overdue(today), Links: n.links(t.Links)})
	}
	return out
}

func setDefault(form map[string]string, key, value string) {
	if _, ok := form[key]; !ok {
		form[key] = value
	}
}

// renderRecord shows the page of a record again, after a form of its panels
// failed (the page's own fields and messages are already on p).
func (h *handlers) renderRecord(c *fiber.Ctx, p *web.Page, ref crm.Ref) error {
	c.Status(fiber.StatusUnprocessableEntity)
	p.Path = recordURL(ref)
	switch ref.Type {
	case crm.RecordClient:
		return h.renderClient(c, p, ref.ID)
	case crm.RecordContact:
		return h.renderContact(c, p, ref.ID)
	case crm.RecordProvider:
		return h.renderProvider(c, p, ref.ID)
	case crm.RecordRequest:
		return h.renderRequest(c, p, ref.ID)
	case crm.RecordBooking:
		return h.renderBooking(c, p, ref.ID)
	}
	return fiber.ErrUnprocessableEntity
}

// names finds the display names of linked records, each loaded once per request.
type names struct {
	h     *handlers
	known map[crm.Ref]recordLink
	todo  []crm.Ref
}

func (h *handlers) newNames() *names {
	return &names{h: h, known: map[crm.Ref]recordLink{}}
}

// set records a name already at hand (the page's own record).
func (n *names) set(r crm.Ref, name string) {
	n.known[r] = recordLink{Ref: r, Name: name, URL: recordURL(r)}
}

// want queues references to name at the next load.
func (n *names) want(refs ...crm.Ref) {
	n.todo = append(n.todo, refs...)
}

// load names every queued reference not known yet. A record that is gone
// keeps its type and number as name.
func (n *names) load(ctx context.Context) error {
	for _, r := range n.todo {
		if _, ok := n.known[r]; ok {
			continue
		}
		name, url, err := n.name(ctx, r)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		link := recordLink{Ref: r, Name: name}
		if name != "" {
			link.URL = cmp.Or(url, recordURL(r))
		}
		n.known[r] = link
	}
	n.todo = n.todo[:0]
	return nil
}

// name returns a record's display name and, when it is not recordURL, the
// page showing it (consultations and proposals are on their request's page).
func (n *names) name(ctx context.Context, r crm.Ref) (name, url string, err error) {
	switch r.Type {
	case crm.RecordClient:
		c, err := n.h.Clients.Get(ctx, r.ID)
		return c.LegalName, "", err
	case crm.RecordContact:
		c, err := n.h.Contacts.Get(ctx, r.ID)
		if err != nil || c.OwnerName == "" {
			return c.Name(), "", err
		}
		return c.Name() + " (" + c.OwnerName + ")", "", nil
	case crm.RecordProvider:
		p, err := n.h.Providers.Get(ctx, r.ID)
		return p.Name, "", err
	case crm.RecordRequest:
		q, err := n.h.Requests.Get(ctx, r.ID)
		return requestName(q.ID, q.Topic), "", err
	case crm.RecordConsultation:
		k, err := n.h.Consultations.Get(ctx, r.ID)
		return k.ProviderName, requestAnchor(k.RequestID, "consultation", k.ID), err
	case crm.RecordProposal:
		p, err := n.h.Proposals.Get(ctx, r.ID)
		return requestName(p.RequestID, p.RequestTopic), requestAnchor(p.RequestID, "proposal", p.ID), err
	case crm.RecordBooking:
		b, err := n.h.Bookings.Get(ctx, r.ID)
		return b.Title, "", err
	}
	return "", "", nil
}

// links returns the named links of refs (load first).
func (n *names) links(refs []crm.Ref) []recordLink {
	out := make([]recordLink, 0, len(refs))
	for _, r := range refs {
		out = append(out, n.known[r])
	}
	return out
}
