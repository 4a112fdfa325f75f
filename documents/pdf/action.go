package pdf

import (
	"sort"
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// Category is the nature of an action among those of art. L6313-1 of the
// Code du travail (actions concourant au développement des compétences).
type Category string

// The L6313-1 categories, in the order of the law and of the forms.
const (
	CategoryTraining       Category = "training"       // 1° action de formation
	CategorySkillsReview   Category = "skills_review"  // 2° bilan de compétences
	CategoryVAE            Category = "vae"            // 3° validation des acquis de l'expérience
	CategoryApprenticeship Category = "apprenticeship" // 4° action de formation par apprentissage
)

// Categories lists the L6313-1 categories in the law's order.
var Categories = []Category{CategoryTraining, CategorySkillsReview, CategoryVAE, CategoryApprenticeship}

// Slot is one half-day of an action: a morning or an afternoon.
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// minutes is the slot's length.
func (s Slot) minutes() int { return int(s.End.Sub(s.Start) / time.Minute) }

// morning tells a morning slot (starts before 12:00 in Paris) from an afternoon.
func (s Slot) morning() bool { return s.Start.In(i18n.Paris).Hour() < 12 }

// day is the slot's date in Paris, as a sortable key.
func (s Slot) day() string { return s.Start.In(i18n.Paris).Format("2006-01-02") }

// Trainee is a person following the action.
type Trainee struct {
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	JobTitle string `json:"job_title,omitempty"`
	Company  string `json:"company,omitempty"` // for inter-company sessions
}

// Action is the training action a document is about.
type Action struct {
	Title        string   `json:"title"`
	Category     Category `json:"category"`
	Objectives   []string `json:"objectives,omitempty"`
	ProgrammeRef string   `json:"programme_ref,omitempty"` // reference of the programme annex
	Minutes      int      `json:"minutes,omitempty"`       // planned duration; zero means the sum of the slots
	Slots        []Slot   `json:"slots"`
	Place        string   `json:"place,omitempty"` // address, when in person
	Remote       bool     `json:"remote,omitempty"`
	RemoteLink   string   `json:"remote_link,omitempty"`
	Trainer      string   `json:"trainer,omitempty"`
	Assessment   string   `json:"assessment,omitempty"` // how learning is assessed
	Provider     string   `json:"provider,omitempty"`   // the training body that delivers, when not the broker
}

// plannedMinutes is the stated duration, else the sum of the slots.
func (a Action) plannedMinutes() int {
	if a.Minutes > 0 {
		return a.Minutes
	}
	total := 0
	for _, s := range a.Slots {
		total += s.minutes()
	}
	return total
}

// slots returns the slots in time order.
func (a Action) slots() []Slot {
	s := append([]Slot(nil), a.Slots...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Start.Before(s[j].Start) })
	return s
}

// span is the first start and the last end.
func (a Action) span() (first, last time.Time) {
	s := a.slots()
	if len(s) == 0 {
		return
	}
	return s[0].Start, s[len(s)-1].End
}

// days groups the slots by date in Paris, in order.
func (a Action) days() [][]Slot {
	var out [][]Slot
	for _, s := range a.slots() {
		if n := len(out); n > 0 && out[n-1][0].day() == s.day() {
			out[n-1] = append(out[n-1], s)
			continue
		}
		out = append(out, []Slot{s})
	}
	return out
}
