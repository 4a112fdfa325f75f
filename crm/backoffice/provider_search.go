package backoffice

import (
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// searchPerPage is the number of providers a search page shows.
const searchPerPage = 20

// searchFields are the parameters of the search form; a search is a plain
// GET URL, so that it can be bookmarked and shared.
var searchFields = []string{"q", "nsf", "region", "department", "near", "radius_km", "modality", "intra", "inter",
	"qualiopi", "max_price", "cpf", "language"}

type searchData struct {
	Searched    bool // false until a criterion is given
	Results     []resultView
	Pager       pager
	Back        string // this search's URL, where the shortlist buttons return
	Weights     []barPart
	NSFDomains  []crm.RefCode
	Regions     []crm.RefCode
	Departments []crm.RefCode
	Modalities  []string
	Categories  []string
}

// resultView is a search result with its explanation written out.
type resultView struct {
	crm.SearchResult
	Rank        int
	Score       string
	Matches     []crm.TermMatch
	Distance    string // "12,4 km (Villeurbanne)", "" without a place
	Quality     string // "85/100", "" when not measured
	Bar         []barPart
	Courses     []courseMatchView
	Shortlisted bool // the provider itself is on the user's shortlist
}

// courseMatchView is a matching course of a result.
type courseMatchView struct {
	crm.CourseMatch
	Distance    string
	Shortlisted bool
}

// barPart is one criterion's share of a score, drawn as a segment of a
// 100-unit bar (SVG attributes, as the CSP forbids inline styles).
type barPart struct {
	Name   string // text, distance, price, quality, qualiopi
	Points string // its contribution, out of 100
	Max    string // its weight, out of 100
	X, W   string // the segment's offset and width
}

// providerSearch runs the matching search of the form's criteria and shows
// the ranked providers with why each ranks where it does.
func (h *handlers) providerSearch(c *fiber.Ctx) error {
	p := h.page(c, "search.title", "search")
	d := searchData{NSFDomains: crm.NSFDomains(), Regions: crm.Regions(), Departments: crm.Departments(),
		Modalities: crm.Modalities, Categories: qualiopiCategories, Weights: weightParts(p.Lang), Back: c.OriginalURL()}
	p.Data = &d
	for _, f := range searchFields {
		p.Form[f] = strings.TrimSpace(c.Query(f))
		d.Searched = d.Searched || p.Form[f] != ""
	}
	if !d.Searched {
		return h.tpl.Render(c, "search", p)
	}
	page := pageParam(c.Query("page"))
	q, ok := searchQuery(p)
	q.Limit, q.Offset = searchPerPage, (page-1)*searchPerPage
	if !ok {
		c.Status(fiber.StatusUnprocessableEntity)
		return h.tpl.Render(c, "search", p)
	}
	ctx := c.UserContext()
	results, total, err := h.Search.Search(ctx, q)
	if fieldErrors(p, err, "") {
		c.Status(fiber.StatusUnprocessableEntity)
		return h.tpl.Render(c, "search", p)
	} else if err != nil {
		return err
	}
	mine, err := h.Shortlists.List(ctx, p.User().ID)
	if err != nil {
		return err
	}
	listed := map[[2]int64]bool{}
	for _, it := range mine {
		var course int64
		if it.CourseID != nil {
			course = *it.CourseID
		}
		listed[[2]int64{it.ProviderID, course}] = true
	}
	for i, r := range results {
		v := resultView{SearchResult: r, Rank: q.Offset + i + 1, Score: decimalText(p.Lang, r.Score, 1), Matches: r.Why.Matches,
			Distance: distanceText(p, r.Why.DistanceKm, r.Why.Place), Bar: scoreBar(p.Lang, r.Why.Components),
			Shortlisted: listed[[2]int64{r.Provider.ID, 0}]}
		if r.Why.QualityScore != nil {
			v.Quality = decimalText(p.Lang, *r.Why.QualityScore, 0) + "/100"
		}
		for _, m := range r.Courses {
			v.Courses = append(v.Courses, courseMatchView{CourseMatch: m, Distance: distanceText(p, m.DistanceKm, m.Place),
				Shortlisted: listed[[2]int64{r.Provider.ID, m.ID}]})
		}
		d.Results = append(d.Results, v)
	}
	query := currentQuery(c)
	query.Del("page")
	d.Pager = newPager(p.Lang, "/search", query, "page", "", page, searchPerPage, total)
	return h.tpl.Render(c, "search", p)
}

// searchQuery reads the search form (already in p.Form); values that
// cannot be read get their message in p.Fields and ok is false.
func searchQuery(p *web.Page) (crm.SearchQuery, bool) {
	f := p.Form
	q := crm.SearchQuery{Text: f["q"], NSF: f["nsf"], Region: f["region"], Department: f["department"], Near: f["near"],
		Modality: f["modality"], Intra: f["intra"] != "", Inter: f["inter"] != "", Qualiopi: f["qualiopi"], CPF: f["cpf"] != "",
		Language: f["language"]}
	// The service knows INSEE and postal codes; a commune's name (or
	// "Name (code)") is looked up here. Unknown places are the service's to refuse.
	if code, found := crm.ResolveCommune(q.Near); found {
		q.Near = code
	}
	if r, ok := decimalInput(f["radius_km"]); !ok || (r != nil && *r <= 0) {
		p.Fields["radius_km"] = p.T("error.decimal")
	} else if r != nil {
		q.RadiusKm = *r
	}
	if price, ok := i18n.ParseMoney(f["max_price"]); !ok || (price != nil && *price <= 0) {
		p.Fields["max_price"] = p.T("error.euros")
	} else if price != nil {
		q.MaxPrice = *price
	}
	return q, len(p.Fields) == 0
}

// distanceText writes a distance with the place it is measured to.
func distanceText(p *web.Page, km *float64, place string) string {
	if km == nil {
		return ""
	}
	if place == "" {
		return p.T("search.distance_km", decimalText(p.Lang, *km, 1))
	}
	return p.T("search.distance_to", decimalText(p.Lang, *km, 1), place)
}

// weightParts are the ranking weights, as the page's note lists them.
func weightParts(lang string) []barPart {
	return scoreBar(lang, crm.Components{Text: crm.WeightText, Distance: crm.WeightDistance, Price: crm.WeightPrice,
		Quality: crm.WeightQuality, Qualiopi: crm.WeightQualiopi})
}

// scoreBar lays out the weighted components of a score side by side.
func scoreBar(lang string, c crm.Components) []barPart {
	parts := []struct {
		name      string
		v, weight float64
	}{{"text", c.Text, crm.WeightText}, {"distance", c.Distance, crm.WeightDistance}, {"price", c.Price, crm.WeightPrice},
		{"quality", c.Quality, crm.WeightQuality}, {"qualiopi", c.Qualiopi, crm.WeightQualiopi}}
	out := make([]barPart, 0, len(parts))
	x := 0.0
	for _, part := range parts {
		w := part.v * 100
		out = append(out, barPart{Name: part.name, Points: decimalText(lang, w, 1), Max: strconv.Itoa(int(part.weight*100 + 0.5)),
			X: strconv.FormatFloat(x, 'f', 2, 64), W: strconv.FormatFloat(w, 'f', 2, 64)})
		x += w
	}
	return out
}
