package geo

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/courtier-crm/courtier/internal/textsearch"
)

// expandAbbreviation is applied to completed query words only, so that
// typing "st" still offers Strasbourg while "st etienne" finds Saint-Étienne.
func expandAbbreviation(word string) (string, bool) {
	switch word {
	case "st":
		return "saint", true
	case "ste":
		return "sainte", true
	case "sts":
		return "saints", true
	case "stes":
		return "saintes", true
	}
	return word, false
}

// SearchCommunes returns up to limit communes (no limit when limit <= 0)
// whose folded name starts with the folded query, most populated first.
// Case, accents, hyphens and apostrophes are ignored and the abbreviations
// St/Ste are understood: "saint etienne", "ST-ETIENNE" and "Saint-Étienne"
// all find Saint-Étienne. A query of 2 to 5 digits matches postal codes
// starting with it, so "42000" returns the communes of that postal code.
func SearchCommunes(query string, limit int) []Commune {
	q := textsearch.Fold(query)
	if q == "" {
		return nil
	}
	ix := data()
	if isDigits(q) {
		if len(q) < 2 || len(q) > 5 {
			return nil
		}
		return ix.searchPostal(q, limit)
	}
	// A trailing separator means the last word is complete: "paris " must
	// not match Parisot, and the last word may be an abbreviation.
	if last, _ := utf8.DecodeLastRuneInString(query); textsearch.Fold(string(last)) == "" {
		q += " "
	}
	words := strings.Split(q, " ")
	expanded := false
	for k := range len(words) - 1 {
		if full, ok := expandAbbreviation(words[k]); ok {
			words[k] = full
			expanded = true
		}
	}
	alt := ""
	if expanded {
		alt = strings.Join(words, " ")
	}
	var idx []int
	for _, e := range ix.search {
		if strings.HasPrefix(e.key, q) || alt != "" && strings.HasPrefix(e.key, alt) {
			idx = append(idx, e.i)
			if len(idx) == limit {
				break
			}
		}
	}
	return ix.pick(idx)
}

func (ix *index) searchPostal(prefix string, limit int) []Commune {
	var out []Commune
	if len(prefix) == 5 {
		out = ix.pick(ix.byPostalCode[prefix])
		slices.SortStableFunc(out, func(a, b Commune) int { return cmp.Compare(b.Population, a.Population) })
	} else {
		for _, e := range ix.search {
			c := ix.communes[e.i]
			if slices.ContainsFunc(c.PostalCodes, func(cp string) bool { return strings.HasPrefix(cp, prefix) }) {
				out = append(out, c)
				if len(out) == limit {
					break
				}
			}
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
