package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/nsf"
)

// ProviderRow is one training provider (organisme de formation) of the
// DGEFP "Liste publique des organismes de formation".
type ProviderRow struct {
	// NDA is the numéro de déclaration d'activité, kept as text because
	// letters (Corsica's 2A/2B) and leading zeros (overseas regions) are
	// legal: spaces removed, letters in upper case.
	NDA          string
	PreviousNDAs []string // earlier NDAs of the same body, when it moved region
	Name         string
	SIREN, SIRET string // as in the file, spaces removed; "" when empty
	Street       string
	PostalCode   string // 5 digits; a leading zero Excel dropped is put back
	City         string
	RegionCode   string // INSEE region code, 2 characters ("11", "84", "01")

	// The Qualiopi certification, by category of action.
	QualiopiActions, QualiopiSkillsAssessment, QualiopiVAE, QualiopiApprenticeship bool

	Foreign *ForeignOrg // the foreign body this provider represents; nil for most

	// From the last BPF; zero when the provider has not declared one yet.
	LastDeclaration, FiscalStart, FiscalEnd time.Time

	Specialities []Speciality // up to 3, in the file's order

	// From the last BPF; -1 when empty.
	Trainees, TraineesFromOtherOF, Trainers int
}

// ForeignOrg is the foreign training body a French provider represents
// (organismeEtrangerRepresente.*).
type ForeignOrg struct {
	Name, Street, PostalCode, City, Country string
}

// Speciality is an NSF speciality declared by a provider. Code is
// normalised ("326", "326t") but not checked: a code unknown to internal/nsf
// is kept as it was declared, for the sink to decide.
type Speciality struct {
	Code  string
	Label string // from the file; from internal/nsf when the file has none
}

// The 30 columns of the DGEFP list, in the order the DGEFP writes them.
const (
	pNDA = iota
	pPreviousNDAs
	pName
	pSIREN
	pSIRET
	pStreet
	pPostalCode
	pCity
	pRegion
	pQualiopiActions
	pQualiopiSkills
	pQualiopiVAE
	pQualiopiApprenticeship
	pForeignName
	pForeignStreet
	pForeignPostalCode
	pForeignCity
	pForeignCountry
	pLastDeclaration
	pFiscalStart
	pFiscalEnd
	pSpeciality1 // code, then label, for each of the 3 specialities
	pSpecialityLabel1
	pSpeciality2
	pSpecialityLabel2
	pSpeciality3
	pSpecialityLabel3
	pTrainees
	pTraineesFromOtherOF
	pTrainers
	providerColumnCount
)

// providerColumns are the header names of the DGEFP list, in its order.
var providerColumns = [providerColumnCount]string{
	"numeroDeclarationActivite",
	"numerosDeclarationActivitePrecedent",
	"denomination",
	"siren",
	"siretEtablissementDeclarant",
	"adressePhysiqueOrganismeFormation.voie",
	"adressePhysiqueOrganismeFormation.codePostal",
	"adressePhysiqueOrganismeFormation.ville",
	"adressePhysiqueOrganismeFormation.codeRegion",
	"certifications.actionsDeFormation",
	"certifications.bilansDeCompetences",
	"certifications.VAE",
	"certifications.actionsDeFormationParApprentissage",
	"organismeEtrangerRepresente.denomination",
	"organismeEtrangerRepresente.voie",
	"organismeEtrangerRepresente.codePostal",
	"organismeEtrangerRepresente.ville",
	"organismeEtrangerRepresente.pays",
	"informationsDeclarees.dateDerniereDeclaration",
	"informationsDeclarees.debutExercice",
	"informationsDeclarees.finExercice",
	"informationsDeclarees.specialitesDeFormation.codeSpecialite1",
	"informationsDeclarees.specialitesDeFormation.libelleSpecialite1",
	"informationsDeclarees.specialitesDeFormation.codeSpecialite2",
	"informationsDeclarees.specialitesDeFormation.libelleSpecialite2",
	"informationsDeclarees.specialitesDeFormation.codeSpecialite3",
	"informationsDeclarees.specialitesDeFormation.libelleSpecialite3",
	"informationsDeclarees.nbStagiaires",
	"informationsDeclarees.nbStagiairesConfiesParUnAutreOF",
	"informationsDeclarees.effectifFormateurs",
}

