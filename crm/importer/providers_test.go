package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/fakefr"
)

// dgefpHeader is the first line of the DGEFP sample.
var dgefpHeader = strings.Join(providerColumns[:], ";")

// dgefpRow returns the first row of the DGEFP sample with some fields
// changed (by column index) and cut to n fields when n > 0.
func dgefpRow(n int, set map[int]string) string {
	f := strings.Split("11751459275;;FICTIF FORMATION CONSEIL;958224123;95822412300017;12 RUE IMAGINAIRE;75011;PARIS;11;"+
		"true;false;false;false;;;;;;15/03/2026;01/01/2025;31/12/2025;326;"+
		"Informatique, traitement de l'information, réseau de transmission des données;324;Secrétariat, bureautique;;;412;0;6", ";")
	for i, v := range set {
		f[i] = v
	}
	if n > 0 {
		f = f[:n]
	}
	return strings.Join(f, ";")
}

func TestReadProvidersSample(t *testing.T) {
	f, err := os.Open("testdata/liste_publique_of.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := newSink[ProviderRow]()
	rep, err := ReadProviders(context.Background(), f, s.add)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Inserted != 6 || rep.Rejected != 0 {
		t.Fatalf("report: %s %q", rep.String(), rejects(rep))
	}
	want := ProviderRow{
		NDA: "11751459275", Name: "FICTIF FORMATION CONSEIL", SIREN: "958224123", SIRET: "95822412300017",
		Street: "12 RUE IMAGINAIRE", PostalCode: "75011", City: "PARIS", RegionCode: "11", QualiopiActions: true,
		LastDeclaration: date(2026, 3, 15), FiscalStart: date(2025, 1, 1), FiscalEnd: date(2025, 12, 31),
		Specialities: []Speciality{
			{"326", "Informatique, traitement de l'information, réseau de transmission des données"},
			{"324", "Secrétariat, bureautique"},
		},
		Trainees: 412, TraineesFromOtherOF: 0, Trainers: 6,
	}
	if got := s.got[2]; !reflect.DeepEqual(got, want) {
		t.Errorf("line 2:\n got %+v\nwant %+v", got, want)
	}
	// Empty booleans are false; a quoted label holds a ';'.
	if got := s.got[5]; got.QualiopiActions || got.QualiopiSkillsAssessment || got.Trainers != 1 {
		t.Errorf("line 5: %+v", got)
	}
	if got := s.got[6].Specialities; len(got) != 3 || !strings.Contains(got[2].Label, "hydraulique ; utilités") {
		t.Errorf("line 6 specialities: %+v", got)
	}
	if got := s.got[4]; !got.QualiopiSkillsAssessment || !got.QualiopiVAE || got.QualiopiActions {
		t.Errorf("line 4 Qualiopi: %+v", got)
	}
}

// TestReadProvidersEncodings reads the sample as UTF-8 with and without a
// BOM and as Windows-1252, with a trailing ';' on some lines.
func TestReadProvidersEncodings(t *testing.T) {
	sample, err := os.ReadFile("testdata/liste_publique_of.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(sample), "\r\n"), "\r\n")
	for i := range lines {
		if i%2 == 1 {
			lines[i] += ";"
		}
	}
	plain := strings.Join(lines, "\r\n") + "\r\n"
	cp1252, err := charmap.Windows1252.NewEncoder().String(plain)
	if err != nil {
		t.Fatal(err)
	}
	read := func(in string) map[int]ProviderRow {
		s := newSink[ProviderRow]()
		rep, err := ReadProviders(context.Background(), strings.NewReader(in), s.add)
		if err != nil || rep.Inserted != 6 || rep.Rejected != 0 {
			t.Fatalf("got %s %q %v", rep.String(), rejects(rep), err)
		}
		return s.got
	}
	want := read(string(sample))
	for name, in := range map[string]string{"utf-8": plain, "utf-8 with BOM": "\uFEFF" + plain, "windows-1252": cp1252} {
		if got := read(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: rows differ\n got %+v\nwant %+v", name, got, want)
		}
	}
	if strings.Contains(cp1252, "é") || !strings.Contains(cp1252, "\xe9") {
		t.Fatalf("the Windows-1252 file is not encoded")
	}
}

func TestReadProvidersRejects(t *testing.T) {
	if crm.ValidSIRET("13356886500018") || crm.ValidSIREN("958224124") {
		t.Fatal("the test's bad numbers are valid")
	}
	lines := []string{
		dgefpHeader,
		dgefpRow(0, nil) + ";", // 2: trailing separator
		dgefpRow(0, map[int]string{pNDA: "84699719669", pSIREN: "133568865", pSIRET: "13356886500018"}), // 3
		"", // 4: skipped
		dgefpRow(0, map[int]string{pName: "AUTRE NOM"}),                                  // 5: same NDA as line 2
		dgefpRow(29, map[int]string{pNDA: "52441828944"}),                                // 6
		dgefpRow(0, map[int]string{pNDA: "93133209813", pLastDeclaration: "31/02/2026"}), // 7
		dgefpRow(0, map[int]string{pNDA: " ", pName: ""}),                                // 8
		dgefpRow(0, map[int]string{pNDA: "94 2a 0012345", pPreviousNDAs: "11755555555, 84691234567|53351234567 11755555555",
			pSIREN: "", pSIRET: "", pPostalCode: "20000", pCity: "AJACCIO", pRegion: "94"}), // 9
		dgefpRow(0, map[int]string{pNDA: "53358869635", pTrainees: "12a"}),                // 10
		dgefpRow(0, map[int]string{pNDA: "76311139531", pSIRET: "13356886500017"}),        // 11
		dgefpRow(0, map[int]string{pNDA: "76311139532", pQualiopiVAE: "peut-être"}),       // 12
		dgefpRow(0, map[int]string{pNDA: "76311139533", pSIREN: "958224124", pSIRET: ""}), // 13
		dgefpRow(0, map[int]string{pNDA: "1234"}),                                         // 14
		dgefpRow(0, map[int]string{pNDA: "93133209813"}),                                  // 15: line 7 was rejected
		dgefpRow(0, map[int]string{pNDA: "01971234567", pPostalCode: "1000", pRegion: "1", pSIREN: "469138101", pSIRET: "46913810100016",
			pForeignName: "ACME TRAINING LTD", pForeignCountry: "ROYAUME-UNI",
			pSpeciality1: "326 T", pSpecialityLabel1: "", pSpeciality2: "999", pSpecialityLabel2: "", pSpeciality3: "", pSpecialityLabel3: "",
			pTrainees: "", pTraineesFromOtherOF: "", pTrainers: "", pLastDeclaration: "", pFiscalStart: "", pFiscalEnd: ""}), // 16
		dgefpRow(0, map[int]string{pNDA: "32591234567"}), // 17: the sink refuses it
		strings.Repeat(";", 30),                          // 18: blank record
		dgefpRow(0, map[int]string{pNDA: "44671234567"}), // 19, no final newline
	}
	s := newSink[ProviderRow]()
	s.answers[17] = fmt.Errorf("crm: provider 32591234567: SIRET used by another provider: %w", errs.ErrConflict)
	rep, err := ReadProviders(context.Background(), strings.NewReader(strings.Join(lines, "\r\n")), s.add)
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := []string{
		"3:SIRET 13356886500018 invalid (check digit)",
		"5:NDA 11751459275 already on line 2",
		"6:wrong number of columns: 29, want 30",
		`7:informationsDeclarees.dateDerniereDeclaration "31/02/2026" is not a date (dd/mm/yyyy)`,
		"8:missing NDA (numeroDeclarationActivite); missing name (denomination)",
		`10:informationsDeclarees.nbStagiaires "12a" is not a whole number`,
		"11:SIRET 13356886500017 does not start with SIREN 958224123",
		`12:certifications.VAE "peut-être" is not true or false`,
		"13:SIREN 958224124 invalid (check digit)",
		"14:NDA 1234 invalid (want 8 to 14 letters or digits)",
		"17:crm: provider 32591234567: SIRET used by another provider: conflict",
	}
	if got := rejects(rep); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if rep.Inserted != 5 || rep.Rejected != len(wantRejects) {
		t.Errorf("report: %s", rep.String())
	}
	if raw := rep.Errors[2].Raw; raw != dgefpRow(29, map[int]string{pNDA: "52441828944"}) {
		t.Errorf("raw of line 6: %q", raw)
	}
	if got := slices.Sorted(maps.Keys(s.got)); !slices.Equal(got, []int{2, 9, 15, 16, 17, 19}) {
		t.Errorf("sink called for lines %v", got)
	}
	corsica := s.got[9]
	if corsica.NDA != "942A0012345" || !slices.Equal(corsica.PreviousNDAs, []string{"11755555555", "84691234567", "53351234567"}) ||
		corsica.SIREN != "" || corsica.SIRET != "" {
		t.Errorf("line 9: %+v", corsica)
	}
	want16 := ProviderRow{NDA: "01971234567", Name: "FICTIF FORMATION CONSEIL", SIREN: "469138101", SIRET: "46913810100016",
		Street: "12 RUE IMAGINAIRE", PostalCode: "01000", City: "PARIS", RegionCode: "01", QualiopiActions: true,
		Foreign: &ForeignOrg{Name: "ACME TRAINING LTD", Country: "ROYAUME-UNI"},
		Specialities: []Speciality{
			{"326t", "Informatique, traitement de l'information, réseau de transmission des données"},
			{"999", ""},
		},
		Trainees: -1, TraineesFromOtherOF: -1, Trainers: -1,
	}
	if got := s.got[16]; !reflect.DeepEqual(got, want16) {
		t.Errorf("line 16:\n got %+v\nwant %+v", got, want16)
	}
}

func TestReadProvidersHeader(t *testing.T) {
	// Names are matched ignoring case and accents, in any order.
	cols := slices.Clone(providerColumns[:])
	cols[pName] = "Dénomination"
	cols[pSIREN], cols[pSIRET] = strings.ToUpper(cols[pSIRET]), cols[pSIREN]
	row := strings.Split(dgefpRow(0, nil), ";")
	row[pSIREN], row[pSIRET] = row[pSIRET], row[pSIREN]
	s := newSink[ProviderRow]()
	rep, err := ReadProviders(context.Background(), strings.NewReader(strings.Join(cols, ";")+"\n"+strings.Join(row, ";")+"\n"), s.add)
	if err != nil || rep.Inserted != 1 || s.got[2].SIREN != "958224123" || s.got[2].Name != "FICTIF FORMATION CONSEIL" {
		t.Errorf("got %s %q %+v %v", rep.String(), rejects(rep), s.got[2], err)
	}

	// A file without some of the 30 columns is refused before any row.
	var kept []string
	for i, c := range providerColumns {
		if i != pSIREN && i != pTrainees {
			kept = append(kept, c)
		}
	}
	never := func(context.Context, int, ProviderRow) (Outcome, error) {
		t.Error("sink called")
		return Inserted, nil
	}
	_, err = ReadProviders(context.Background(), strings.NewReader(strings.Join(kept, ";")+"\n1;2;3\n"), never)
	var ce *ColumnsError
	if !errors.As(err, &ce) || !errors.Is(err, errs.ErrInvalid) ||
		!slices.Equal(ce.Missing, []string{"siren", "informationsDeclarees.nbStagiaires"}) ||
		!strings.Contains(err.Error(), "importer: providers: importer: not the DGEFP list of training providers: 2 of its 30 columns missing: siren, informationsDeclarees.nbStagiaires; columns found:") {
		t.Errorf("missing columns: got %v", err)
	}
	_, err = ReadProviders(context.Background(), strings.NewReader("Matricule;Nom\nA1;Durand\n"), never)
	if !errors.As(err, &ce) || len(ce.Missing) != 30 {
		t.Errorf("an employee file: got %v", err)
	}
	if _, err := ReadProviders(context.Background(), strings.NewReader("\r\n\r\n"), never); !errors.Is(err, ErrEmptyFile) {
		t.Errorf("empty file: got %v", err)
	}
}

func TestReadProvidersAbort(t *testing.T) {
	in := dgefpHeader + "\n" + dgefpRow(0, nil) + "\n" + dgefpRow(0, map[int]string{pNDA: "84699719669"}) + "\n"
	down := errors.New("database is down")
	s := newSink[ProviderRow]()
	s.answers[3] = down
	rep, err := ReadProviders(context.Background(), strings.NewReader(in), s.add)
	if !errors.Is(err, down) || err.Error() != "importer: providers: line 3: database is down" || rep.Inserted != 1 {
		t.Errorf("got %v, %v", rep, err)
	}
}

// generatedList is a DGEFP-shaped file of 150,000 fictional providers,
// the size of the real list, built once for the tests and the benchmark.
var generatedList = sync.OnceValues(func() ([]fakefr.Provider, []byte) {
	ps := fakefr.New(2026).UniqueProviders(150000)
	var b bytes.Buffer
	if err := fakefr.WriteDGEFP(&b, ps); err != nil {
		panic(err)
	}
	return ps, b.Bytes()
})

// TestReadProvidersGenerated reads back a generated list of the real size
// and checks every field of every row.
func TestReadProvidersGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("150,000 rows: skipped in -short mode")
	}
	ps, file := generatedList()
	rows := make([]ProviderRow, 0, len(ps))
	start := time.Now()
	rep, err := ReadProviders(context.Background(), bytes.NewReader(file), func(_ context.Context, _ int, p ProviderRow) (Outcome, error) {
		rows = append(rows, p)
		return Inserted, nil
	})
	elapsed := time.Since(start)
	if err != nil || rep.Inserted != len(ps) || rep.Rejected != 0 {
		t.Fatalf("got %s %q %v", rep.String(), rejects(rep)[:min(5, len(rep.Errors))], err)
	}
	t.Logf("read and checked %d rows (%.1f MB) in %v", len(rows), float64(len(file))/1e6, elapsed)
	for i, p := range ps {
		if got, want := rows[i], providerRowOf(p); !reflect.DeepEqual(got, want) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i+2, got, want)
		}
	}
}

