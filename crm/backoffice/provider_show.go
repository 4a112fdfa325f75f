package backoffice

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type providerPageData struct {
	Provider crm.Provider
	Qualiopi qualiopiView
	Identity []factView
	Courses  []courseView
	Quality  qualityView
	Contacts []crm.Contact
	panels
}

// factView is one field of the identity panel with where its value came from.
type factView struct {
	Label  string // i18n key
	Value  string
	Kind   string           // how to link the value: "", "tel", "mail" or "url"
	Source *crm.FieldSource // nil when the field was never set
}

// courseView is a course with its places named and its figures written out.
type courseView struct {
	crm.Course
	Places   []string
	Sessions []time.Time
	Hours    string
	Days     string
}

// qualityView is what later modules measured of the provider.
type qualityView struct {
	Measured                        bool
	Satisfaction, AnswerRate, Score string
	Incidents                       int
}

func (h *handlers) providerShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.renderProvider(c, h.page(c, "providers.title", "providers"), id)
}

// renderProvider shows a provider: its identity with the provenance of each
// field, Qualiopi, courses, quality, contacts, tasks and the timeline of the
// provider and its contacts.
func (h *handlers) renderProvider(c *fiber.Ctx, p *web.Page, id int64) error {
	ctx := c.UserContext()
	pr, err := h.Providers.Get(ctx, id)
	if err != nil {
		return err
	}
	d := providerPageData{Provider: pr, Qualiopi: newQualiopiView(pr, time.Now()), Identity: identityFacts(p, pr),
		Quality: newQualityView(p.Lang, pr.Quality)}
	courses, err := h.Courses.ByProvider(ctx, id)
	if err != nil {
		return err
	}
	for _, co := range courses {
		d.Courses = append(d.Courses, newCourseView(p.Lang, co))
	}
	if d.Contacts, _, err = h.Contacts.List(ctx, crm.ContactFilter{ProviderID: id, Page: crm.Page{Size: 500}}); err != nil {
		return err
	}
	ref := crm.Ref{Type: crm.RecordProvider, ID: id}
	n := h.newNames()
	n.set(ref, pr.Name)
	if d.panels, err = h.loadPanels(c, p, ref, []crm.Ref{ref}, true, n); err != nil {
		return err
	}
	p.Title = pr.Name
	p.Data = d
	return h.tpl.Render(c, "provider", p)
}

// identityFacts lists the provider's fields, each with its provenance.
func identityFacts(p *web.Page, pr crm.Provider) []factView {
	in := pr.ProviderInput
	var out []factView
	add := func(field, label, value, kind string) {
		f := factView{Label: label, Value: value, Kind: kind}
		if s, ok := pr.Provenance[field]; ok {
			f.Source = &s
		}
		out = append(out, f)
	}
	date := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return i18n.Date(p.Lang, *t)
	}
	var nsf []string
	for _, code := range crm.NSFLabels(in.NSFCodes) {
		nsf = append(nsf, code.Code+" "+code.Label)
	}
	var cats []string
	for _, cat := range qualiopiCategories {
		if pr.Qualiopi(cat) {
			cats = append(cats, p.T("qualiopi."+cat))
		}
	}
	fiscal := ""
	if in.FiscalStart != nil || in.FiscalEnd != nil {
		fiscal = date(in.FiscalStart) + " – " + date(in.FiscalEnd)
	}
	add("name", "provider.name", in.Name, "")
	add("nda", "provider.nda", in.NDA, "")
	add("previous_ndas", "provider.previous_ndas", in.PreviousNDAs, "")
	add("siren", "provider.siren", in.SIREN, "")
	add("siret", "provider.siret", in.SIRET, "")
	add("foreign_org", "provider.foreign_org", in.ForeignOrg, "")
	add("street", "provider.street", in.Street, "")
	add("postal_code", "provider.postal_code", in.PostalCode, "")
	add("city", "provider.city", in.City, "")
	add("region_code", "provider.region", crm.RegionName(in.RegionCode), "")
	add("qualiopi_actions", "provider.qualiopi", strings.Join(cats, ", "), "")
	add("qualiopi_confirmed_on", "provider.qualiopi_confirmed_on", date(in.QualiopiConfirmedOn), "")
	add("nsf_codes", "provider.nsf_codes", strings.Join(nsf, " · "), "")
	add("trainees", "provider.trainees", intString(in.Trainees), "")
	add("trainees_delegated", "provider.trainees_delegated", intString(in.TraineesDelegated), "")
	add("trainers", "provider.trainers", intString(in.Trainers), "")
	add("last_declaration_on", "provider.last_declaration_on", date(in.LastDeclarationOn), "")
	add("fiscal_start", "provider.fiscal_year", fiscal, "")
	add("website", "provider.website", in.Website, "url")
	add("email", "provider.email", in.Email, "mail")
	add("phone", "provider.phone", in.Phone, "tel")
	vat := ""
	if in.VATExempt {
		vat = p.T("form.yes")
	}
	add("vat_exempt", "provider.vat_exempt", vat, "")
	add("tags", "provider.tags", in.Tags, "")
	return out
}

func newCourseView(lang string, co crm.Course) courseView {
	v := courseView{Course: co, Hours: decimalString(lang, co.DurationHours), Days: decimalString(lang, co.DurationDays)}
	for _, code := range co.Communes {
		v.Places = append(v.Places, cmp.Or(crm.CommuneName(code), code))
	}
	for _, s := range co.NextSessions {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			v.Sessions = append(v.Sessions, t)
		}
	}
	return v
}

func newQualityView(lang string, q crm.Quality) qualityView {
	v := qualityView{Incidents: q.Incidents, Measured: q.Satisfaction != nil || q.AnswerRate != nil || q.QualityScore != nil || q.Incidents > 0}
	if q.Satisfaction != nil {
		v.Satisfaction = decimalText(lang, *q.Satisfaction, 1) + "/10"
	}
	if q.AnswerRate != nil {
		v.AnswerRate = strconv.Itoa(int(*q.AnswerRate*100+0.5)) + " %"
	}
	if q.QualityScore != nil {
		v.Score = decimalText(lang, *q.QualityScore, 0) + "/100"
	}
	return v
}
