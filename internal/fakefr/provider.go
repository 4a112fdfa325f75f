package fakefr

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/nsf"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Provider is a fictional training provider (organisme de formation) with
// what the DGEFP public list says of it and the contact details a broker
// keeps.
type Provider struct {
	// NDA is the numéro de déclaration d'activité: region code, the first two
	// characters of the department code ("75", "2A", "97") and 7 digits.
	NDA          string
	PreviousNDAs []string // declarations in another region before a move; rare
	Name         string
	LegalForm    string // "SAS", "EI" (sole trader), "Association", "GRETA (EPLE)"…
	SIREN, SIRET string // Luhn-valid; public bodies start with 1 or 2
	Address      Address
	RegionCode   string
	// Qualiopi is the certification by category of action, indexed by
	// QualiopiActions, QualiopiSkillsAssessment, QualiopiVAE and
	// QualiopiApprenticeship.
	Qualiopi [4]bool
	Foreign  *ForeignBody // the foreign body it represents; nil for nearly all
	// From the last BPF; zero for a provider too new to have filed one.
	LastDeclaration, FiscalStart, FiscalEnd time.Time
	Specialities                            []Speciality // 1 to 3, main one first
	// From the last BPF; -1 when none was filed.
	Trainees, TraineesFromOtherOF, Trainers int
	Website, Email, Phone                   string // Phone in E.164, from the fiction blocks
	VATExempt                               bool   // holds the art. 261-4-4° a CGI attestation
}

// The indexes of Provider.Qualiopi, in the DGEFP list's order.
const (
	QualiopiActions = iota
	QualiopiSkillsAssessment
	QualiopiVAE
	QualiopiApprenticeship
)

// ForeignBody is a foreign training body represented by a French provider.
type ForeignBody struct {
	Name, Street, PostalCode, City, Country string
}

// Speciality is an NSF group a provider declares, with its official label.
type Speciality struct {
	NSF   string // 3 digits
	Label string
}

// providerRefDate is the day the generated list is as of: BPFs for 2025
// were filed in the spring of 2026.
var providerRefDate = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)

// Provider returns a training provider: a company, a sole trader, an
// association, a public body (GRETA, chamber of commerce, university…) or a
// branch of a national chain, in a commune drawn by population, with NSF
// specialities matching its name and Qualiopi, BPF figures and contact
// details as the DGEFP list shows them. NDA, SIREN and name are random and
// may repeat across calls; UniqueProviders makes them distinct.
func (g *Gen) Provider() Provider {
	return g.complete(g.draft(g.weighted(ofKindWeights...)))
}

// providerDraft is a provider's kind, trade, place and name: what is drawn
// before the rest, so that UniqueProviders can turn down a taken name
// cheaply.
type providerDraft struct {
	kind   int
	prof   ofProfile
	c      geo.Commune
	person Person // for a sole trader
	pat    ofPattern
	name   string
}

func (g *Gen) draft(kind int) providerDraft {
	d := providerDraft{kind: kind, prof: ofProfiles[g.weighted(ofProfileWeights...)]}
	if kind == kindPublic || kind == kindChain {
		// Public bodies and chains teach a bit of everything.
		d.prof = ofProfiles[len(ofProfiles)-1]
	}
	if kind == kindSoleTrader {
		d.c = g.commune()
		d.person = g.Person()
		d.name = g.soleTraderName(d.person, d.prof)
	} else {
		d.pat = pick(g, ofPatterns[kind])
		d.c = g.commune()
		for d.c.Population < d.pat.minPop {
			d.c = g.commune()
		}
		d.name = g.providerName(d.pat.tmpl, d.c, d.prof)
	}
	if g.r.IntN(3) == 0 && kind != kindPublic {
		d.name = strings.ToUpper(d.name) // as many providers declare themselves
	}
	return d
}

// complete draws the rest of a drafted provider.
func (g *Gen) complete(d providerDraft) Provider {
	p := Provider{Name: d.name, LegalForm: d.pat.form}
	if d.kind == kindSoleTrader {
		p.LegalForm = "EI"
	}
	if d.pat.siren != 0 {
		p.SIREN = g.sirenWithPrefix(d.pat.siren)
	} else {
		p.SIREN = g.SIREN()
	}
	p.SIRET = g.SIRET(p.SIREN)
	p.Address = g.addressIn(d.c)
	p.RegionCode = d.c.Region
	p.NDA = g.nda(d.c.Region, d.c.Department)
	if g.r.IntN(50) == 0 {
		other := pick(g, addressCommunes().communes)
		p.PreviousNDAs = []string{g.nda(other.Region, other.Department)}
	}
	p.Specialities = g.specialities(d.prof)
	g.providerFigures(&p, d.kind)
	if p.LegalForm == "" {
		p.LegalForm = g.privateForm(max(p.Trainers, 1))
	}
	g.qualiopi(&p, d.kind, d.prof, d.pat.appr)
	if d.kind == kindCompany && g.r.IntN(150) == 0 {
		p.Foreign = g.foreignBody()
	}
	g.contact(&p, d.person, d.kind)
	p.VATExempt = d.kind == kindPublic || g.r.IntN(100) < 65
	return p
}