// providerRowOf is what ReadProviders should make of a generated provider.
func providerRowOf(p fakefr.Provider) ProviderRow {
	r := ProviderRow{NDA: p.NDA, PreviousNDAs: p.PreviousNDAs, Name: p.Name, SIREN: p.SIREN, SIRET: p.SIRET,
		Street: p.Address.Street, PostalCode: p.Address.PostalCode, City: p.Address.City, RegionCode: p.RegionCode,
		QualiopiActions: p.Qualiopi[fakefr.QualiopiActions], QualiopiSkillsAssessment: p.Qualiopi[fakefr.QualiopiSkillsAssessment],
		QualiopiVAE: p.Qualiopi[fakefr.QualiopiVAE], QualiopiApprenticeship: p.Qualiopi[fakefr.QualiopiApprenticeship],
		LastDeclaration: p.LastDeclaration, FiscalStart: p.FiscalStart, FiscalEnd: p.FiscalEnd,
		Trainees: p.Trainees, TraineesFromOtherOF: p.TraineesFromOtherOF, Trainers: p.Trainers}
	if f := p.Foreign; f != nil {
		r.Foreign = &ForeignOrg{Name: f.Name, Street: f.Street, PostalCode: f.PostalCode, City: f.City, Country: f.Country}
	}
	for _, s := range p.Specialities {
		r.Specialities = append(r.Specialities, Speciality{Code: s.NSF, Label: s.Label})
	}
	return r
}

// BenchmarkReadProviders reads and checks a generated list of 150,000
// providers (about 45 MB), the size of the real DGEFP list; the target is
// well under 5 s per run.
func BenchmarkReadProviders(b *testing.B) {
	_, file := generatedList()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := ReadProviders(context.Background(), bytes.NewReader(file), func(context.Context, int, ProviderRow) (Outcome, error) {
			return Inserted, nil
		})
		if err != nil || rep.Inserted != 150000 {
			b.Fatalf("got %s, %v", rep.String(), err)
		}
	}
}
