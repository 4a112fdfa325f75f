package fec

import "strings"

// Letter letters the client (41x) lines of every invoice that its payments
// and credit notes (entries whose Settles is the invoice's PieceRef, on the
// same client account) settle exactly: partly paid or overpaid invoices stay
// open. A group reuses a code one of its lines already has, else takes the
// next free one ("AA", "AB", … "ZZ", "AAA"); DateLet is the group's latest
// date. Call it after Number so that codes follow the chronology. It
// returns how many invoices it lettered.
func Letter(entries []Entry) int {
	used := map[string]bool{}
	settlers := map[string][]int{}
	for i, e := range entries {
		for _, l := range e.Lines {
			if l.Let != "" {
				used[l.Let] = true
			}
		}
		if e.Settles != "" {
			settlers[e.Settles] = append(settlers[e.Settles], i)
		}
	}
	next := 0
	lettered := 0
	for i := range entries {
		inv := &entries[i]
		ci := clientLine(inv)
		group := settlers[inv.PieceRef]
		if inv.Settles != "" || ci < 0 || len(group) == 0 {
			continue
		}
		cl := inv.Lines[ci]
		due := cl.Debit - cl.Credit
		if due <= 0 {
			continue
		}
		type ref struct{ entry, line int }
		refs := []ref{{i, ci}}
		var paid int64
		for _, j := range group {
			k := clientLine(&entries[j])
			if k < 0 {
				continue
			}
			l := entries[j].Lines[k]
			if l.Account != cl.Account || l.AuxAccount != cl.AuxAccount {
				continue
			}
			paid += l.Credit - l.Debit
			refs = append(refs, ref{j, k})
		}
		if paid != due {
			continue
		}
		code := ""
		last := inv.Date
		for _, r := range refs {
			if c := entries[r.entry].Lines[r.line].Let; c != "" && code == "" {
				code = c
			}
			if d := entries[r.entry].Date; d.After(last) {
				last = d
			}
		}
		for code == "" {
			if c := letterCode(next); !used[c] {
				code = c
			}
			next++
		}
		used[code] = true
		for _, r := range refs {
			l := &entries[r.entry].Lines[r.line]
			l.Let, l.LetDate = code, last
		}
		lettered++
	}
	return lettered
}

// clientLine is the index of an entry's first line on a client account (PCG
// class 41), or -1.
func clientLine(e *Entry) int {
	for i, l := range e.Lines {
		if strings.HasPrefix(l.Account, "41") {
			return i
		}
	}
	return -1
}

// letterCode is the n-th lettering code: AA…ZZ, then AAA…ZZZ, and so on.
func letterCode(n int) string {
	width, span := 2, 26*26
	for n >= span {
		n -= span
		width++
		span *= 26
	}
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = byte('A' + n%26)
		n /= 26
	}
	return string(b)
}
