package backoffice

import (
	"time"

	"github.com/courtier-crm/courtier/crm"
)

// qualiopiCategories are the action categories a Qualiopi certificate
// covers, in the order of the public list.
var qualiopiCategories = []string{"actions", "skills", "vae", "apprenticeship"}

// qualiopiView is a provider's Qualiopi certification as pages show it.
type qualiopiView struct {
	Categories []string   // the certified categories
	Confirmed  *time.Time // last confirmation (public list or staff)
	// Stale: certified, but the confirmation is missing or older than
	// crm.QualiopiValidity; someone should check the public list.
	Stale bool
}

func newQualiopiView(p crm.Provider, now time.Time) qualiopiView {
	v := qualiopiView{Confirmed: p.QualiopiConfirmed()}
	for _, c := range qualiopiCategories {
		if p.Qualiopi(c) {
			v.Categories = append(v.Categories, c)
		}
	}
	v.Stale = len(v.Categories) > 0 && (v.Confirmed == nil || now.Sub(*v.Confirmed) >= crm.QualiopiValidity)
	return v
}

// providerRow is a provider in a list.
type providerRow struct {
	crm.Provider
	Qualiopi qualiopiView
}

func providerRows(list []crm.Provider) []providerRow {
	now := time.Now()
	out := make([]providerRow, 0, len(list))
	for _, p := range list {
		out = append(out, providerRow{Provider: p, Qualiopi: newQualiopiView(p, now)})
	}
	return out
}
