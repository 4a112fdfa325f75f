package facturx

import "time"

// Address is a postal address (BG-5, BG-8).
type Address struct {
	Line1, Line2, PostCode, City string
	Country                      string // ISO 3166-1 alpha-2
}

// Party is the seller, the buyer or the payee of an invoice.
type Party struct {
	Name      string
	LegalForm string // seller only: BT-33 (legal form, share capital, RCS)
	SIREN     string // BT-30/BT-47, scheme 0002
	SIRET     string // emitted as a global id, scheme 0009
	VATNumber string // BT-31/BT-48
	Address   Address
	Email     string
	// ElectronicAddress is BT-34/BT-49 (for French companies the SIREN-based
	// address of the directory) and ElectronicScheme its EAS code, e.g. "0225".
	ElectronicAddress string
	ElectronicScheme  string
	ServiceCode       string // buyer only: Chorus Pro code service, written as BT-10 when BuyerReference is empty
}

// Line is one invoice line (BG-25). Amounts are cents.
type Line struct {
	ID, Name, Description string
	QuantityMilli         int64  // 1500 = 1.5
	UnitCode              string // UN/ECE rec 20: HUR hour, DAY day, C62 unit
	UnitPrice             int64  // net unit price, cents
	Discount              int64  // line allowance, cents
	Net                   int64  // round(qty × price) − discount
	Category              string // S, E, AE, K, G, O, Z
	RateBP                int64  // 2000 = 20 %
	Start, End            time.Time
}

// TaxSubtotal is one VAT breakdown row (BG-23), one per category and rate.
type TaxSubtotal struct {
	Category        string
	RateBP          int64
	Base, VAT       int64
	ExemptionReason string // BT-120, the printed mention
	ExemptionCode   string // BT-121, e.g. VATEX-FR-CGI261-4
}

// Note is an invoice note (BG-1) with its UNTDID 4451 subject code.
type Note struct {
	Subject string // PMT, PMD, AAB, REG, BAR, TXD or ""
	Text    string
}

// Ref is a preceding invoice (BG-3): number and issue date.
type Ref struct {
	Number string
	Date   time.Time
}

// Invoice is everything the CII XML carries. Callers fill it from their own
// snapshot of an issued invoice; amounts are int64 cents.
type Invoice struct {
	Number          string
	TypeCode        string // 380 invoice, 381 credit note, 386 deposit, 384 corrective
	IssueDate       time.Time
	DueDate         time.Time
	Currency        string // EUR
	BusinessProcess string // BT-23: S1, S2, S4...
	BuyerReference  string // BT-10
	PurchaseOrder   string // BT-13 (public buyers: engagement number)
	ContractRef     string // BT-12
	Preceding       []Ref  // BT-25/BT-26
	Notes           []Note

	Seller, Buyer Party
	Payee         *Party // BG-10: OPCO or other third party that receives the payment

	ServiceStart, ServiceEnd time.Time // BG-14

	PaymentMeans string // UNTDID 4461: "30" credit transfer, "58" SEPA credit transfer
	IBAN, BIC    string
	PaymentTerms string // BT-20

	Lines []Line
	Taxes []TaxSubtotal

	LineTotal, TaxBasis, TaxTotal, GrandTotal, Prepaid, DuePayable int64
}
