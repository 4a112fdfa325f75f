package crm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
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

// Provider statuses: blacklisted providers never appear in searches.
const (
	ProviderActive      = "active"
	ProviderToVerify    = "to_verify"
	ProviderBlacklisted = "blacklisted"
)

// ProviderStatuses lists the statuses in their natural order.
var ProviderStatuses = []string{ProviderActive, ProviderToVerify, ProviderBlacklisted}

// Provider is a training provider (organisme de formation).
type Provider struct {
	ID int64 `db:"id" json:"id"`
	ProviderInput
	Quality
	// Provenance says, field by field, whether the value came from an
	// import or a staff edit, and when.
	Provenance map[string]FieldSource `db:"-" json:"provenance"`
	ImportedAt *time.Time             `db:"imported_at" json:"imported_at,omitempty"`
	CreatedAt  time.Time              `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time              `db:"updated_at" json:"updated_at"`
}

// QualiopiConfirmed is when the provider's Qualiopi status was last
// confirmed: by the latest public list it appeared in, or by staff.
func (p Provider) QualiopiConfirmed() *time.Time {
	t := p.QualiopiConfirmedOn
	if p.ImportedAt != nil && (t == nil || p.ImportedAt.After(*t)) {
		t = p.ImportedAt
	}
	return t
}

// Qualiopi reports whether the provider holds the certification for a
// category: actions, skills, vae or apprenticeship.
func (p Provider) Qualiopi(category string) bool {
	switch category {
	case "actions":
		return p.QualiopiActions
	case "skills":
		return p.QualiopiSkills
	case "vae":
		return p.QualiopiVAE
	case "apprenticeship":
		return p.QualiopiApprenticeship
	}
	return false
}

// Quality is what later modules measure of a provider: satisfaction of
// past sessions (0–10), answer rate to consultations (0–1), incidents, and
// the score derived from them (0–100). Empty until they are fed.
type Quality struct {
	Satisfaction *float64 `db:"satisfaction" json:"satisfaction"`
	AnswerRate   *float64 `db:"answer_rate" json:"answer_rate"`
	Incidents    int      `db:"incidents" json:"incidents"`
	QualityScore *float64 `db:"quality_score" json:"quality_score"`
}

// FieldSource is where a field's value came from.
type FieldSource struct {
	Source string    `json:"source"` // import or staff
	At     time.Time `json:"at"`
}

// ProviderInput holds every field staff may edit; an import fills the
// identity fields (see importedFields).
type ProviderInput struct {
	Name                   string     `db:"name" json:"name"`
	NDA                    string     `db:"nda" json:"nda"`
	PreviousNDAs           string     `db:"previous_ndas" json:"previous_ndas"`
	SIREN                  string     `db:"siren" json:"siren"`
	SIRET                  string     `db:"siret" json:"siret"`
	Street                 string     `db:"street" json:"street"`
	PostalCode             string     `db:"postal_code" json:"postal_code"`
	City                   string     `db:"city" json:"city"`
	CommuneCode            string     `db:"commune_code" json:"commune_code"`
	RegionCode             string     `db:"region_code" json:"region_code"`
	Latitude               *float64   `db:"latitude" json:"latitude"`
	Longitude              *float64   `db:"longitude" json:"longitude"`
	QualiopiActions        bool       `db:"qualiopi_actions" json:"qualiopi_actions"`
	QualiopiSkills         bool       `db:"qualiopi_skills" json:"qualiopi_skills"`
	QualiopiVAE            bool       `db:"qualiopi_vae" json:"qualiopi_vae"`
	QualiopiApprenticeship bool       `db:"qualiopi_apprenticeship" json:"qualiopi_apprenticeship"`
	QualiopiConfirmedOn    *time.Time `db:"qualiopi_confirmed_on" json:"qualiopi_confirmed_on"`
	NSFCodes               string     `db:"nsf_codes" json:"nsf_codes"` // space-separated NSF group codes
	Trainees               *int       `db:"trainees" json:"trainees"`
	TraineesDelegated      *int       `db:"trainees_delegated" json:"trainees_delegated"`
	Trainers               *int       `db:"trainers" json:"trainers"`
	LastDeclarationOn      *time.Time `db:"last_declaration_on" json:"last_declaration_on"`
	FiscalStart            *time.Time `db:"fiscal_start" json:"fiscal_start"`
	FiscalEnd              *time.Time `db:"fiscal_end" json:"fiscal_end"`
	ForeignOrg             string     `db:"foreign_org" json:"foreign_org"`
	Website                string     `db:"website" json:"website"`
	Email                  string     `db:"email" json:"email"`
	Phone                  string     `db:"phone" json:"phone"`
	// VATExempt: the provider holds the 261-4-4° a attestation (its training is VAT-exempt).
	VATExempt    bool   `db:"vat_exempt" json:"vat_exempt"`
	Status       string `db:"status" json:"status"`
	StatusReason string `db:"status_reason" json:"status_reason"`
	Tags         string `db:"tags" json:"tags"` // space-separated, lower case
	Notes        string `db:"notes" json:"notes"`
}

// providerFields are the columns of ProviderInput, in table order.
var providerFields = []string{"name", "nda", "previous_ndas", "siren", "siret", "street", "postal_code", "city",
	"commune_code", "region_code", "latitude", "longitude", "qualiopi_actions", "qualiopi_skills", "qualiopi_vae",
	"qualiopi_apprenticeship", "qualiopi_confirmed_on", "nsf_codes", "trainees", "trainees_delegated", "trainers",
	"last_declaration_on", "fiscal_start", "fiscal_end", "foreign_org", "website", "email", "phone", "vat_exempt",
	"status", "status_reason", "tags", "notes"}

// importedFields are those the DGEFP list provides. The Qualiopi
// confirmation date is not among them: a provider in an import is confirmed
// on the import's date (ImportedAt), and staff may record a later check.
var importedFields = []string{"name", "previous_ndas", "siren", "siret", "street", "postal_code", "city",
	"commune_code", "region_code", "latitude", "longitude", "qualiopi_actions", "qualiopi_skills", "qualiopi_vae",
	"qualiopi_apprenticeship", "nsf_codes", "trainees", "trainees_delegated", "trainers",
	"last_declaration_on", "fiscal_start", "fiscal_end", "foreign_org"}

// providerField maps a column of ProviderInput to its struct field index.
var providerField = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeFor[ProviderInput]()
	for i := range t.NumField() {
		m[t.Field(i).Tag.Get("db")] = i
	}
	return m
}()

// get returns the value of a column.
func (in *ProviderInput) get(col string) any {
	return reflect.ValueOf(in).Elem().Field(providerField[col]).Interface()
}

// copyField copies a column's value from another input.
func (in *ProviderInput) copyField(col string, from *ProviderInput) {
	i := providerField[col]
	reflect.ValueOf(in).Elem().Field(i).Set(reflect.ValueOf(from).Elem().Field(i))
}

// same compares two column values whatever their Go type.
func same(a, b any) bool { return display(a) == display(b) }

// display writes a column value as text: dates as dates, nil as "".
func display(v any) string {
	switch x := v.(type) {
	case *time.Time:
		if x == nil {
			return ""
		}
		return x.Format(time.DateOnly)
	case *float64:
		if x == nil {
			return ""
		}
		return fmt.Sprintf("%.6f", *x)
	case *int:
		if x == nil {
			return ""
		}
		return fmt.Sprint(*x)
	default:
		return fmt.Sprint(x)
	}
}

// normalize canonicalises the input, fills the location from the embedded
// communes, and returns the field errors.
func (in *ProviderInput) normalize() error {
	inv := &errs.Invalid{}
	for _, f := range []*string{&in.Name, &in.Street, &in.PostalCode, &in.City, &in.ForeignOrg, &in.Website, &in.StatusReason, &in.Notes} {
		*f = strings.TrimSpace(*f)
	}
	if in.Name == "" {
		inv.Add("name", "error.required")
	}
	for _, d := range []**time.Time{&in.QualiopiConfirmedOn, &in.LastDeclarationOn, &in.FiscalStart, &in.FiscalEnd} {
		*d = dateOnly(*d)
	}
	in.NDA = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(in.NDA), " ", ""))
	in.SIREN, in.SIRET = digitsOnly(in.SIREN), digitsOnly(in.SIRET)
	if in.SIREN != "" && !ValidSIREN(in.SIREN) {
		inv.Add("siren", "error.siren_invalid")
	}
	if in.SIRET != "" && !ValidSIRET(in.SIRET) {
		inv.Add("siret", "error.siret_invalid")
	} else if in.SIRET != "" && in.SIREN == "" {
		in.SIREN = in.SIRET[:9]
	} else if in.SIRET != "" && !strings.HasPrefix(in.SIRET, in.SIREN) {
		inv.Add("siret", "error.siret_siren")
	}
	if in.CommuneCode == "" && in.PostalCode != "" {
		for _, c := range geo.CommunesByPostalCode(in.PostalCode) {
			if textsearch.Fold(c.Name) == textsearch.Fold(in.City) || len(geo.CommunesByPostalCode(in.PostalCode)) == 1 {
				in.CommuneCode = c.Code
				break
			}
		}
	}
	if c, ok := geo.CommuneByCode(in.CommuneCode); ok {
		lat, lon := c.Lat, c.Lon
		in.Latitude, in.Longitude = &lat, &lon
		if in.RegionCode == "" {
			in.RegionCode = c.Region
		}
	}
	var codes []string
	for _, c := range strings.Fields(strings.ReplaceAll(in.NSFCodes, ",", " ")) {
		group, _ := nsf.Split(c)
		if _, ok := nsf.Lookup(group); !ok {
			inv.Add("nsf_codes", "error.nsf_unknown")
		} else if !slices.Contains(codes, group) {
			codes = append(codes, group)
		}
	}
	in.NSFCodes = strings.Join(codes, " ")
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if in.Email != "" && !validEmail(in.Email) {
		inv.Add("email", "error.email_invalid")
	}
	if p, err := normalizePhone(in.Phone); err != nil {
		inv.Add("phone", "error.phone_invalid")
	} else {
		in.Phone = p
	}
	if in.Website != "" && !strings.Contains(in.Website, "://") {
		in.Website = "https://" + in.Website
	}
	if in.Status == "" {
		in.Status = ProviderActive
	}
	if !slices.Contains(ProviderStatuses, in.Status) {
		inv.Add("status", "error.invalid")
	}
	if in.Status == ProviderBlacklisted && in.StatusReason == "" {
		// A blacklisting must say why: the next colleague will ask.
		inv.Add("status_reason", "error.reason_required")
	}
	var tags []string
	for _, t := range strings.FieldsFunc(strings.ToLower(in.Tags), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	in.Tags = strings.Join(tags, " ")
	return inv.OrNil()
}

// dateOnly keeps the calendar date of t (nil and zero stay nil).
func dateOnly(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

// searchText is what the full-text index holds of a provider: its name,
// city, NSF labels and tags.
func (in *ProviderInput) searchText() string {
	parts := []string{in.Name, in.City, in.Tags}
	for _, c := range strings.Fields(in.NSFCodes) {
		if code, ok := nsf.Lookup(c); ok {
			parts = append(parts, code.Label)
		}
	}
	return textsearch.Index(parts...)
}

// Providers is the provider service.
type Providers struct {
	db *db.DB
}

// NewProviders returns the provider service.
func NewProviders(d *db.DB) *Providers { return &Providers{db: d} }

var providerColumns = "id, " + strings.Join(providerFields, ", ") +
	", satisfaction, answer_rate, incidents, quality_score, provenance, imported_at, created_at, updated_at"

// providerRow scans a provider with its provenance JSON.
type providerRow struct {
	Provider
	ProvenanceJSON string `db:"provenance"`
}

func (r providerRow) provider() Provider {
	p := r.Provider
	_ = json.Unmarshal([]byte(r.ProvenanceJSON), &p.Provenance)
	if p.Provenance == nil {
		p.Provenance = map[string]FieldSource{}
	}
	return p
}

// Create adds a provider entered by staff; every field is a staff value.
func (s *Providers) Create(ctx context.Context, in ProviderInput) (Provider, error) {
	if err := in.normalize(); err != nil {
		return Provider{}, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = insertProvider(ctx, tx, in, "staff", nil)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "provider.create", Entity: RecordProvider, EntityID: id})
	})
	if err != nil {
		return Provider{}, err
	}
	return s.Get(ctx, id)
}

func insertProvider(ctx context.Context, q db.Querier, in ProviderInput, source string, importedAt *time.Time) (int64, error) {
	ids, err := insertProviders(ctx, q, []ProviderInput{in}, source, importedAt)
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// insertProviders inserts providers with multi-row INSERTs (one statement
// for up to 200: an import spends most of its time preparing statements
// otherwise) and returns their ids in order. Their fields' provenance is
// source, dated by the import when there is one.
func insertProviders(ctx context.Context, q db.Querier, ins []ProviderInput, source string, importedAt *time.Time) ([]int64, error) {
	now := time.Now().UTC()
	at := now
	if importedAt != nil {
		at = *importedAt
	}
	cols := strings.Join(providerFields, ", ") + ", search_text, provenance, imported_at, created_at, updated_at"
	one := "(?" + strings.Repeat(", ?", len(providerFields)+4) + ")"
	ids := make([]int64, 0, len(ins))
	for len(ins) > 0 {
		chunk := ins[:min(len(ins), 200)]
		ins = ins[len(chunk):]
		args := make([]any, 0, len(chunk)*(len(providerFields)+5))
		for _, in := range chunk {
			prov := map[string]FieldSource{}
			for _, f := range providerFields {
				v := in.get(f)
				args = append(args, v)
				if d := display(v); d != "" && d != "false" {
					prov[f] = FieldSource{Source: source, At: at}
				}
			}
			pj, _ := json.Marshal(prov)
			args = append(args, in.searchText(), string(pj), importedAt, now, now)
		}
		// RETURNING does not promise the order of VALUES: rows come back
		// with their position (all but one NDA are unique; a lone row needs none).
		var rows []struct {
			ID  int64  `db:"id"`
			NDA string `db:"nda"`
		}
		rs, err := q.Query(ctx, "INSERT INTO providers ("+cols+") VALUES "+one+strings.Repeat(", "+one, len(chunk)-1)+" RETURNING id, nda", args...)
		if err != nil {
			return nil, fmt.Errorf("crm: create providers: %w", err)
		}
		for rs.Next() {
			var r struct {
				ID  int64  `db:"id"`
				NDA string `db:"nda"`
			}
			if err := rs.StructScan(&r); err != nil {
				rs.Close()
				return nil, fmt.Errorf("crm: create providers: %w", err)
			}
			rows = append(rows, r)
		}
		if err := errors.Join(rs.Err(), rs.Close()); err != nil {
			return nil, fmt.Errorf("crm: create providers: %w", err)
		}
		if len(chunk) == 1 && len(rows) == 1 {
			ids = append(ids, rows[0].ID)
			continue
		}
		byNDA := make(map[string]int64, len(rows))
		for _, r := range rows {
			byNDA[r.NDA] = r.ID
		}
		for _, in := range chunk {
			ids = append(ids, byNDA[in.NDA])
		}
	}
	return ids, nil
}

// Update saves a staff edit: each field that changed is marked as staff's,
// so that later imports keep it.
func (s *Providers) Update(ctx context.Context, id int64, in ProviderInput) (Provider, error) {
	if err := in.normalize(); err != nil {
		return Provider{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		cur, err := getProvider(ctx, tx, id)
		if err != nil {
			return err
		}
		changed := diffProvider(cur.ProviderInput, in, providerFields)
		if len(changed) == 0 {
			return nil
		}
		now := time.Now().UTC()
		for _, f := range changed {
			cur.Provenance[f] = FieldSource{Source: "staff", At: now}
		}
		if err := writeProvider(ctx, tx, id, in, cur.Provenance, changed, nil); err != nil {
			return err
		}
		if slices.Contains(changed, "name") {
			if err := reindexCourses(ctx, tx, id, in.Name); err != nil {
				return err
			}
		}
		if cur.Status != in.Status {
			if err := RecordStatusChange(ctx, tx, Ref{RecordProvider, id}, cur.Status, in.Status, in.StatusReason); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "provider.update", Entity: RecordProvider, EntityID: id,
			Details: map[string]any{"fields": changed}})
	})
	if err != nil {
		return Provider{}, err
	}
	return s.Get(ctx, id)
}

// diffProvider lists the fields among fields whose values differ.
func diffProvider(a, b ProviderInput, fields []string) []string {
	var out []string
	for _, f := range fields {
		if !same(a.get(f), b.get(f)) {
			out = append(out, f)
		}
	}
	return out
}

// writeProvider updates the given fields of a provider with its provenance.
func writeProvider(ctx context.Context, q db.Querier, id int64, in ProviderInput, prov map[string]FieldSource, fields []string, importedAt *time.Time) error {
	sets := make([]string, 0, len(fields)+4)
	args := make([]any, 0, len(fields)+5)
	for _, f := range fields {
		sets, args = append(sets, f+" = ?"), append(args, in.get(f))
	}
	pj, _ := json.Marshal(prov)
	sets = append(sets, "search_text = ?", "provenance = ?", "updated_at = ?")
	args = append(args, in.searchText(), string(pj), time.Now().UTC())
	if importedAt != nil {
		sets, args = append(sets, "imported_at = ?"), append(args, *importedAt)
	}
	if _, err := q.Exec(ctx, "UPDATE providers SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...); err != nil {
		return fmt.Errorf("crm: update provider %d: %w", id, err)
	}
	return nil
}

// Get loads a provider; errs.ErrNotFound when absent.
func (s *Providers) Get(ctx context.Context, id int64) (Provider, error) {
	return getProvider(ctx, s.db, id)
}

func getProvider(ctx context.Context, q db.Querier, id int64) (Provider, error) {
	var r providerRow
	if err := q.Get(ctx, &r, "SELECT "+providerColumns+" FROM providers WHERE id = ?", id); err != nil {
		return Provider{}, fmt.Errorf("crm: load provider %d: %w", id, err)
	}
	return r.provider(), nil
}

// ProviderFilter selects providers for the list page (the matching search
// is Search).
type ProviderFilter struct {
	Query      string // words of the name, or an NDA, SIREN or SIRET
	Status     string
	Region     string
	Department string
	Page       Page
}

// List returns the providers matching f, by name, and the total.
func (s *Providers) List(ctx context.Context, f ProviderFilter) ([]Provider, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	q := strings.TrimSpace(f.Query)
	if d := digitsOnly(q); allDigits(d) && (len(d) == 9 || len(d) == 14) {
		where, args = append(where, "(siren = ? OR siret = ? OR nda = ?)"), append(args, d[:9], d, d)
	} else if len(d) >= 8 && len(d) <= 14 && !strings.Contains(q, " ") && strings.ContainsAny(q, "0123456789") {
		where, args = append(where, "nda = ?"), append(args, strings.ToUpper(q))
	} else if terms := textsearch.Query(q); len(terms) > 0 {
		cond, arg := s.db.Dialect().TextMatch("id", "providers_fts", "search_text", terms)
		where, args = append(where, cond), append(args, arg)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Region != "" {
		where, args = append(where, "region_code = ?"), append(args, f.Region)
	}
	if f.Department != "" {
		where, args = append(where, "commune_code LIKE ?"), append(args, f.Department+"%")
	}
	rows, total, err := selectPage[providerRow](ctx, s.db, "providers", providerColumns, " FROM providers",
		" WHERE "+strings.Join(where, " AND "), "name, id", args, f.Page)
	out := make([]Provider, len(rows))
	for i, r := range rows {
		out[i] = r.provider()
	}
	return out, total, err
}

// Count returns the number of providers.
func (s *Providers) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.Get(ctx, &n, "SELECT COUNT(*) FROM providers")
	return n, err
}