// ReadProviders imports the DGEFP "Liste publique des organismes de
// formation" (data.gouv.fr), calling upsert for each valid row. Rejects and
// errors follow ReadEmployees.
//
// The file is the DGEFP's CSV: ';' (',' or tabs when re-saved), one header
// line with the DGEFP's 30 column names (found by name, in any order,
// ignoring case and accents; all 30 are required so that a wrong file is
// refused at once),
// UTF-8 with or without BOM or Windows-1252, dates dd/mm/yyyy, booleans
// true/false or empty, a trailing ';' accepted. A row is rejected, with its
// line and every reason, when the NDA is missing or not 8 to 14 letters and
// digits, the name is missing, the SIREN or SIRET is malformed or fails its
// check digit, the SIRET does not start with the SIREN, a date, boolean or
// count is malformed, or the NDA was already on an earlier line of the file.
// The real list has about 150,000 rows; the reader keeps one NDA per row in
// memory for the duplicate check and nothing else.
func ReadProviders(ctx context.Context, r io.Reader, upsert func(ctx context.Context, line int, p ProviderRow) (Outcome, error)) (Report, error) {
	rd, err := NewReader(r, Options{Header: true})
	if err != nil {
		return Report{}, fmt.Errorf("importer: providers: %w", err)
	}
	idx, err := providerIndexes(rd)
	if err != nil {
		return Report{}, fmt.Errorf("importer: providers: %w", err)
	}
	seen := make(map[string]int, 1024)
	parse := func(rec Record) (ProviderRow, string) {
		p, problems := parseProvider(idx, rec.Fields)
		if p.NDA != "" {
			if first, dup := seen[p.NDA]; dup {
				problems = append(problems, fmt.Sprintf("NDA %s already on line %d", p.NDA, first))
			} else if len(problems) == 0 {
				// Only a valid row takes the NDA: if the first copy was
				// rejected, a later correct one is imported.
				seen[p.NDA] = rec.Line
			}
		}
		return p, strings.Join(problems, "; ")
	}
	return run(ctx, "providers", rd, parse, upsert)
}

// providerIndexes finds the 30 columns by name and refuses a file that lacks
// any, listing them all.
func providerIndexes(rd *Reader) ([providerColumnCount]int, error) {
	var idx [providerColumnCount]int
	want := make(map[string][]string, providerColumnCount)
	for _, name := range providerColumns {
		want[name] = nil
	}
	cols, err := rd.Columns(want, providerColumns[:]...)
	var ce *ColumnsError
	if errors.As(err, &ce) && len(ce.Missing) > 0 {
		// Columns' message offers aliases, which this format has none of.
		missing := make([]string, 0, len(ce.Missing))
		for _, name := range providerColumns {
			if slices.Contains(ce.Missing, name) {
				missing = append(missing, name)
			}
		}
		msg := fmt.Sprintf("importer: not the DGEFP list of training providers: %d of its %d columns missing: %s; columns found: %s",
			len(missing), providerColumnCount, strings.Join(missing, ", "), quoteAll(rd.Header()))
		return idx, &ColumnsError{Missing: missing, Ambiguous: ce.Ambiguous, msg: msg}
	}
	if err != nil {
		return idx, err
	}
	for i, name := range providerColumns {
		idx[i] = cols.index[name]
	}
	return idx, nil
}

