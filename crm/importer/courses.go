package importer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/nsf"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// CourseRow is one course of a provider's catalogue. A course is known by
// its provider (NDA, or SIRET when the file has no NDA) and the provider's
// own reference.
type CourseRow struct {
	ProviderNDA, ProviderSIRET string // at least one is set
	Ref, Title                 string
	Objectives, Programme      string
	Prerequisites              string
	// Durations are 0 when unknown; they are not money, so floats are fine.
	DurationHours, DurationDays float64
	Modality                    string // ModalityInPerson, ModalityRemote, ModalityBlended or "" when unknown
	Intra, Inter                bool
	Communes                    []string // INSEE codes of the places it is given, in the file's order
	Languages                   []string // ISO 639-1 codes; ["fr"] when the file says nothing
	// Prices excluding VAT in euro cents, -1 when unknown.
	PricePerTraineeCents, PricePerGroupDayCents int64
	MaxGroupSize                                int    // 0 when unknown
	Certification                               string // "RNCP12345" or "RS1234"; "" when none
	CPF                                         bool
	NSF                                         string      // "326" or "326t"; "" when unknown
	NextSessions                                []time.Time // start dates, sorted, without repeats
	LastConfirmed                               time.Time   // when the provider last confirmed the data; zero if unknown
}

// The modalities of a course.
const (
	ModalityInPerson = "in_person"
	ModalityRemote   = "remote"
	ModalityBlended  = "blended"
)

// courseColumns are the accepted headers of a course file, canonical name
// first, then aliases in order of preference; the first alias is the header
// the documentation and fakefr.WriteCourses use. No header has a bracketed
// note, as the matching ignores it: "Durée (heures)" and "Durée (jours)"
// would be the same column.
var courseColumns = map[string][]string{
	"provider_nda":   {"NDA organisme", "NDA", "N° NDA", "numéro de déclaration d'activité", "n° de déclaration d'activité", "provider NDA"},
	"provider_siret": {"SIRET organisme", "SIRET", "n° SIRET", "provider SIRET"},
	"ref":            {"Référence", "réf", "référence formation", "code formation", "reference", "ref", "course reference"},
	"title":          {"Intitulé", "titre", "intitulé de la formation", "title", "course title"},
	"objectives":     {"Objectifs", "objectifs pédagogiques", "objectives"},
	"programme":      {"Programme", "contenu", "contenu de la formation", "program", "outline"},
	"prerequisites":  {"Prérequis", "pré-requis", "prerequisites"},
	"duration_hours": {"Durée en heures", "durée heures", "nombre d'heures", "heures", "duration hours", "hours"},
	"duration_days":  {"Durée en jours", "durée jours", "nombre de jours", "jours", "duration days", "days"},
	"modality":       {"Modalité", "modalités", "format", "mode", "modality"},
	"intra":          {"Intra", "intra-entreprise", "intra entreprise"},
	"inter":          {"Inter", "inter-entreprises", "inter entreprises"},
	"cities":         {"Villes", "lieux", "communes", "lieux de formation", "cities", "locations"},
	"languages":      {"Langues", "langue", "languages", "language"},
	"price_per_trainee": {"Prix inter HT par stagiaire", "prix par stagiaire HT", "prix HT par stagiaire", "prix inter",
		"price per trainee excl. VAT", "price per trainee"},
	"price_per_group_day": {"Prix intra HT par jour", "prix par jour de groupe HT", "prix HT par jour", "prix intra",
		"price per group-day excl. VAT", "price per group day"},
	"max_group_size": {"Effectif maximum", "effectif max", "nombre maximum de stagiaires", "max group size", "max trainees"},
	"certification":  {"Certification", "code RNCP/RS", "RNCP/RS", "code certification", "certification code"},
	"cpf":            {"Éligible CPF", "CPF", "CPF eligible"},
	"nsf":            {"Code NSF", "NSF", "NSF code"},
	"next_sessions":  {"Prochaines sessions", "sessions", "dates de sessions", "next sessions"},
	"last_confirmed": {"Dernière confirmation", "confirmé le", "date de confirmation", "last confirmed"},
}

