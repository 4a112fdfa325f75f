package crm

import (
	"context"
	"errors"
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

// saveCourse inserts or updates a course (id 0: by provider and ref) and
// its places; it reports what it did.
func saveCourse(ctx context.Context, q db.Querier, providerID, id int64, in CourseInput, providerName string) (int64, Outcome, error) {
	now := time.Now().UTC()
	if in.LastConfirmedOn == nil {
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		in.LastConfirmedOn = &today
	}
	args := []any{in.Title, in.Objectives, in.Programme, in.Prerequisites, in.DurationHours, in.DurationDays, in.Modality,
		in.Intra, in.Inter, in.LanguageList, in.PriceTraineeCents, in.PriceGroupDayCents, in.MaxGroupSize, in.Certification,
		in.CPF, in.NSFCode, in.NextSessionList, in.LastConfirmedOn, courseSearchText(in, providerName)}
	const cols = `title, objectives, programme, prerequisites, duration_hours, duration_days, modality, intra, inter,
		languages, price_trainee_cents, price_group_day_cents, max_group_size, certification, cpf, nsf_code, next_sessions,
		last_confirmed_on, search_text`
	if id == 0 {
		err := q.Get(ctx, &id, "SELECT id FROM courses WHERE provider_id = ? AND ref = ?", providerID, in.Ref)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return 0, 0, fmt.Errorf("crm: find course %q: %w", in.Ref, err)
		}
	}
	outcome := Updated
	if id == 0 {
		var err error
		id, err = db.InsertID(ctx, q, "INSERT INTO courses (provider_id, ref, "+cols+`, active, created_at, updated_at)
			VALUES (?, ?, `+strings.Repeat("?, ", 19)+"TRUE, ?, ?) RETURNING id", append(append([]any{providerID, in.Ref}, args...), now, now)...)
		if err != nil {
			return 0, 0, fmt.Errorf("crm: create course %q: %w", in.Title, err)
		}
		outcome = Inserted
	} else {
		var cur struct {
			CourseInput
			SearchText string `db:"search_text"`
		}
		if err := q.Get(ctx, &cur, `SELECT ref, title, objectives, programme, prerequisites, duration_hours, duration_days,
			modality, intra, inter, languages, price_trainee_cents, price_group_day_cents, max_group_size, certification, cpf,
			nsf_code, next_sessions, last_confirmed_on, active, search_text FROM courses WHERE id = ? AND provider_id = ?`, id, providerID); err != nil {
			return 0, 0, fmt.Errorf("crm: course %d of provider %d: %w", id, providerID, err)
		}
		places, err := coursePlaces(ctx, q, id)
		if err != nil {
			return 0, 0, err
		}
		if sameCourse(cur.CourseInput, in) && slices.Equal(places, in.Communes) && cur.Active {
			return id, Unchanged, nil
		}
		sets := strings.ReplaceAll(strings.Join(strings.Fields(cols), " "), ",", " = ?,") + " = ?, active = TRUE, updated_at = ?"
		if _, err := q.Exec(ctx, "UPDATE courses SET "+sets+" WHERE id = ?", append(args, now, id)...); err != nil {
			return 0, 0, fmt.Errorf("crm: update course %d: %w", id, err)
		}
		if _, err := q.Exec(ctx, "DELETE FROM course_places WHERE course_id = ?", id); err != nil {
			return 0, 0, fmt.Errorf("crm: update course %d: %w", id, err)
		}
	}
	var rows [][]any
	for _, code := range in.Communes {
		c, _ := geo.CommuneByCode(code)
		rows = append(rows, []any{id, code, c.Lat, c.Lon})
	}
	if err := insertRows(ctx, q, "course_places (course_id, commune_code, latitude, longitude)", "", rows); err != nil {
		return 0, 0, fmt.Errorf("crm: course %d places: %w", id, err)
	}
	return id, outcome, nil
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

func coursePlaces(ctx context.Context, q db.Querier, id int64) ([]string, error) {
	var out []string
	err := q.Select(ctx, &out, "SELECT commune_code FROM course_places WHERE course_id = ? ORDER BY commune_code", id)
	return out, err
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
// and course reference; a row of an unknown provider is a row error.
func (s *Courses) Import(ctx context.Context, batch []ImportedCourse) ([]ImportResult, error) {
	results := make([]ImportResult, len(batch))
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		type prov struct {
			ID   int64  `db:"id"`
			Name string `db:"name"`
		}
		cache := map[string]prov{}
		for i := range batch {
			in := &batch[i]
			if err := in.normalize(); err != nil {
				results[i].Err = err
				continue
			}
			if in.Ref == "" {
				results[i].Err = errs.NewInvalid("ref", "error.required")
				continue
			}
			key := "nda:" + in.ProviderNDA
			if in.ProviderNDA == "" {
				key = "siret:" + in.ProviderSIRET
			}
			p, ok := cache[key]
			if !ok {
				err := tx.Get(ctx, &p, "SELECT id, name FROM providers WHERE (nda = ? AND nda <> '') OR (siret = ? AND siret <> '') ORDER BY id LIMIT 1",
					in.ProviderNDA, in.ProviderSIRET)
				if errors.Is(err, errs.ErrNotFound) {
					results[i].Err = fmt.Errorf("no provider with NDA %q or SIRET %q: %w", in.ProviderNDA, in.ProviderSIRET, errs.ErrInvalid)
					continue
				} else if err != nil {
					return fmt.Errorf("crm: find provider: %w", err)
				}
				cache[key] = p
			}
			_, outcome, err := saveCourse(ctx, tx, p.ID, 0, in.CourseInput, p.Name)
			if err != nil {
				return err
			}
			results[i].Outcome = outcome
		}
		return nil
	})
	return results, err
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