// UniqueProviders returns n providers with distinct NDAs, SIRENs and names
// (ignoring case and accents). A repeated name is replaced by a fresh one
// of the same kind a few times, then of a company, and only then made
// unique with the city and a number.
func (g *Gen) UniqueProviders(n int) []Provider {
	out := make([]Provider, 0, max(n, 0))
	ndas := make(map[string]bool, 2*n)
	sirens := make(map[string]bool, n)
	names := make(map[string]bool, n)
	taken := func(name string) bool { return names[textsearch.Fold(name)] }
	for len(out) < n {
		kind := g.weighted(ofKindWeights...)
		d := g.draft(kind)
		// Redraw within the kind, or the kinds with fewer possible names
		// (chains, public bodies) would become rarer than they should;
		// once a kind is saturated (one CCI per department), draw a company.
		for try := 0; try < 12 && taken(d.name); try++ {
			if try == 8 {
				kind = kindCompany
			}
			d = g.draft(kind)
		}
		if taken(d.name) {
			base := d.name
			if !strings.Contains(textsearch.Fold(base), textsearch.Fold(d.c.Name)) {
				base += " " + d.c.Name
			}
			name := base
			for k := 2; taken(name); k++ {
				name = fmt.Sprintf("%s %d", base, k)
			}
			d.name = name
		}
		p := g.complete(d)
		for ndas[p.NDA] {
			p.NDA = g.nda(p.RegionCode, p.Address.Department)
		}
		// A previous NDA is someone's old number: it must not be anyone's current one.
		if len(p.PreviousNDAs) > 0 && (ndas[p.PreviousNDAs[0]] || p.PreviousNDAs[0] == p.NDA) {
			p.PreviousNDAs = nil
		}
		for sirens[p.SIREN] {
			p.SIREN = g.sirenWithPrefix(p.SIREN[0])
			p.SIRET = g.SIRET(p.SIREN)
		}
		ndas[p.NDA], sirens[p.SIREN], names[textsearch.Fold(p.Name)] = true, true, true
		for _, prev := range p.PreviousNDAs {
			ndas[prev] = true
		}
		out = append(out, p)
	}
	return out
}

// nda builds a declaration number: region, department on 2 characters, 7
// digits, as the DREETS number them.
func (g *Gen) nda(region, department string) string {
	return fmt.Sprintf("%s%s%07d", region, department[:2], g.r.IntN(10_000_000))
}