// ReadCourses imports a catalogue of courses in the format documented in
// docs/imports.md ("Courses"), calling upsert for each valid row. Rejects
// and errors follow ReadEmployees.
//
// Required columns: the provider's NDA or SIRET (one of them), the
// reference and the title; every row must have them, and a provider's
// reference may appear on one line only. Values are checked and normalised:
// decimal durations with a comma or a dot, prices read by ParseEuros,
// places resolved to INSEE commune codes, certification codes in upper case,
// NSF codes checked with internal/nsf, dates dd/mm/yyyy. A bad value
// rejects the row with the column named.
func ReadCourses(ctx context.Context, r io.Reader, upsert func(ctx context.Context, line int, c CourseRow) (Outcome, error)) (Report, error) {
	rd, err := NewReader(r, Options{Header: true})
	if err != nil {
		return Report{}, fmt.Errorf("importer: courses: %w", err)
	}
	cols, err := rd.Columns(courseColumns, "ref", "title")
	if err == nil && !cols.Has("provider_nda") && !cols.Has("provider_siret") {
		err = &ColumnsError{Missing: []string{"provider_nda"}, msg: fmt.Sprintf(
			"importer: missing column provider_nda or provider_siret (headers accepted: %s, or %s); columns found: %s",
			quoteAll(courseColumns["provider_nda"]), quoteAll(courseColumns["provider_siret"]), quoteAll(rd.Header()))}
	}
	if err != nil {
		return Report{}, fmt.Errorf("importer: courses: %w", err)
	}
	seen := map[string]int{}
	places := map[string]string{} // a catalogue repeats its few places on every line
	parse := func(rec Record) (CourseRow, string) {
		c, problems := parseCourse(cols, rec, places)
		if c.Ref != "" && (c.ProviderNDA != "" || c.ProviderSIRET != "") {
			key, who := "nda:"+c.ProviderNDA+"\x00"+c.Ref, "NDA "+c.ProviderNDA
			if c.ProviderNDA == "" {
				key, who = "siret:"+c.ProviderSIRET+"\x00"+c.Ref, "SIRET "+c.ProviderSIRET
			}
			if first, dup := seen[key]; dup {
				problems = append(problems, fmt.Sprintf("reference %s of provider %s already on line %d", c.Ref, who, first))
			} else if len(problems) == 0 {
				seen[key] = rec.Line
			}
		}
		return c, strings.Join(problems, "; ")
	}
	return run(ctx, "courses", rd, parse, upsert)
}

