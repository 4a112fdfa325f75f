package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sink records what it is given and answers from a table keyed by line.
type sink[T any] struct {
	got     map[int]T
	answers map[int]error
	outcome map[int]Outcome
}

func newSink[T any]() *sink[T] {
	return &sink[T]{got: map[int]T{}, answers: map[int]error{}, outcome: map[int]Outcome{}}
}

func (s *sink[T]) add(_ context.Context, line int, v T) (Outcome, error) {
	s.got[line] = v
	if err := s.answers[line]; err != nil {
		return 0, err
	}
	if o, ok := s.outcome[line]; ok {
		return o, nil
	}
	return Inserted, nil
}

func rejects(r Report) []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, fmt.Sprintf("%d:%s", e.Line, e.Reason))
	}
	return out
}

func TestReadEmployees(t *testing.T) {
	in := "Matricule;Nom;Prénom;E-mail;Téléphone;Poste;Service;Établissement;SIRET;Date de naissance;Date d'entrée\r\n" +
		"A001; Durand ;Élodie;elodie.durand@example.org;01 99 00 12 34;Comptable;Finance;Siège;12345678900012;15/03/1985;01/09/2015\r\n" +
		"A002;Martin;Loïc;;06 39 98 12 34;Technicien;Maintenance;Usine de Lyon;;5/7/1990;2020-01-06\r\n" +
		"\r\n" +
		";Petit;Jean;;;;;;;;\r\n" +
		"A004;;Anne;;;;;;;;\r\n" +
		"A005;Bernard;Chloé;;;;;;;31/02/1990;hier\r\n" +
		"A006;Roux;Hugo;pas-un-email;;;;;;;\r\n" +
		"A007;Moreau;Léa;;;;;;;;\r\n" +
		"A008;Fournier;Paul\r\n" +
		"A009;\"Girard\r\ndit Gigi\";Marc;;;;;;;;\r\n" +
		"A010;Bonnet;Inès;;;;;;;;\r\n"
	s := newSink[EmployeeRow]()
	s.outcome[3] = Updated
	s.answers[8] = errs.NewInvalid("email", "validation.email").Add("phone", "validation.phone")
	s.answers[9] = fmt.Errorf("crm: employee A007: email already used: %w", errs.ErrConflict)
	s.outcome[13] = Unchanged
	rep, err := ReadEmployees(context.Background(), strings.NewReader(in), s.add)
	if err != nil {
		t.Fatalf("ReadEmployees: %v", err)
	}
	wantRejects := []string{
		"5:missing external id (matricule)",
		"6:missing last name (nom)",
		`7:birth date "31/02/1990" is not dd/mm/yyyy or yyyy-mm-dd; hire date "hier" is not dd/mm/yyyy or yyyy-mm-dd`,
		"8:invalid email, phone",
		"9:crm: employee A007: email already used: conflict",
		"10:wrong number of columns: 3, want 11",
	}
	if got := rejects(rep); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if rep.Inserted != 2 || rep.Updated != 1 || rep.Unchanged != 1 || rep.Rejected != 6 {
		t.Errorf("report: got %v", rep)
	}
	if rep.Errors[5].Raw != "A008;Fournier;Paul" || rep.Errors[0].Raw != ";Petit;Jean;;;;;;;;" {
		t.Errorf("raw: got %q and %q", rep.Errors[5].Raw, rep.Errors[0].Raw)
	}
	want := map[int]EmployeeRow{
		2: {ExternalID: "A001", LastName: "Durand", FirstName: "Élodie", Email: "elodie.durand@example.org", Phone: "01 99 00 12 34",
			JobTitle: "Comptable", Department: "Finance", Establishment: "12345678900012", BirthDate: date(1985, 3, 15), HireDate: date(2015, 9, 1)},
		3: {ExternalID: "A002", LastName: "Martin", FirstName: "Loïc", Phone: "06 39 98 12 34", JobTitle: "Technicien",
			Department: "Maintenance", Establishment: "Usine de Lyon", BirthDate: date(1990, 7, 5), HireDate: date(2020, 1, 6)},
		11: {ExternalID: "A009", LastName: "Girard\ndit Gigi", FirstName: "Marc"},
		13: {ExternalID: "A010", LastName: "Bonnet", FirstName: "Inès"},
	}
	for line, w := range want {
		if g := s.got[line]; !reflect.DeepEqual(g, w) {
			t.Errorf("line %d:\n got %+v\nwant %+v", line, g, w)
		}
	}
	if len(s.got) != 6 {
		t.Errorf("sink called for lines %v, want 2 3 8 9 11 13 and no rejected line", keys(s.got))
	}
}

func keys[T any](m map[int]T) []int {
	var k []int
	for i := range m {
		k = append(k, i)
	}
	return k
}

