// Package nsf owns the Nomenclature des spécialités de formation (NSF), the
// speciality codes of French vocational training (Code de l'éducation,
// article D311-4): 4 level-1 domains ("3"), 17 level-2 domains ("32") and
// 93 level-3 groups ("326"), plus the letter suffixes that qualify a group
// ("326t": the letter says the function, here "Réalisation du service").
//
// The DGEFP list of training providers and the BPF give specialities as
// 3-digit groups, sometimes with a letter; every lookup here accepts both and
// drops the letter, which Split keeps for callers that need it.
//
// The tables are embedded CSV files parsed once on first use and read-only
// afterwards, so every function is safe for concurrent use.
package nsf

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Code is one entry of the nomenclature.
type Code struct {
	Code   string // "3", "32" or "326"
	Label  string // "Communication et information"
	Parent string // the code one level up; "" for a level-1 domain
	Level  int    // 1, 2 or 3 (the number of digits)
}

// Letter is one of the suffixes of part II of D311-4.
type Letter struct {
	Letter string // "a"–"g", "m"–"w" or "z"
	Kind   string // "champ d'application disciplinaire", "fonction" or "développement personnel"
	Label  string // "Réalisation du service"
}

//go:embed nsf.csv
var codesCSV []byte

//go:embed nsf_lettres.csv
var lettersCSV []byte

// table is the parsed nomenclature; it is never modified once built.
type table struct {
	codes   []Code // in file order: by level, then by code
	byCode  map[string]int
	letters map[string]Letter
}

// data panics on a malformed file: the files are compiled into the binary,
// so that is a build defect the tests catch.
var data = sync.OnceValue(func() *table {
	t := &table{byCode: map[string]int{}, letters: map[string]Letter{}}
	for _, rec := range readCSV("nsf.csv", codesCSV, "code", "niveau", "libelle", "code_parent") {
		level, err := strconv.Atoi(rec[1])
		if err != nil || level != len(rec[0]) || level > 1 && !strings.HasPrefix(rec[0], rec[3]) {
			panic(fmt.Sprintf("nsf: nsf.csv: malformed row %q", rec))
		}
		t.byCode[rec[0]] = len(t.codes)
		t.codes = append(t.codes, Code{Code: rec[0], Label: rec[2], Parent: rec[3], Level: level})
	}
	for _, rec := range readCSV("nsf_lettres.csv", lettersCSV, "lettre", "type", "libelle") {
		t.letters[rec[0]] = Letter{Letter: rec[0], Kind: rec[1], Label: rec[2]}
	}
	return t
})

func readCSV(name string, b []byte, header ...string) [][]string {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) < 2 || !slices.Equal(rows[0], header) {
		panic(fmt.Sprintf("nsf: %s: unreadable or unexpected header (%v)", name, err))
	}
	return rows[1:]
}

// Split separates a code as written in files into its digits and its
// letter suffix, ignoring spaces and case: "326t", "326 T" and " 326t "
// all give ("326", "t"), "326" gives ("326", ""). Anything that is not
// digits optionally followed by one letter gives ("", "").
func Split(code string) (group, letter string) {
	s := strings.ToLower(strings.Join(strings.Fields(code), ""))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	switch {
	case i == 0:
		return "", ""
	case i == len(s):
		return s, ""
	case i == len(s)-1 && s[i] >= 'a' && s[i] <= 'z':
		return s[:i], s[i:]
	}
	return "", ""
}

// Lookup returns the entry of a code of any level; a letter suffix is
// accepted and ignored, but it must be one of the nomenclature's letters.
func Lookup(code string) (Code, bool) {
	group, letter := Split(code)
	t := data()
	if letter != "" {
		if _, ok := t.letters[letter]; !ok {
			return Code{}, false
		}
	}
	i, ok := t.byCode[group]
	if !ok {
		return Code{}, false
	}
	return t.codes[i], true
}

// LookupLetter returns the meaning of a letter suffix ("t", case ignored).
func LookupLetter(letter string) (Letter, bool) {
	l, ok := data().letters[strings.ToLower(strings.TrimSpace(letter))]
	return l, ok
}

// All returns every entry, level-1 domains first, then level 2, then the
// groups, each level sorted by code.
func All() []Code {
	return slices.Clone(data().codes)
}

// Groups returns the 93 level-3 groups, the codes the DGEFP list and the
// BPF use, sorted by code.
func Groups() []Code {
	var out []Code
	for _, c := range data().codes {
		if c.Level == 3 {
			out = append(out, c)
		}
	}
	return out
}

// Domain returns the level-2 domain a code belongs to: "326" and "326t" give
// 32 "Communication et information", and "32" gives itself. A level-1 code
// or an unknown one gives the zero Code.
func Domain(code string) Code {
	c, ok := Lookup(code)
	for ok && c.Level > 2 {
		c, ok = Lookup(c.Parent)
	}
	if !ok || c.Level != 2 {
		return Code{}
	}
	return c
}

// Children returns the entries one level below a code, sorted by code: the
// groups of a level-2 domain ("32" gives 320 to 326) or the level-2 domains
// of a level-1 one. A group or an unknown code has none.
func Children(domain string) []Code {
	parent, ok := Lookup(domain)
	if !ok {
		return nil
	}
	var out []Code
	for _, c := range data().codes {
		if c.Parent == parent.Code {
			out = append(out, c)
		}
	}
	return out
}