// specialities draws 1 to 3 NSF groups of a trade, its main one first; a
// generalist's main one is any of its trade's.
func (g *Gen) specialities(prof ofProfile) []Speciality {
	n := 1 + g.weighted(45, 35, 20)
	codes := []string{prof.nsf[0]}
	if prof.generalist {
		codes[0] = pick(g, prof.nsf)
	}
	for len(codes) < min(n, len(prof.nsf)) {
		c := prof.nsf[1+g.r.IntN(len(prof.nsf)-1)]
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	out := make([]Speciality, len(codes))
	for i, c := range codes {
		out[i] = Speciality{NSF: c, Label: nsfLabel(c)}
	}
	return out
}

func nsfLabel(code string) string {
	c, ok := nsf.Lookup(code)
	if !ok {
		panic("fakefr: unknown NSF code " + code)
	}
	return c.Label
}

// providerFigures sets the fiscal year, the declaration date and the BPF
// counts, which span four orders of magnitude between a sole trader and a
// public network.
func (g *Gen) providerFigures(p *Provider, kind int) {
	if g.r.IntN(50) == 0 {
		// Declared this year: no BPF yet.
		p.Trainees, p.TraineesFromOtherOF, p.Trainers = -1, -1, -1
		return
	}
	year := 2025
	if g.r.IntN(10) == 0 {
		year = 2024 // late with the 2025 BPF
	}
	switch g.weighted(85, 10, 5) {
	case 0:
		p.FiscalStart = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	case 1:
		p.FiscalStart = time.Date(year-1, 7, 1, 0, 0, 0, 0, time.UTC)
	default:
		p.FiscalStart = time.Date(year-1, 10, 1, 0, 0, 0, 0, time.UTC)
	}
	p.FiscalEnd = p.FiscalStart.AddDate(1, 0, -1)
	// BPFs are due by 31 May for a calendar year, filed from January on.
	p.LastDeclaration = p.FiscalEnd.AddDate(0, 0, 15+g.r.IntN(140))
	if p.LastDeclaration.After(providerRefDate) {
		p.LastDeclaration = providerRefDate.AddDate(0, 0, -g.r.IntN(30))
	}
	lo, hi, tlo, thi := 20.0, 800.0, 1, 8
	switch kind {
	case kindSoleTrader:
		lo, hi, tlo, thi = 4, 200, 1, 1
	case kindAssociation:
		lo, hi, tlo, thi = 30, 1500, 2, 30
	case kindPublic, kindChain:
		lo, hi, tlo, thi = 300, 8000, 10, 250
	}
	p.Trainees = g.logUniform(lo, hi)
	p.Trainers = tlo + g.logUniform(1, float64(thi-tlo+1)) - 1
	if g.r.IntN(100) < 55 {
		p.TraineesFromOtherOF = 0
	} else {
		p.TraineesFromOtherOF = g.r.IntN(p.Trainees/3 + 1)
	}
}

// logUniform draws an integer in [lo, hi] whose logarithm is uniform:
// small values are as likely per decade as large ones.
func (g *Gen) logUniform(lo, hi float64) int {
	return int(math.Round(math.Exp(math.Log(lo) + g.r.Float64()*(math.Log(hi)-math.Log(lo)))))
}

// qualiopi draws the certification: about three providers in four hold it
// for training actions; skills assessments and VAE go with their trade, and
// apprenticeship with CFAs.
func (g *Gen) qualiopi(p *Provider, kind int, prof ofProfile, appr bool) {
	actions := map[int]int{kindCompany: 78, kindSoleTrader: 55, kindAssociation: 85, kindPublic: 98, kindChain: 96}[kind]
	p.Qualiopi[QualiopiActions] = g.r.IntN(100) < actions
	skills, vae := 3, 2
	if prof.bilans {
		skills, vae = 75, 40
	}
	if kind == kindPublic {
		skills, vae = 30, 35
	}
	p.Qualiopi[QualiopiSkillsAssessment] = g.r.IntN(100) < skills
	p.Qualiopi[QualiopiVAE] = g.r.IntN(100) < vae
	apprenticeship := map[int]int{kindCompany: 4, kindSoleTrader: 0, kindAssociation: 10, kindPublic: 30, kindChain: 15}[kind]
	p.Qualiopi[QualiopiApprenticeship] = appr || g.r.IntN(100) < apprenticeship
}

// foreignCountries are where represented foreign bodies come from, with a
// city and a postal code of the right shape.
var foreignCountries = [][3]string{
	{"BELGIQUE", "Bruxelles", "1000"}, {"SUISSE", "Genève", "1204"}, {"LUXEMBOURG", "Luxembourg", "L-1450"},
	{"ROYAUME-UNI", "London", "EC1A 1BB"}, {"ALLEMAGNE", "Köln", "50667"}, {"CANADA", "Montréal", "H2X 1Y4"},
	{"ESPAGNE", "Barcelona", "08013"}, {"ITALIE", "Milano", "20121"},
}

func (g *Gen) foreignBody() *ForeignBody {
	c := pick(g, foreignCountries)
	suffix := map[string]string{"ROYAUME-UNI": " Training Ltd", "ALLEMAGNE": " Akademie GmbH", "CANADA": " Formation inc.",
		"ESPAGNE": " Formación S.L.", "ITALIE": " Formazione S.r.l.", "SUISSE": " Formation Sàrl"}[c[0]]
	if suffix == "" {
		suffix = " Formation SA"
	}
	return &ForeignBody{
		Name:       pick(g, vocabulary().brandHeads) + pick(g, vocabulary().brandTails) + suffix,
		Street:     fmt.Sprintf("%d %s", 1+g.r.IntN(120), pick(g, []string{"Rue du Marché", "Avenue Louise", "High Street", "Hauptstraße", "Rue du Rhône", "Via Roma"})),
		PostalCode: c[2],
		City:       c[1],
		Country:    c[0],
	}
}

// contact sets the website, e-mail and phone; sole traders often have no
// website and sign their mail with their name.
func (g *Gen) contact(p *Provider, person Person, kind int) {
	site := g.r.IntN(100) < 85
	if kind == kindSoleTrader {
		site = g.r.IntN(100) < 40
	}
	p.Website, p.Email = g.webAndMail(p.Name, person, site)
	p.Phone = g.PhoneFor(p.Address.Department)
	if kind == kindSoleTrader && g.r.IntN(2) == 0 {
		p.Phone = g.phoneIn(mobileZone)
	}
}

func (g *Gen) webAndMail(name string, person Person, site bool) (website, email string) {
	domain := domainFor(name)
	if site {
		website = "https://www." + domain
	}
	if person.LastName != "" {
		return website, Email(person, domain)
	}
	return website, pick(g, []string{"contact", "formation", "accueil", "info", "inscriptions"}) + "@" + domain
}
