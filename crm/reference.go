package crm

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/nsf"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// The reference lists of this file are what web pages need for their select
// boxes and labels; the web packages may not read internal/geo or
// internal/nsf themselves.

// QualiopiValidity is how long a Qualiopi confirmation counts before the
// status is worth checking again (the same rule the search ranks by).
const QualiopiValidity = qualiopiValidity

// RefCode is an entry of a reference list: a code and its label.
type RefCode struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Regions lists the French regions by code.
func Regions() []RefCode {
	var out []RefCode
	for _, r := range geo.Regions() {
		out = append(out, RefCode{Code: r.Code, Label: r.Name})
	}
	return out
}

// Departments lists the French departments by code.
func Departments() []RefCode {
	var out []RefCode
	for _, d := range geo.Departments() {
		out = append(out, RefCode{Code: d.Code, Label: d.Name})
	}
	return out
}

// RegionName is the name of a region code, "" when unknown.
func RegionName(code string) string {
	r, _ := geo.RegionByCode(code)
	return r.Name
}

// NSFDomains lists the 17 level-2 NSF domains ("31 Échanges et gestion"),
// the granularity of the search filter.
func NSFDomains() []RefCode {
	var out []RefCode
	for _, c := range nsf.All() {
		if c.Level == 2 {
			out = append(out, RefCode{Code: c.Code, Label: c.Label})
		}
	}
	return out
}

// NSFGroups lists the 93 NSF groups (3 digits), the codes providers and
// courses carry.
func NSFGroups() []RefCode {
	var out []RefCode
	for _, c := range nsf.Groups() {
		out = append(out, RefCode{Code: c.Code, Label: c.Label})
	}
	return out
}

// NSFLabels names space-separated NSF codes; unknown codes keep their code as label.
func NSFLabels(codes string) []RefCode {
	var out []RefCode
	for _, code := range strings.Fields(codes) {
		label := code
		if c, ok := nsf.Lookup(code); ok {
			label = c.Label
		}
		out = append(out, RefCode{Code: code, Label: label})
	}
	return out
}

// CommuneName is the name of a commune's INSEE code, "" when unknown.
func CommuneName(code string) string {
	c, _ := geo.CommuneByCode(code)
	return c.Name
}

// codeInParens finds the INSEE code of a place written "Lyon (69123)".
var codeInParens = regexp.MustCompile(`\(\s*([0-9][0-9AB][0-9]{3})\s*\)\s*$`)

// ResolveCommune finds the INSEE code of a place as staff type it: an INSEE
// code, "Name (code)", a postal code (its first commune) or a commune name
// (the most populated commune of that name). ok is false when nothing matches.
func ResolveCommune(place string) (code string, ok bool) {
	place = strings.TrimSpace(place)
	if m := codeInParens.FindStringSubmatch(place); m != nil {
		place = m[1]
	}
	if place == "" {
		return "", false
	}
	if c, found := geo.CommuneByCode(strings.ToUpper(place)); found {
		return c.Code, true
	}
	if list := geo.CommunesByPostalCode(place); len(list) > 0 {
		return list[0].Code, true
	}
	want := textsearch.Fold(place)
	list := geo.SearchCommunes(place, 20)
	for _, c := range list {
		if textsearch.Fold(c.Name) == want {
			return c.Code, true
		}
	}
	return "", false
}

// ResolveCommunes resolves a list of places separated by commas or
// semicolons (see ResolveCommune); unknown lists the places not found.
func ResolveCommunes(places string) (codes, unknown []string) {
	for _, p := range strings.FieldsFunc(places, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if code, ok := ResolveCommune(p); ok {
			codes = append(codes, code)
		} else {
			unknown = append(unknown, strings.TrimSpace(p))
		}
	}
	return codes, unknown
}

// CommuneLabel writes a commune as ResolveCommune reads it back: "Lyon (69123)".
func CommuneLabel(code string) string {
	if name := CommuneName(code); name != "" {
		return fmt.Sprintf("%s (%s)", name, code)
	}
	return code
}
