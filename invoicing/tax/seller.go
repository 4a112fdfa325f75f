package tax

import "time"

// Attestation is the 261-4-4° a attestation (form 3511-SD) that makes a
// seller's continuing-training supplies VAT-exempt (DOMAIN §3.3).
type Attestation struct {
	Granted       bool
	EffectiveFrom time.Time // date the request was received: the exemption starts that day
	RevokedOn     time.Time // zero = not revoked; taxable again from that day
	DocumentRef   string    // the attestation in the document store
}

// ValidOn reports whether the attestation covers a supply made on day. Dates
// compare as calendar days, each in its own location. A granted attestation
// without an effective date covers nothing: the exemption cannot be proven.
func (a Attestation) ValidOn(day time.Time) bool {
	if !a.Granted || a.EffectiveFrom.IsZero() || day.IsZero() {
		return false
	}
	d := civil(day)
	if d < civil(a.EffectiveFrom) {
		return false
	}
	return a.RevokedOn.IsZero() || d < civil(a.RevokedOn)
}

// civil turns a time into a comparable yyyymmdd number.
func civil(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// VATScheme is the seller's VAT scheme.
type VATScheme string

// The seller VAT schemes.
const (
	Normal        VATScheme = "NORMAL"
	Franchise293B VATScheme = "FRANCHISE_293B" // franchise en base: no VAT charged (art. 293 B CGI)
)

// Valid reports whether s is a known scheme; "" is not (callers store NORMAL).
func (s VATScheme) Valid() bool { return s == Normal || s == Franchise293B }

// Accounts are the general-ledger accounts the decisions point to (PCG).
type Accounts struct {
	Client            string // 411 customers
	RevenueTaxable    string // training taxable in France (and a franchise seller's training)
	RevenueExemptFPC  string // training exempt under 261-4-4° a (CA3 exempt operations; BPF)
	RevenueEU         string // services to EU businesses, reverse charge (CA3 line E2-style, DES)
	RevenueNonEU      string // services to non-EU businesses, outside French VAT
	RevenueDOM        string // services taxed at the DOM rate (8.5 %)
	RevenueDOMUntaxed string // services to Guyane/Mayotte businesses, no VAT (art. 294)
	RevenueCommission string // commissions as apporteur d'affaires (not training revenue in the BPF)
	RevenueOther      string // other services taxable in France (consulting, rooms, recruitment)
	VATCollected      string // 44571 VAT collected (on debits, or once received)
	VATOnReceipts     string // 44574 VAT collected on receipts, moved to 44571 on payment
	Transit           string // 467 disbursements paid in the client's name
	Bank              string // 512 bank
}

// DefaultAccounts returns PCG defaults with one 706 sub-account per VAT
// treatment, so the CA3 return lines and the BPF can be filled from the
// ledger (DOMAIN §6). The accountant may change every one of them.
func DefaultAccounts() Accounts {
	return Accounts{
		Client:            "411000",
		RevenueTaxable:    "706100",
		RevenueExemptFPC:  "706200",
		RevenueEU:         "706300",
		RevenueNonEU:      "706400",
		RevenueDOM:        "706500",
		RevenueDOMUntaxed: "706600",
		RevenueCommission: "706700",
		RevenueOther:      "706800",
		VATCollected:      "445710",
		VATOnReceipts:     "445740",
		Transit:           "467000",
		Bank:              "512000",
	}
}

// Seller is the VAT profile of the selling entity, dated by its attestation.
type Seller struct {
	VATScheme      VATScheme
	Attestation261 Attestation
	VATOnDebits    bool // option for VAT on debits; services default to VAT on receipts
	Accounts       Accounts
}