// parseCourse builds the row and lists every problem found in it. places
// caches resolved place names.
func parseCourse(c Columns, rec Record, places map[string]string) (CourseRow, []string) {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	header := func(name string) string { return courseColumns[name][0] }
	row := CourseRow{
		ProviderNDA:   strings.ToUpper(compact(c.Get(rec, "provider_nda"))),
		ProviderSIRET: compact(c.Get(rec, "provider_siret")),
		Ref:           c.Get(rec, "ref"),
		Title:         c.Get(rec, "title"),
		Objectives:    c.Get(rec, "objectives"),
		Programme:     c.Get(rec, "programme"),
		Prerequisites: c.Get(rec, "prerequisites"),
		Languages:     []string{"fr"},
	}
	switch {
	case row.ProviderNDA == "" && row.ProviderSIRET == "":
		bad("missing provider NDA or SIRET")
	case row.ProviderNDA != "" && !validNDA(row.ProviderNDA):
		bad("NDA %s invalid (want 8 to 14 letters or digits)", row.ProviderNDA)
	}
	problems = checkSIREN(problems, "", row.ProviderSIRET)
	if row.Ref == "" {
		bad("missing reference (%s)", header("ref"))
	}
	if row.Title == "" {
		bad("missing title (%s)", header("title"))
	}

	decimal := func(name string) float64 {
		v := c.Get(rec, name)
		f, ok := parseDecimal(v)
		if !ok {
			bad("%s %q is not a number", header(name), v)
		}
		return f
	}
	row.DurationHours = decimal("duration_hours")
	row.DurationDays = decimal("duration_days")

	if v := c.Get(rec, "modality"); v != "" {
		if row.Modality = modality(v); row.Modality == "" {
			bad("%s %q is not présentiel, distanciel or mixte", header("modality"), v)
		}
	}
	flag := func(name string) bool {
		v := c.Get(rec, name)
		b, err := ParseBool(v)
		if err != nil {
			bad("%s %q is not oui or non", header(name), v)
		}
		return b
	}
	row.Intra = flag("intra")
	row.Inter = flag("inter")
	row.CPF = flag("cpf")

	for _, place := range splitList(c.Get(rec, "cities"), "|,;") {
		code, ok := places[place]
		if !ok {
			code = resolvePlace(place)
			places[place] = code
		}
		if code == "" {
			bad("%s: %q unknown (write an INSEE commune code or \"name (postal code)\")", header("cities"), place)
		} else if !slices.Contains(row.Communes, code) {
			row.Communes = append(row.Communes, code)
		}
	}

	if langs := splitList(c.Get(rec, "languages"), "|,;/"); len(langs) > 0 {
		row.Languages = row.Languages[:0]
		for _, l := range langs {
			code := languageCode(l)
			if code == "" {
				bad("%s %q is not a language code (fr, en, es…)", header("languages"), l)
			} else if !slices.Contains(row.Languages, code) {
				row.Languages = append(row.Languages, code)
			}
		}
	}

	euros := func(name string) int64 {
		v := c.Get(rec, name)
		cents, why := parseEuros(v)
		if why != "" {
			bad("%s %q: %s", header(name), v, why)
			return -1
		}
		return cents
	}
	row.PricePerTraineeCents = euros("price_per_trainee")
	row.PricePerGroupDayCents = euros("price_per_group_day")

	if v := compact(c.Get(rec, "max_group_size")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || !isDigits(v) {
			bad("%s %q is not a whole number", header("max_group_size"), v)
		}
		row.MaxGroupSize = n
	}

	if v := c.Get(rec, "certification"); v != "" {
		if row.Certification = certificationCode(v); row.Certification == "" {
			bad("%s %q is not an RNCP or RS code (RNCP12345, RS1234)", header("certification"), v)
		}
	}
	if v := c.Get(rec, "nsf"); v != "" {
		group, letter := nsf.Split(v)
		if _, ok := nsf.Lookup(v); !ok || len(group) != 3 {
			bad("%s %q is not an NSF speciality (3 digits, optionally a letter)", header("nsf"), v)
		} else {
			row.NSF = group + letter
		}
	}

	for _, d := range splitList(c.Get(rec, "next_sessions"), "|,;") {
		t, err := parseDay(d)
		if err != nil {
			bad("%s %q is not a date (dd/mm/yyyy)", header("next_sessions"), d)
			continue
		}
		row.NextSessions = append(row.NextSessions, t)
	}
	slices.SortFunc(row.NextSessions, func(a, b time.Time) int { return a.Compare(b) })
	row.NextSessions = slices.CompactFunc(row.NextSessions, time.Time.Equal)

	if v := c.Get(rec, "last_confirmed"); v != "" {
		t, err := parseDay(v)
		if err != nil {
			bad("%s %q is not a date (dd/mm/yyyy)", header("last_confirmed"), v)
		}
		row.LastConfirmed = t
	}
	return row, problems
}

