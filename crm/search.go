package crm

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/nsf"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// SearchQuery is a need to match: free text plus filters.
type SearchQuery struct {
	Text       string  `json:"q"`
	NSF        string  `json:"nsf"`        // a domain (2 digits) or group (3 digits)
	Region     string  `json:"region"`     // region code of the provider
	Department string  `json:"department"` // department code of the provider
	Near       string  `json:"near"`       // commune INSEE code or postal code
	RadiusKm   float64 `json:"radius_km"`  // with Near; default 50
	Modality   string  `json:"modality"`   // in_person, remote, blended
	Intra      bool    `json:"intra"`
	Inter      bool    `json:"inter"`
	Qualiopi   string  `json:"qualiopi"` // required category: actions, skills, vae, apprenticeship
	MaxPrice   int64   `json:"max_price_cents"`
	CPF        bool    `json:"cpf"`
	Language   string  `json:"language"`
	Limit      int     `json:"limit"`
	Offset     int     `json:"offset"`
}

// Ranking weights: they sum to 1, and every component is between 0 and 1,
// so a score is between 0 and 100 once scaled. Text relevance dominates; a
// close, affordable, well-rated, certified provider wins among equals.
const (
	WeightText     = 0.50
	WeightDistance = 0.20
	WeightPrice    = 0.10
	WeightQuality  = 0.10
	WeightQualiopi = 0.10
)

// Field weights of text relevance: a word in a course title counts three
// times as much as in its programme.
var fieldWeights = map[string]float64{"title": 3, "provider": 2, "nsf": 2, "objectives": 1.5, "programme": 1}

// maxCandidates bounds the courses a query ranks. When more match, the
// database keeps first the courses whose title holds the most query words,
// then those of Qualiopi-certified and better-rated providers: the order
// uses plain columns (no engine-specific relevance), so both databases
// rank the same set.
const maxCandidates = 3000

// SearchResult is a provider with its matching courses and why it ranks where it does.
type SearchResult struct {
	Provider Provider      `json:"provider"`
	Score    float64       `json:"score"` // 0–100
	Courses  []CourseMatch `json:"courses"`
	Why      Explanation   `json:"why"`
}

// CourseMatch is a matching course of a result.
type CourseMatch struct {
	ID            int64       `json:"id"`
	Title         string      `json:"title"`
	Modality      string      `json:"modality"`
	PriceCents    *int64      `json:"price_trainee_cents"`
	DistanceKm    *float64    `json:"distance_km,omitempty"`
	Place         string      `json:"place,omitempty"`
	CPF           bool        `json:"cpf"`
	Certification string      `json:"certification,omitempty"`
	Matches       []TermMatch `json:"matches"`
	Score         float64     `json:"score"`
}

// TermMatch says where one query word was found.
type TermMatch struct {
	Term   string   `json:"term"`
	Fields []string `json:"fields"` // title, objectives, programme, provider, nsf
}

// Explanation is the part each criterion took in a score.
type Explanation struct {
	Matches       []TermMatch `json:"matches"`
	DistanceKm    *float64    `json:"distance_km,omitempty"`
	Place         string      `json:"place,omitempty"`
	Qualiopi      []string    `json:"qualiopi"` // certified categories
	QualiopiOn    *time.Time  `json:"qualiopi_confirmed_on,omitempty"`
	QualiopiValid bool        `json:"qualiopi_valid"` // confirmed within 13 months
	QualityScore  *float64    `json:"quality_score"`
	PriceCents    *int64      `json:"price_trainee_cents"` // the cheapest matching course
	Components    Components  `json:"components"`
}

// Components are the weighted parts of a score (each 0–1 before weighting).
type Components struct {
	Text, Distance, Price, Quality, Qualiopi float64
}

// qualiopiValidity is how long a confirmation counts: the certificate is
// audited yearly (surveillance audit at 14–22 months) and the public list is
// published monthly, so 13 months without confirmation is a warning sign.
const qualiopiValidity = 13 * 30 * 24 * time.Hour

