package crm

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/nsf"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Course modalities.
var Modalities = []string{"in_person", "remote", "blended"}

// Course is a training course a provider offers.
type Course struct {
	ID         int64 `db:"id" json:"id"`
	ProviderID int64 `db:"provider_id" json:"provider_id"`
	CourseInput
	ProviderName string    `db:"provider_name" json:"provider_name"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

// CourseInput is what staff edit or an import provides. Prices are in
// cents excluding VAT, nil when unknown; Communes are INSEE codes.
type CourseInput struct {
	Ref                string     `db:"ref" json:"ref"`
	Title              string     `db:"title" json:"title"`
	Objectives         string     `db:"objectives" json:"objectives"`
	Programme          string     `db:"programme" json:"programme"`
	Prerequisites      string     `db:"prerequisites" json:"prerequisites"`
	DurationHours      *float64   `db:"duration_hours" json:"duration_hours"`
	DurationDays       *float64   `db:"duration_days" json:"duration_days"`
	Modality           string     `db:"modality" json:"modality"`
	Intra              bool       `db:"intra" json:"intra"`
	Inter              bool       `db:"inter" json:"inter"`
	LanguageList       string     `db:"languages" json:"-"`
	PriceTraineeCents  *int64     `db:"price_trainee_cents" json:"price_trainee_cents"`
	PriceGroupDayCents *int64     `db:"price_group_day_cents" json:"price_group_day_cents"`
	MaxGroupSize       *int       `db:"max_group_size" json:"max_group_size"`
	Certification      string     `db:"certification" json:"certification"`
	CPF                bool       `db:"cpf" json:"cpf"`
	NSFCode            string     `db:"nsf_code" json:"nsf_code"`
	NextSessionList    string     `db:"next_sessions" json:"-"`
	LastConfirmedOn    *time.Time `db:"last_confirmed_on" json:"last_confirmed_on"`
	Active             bool       `db:"active" json:"active"`
	Communes           []string   `db:"-" json:"communes"`
	Languages          []string   `db:"-" json:"languages"`
	NextSessions       []string   `db:"-" json:"next_sessions"` // YYYY-MM-DD
}

var certificationRe = regexp.MustCompile(`^(RNCP|RS)\d{1,6}$`)

func (in *CourseInput) normalize() error {
	inv := &errs.Invalid{}
	in.Ref, in.Title = strings.TrimSpace(in.Ref), strings.TrimSpace(in.Title)
	if in.Title == "" {
		inv.Add("title", "error.required")
	}
	for _, f := range []*string{&in.Objectives, &in.Programme, &in.Prerequisites} {
		*f = strings.TrimSpace(*f)
	}
	if in.Modality == "" {
		in.Modality = "in_person"
	}
	if !slices.Contains(Modalities, in.Modality) {
		inv.Add("modality", "error.invalid")
	}
	for _, p := range []*int64{in.PriceTraineeCents, in.PriceGroupDayCents} {
		if p != nil && *p < 0 {
			inv.Add("price", "error.invalid")
		}
	}
	in.Certification = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(in.Certification), " ", ""))
	if in.Certification != "" && !certificationRe.MatchString(in.Certification) {
		inv.Add("certification", "error.certification_invalid")
	}
	if in.NSFCode != "" {
		group, _ := nsf.Split(in.NSFCode)
		if _, ok := nsf.Lookup(group); !ok {
			inv.Add("nsf_code", "error.nsf_unknown")
		}
		in.NSFCode = group
	}
	var communes []string
	for _, c := range in.Communes {
		if _, ok := geo.CommuneByCode(c); !ok {
			inv.Add("communes", "error.commune_unknown")
		} else if !slices.Contains(communes, c) {
			communes = append(communes, c)
		}
	}
	slices.Sort(communes)
	in.Communes = communes
	var langs []string
	for _, l := range in.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" && !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		langs = []string{"fr"}
	}
	in.Languages, in.LanguageList = langs, strings.Join(langs, " ")
	var dates []string
	for _, d := range in.NextSessions {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			inv.Add("next_sessions", "error.date_invalid")
		} else if !slices.Contains(dates, d) {
			dates = append(dates, d)
		}
	}
	slices.Sort(dates)
	in.NextSessions, in.NextSessionList = dates, strings.Join(dates, " ")
	return inv.OrNil()
}

// courseSearchText is what the full-text index holds of a course: its
// title, objectives, programme, provider name, NSF label and certification.
func courseSearchText(in CourseInput, providerName string) string {
	label := ""
	if c, ok := nsf.Lookup(in.NSFCode); ok {
		label = c.Label
	}
	return textsearch.Index(in.Title, in.Objectives, in.Programme, providerName, label, in.Certification)
}

// Courses is the course service.
type Courses struct {
	db *db.DB
}

// NewCourses returns the course service.
func NewCourses(d *db.DB) *Courses { return &Courses{db: d} }

const courseColumns = `c.id, c.provider_id, c.ref, c.title, c.objectives, c.programme, c.prerequisites, c.duration_hours,
	c.duration_days, c.modality, c.intra, c.inter, c.languages, c.price_trainee_cents, c.price_group_day_cents,
	c.max_group_size, c.certification, c.cpf, c.nsf_code, c.next_sessions, c.last_confirmed_on, c.active,
	c.created_at, c.updated_at, p.name AS provider_name`

const courseFrom = " FROM courses c JOIN providers p ON p.id = c.provider_id"

// Save creates (id 0) or updates a course of the provider.
func (s *Courses) Save(ctx context.Context, providerID, id int64, in CourseInput) (Course, error) {
	if err := in.normalize(); err != nil {
		return Course{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var name string
		if err := tx.Get(ctx, &name, "SELECT name FROM providers WHERE id = ?", providerID); err != nil {
			return fmt.Errorf("crm: provider %d: %w", providerID, err)
		}
		if in.Ref == "" && id == 0 {
			in.Ref = fmt.Sprintf("C%d", time.Now().UnixNano()%1e10)
		}
		var err error
		id, _, err = saveCourse(ctx, tx, providerID, id, in, name)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "course.save", Entity: "course", EntityID: id})
	})
	if err != nil {
		return Course{}, err
	}
	return s.Get(ctx, id)
}

// courseWriteColumns are the columns an edit or an import writes, in the
// order of courseValues.
const courseWriteColumns = `title, objectives, programme, prerequisites, duration_hours, duration_days, modality, intra,
	inter, languages, price_trainee_cents, price_group_day_cents, max_group_size, certification, cpf, nsf_code,
	next_sessions, last_confirmed_on, title_text, search_text`

// courseValues are the values of courseWriteColumns; a course without a
// confirmation date is confirmed today.
func courseValues(in *CourseInput, providerName string) []any {
	if in.LastConfirmedOn == nil {
		now := time.Now().UTC()
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		in.LastConfirmedOn = &today
	}
	return []any{in.Title, in.Objectives, in.Programme, in.Prerequisites, in.DurationHours, in.DurationDays, in.Modality,
		in.Intra, in.Inter, in.LanguageList, in.PriceTraineeCents, in.PriceGroupDayCents, in.MaxGroupSize, in.Certification,
		in.CPF, in.NSFCode, in.NextSessionList, in.LastConfirmedOn, textsearch.Index(in.Title), courseSearchText(*in, providerName)}
}

// courseKey identifies a course the way imports name it.
type courseKey struct {
	provider int64
	ref      string
}

// storedCourse is a course as stored, what a save compares before writing.
type storedCourse struct {
	ID         int64 `db:"id"`
	ProviderID int64 `db:"provider_id"`
	CourseInput
	TitleText string `db:"title_text"`
}

// storedCourses loads the courses matching cond (on table courses) with
// their places, by provider and ref.
func storedCourses(ctx context.Context, q db.Querier, cond string, args ...any) (map[courseKey]*storedCourse, error) {
	var rows []storedCourse
	if err := q.Select(ctx, &rows, `SELECT id, provider_id, ref, title, objectives, programme, prerequisites, duration_hours,
		duration_days, modality, intra, inter, languages, price_trainee_cents, price_group_day_cents, max_group_size,
		certification, cpf, nsf_code, next_sessions, last_confirmed_on, active, title_text FROM courses WHERE `+cond, args...); err != nil {
		return nil, fmt.Errorf("crm: load courses: %w", err)
	}
	out := make(map[courseKey]*storedCourse, len(rows))
	byID := make(map[int64]*storedCourse, len(rows))
	for i := range rows {
		out[courseKey{rows[i].ProviderID, rows[i].Ref}], byID[rows[i].ID] = &rows[i], &rows[i]
	}
	if len(rows) == 0 {
		return out, nil
	}
	var places []struct {
		CourseID int64  `db:"course_id"`
		Code     string `db:"commune_code"`
	}
	if err := q.Select(ctx, &places, `SELECT course_id, commune_code FROM course_places
		WHERE course_id IN (SELECT id FROM courses WHERE `+cond+`) ORDER BY course_id, commune_code`, args...); err != nil {
		return nil, fmt.Errorf("crm: load course places: %w", err)
	}
	for _, p := range places {
		c := byID[p.CourseID]
		c.Communes = append(c.Communes, p.Code)
	}
	return out, nil
}

// newCourse is a course to insert.
type newCourse struct {
	providerID   int64
	providerName string
	in           CourseInput
}

// insertCourses inserts courses and their places in multi-row statements
// and returns their ids in order. Refs must be unique per provider.
func insertCourses(ctx context.Context, q db.Querier, list []newCourse) ([]int64, error) {
	now := time.Now().UTC()
	cols := "provider_id, ref, " + courseWriteColumns + ", active, created_at, updated_at"
	one := "(?" + strings.Repeat(", ?", strings.Count(cols, ",")) + ")"
	ids := make([]int64, 0, len(list))
	for len(list) > 0 {
		chunk := list[:min(len(list), 200)]
		list = list[len(chunk):]
		var args []any
		for i := range chunk {
			c := &chunk[i]
			args = append(append(append(args, c.providerID, c.in.Ref), courseValues(&c.in, c.providerName)...), true, now, now)
		}
		// RETURNING does not promise the order of VALUES: rows come back with their key.
		var rows []struct {
			ID         int64  `db:"id"`
			ProviderID int64  `db:"provider_id"`
			Ref        string `db:"ref"`
		}
		if err := q.Select(ctx, &rows, "INSERT INTO courses ("+cols+") VALUES "+one+strings.Repeat(", "+one, len(chunk)-1)+
			" RETURNING id, provider_id, ref", args...); err != nil {
			return nil, fmt.Errorf("crm: create courses: %w", err)
		}
		byKey := make(map[courseKey]int64, len(rows))
		for _, r := range rows {
			byKey[courseKey{r.ProviderID, r.Ref}] = r.ID
		}
		var places [][]any
		for _, c := range chunk {
			id := byKey[courseKey{c.providerID, c.in.Ref}]
			ids = append(ids, id)
			places = append(places, placeRows(id, c.in.Communes)...)
		}
		if err := insertPlaces(ctx, q, places); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func placeRows(courseID int64, communes []string) [][]any {
	rows := make([][]any, 0, len(communes))
	for _, code := range communes {
		c, _ := geo.CommuneByCode(code)
		rows = append(rows, []any{courseID, code, c.Lat, c.Lon})
	}
	return rows
}

func insertPlaces(ctx context.Context, q db.Querier, rows [][]any) error {
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), 1000)]
		rows = rows[len(chunk):]
		if err := insertRows(ctx, q, "course_places (course_id, commune_code, latitude, longitude)", "", chunk); err != nil {
			return fmt.Errorf("crm: course places: %w", err)
		}
	}
	return nil
}

// updateCourse writes in over the stored course, or reports it unchanged.
func updateCourse(ctx context.Context, q db.Querier, cur *storedCourse, in CourseInput, providerName string) (Outcome, error) {
	if sameCourse(cur.CourseInput, in) && slices.Equal(cur.Communes, in.Communes) && cur.Active && cur.TitleText == textsearch.Index(in.Title) {
		return Unchanged, nil
	}
	sets := strings.ReplaceAll(strings.Join(strings.Fields(courseWriteColumns), " "), ",", " = ?,") + " = ?, active = TRUE, updated_at = ?"
	if _, err := q.Exec(ctx, "UPDATE courses SET "+sets+" WHERE id = ?", append(courseValues(&in, providerName), time.Now().UTC(), cur.ID)...); err != nil {
		return 0, fmt.Errorf("crm: update course %d: %w", cur.ID, err)
	}
	if _, err := q.Exec(ctx, "DELETE FROM course_places WHERE course_id = ?", cur.ID); err != nil {
		return 0, fmt.Errorf("crm: update course %d: %w", cur.ID, err)
	}
	return Updated, insertPlaces(ctx, q, placeRows(cur.ID, in.Communes))
}

// saveCourse inserts or updates a course (id 0: found by provider and
// ref) and its places; it reports what it did.
func saveCourse(ctx context.Context, q db.Querier, providerID, id int64, in CourseInput, providerName string) (int64, Outcome, error) {
	cond, args := "provider_id = ? AND ref = ?", []any{providerID, in.Ref}
	if id != 0 {
		cond, args = "provider_id = ? AND id = ?", []any{providerID, id}
	}
	stored, err := storedCourses(ctx, q, cond, args...)
	if err != nil {
		return 0, 0, err
	}
	for _, cur := range stored {
		outcome, err := updateCourse(ctx, q, cur, in, providerName)
		return cur.ID, outcome, err
	}
	if id != 0 {
		return 0, 0, fmt.Errorf("crm: course %d of provider %d: %w", id, providerID, errs.ErrNotFound)
	}
	ids, err := insertCourses(ctx, q, []newCourse{{providerID, providerName, in}})
	if err != nil {
		return 0, 0, err
	}
	return ids[0], Inserted, nil
}

// sameCourse compares what an import sets; the confirmation date is
// refreshed only along with a real change.
func sameCourse(a, b CourseInput) bool {
	return a.Title == b.Title && a.Objectives == b.Objectives && a.Programme == b.Programme &&
		a.Prerequisites == b.Prerequisites && same(a.DurationHours, b.DurationHours) && same(a.DurationDays, b.DurationDays) &&
		a.Modality == b.Modality && a.Intra == b.Intra && a.Inter == b.Inter && a.LanguageList == b.LanguageList &&
		sameCents(a.PriceTraineeCents, b.PriceTraineeCents) && sameCents(a.PriceGroupDayCents, b.PriceGroupDayCents) &&
		same(a.MaxGroupSize, b.MaxGroupSize) && a.Certification == b.Certification && a.CPF == b.CPF &&
		a.NSFCode == b.NSFCode && a.NextSessionList == b.NextSessionList
}

func sameCents(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Get loads a course with its places.
func (s *Courses) Get(ctx context.Context, id int64) (Course, error) {
	var c Course
	if err := s.db.Get(ctx, &c, "SELECT "+courseColumns+courseFrom+" WHERE c.id = ?", id); err != nil {
		return Course{}, fmt.Errorf("crm: load course %d: %w", id, err)
	}
	courses := []Course{c}
	err := s.fill(ctx, courses)
	return courses[0], err
}

// ByProvider lists a provider's courses by title.
func (s *Courses) ByProvider(ctx context.Context, providerID int64) ([]Course, error) {
	var out []Course
	if err := s.db.Select(ctx, &out, "SELECT "+courseColumns+courseFrom+" WHERE c.provider_id = ? ORDER BY c.active DESC, c.title, c.id", providerID); err != nil {
		return nil, fmt.Errorf("crm: courses of provider %d: %w", providerID, err)
	}
	return out, s.fill(ctx, out)
}

// fill splits the list columns and loads the places of the courses.
func (s *Courses) fill(ctx context.Context, courses []Course) error {
	if len(courses) == 0 {
		return nil
	}
	ids := make([]any, len(courses))
	pos := map[int64]int{}
	for i := range courses {
		c := &courses[i]
		c.Languages, c.NextSessions = strings.Fields(c.LanguageList), strings.Fields(c.NextSessionList)
		ids[i], pos[c.ID] = c.ID, i
	}
	var places []struct {
		CourseID int64  `db:"course_id"`
		Code     string `db:"commune_code"`
	}
	if err := s.db.Select(ctx, &places, "SELECT course_id, commune_code FROM course_places WHERE course_id IN (?"+
		strings.Repeat(", ?", len(ids)-1)+") ORDER BY commune_code", ids...); err != nil {
		return fmt.Errorf("crm: course places: %w", err)
	}
	for _, p := range places {
		i := pos[p.CourseID]
		courses[i].Communes = append(courses[i].Communes, p.Code)
	}
	return nil
}

// ImportedCourse is a course of an import file, with the provider it
// belongs to named by NDA or SIRET.
type ImportedCourse struct {
	ProviderNDA, ProviderSIRET string
	CourseInput
}

// Import upserts a batch of courses in one transaction, keyed by provider
// and course reference; a row of an unknown provider is a row error. The
// batch reads its providers and their courses in a few queries and inserts
// new courses in multi-row statements: a national catalogue is millions of rows.
func (s *Courses) Import(ctx context.Context, batch []ImportedCourse) ([]ImportResult, error) {
	results := make([]ImportResult, len(batch))
	for i := range batch {
		in := &batch[i]
		if err := in.normalize(); err != nil {
			results[i].Err = err
		} else if in.Ref == "" {
			results[i].Err = errs.NewInvalid("ref", "error.required")
		} else if in.ProviderNDA == "" && in.ProviderSIRET == "" {
			results[i].Err = errs.NewInvalid("provider", "error.required")
		}
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		provs, err := importProviders(ctx, tx, batch, results)
		if err != nil {
			return err
		}
		ids := make([]any, 0, len(provs))
		for _, p := range provs {
			if !slices.Contains(ids, any(p.ID)) {
				ids = append(ids, p.ID)
			}
		}
		stored := map[courseKey]*storedCourse{}
		if len(ids) > 0 {
			if stored, err = storedCourses(ctx, tx, "provider_id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...); err != nil {
				return err
			}
		}
		var pending []newCourse
		pendingAt := map[courseKey]bool{}
		flush := func() error {
			ids, err := insertCourses(ctx, tx, pending)
			for i, c := range pending {
				if err == nil {
					stored[courseKey{c.providerID, c.in.Ref}] = &storedCourse{ID: ids[i], ProviderID: c.providerID, CourseInput: c.in, TitleText: textsearch.Index(c.in.Title)}
				}
			}
			pending, pendingAt = pending[:0], map[courseKey]bool{}
			return err
		}
		for i := range batch {
			if results[i].Err != nil {
				continue
			}
			in := batch[i]
			p, _ := providerOf(provs, in)
			key := courseKey{p.ID, in.Ref}
			if pendingAt[key] { // the same course twice in a batch: the second updates the first
				if err := flush(); err != nil {
					return err
				}
			}
			cur, ok := stored[key]
			if !ok {
				pending, pendingAt[key] = append(pending, newCourse{p.ID, p.Name, in.CourseInput}), true
				results[i].Outcome = Inserted
				continue
			}
			if results[i].Outcome, err = updateCourse(ctx, tx, cur, in.CourseInput, p.Name); err != nil {
				return err
			}
			cur.CourseInput, cur.TitleText, cur.Active = in.CourseInput, textsearch.Index(in.Title), true
		}
		return flush()
	})
	return results, err
}

type importProvider struct {
	ID    int64  `db:"id"`
	Name  string `db:"name"`
	NDA   string `db:"nda"`
	SIRET string `db:"siret"`
}

// providerOf is the provider a row names: by NDA, else by SIRET.
func providerOf(provs map[string]importProvider, in ImportedCourse) (importProvider, bool) {
	if p, ok := provs["nda:"+in.ProviderNDA]; ok && in.ProviderNDA != "" {
		return p, true
	}
	p, ok := provs["siret:"+in.ProviderSIRET]
	return p, ok && in.ProviderSIRET != ""
}

// importProviders finds the providers the rows name in a few queries, and
// marks the rows naming none.
func importProviders(ctx context.Context, q db.Querier, batch []ImportedCourse, results []ImportResult) (map[string]importProvider, error) {
	var ndas, sirets []any
	seen := map[string]bool{}
	for i, in := range batch {
		if results[i].Err != nil {
			continue
		}
		if in.ProviderNDA != "" && !seen["nda:"+in.ProviderNDA] {
			ndas, seen["nda:"+in.ProviderNDA] = append(ndas, in.ProviderNDA), true
		}
		if in.ProviderSIRET != "" && !seen["siret:"+in.ProviderSIRET] {
			sirets, seen["siret:"+in.ProviderSIRET] = append(sirets, in.ProviderSIRET), true
		}
	}
	out := map[string]importProvider{}
	for _, by := range []struct {
		col    string
		values []any
	}{{"nda", ndas}, {"siret", sirets}} {
		for len(by.values) > 0 {
			chunk := by.values[:min(len(by.values), 500)]
			by.values = by.values[len(chunk):]
			var rows []importProvider
			if err := q.Select(ctx, &rows, "SELECT id, name, nda, siret FROM providers WHERE "+by.col+" <> '' AND "+by.col+
				" IN (?"+strings.Repeat(", ?", len(chunk)-1)+") ORDER BY id", chunk...); err != nil {
				return nil, fmt.Errorf("crm: find providers: %w", err)
			}
			for _, r := range rows {
				key := by.col + ":" + r.NDA
				if by.col == "siret" {
					key = by.col + ":" + r.SIRET
				}
				if _, seen := out[key]; !seen {
					out[key] = r
				}
			}
		}
	}
	for i, in := range batch {
		if _, ok := providerOf(out, in); !ok && results[i].Err == nil {
			results[i].Err = fmt.Errorf("no provider with NDA %q or SIRET %q: %w", in.ProviderNDA, in.ProviderSIRET, errs.ErrInvalid)
		}
	}
	return out, nil
}

// reindexCourses recomputes the search text of a provider's courses, which
// holds the provider's name, after a rename.
func reindexCourses(ctx context.Context, q db.Querier, providerID int64, providerName string) error {
	var rows []struct {
		ID int64 `db:"id"`
		CourseInput
	}
	if err := q.Select(ctx, &rows, `SELECT id, title, objectives, programme, nsf_code, certification FROM courses
		WHERE provider_id = ?`, providerID); err != nil {
		return fmt.Errorf("crm: reindex courses of provider %d: %w", providerID, err)
	}
	for _, r := range rows {
		if _, err := q.Exec(ctx, "UPDATE courses SET search_text = ? WHERE id = ?", courseSearchText(r.CourseInput, providerName), r.ID); err != nil {
			return fmt.Errorf("crm: reindex course %d: %w", r.ID, err)
		}
	}
	return nil
}