// splitList splits a cell holding several values on any of seps and drops
// blank items.
func splitList(s, seps string) []string {
	if s == "" {
		return nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseDecimal reads a non-negative decimal number with a comma or a dot
// ("10,5", "3.5", "7"); an empty value is 0. Unlike strconv.ParseFloat it
// refuses exponents, "Inf", "NaN", hexadecimal and underscores.
func parseDecimal(s string) (float64, bool) {
	s = compact(s)
	if s == "" {
		return 0, true
	}
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	if !isDigits(whole) || frac != "" && !isDigits(frac) || strings.HasSuffix(s, ".") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// modality maps the words French and English catalogues use to a modality;
// "" when the word is none of them.
func modality(s string) string {
	switch strings.ReplaceAll(textsearch.Fold(s), " ", "") {
	case "presentiel", "enpresentiel", "inperson", "onsite", "surplace", "sursite":
		return ModalityInPerson
	case "distanciel", "adistance", "endistanciel", "enligne", "remote", "online", "distance", "foad", "classevirtuelle", "elearning":
		return ModalityRemote
	case "mixte", "blended", "hybride", "blendedlearning", "multimodal":
		return ModalityBlended
	}
	return ""
}

// languageNames maps the language names people write instead of codes.
var languageNames = map[string]string{
	"francais": "fr", "french": "fr", "anglais": "en", "english": "en", "espagnol": "es", "spanish": "es",
	"allemand": "de", "german": "de", "italien": "it", "italian": "it", "portugais": "pt", "portuguese": "pt",
	"neerlandais": "nl", "dutch": "nl", "arabe": "ar", "arabic": "ar", "chinois": "zh", "chinese": "zh",
	"russe": "ru", "russian": "ru", "japonais": "ja", "japanese": "ja", "lsf": "fsl",
}

// languageCode returns the ISO 639-1 code of a language written as a code
// ("EN", "fr-FR" gives "fr") or as a French or English name; "" otherwise.
// French Sign Language has no two-letter code: it is "fsl" (ISO 639-3).
func languageCode(s string) string {
	f := textsearch.Fold(s)
	if code, ok := languageNames[strings.ReplaceAll(f, " ", "")]; ok {
		return code
	}
	code, _, _ := strings.Cut(f, " ") // "fr fr" from "fr-FR"
	if len(code) == 2 && code[0] >= 'a' && code[0] <= 'z' && code[1] >= 'a' && code[1] <= 'z' {
		return code
	}
	if code == "fsl" {
		return code
	}
	return ""
}

// certificationCode normalises an RNCP or RS code ("rncp 12345",
// "RS-1234" give "RNCP12345", "RS1234"); "" when it has neither shape.
func certificationCode(s string) string {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return -1
		}
		return r
	}, compact(s)))
	for _, prefix := range []string{"RNCP", "RS"} {
		if n, ok := strings.CutPrefix(s, prefix); ok && len(n) >= 1 && len(n) <= 6 && isDigits(n) {
			return s
		}
	}
	return ""
}

// resolvePlace returns the INSEE code of a place written as an INSEE code
// ("69123", "2A004") or as "name (postal code)" ("Lyon (69003)",
// "St-Étienne (42000)"); "" when it matches no commune. A bare postal code
// is not accepted: many of them are also the INSEE code of another commune.
func resolvePlace(s string) string {
	if open := strings.LastIndexByte(s, '('); open > 0 && strings.HasSuffix(s, ")") {
		name := placeName(s[:open])
		for _, c := range geo.CommunesByPostalCode(compact(s[open+1 : len(s)-1])) {
			if placeName(c.Name) == name {
				return c.Code
			}
		}
		return ""
	}
	if c, ok := geo.CommuneByCode(strings.ToUpper(compact(s))); ok {
		return c.Code
	}
	return ""
}

// placeName folds a commune name for comparison and expands the St/Ste
// abbreviations: "ST-ETIENNE" and "Saint-Étienne" give "saint etienne".
func placeName(s string) string {
	words := strings.Fields(textsearch.Fold(s))
	for i, w := range words {
		switch w {
		case "st":
			words[i] = "saint"
		case "ste":
			words[i] = "sainte"
		}
	}
	return strings.Join(words, " ")
}
