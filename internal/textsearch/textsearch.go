// Package textsearch turns French text into the terms both databases index:
// folded (no case, no accents), stop words dropped, plurals reduced. Indexing
// and querying share these rules, so SQLite FTS5 and PostgreSQL tsvector
// match exactly the same entries; internal/db writes the dialect's query.
package textsearch

import "strings"

// Index returns the normalised terms of the given texts, space-separated,
// ready to store in a search_text column.
func Index(texts ...string) string {
	var b strings.Builder
	for _, t := range texts {
		for _, w := range strings.Fields(Fold(t)) {
			if w = stem(w); w == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// Query returns the distinct terms of a user's query, in order. Each is
// matched as a prefix, so "compta" finds "Comptabilité". A query made only of
// stop words keeps them, so that searching "les" still finds something.
func Query(q string) []string {
	words := strings.Fields(Fold(q))
	var terms []string
	seen := map[string]bool{}
	for _, w := range words {
		if s := stem(w); s != "" && !seen[s] {
			seen[s] = true
			terms = append(terms, s)
		}
	}
	if len(terms) == 0 {
		for _, w := range words {
			if !seen[w] {
				seen[w] = true
				terms = append(terms, w)
			}
		}
	}
	return terms
}

// stem reduces a folded word: stop words vanish, and a final s or x of a
// word longer than three letters goes (formations → formation, travaux →
// travau on both sides). A light stemmer on purpose: prefix matching at query
// time covers the rest, and it never merges unrelated words.
func stem(w string) string {
	if stopWords[w] {
		return ""
	}
	if n := len(w); n > 3 && (w[n-1] == 's' || w[n-1] == 'x') && w[n-2] != 's' {
		return w[:n-1]
	}
	return w
}

// stopWords are French function words too frequent to help a search, in
// folded form. Words that carry meaning in this trade (formation, stage)
// are not here.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a au aux avec ce ces d dans de des du elle en et il
		ils je l la le les leur leurs lui ma mais me mes moi mon n ne nos notre nous on ou
		par pas pour qu que qui s sa se ses son sur t ta te tes toi ton tu un une vos votre
		vous y est sont ete etre avoir ai as a cette cet c j m`) {
		m[w] = true
	}
	return m
}()
