// Package i18n holds the French and English message catalogues and the
// formatting of dates (shown in Europe/Paris) and money for both languages.
//
// French is the default. Catalogues are flat JSON files (key → text) embedded
// in the binary; a test keeps their keys identical.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on machines without zoneinfo
)

// Supported languages; the first is the default.
const (
	FR = "fr"
	EN = "en"
)

// Languages lists the supported languages, default first.
var Languages = []string{FR, EN}

//go:embed locales/*.json
var files embed.FS

// catalogues is filled once at start-up and only read afterwards.
var catalogues = mustLoad()

// Paris is the zone in which every time is shown.
var Paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return loc
}

func mustLoad() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range Languages {
		b, err := files.ReadFile("locales/" + lang + ".json")
		if err != nil {
			panic("i18n: " + err.Error())
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: locales/%s.json: %v", lang, err))
		}
		out[lang] = m
	}
	return out
}

// Keys returns the sorted keys of a language's catalogue (for tests and tools).
func Keys(lang string) []string {
	keys := make([]string, 0, len(catalogues[lang]))
	for k := range catalogues[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether the key exists in the default catalogue.
func Has(key string) bool {
	_, ok := catalogues[FR][key]
	return ok
}

// T translates key into lang, formatting args with fmt verbs when given. An
// unknown language falls back to French, an unknown key shows itself (a test
// catches those in templates).
func T(lang, key string, args ...any) string {
	s, ok := catalogues[Normalize(lang)][key]
	if !ok {
		if s, ok = catalogues[FR][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Normalize returns the supported language matching a tag such as "en-GB",
// or the default.
func Normalize(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	for _, l := range Languages {
		if tag == l || strings.HasPrefix(tag, l+"-") || strings.HasPrefix(tag, l+"_") {
			return l
		}
	}
	return FR
}

// Supported reports whether tag names a supported language exactly.
func Supported(tag string) bool {
	for _, l := range Languages {
		if tag == l {
			return true
		}
	}
	return false
}

// Negotiate picks the best supported language from an Accept-Language header.
func Negotiate(header string) string {
	best, bestQ := FR, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		tag = strings.ToLower(tag)
		for _, l := range Languages {
			if (tag == l || strings.HasPrefix(tag, l+"-")) && q > bestQ {
				best, bestQ = l, q
			}
		}
	}
	return best
}

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Date formats the day of t in Paris: 23/11/2026 or 23 Nov 2026.
func Date(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	p := t.In(Paris)
	if Normalize(lang) == EN {
		return fmt.Sprintf("%d %s %d", p.Day(), monthsEN[p.Month()-1], p.Year())
	}
	return p.Format("02/01/2006")
}

// DateTime formats t in Paris: 23/11/2026 14:05 or 23 Nov 2026, 14:05.
func DateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	p := t.In(Paris)
	if Normalize(lang) == EN {
		return Date(lang, t) + ", " + p.Format("15:04")
	}
	return p.Format("02/01/2006 15:04")
}

// ParseMoney reads an amount of euros typed the French or English way
// ("1 250,50", "1250.50", "1 250 €", "-20"), at most 2 decimals, as cents;
// empty is nil. The reverse of Money; whether a negative amount is allowed
// is the caller's rule.
func ParseMoney(s string) (*int64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "", "EUR", "", "eur", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return nil, true
	}
	whole, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	if whole == "" {
		whole = "0"
	}
	isDigits := func(s string) bool { return strings.Trim(s, "0123456789") == "" }
	if len(frac) > 2 || len(whole) > 12 || !isDigits(whole) || !isDigits(frac) {
		return nil, false
	}
	units, _ := strconv.ParseInt(whole, 10, 64)
	cents, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	v := units*100 + cents
	if neg {
		v = -v
	}
	return &v, true
}

// Money formats cents of euros: "1 234,56 €" (narrow no-break spaces) or "€1,234.56".
func Money(lang string, cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	units, rest := strconv.FormatInt(cents/100, 10), cents%100
	sep, dec := "\u202f", ","
	if Normalize(lang) == EN {
		sep, dec = ",", "."
	}
	var b strings.Builder
	for i, r := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	num := fmt.Sprintf("%s%s%02d", b.String(), dec, rest)
	sign := ""
	if neg {
		sign = "-"
	}
	if Normalize(lang) == EN {
		return sign + "€" + num
	}
	return sign + num + "\u00a0€"
}