// candidate is a course (or a provider matched without a course) to rank.
type candidate struct {
	CourseID    *int64   `db:"course_id"`
	ProviderID  int64    `db:"provider_id"`
	Title       string   `db:"title"`
	Objectives  string   `db:"objectives"`
	Programme   string   `db:"programme"`
	NSFCode     string   `db:"nsf_code"`
	Modality    string   `db:"modality"`
	Price       *int64   `db:"price_trainee_cents"`
	CPF         bool     `db:"cpf"`
	Cert        string   `db:"certification"`
	Lat         *float64 `db:"lat"`
	Lon         *float64 `db:"lon"`
	PlaceCode   string   `db:"place_code"`
	ProvName    string   `db:"provider_name"`
	ProvNSF     string   `db:"provider_nsf"`
	distance    *float64
	matches     []TermMatch
	text, score float64
}

// Searcher runs the matching search.
type Searcher struct {
	db *db.DB
}

// NewSearcher returns the matching search.
func NewSearcher(d *db.DB) *Searcher { return &Searcher{db: d} }

// Search returns providers ranked for the query, each with up to three
// matching courses and an explanation, and the number of providers found.
func (s *Searcher) Search(ctx context.Context, q SearchQuery) ([]SearchResult, int, error) {
	terms := textsearch.Query(q.Text)
	var origin *geo.Commune
	if q.Near != "" {
		c, ok := geo.CommuneByCode(q.Near)
		if !ok {
			if list := geo.CommunesByPostalCode(q.Near); len(list) > 0 {
				c, ok = list[0], true
			}
		}
		if !ok {
			return nil, 0, errs.NewInvalid("near", "error.commune_unknown")
		}
		origin = &c
		if q.RadiusKm <= 0 {
			q.RadiusKm = 50
		}
	}
	cands, err := s.candidates(ctx, q, terms, origin)
	if err != nil {
		return nil, 0, err
	}
	byProvider := map[int64][]*candidate{}
	for i := range cands {
		c := &cands[i]
		if origin != nil && c.Modality != "remote" {
			if c.Lat == nil {
				continue
			}
			d := geo.DistanceKm(origin.Lat, origin.Lon, *c.Lat, *c.Lon)
			if d > q.RadiusKm {
				continue
			}
			d = math.Round(d*10) / 10
			c.distance = &d
		}
		c.matches, c.text = textRelevance(terms, c)
		if len(terms) > 0 && c.text == 0 {
			continue
		}
		byProvider[c.ProviderID] = append(byProvider[c.ProviderID], c)
	}
	ids := make([]any, 0, len(byProvider))
	for id := range byProvider {
		ids = append(ids, id)
	}
	providers, err := s.providers(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	minP, maxP := priceRange(cands)
	now := time.Now()
	results := make([]SearchResult, 0, len(byProvider))
	for id, list := range byProvider {
		p, ok := providers[id]
		if !ok {
			continue
		}
		results = append(results, rankProvider(p, list, q, origin != nil, minP, maxP, now))
	}
	sort.Slice(results, func(i, j int) bool {
		if results[i].Score != results[j].Score {
			return results[i].Score > results[j].Score
		}
		return results[i].Provider.ID < results[j].Provider.ID
	})
	total := len(results)
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	start := min(max(q.Offset, 0), total)
	return results[start:min(start+limit, total)], total, nil
}

// candidates selects the courses (and the providers matched by name or
// speciality without a course) passing every filter.
func (s *Searcher) candidates(ctx context.Context, q SearchQuery, terms []string, origin *geo.Commune) ([]candidate, error) {
	dialect := s.db.Dialect()
	provWhere, provArgs := []string{"p.status <> 'blacklisted'"}, []any{}
	if q.Region != "" {
		provWhere, provArgs = append(provWhere, "p.region_code = ?"), append(provArgs, q.Region)
	}
	if q.Department != "" {
		provWhere, provArgs = append(provWhere, "p.commune_code LIKE ?"), append(provArgs, q.Department+"%")
	}
	switch q.Qualiopi {
	case "":
	case "actions", "skills", "vae", "apprenticeship":
		provWhere = append(provWhere, "p.qualiopi_"+q.Qualiopi+" = TRUE")
	default:
		return nil, errs.NewInvalid("qualiopi", "error.invalid")
	}
	courseWhere, courseArgs := []string{"c.active = TRUE"}, []any{}
	if len(terms) > 0 {
		cond, arg := dialect.TextMatch("c.id", "courses_fts", "c.search_text", terms)
		courseWhere, courseArgs = append(courseWhere, cond), append(courseArgs, arg)
	}
	if q.NSF != "" {
		// A range rather than LIKE: SQLite's LIKE ignores case, so it cannot use the index.
		if !nsfPrefix.MatchString(q.NSF) {
			return nil, errs.NewInvalid("nsf", "error.invalid")
		}
		hi := q.NSF[:len(q.NSF)-1] + string(q.NSF[len(q.NSF)-1]+1)
		courseWhere, courseArgs = append(courseWhere, "c.nsf_code >= ? AND c.nsf_code < ?"), append(courseArgs, q.NSF, hi)
	}
	if q.Modality != "" {
		if !slices.Contains(Modalities, q.Modality) {
			return nil, errs.NewInvalid("modality", "error.invalid")
		}
		courseWhere, courseArgs = append(courseWhere, "c.modality = ?"), append(courseArgs, q.Modality)
	}
	if q.Intra {
		courseWhere = append(courseWhere, "c.intra = TRUE")
	}
	if q.Inter {
		courseWhere = append(courseWhere, "c.inter = TRUE")
	}
	if q.CPF {
		courseWhere = append(courseWhere, "c.cpf = TRUE")
	}
	if q.MaxPrice > 0 {
		courseWhere, courseArgs = append(courseWhere, "c.price_trainee_cents <= ?"), append(courseArgs, q.MaxPrice)
	}
	if q.Language != "" {
		courseWhere, courseArgs = append(courseWhere, "(' ' || c.languages || ' ') LIKE ?"), append(courseArgs, "% "+strings.ToLower(q.Language)+" %")
	}
	// A course is held where its places are, or at its provider's address.
	place := `LEFT JOIN course_places cp ON cp.course_id = c.id`
	placeCond := ""
	var placeArgs []any
	if origin != nil {
		// A bounding box cuts the candidates before the exact distance.
		dLat := q.RadiusKm / 111.0
		dLon := q.RadiusKm / (111.0 * math.Max(0.1, math.Cos(origin.Lat*math.Pi/180)))
		placeCond = ` AND (c.modality = 'remote' OR (COALESCE(cp.latitude, p.latitude) BETWEEN ? AND ?
			AND COALESCE(cp.longitude, p.longitude) BETWEEN ? AND ?))`
		placeArgs = []any{origin.Lat - dLat, origin.Lat + dLat, origin.Lon - dLon, origin.Lon + dLon}
	}
	// The first pass of the ranking, for queries matching more than maxCandidates.
	titleHits, titleArgs := "", []any{}
	for _, t := range terms {
		titleHits += "CASE WHEN (' ' || c.title_text) LIKE ? THEN 1 ELSE 0 END + "
		titleArgs = append(titleArgs, "% "+t+"%")
	}
	if titleHits != "" {
		titleHits = "(" + strings.TrimSuffix(titleHits, " + ") + ") DESC, "
	}
	courseSQL := `SELECT c.id AS course_id, c.provider_id, c.title, c.objectives, c.programme, c.nsf_code, c.modality,
		c.price_trainee_cents, c.cpf, c.certification,
		COALESCE(cp.latitude, p.latitude) AS lat, COALESCE(cp.longitude, p.longitude) AS lon,
		COALESCE(cp.commune_code, p.commune_code) AS place_code, p.name AS provider_name, p.nsf_codes AS provider_nsf
		FROM courses c JOIN providers p ON p.id = c.provider_id ` + place + `
		WHERE ` + strings.Join(append(courseWhere, provWhere...), " AND ") + placeCond + `
		ORDER BY ` + titleHits + providerRank + `, c.id LIMIT ?`
	args := append(append(append(append(courseArgs, provArgs...), placeArgs...), titleArgs...), maxCandidates)
	var out []candidate
	if err := s.db.Select(ctx, &out, courseSQL, args...); err != nil {
		return nil, fmt.Errorf("crm: search courses: %w", err)
	}
	// Providers found by name or speciality, whether or not a course matched.
	if len(terms) > 0 && q.Modality == "" && !q.Intra && !q.Inter && !q.CPF && q.MaxPrice == 0 && q.Language == "" {
		cond, arg := dialect.TextMatch("p.id", "providers_fts", "p.search_text", terms)
		where, pargs := append([]string{cond}, provWhere...), append([]any{arg}, provArgs...)
		if q.NSF != "" {
			where, pargs = append(where, "(' ' || p.nsf_codes) LIKE ?"), append(pargs, "% "+q.NSF+"%")
		}
		if origin != nil {
			where = append(where, "p.latitude BETWEEN ? AND ? AND p.longitude BETWEEN ? AND ?")
			pargs = append(pargs, placeArgs...)
		}
		var provs []candidate
		if err := s.db.Select(ctx, &provs, `SELECT p.id AS provider_id, p.latitude AS lat, p.longitude AS lon,
			p.commune_code AS place_code, p.name AS provider_name, p.nsf_codes AS provider_nsf, 'in_person' AS modality
			FROM providers p WHERE `+strings.Join(where, " AND ")+" ORDER BY "+providerRank+", p.id LIMIT ?", append(pargs, maxCandidates)...); err != nil {
			return nil, fmt.Errorf("crm: search providers: %w", err)
		}
		out = append(out, provs...)
	}
	return out, nil
}

// nsfPrefix is an NSF domain (2 digits) or group (3 digits).
var nsfPrefix = regexp.MustCompile(`^\d{2,3}$`)

// providerRank orders candidates of equal title match: certified, then
// better-rated providers first (an unrated one counts as average).
const providerRank = "p.qualiopi_actions DESC, COALESCE(p.quality_score, 50) DESC"

// textRelevance finds, for each query term, the fields holding a word
// that starts with it, and scores the best field of each term.
func textRelevance(terms []string, c *candidate) ([]TermMatch, float64) {
	if len(terms) == 0 {
		return nil, 1
	}
	var nsfLabels []string
	for _, code := range append(strings.Fields(c.ProvNSF), c.NSFCode) {
		if n, ok := nsf.Lookup(code); ok {
			nsfLabels = append(nsfLabels, n.Label)
		}
	}
	fields := []struct{ name, text string }{{"title", c.Title}, {"provider", c.ProvName}, {"nsf", strings.Join(nsfLabels, " ")},
		{"objectives", c.Objectives}, {"programme", c.Programme}}
	indexed := make([][]string, len(fields))
	for i, f := range fields {
		indexed[i] = strings.Fields(textsearch.Index(f.text))
	}
	var matches []TermMatch
	total := 0.0
	for _, t := range terms {
		m := TermMatch{Term: t}
		best := 0.0
		for i, f := range fields {
			if slices.ContainsFunc(indexed[i], func(w string) bool { return strings.HasPrefix(w, t) }) {
				m.Fields = append(m.Fields, f.name)
				best = math.Max(best, fieldWeights[f.name])
			}
		}
		if best == 0 {
			return nil, 0 // every word must be found (the index matched them all)
		}
		matches = append(matches, m)
		total += best / fieldWeights["title"]
	}
	return matches, total / float64(len(terms))
}

func priceRange(cands []candidate) (lo, hi int64) {
	lo, hi = math.MaxInt64, 0
	for _, c := range cands {
		if c.Price != nil {
			lo, hi = min(lo, *c.Price), max(hi, *c.Price)
		}
	}
	return lo, hi
}

// rankProvider scores a provider from its best matching course and builds
// its explanation.
func rankProvider(p Provider, list []*candidate, q SearchQuery, near bool, minP, maxP int64, now time.Time) SearchResult {
	r := SearchResult{Provider: p}
	var comp Components
	comp.Quality = 0.5 // unknown quality is neutral
	if p.QualityScore != nil {
		comp.Quality = *p.QualityScore / 100
	}
	for _, c := range []string{"actions", "skills", "vae", "apprenticeship"} {
		if p.Qualiopi(c) {
			r.Why.Qualiopi = append(r.Why.Qualiopi, c)
		}
	}
	r.Why.QualiopiOn = p.QualiopiConfirmed()
	r.Why.QualiopiValid = p.QualiopiActions && r.Why.QualiopiOn != nil && now.Sub(*r.Why.QualiopiOn) < qualiopiValidity
	switch {
	case r.Why.QualiopiValid:
		comp.Qualiopi = 1
	case p.QualiopiActions:
		comp.Qualiopi = 0.5
	}
	r.Why.QualityScore = p.QualityScore
	best := -1.0
	seen := map[int64]int{} // course id → index in r.Courses
	for _, c := range list {
		text, dist, price := c.text, 0.5, 0.3
		if near && c.distance != nil {
			dist = math.Max(0, 1-*c.distance/q.RadiusKm)
		}
		// A remote course passes any radius but does not beat a course
		// held nearby: it keeps the neutral 0.5 of a search without place.
		if c.Price != nil {
			price = 1
			if maxP > minP {
				price = 1 - float64(*c.Price-minP)/float64(maxP-minP)
			}
		}
		score := WeightText*text + WeightDistance*dist + WeightPrice*price + WeightQuality*comp.Quality + WeightQualiopi*comp.Qualiopi
		if score > best {
			best = score
			comp.Text, comp.Distance, comp.Price = text, dist, price
			r.Why.Matches, r.Why.DistanceKm = c.matches, c.distance
			r.Why.Place = placeName(c.PlaceCode)
		}
		if c.Price != nil && (r.Why.PriceCents == nil || *c.Price < *r.Why.PriceCents) {
			r.Why.PriceCents = c.Price
		}
		if c.CourseID == nil {
			continue
		}
		m := CourseMatch{ID: *c.CourseID, Title: c.Title, Modality: c.Modality, PriceCents: c.Price, DistanceKm: c.distance,
			Place: placeName(c.PlaceCode), CPF: c.CPF, Certification: c.Cert, Matches: c.matches, Score: math.Round(score*1000) / 10}
		if i, ok := seen[m.ID]; ok {
			// The same course in several places: keep its closest.
			if m.Score > r.Courses[i].Score {
				r.Courses[i] = m
			}
			continue
		}
		seen[m.ID] = len(r.Courses)
		r.Courses = append(r.Courses, m)
	}
	sort.SliceStable(r.Courses, func(i, j int) bool {
		if r.Courses[i].Score != r.Courses[j].Score {
			return r.Courses[i].Score > r.Courses[j].Score
		}
		return r.Courses[i].ID < r.Courses[j].ID
	})
	if len(r.Courses) > 3 {
		r.Courses = r.Courses[:3]
	}
	r.Why.Components = Components{Text: WeightText * comp.Text, Distance: WeightDistance * comp.Distance,
		Price: WeightPrice * comp.Price, Quality: WeightQuality * comp.Quality, Qualiopi: WeightQualiopi * comp.Qualiopi}
	r.Score = math.Round(best*1000) / 10
	return r
}

func placeName(code string) string {
	if c, ok := geo.CommuneByCode(code); ok {
		return c.Name
	}
	return ""
}

// providers loads the providers of the results, by id.
func (s *Searcher) providers(ctx context.Context, ids []any) (map[int64]Provider, error) {
	out := map[int64]Provider{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var rows []providerRow
		if err := s.db.Select(ctx, &rows, "SELECT "+providerColumns+" FROM providers WHERE id IN (?"+strings.Repeat(", ?", n-1)+")", ids[:n]...); err != nil {
			return nil, fmt.Errorf("crm: search providers: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = r.provider()
		}
		ids = ids[n:]
	}
	return out, nil
}