// parseProvider builds the row and lists every problem found in it.
func parseProvider(idx [providerColumnCount]int, f []string) (ProviderRow, []string) {
	get := func(col int) string { return strings.TrimSpace(f[idx[col]]) }
	var problems []string
	p := ProviderRow{
		NDA:        strings.ToUpper(compact(get(pNDA))),
		Name:       get(pName),
		SIREN:      compact(get(pSIREN)),
		SIRET:      compact(get(pSIRET)),
		Street:     get(pStreet),
		PostalCode: get(pPostalCode),
		City:       get(pCity),
		RegionCode: get(pRegion),
	}
	switch {
	case p.NDA == "":
		problems = append(problems, "missing NDA ("+providerColumns[pNDA]+")")
	case !validNDA(p.NDA):
		problems = append(problems, fmt.Sprintf("NDA %s invalid (want 8 to 14 letters or digits)", p.NDA))
	}
	if p.Name == "" {
		problems = append(problems, "missing name ("+providerColumns[pName]+")")
	}
	problems = checkSIREN(problems, p.SIREN, p.SIRET)
	// Excel drops the leading zero of Ain or Aisne postcodes and of the
	// overseas region codes when someone opens and saves the file.
	if len(p.PostalCode) == 4 && isDigits(p.PostalCode) {
		p.PostalCode = "0" + p.PostalCode
	}
	if len(p.RegionCode) == 1 && isDigits(p.RegionCode) {
		p.RegionCode = "0" + p.RegionCode
	}

	if prev := get(pPreviousNDAs); prev != "" {
		for _, n := range strings.FieldsFunc(prev, func(r rune) bool { return r == ',' || r == '|' || r == ';' || unicode.IsSpace(r) }) {
			n = strings.ToUpper(n)
			if !validNDA(n) {
				problems = append(problems, fmt.Sprintf("%s %q is not a list of NDAs", providerColumns[pPreviousNDAs], prev))
				break
			}
			if n != p.NDA && !slices.Contains(p.PreviousNDAs, n) {
				p.PreviousNDAs = append(p.PreviousNDAs, n)
			}
		}
	}

	flag := func(col int) bool {
		v := get(col)
		switch v {
		case "true":
			return true
		case "false", "":
			return false
		}
		b, err := ParseBool(v)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %q is not true or false", providerColumns[col], v))
		}
		return b
	}
	p.QualiopiActions = flag(pQualiopiActions)
	p.QualiopiSkillsAssessment = flag(pQualiopiSkills)
	p.QualiopiVAE = flag(pQualiopiVAE)
	p.QualiopiApprenticeship = flag(pQualiopiApprenticeship)

	foreign := ForeignOrg{Name: get(pForeignName), Street: get(pForeignStreet), PostalCode: get(pForeignPostalCode),
		City: get(pForeignCity), Country: get(pForeignCountry)}
	if foreign != (ForeignOrg{}) {
		p.Foreign = &foreign
	}

	day := func(col int) time.Time {
		v := get(col)
		t, err := parseDay(v)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %q is not a date (dd/mm/yyyy)", providerColumns[col], v))
		}
		return t
	}
	p.LastDeclaration = day(pLastDeclaration)
	p.FiscalStart = day(pFiscalStart)
	p.FiscalEnd = day(pFiscalEnd)

	for col := pSpeciality1; col <= pSpeciality3; col += 2 {
		code, label := compact(get(col)), get(col+1)
		if code == "" && label == "" {
			continue
		}
		if group, letter := nsf.Split(code); group != "" {
			code = group + letter
		}
		if label == "" {
			if c, ok := nsf.Lookup(code); ok {
				label = c.Label
			}
		}
		p.Specialities = append(p.Specialities, Speciality{Code: code, Label: label})
	}

	count := func(col int) int {
		v := compact(get(col))
		if v == "" {
			return -1
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || !isDigits(v) {
			problems = append(problems, fmt.Sprintf("%s %q is not a whole number", providerColumns[col], get(col)))
			return -1
		}
		return n
	}
	p.Trainees = count(pTrainees)
	p.TraineesFromOtherOF = count(pTraineesFromOtherOF)
	p.Trainers = count(pTrainers)
	return p, problems
}

// checkSIREN appends the problems of a provider's SIREN and SIRET, both
// optional: shape, check digit (crm's rules, with La Poste's exception) and
// the SIRET starting with the SIREN.
func checkSIREN(problems []string, siren, siret string) []string {
	switch {
	case siren == "":
	case len(siren) != 9 || !isDigits(siren):
		problems = append(problems, fmt.Sprintf("SIREN %s invalid (want 9 digits)", siren))
	case !crm.ValidSIREN(siren):
		problems = append(problems, fmt.Sprintf("SIREN %s invalid (check digit)", siren))
	}
	switch {
	case siret == "":
	case len(siret) != 14 || !isDigits(siret):
		problems = append(problems, fmt.Sprintf("SIRET %s invalid (want 14 digits)", siret))
	case !crm.ValidSIRET(siret):
		problems = append(problems, fmt.Sprintf("SIRET %s invalid (check digit)", siret))
	case siren != "" && !strings.HasPrefix(siret, siren):
		problems = append(problems, fmt.Sprintf("SIRET %s does not start with SIREN %s", siret, siren))
	}
	return problems
}

// validNDA accepts 8 to 14 ASCII letters or digits: most NDAs are 11
// digits, Corsican ones hold 2A or 2B, and old ones were shorter.
func validNDA(s string) bool {
	if len(s) < 8 || len(s) > 14 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// parseDay is ParseDate with a fast path for the dd/mm/yyyy the DGEFP
// writes: three dates a row on 150,000 rows are worth it.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) == 10 && s[2] == '/' && s[5] == '/' && isDigits(s[:2]) && isDigits(s[3:5]) && isDigits(s[6:]) {
		d := int(s[0]-'0')*10 + int(s[1]-'0')
		m := int(s[3]-'0')*10 + int(s[4]-'0')
		y := int(s[6]-'0')*1000 + int(s[7]-'0')*100 + int(s[8]-'0')*10 + int(s[9]-'0')
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if y >= 1000 && t.Day() == d && int(t.Month()) == m {
			return t, nil
		}
		return time.Time{}, fmt.Errorf("importer: date %q: %w", s, errs.ErrInvalid)
	}
	return ParseDate(s)
}

// compact removes every space, including the no-break ones spreadsheets
// put in numbers ("958 224 123").
func compact(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