// TestReadEmployeesFile reads an Excel export in Windows-1252 with one line
// in UTF-8, a trailing ';', CRLF, a blank line and English-free headers.
func TestReadEmployeesFile(t *testing.T) {
	f, err := os.Open("testdata/employees_cp1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := newSink[EmployeeRow]()
	rep, err := ReadEmployees(context.Background(), f, s.add)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.String(); got != "4 inserted, 0 updated, 0 unchanged, 2 rejected" {
		t.Errorf("report: got %s (%q)", got, rejects(rep))
	}
	checks := []struct {
		line int
		want EmployeeRow
	}{
		{2, EmployeeRow{ExternalID: "S-0001", LastName: "Durand", FirstName: "Élodie", Email: "elodie.durand@example.org",
			Phone: "06 39 98 12 34", JobTitle: "Assistante de direction", Department: "Direction générale",
			Establishment: "Siège social", BirthDate: date(1985, 3, 15), HireDate: date(2015, 9, 1)}},
		{3, EmployeeRow{ExternalID: "S-0002", LastName: "Lefèvre", FirstName: "François", Email: "francois.lefevre@example.org",
			Phone: "01 99 00 45 67", JobTitle: "Chargé de clientèle", Department: "Service client",
			Establishment: "Agence d'Orléans", BirthDate: date(1979, 11, 2)}},
		{5, EmployeeRow{ExternalID: "S-0003", LastName: "Nguyễn", FirstName: "Thị", JobTitle: "Technicienne",
			Department: "Maintenance", Establishment: "Usine de Besançon", HireDate: date(2021, 6, 14)}},
		{8, EmployeeRow{ExternalID: "S-0006", LastName: "Œuvray", FirstName: "Zoé", Email: "zoe.oeuvray@example.org",
			JobTitle: "Cheffe d'équipe", Department: "Production", Establishment: "Usine de Besançon",
			BirthDate: date(1991, 7, 7), HireDate: date(2019, 3, 3)}},
	}
	for _, c := range checks {
		if g := s.got[c.line]; !reflect.DeepEqual(g, c.want) {
			t.Errorf("line %d:\n got %+v\nwant %+v", c.line, g, c.want)
		}
	}
	want := []string{"6:missing external id (matricule)", `7:birth date "31/02/1990" is not dd/mm/yyyy or yyyy-mm-dd`}
	if got := rejects(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("rejects: got %q, want %q", got, want)
	}
	if raw := rep.Errors[1].Raw; raw != "S-0005;Garçon;Noël;noel.garcon@example.org;;Magasinier;Logistique;Entrepôt;31/02/1990;01/01/2020;" {
		t.Errorf("raw, decoded to UTF-8: got %q", raw)
	}
}

func TestReadEmployeesAbort(t *testing.T) {
	in := "matricule,nom\nA1,Durand\nA2,Martin\nA3,Petit\n"
	down := errors.New("database is down")
	s := newSink[EmployeeRow]()
	s.answers[3] = down
	rep, err := ReadEmployees(context.Background(), strings.NewReader(in), s.add)
	if !errors.Is(err, down) || err.Error() != "importer: employees: line 3: database is down" {
		t.Errorf("got %v, want the sink error with its line", err)
	}
	if rep.Inserted != 1 || len(s.got) != 2 {
		t.Errorf("got %v and %d calls, want the import stopped at line 3", rep, len(s.got))
	}

	// A sink that returns no outcome is a bug: stop rather than miscount.
	rep, err = ReadEmployees(context.Background(), strings.NewReader(in), func(context.Context, int, EmployeeRow) (Outcome, error) {
		return 0, nil
	})
	if err == nil || !strings.Contains(err.Error(), "line 2: sink returned no outcome") {
		t.Errorf("no outcome: got %v, %v", rep, err)
	}
}

func TestReadEmployeesCancel(t *testing.T) {
	in := "matricule;nom\nA1;Durand\nA2;Martin\nA3;Petit\n"
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	rep, err := ReadEmployees(ctx, strings.NewReader(in), func(context.Context, int, EmployeeRow) (Outcome, error) {
		calls++
		cancel()
		return Inserted, nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 || rep.Inserted != 1 {
		t.Errorf("got %v, %v after %d calls", rep, err, calls)
	}
}

func TestReadEmployeesBadFiles(t *testing.T) {
	never := func(context.Context, int, EmployeeRow) (Outcome, error) {
		t.Error("sink called")
		return Inserted, nil
	}
	cases := []struct {
		name, in string
		check    func(error) bool
		text     string
	}{
		{"empty", "", func(err error) bool { return errors.Is(err, ErrEmptyFile) }, "importer: employees: importer: empty file: invalid input"},
		{"blank", "\r\n\r\n", func(err error) bool { return errors.Is(err, ErrEmptyFile) }, ""},
		{"missing columns", "Prénom;Courriel\nJean;j@example.org\n", func(err error) bool {
			var ce *ColumnsError
			return errors.As(err, &ce) && reflect.DeepEqual(ce.Missing, []string{"external_id", "last_name"}) && errors.Is(err, errs.ErrInvalid)
		}, ""},
	}
	for _, c := range cases {
		_, err := ReadEmployees(context.Background(), strings.NewReader(c.in), never)
		if err == nil || !c.check(err) {
			t.Errorf("%s: got %v", c.name, err)
		}
		if c.text != "" && err.Error() != c.text {
			t.Errorf("%s: got %q, want %q", c.name, err, c.text)
		}
	}
	rep, err := ReadEmployees(context.Background(), strings.NewReader("\xEF\xBB\xBFMatricule;Nom;\r\n"), never)
	if err != nil || !reflect.DeepEqual(rep, Report{}) {
		t.Errorf("header only: got %v, %v; want an empty report", rep, err)
	}
}
