package fakefr

import (
	"strings"

	"github.com/courtier-crm/courtier/internal/geo"
)

// The kinds of provider, by the way they are named and sized.
const (
	kindCompany = iota
	kindSoleTrader
	kindAssociation
	kindPublic
	kindChain
)

// ofPattern is a provider-name template: the placeholders of Gen.fill, plus
// {W} a word of the provider's trade, {K} a chain name, {D} the department
// name and {R} the region name.
type ofPattern struct {
	tmpl   string
	form   string // fixed legal form; "" for a private form by size
	siren  byte   // first SIREN digit of a public body; 0 for random
	minPop int    // keeps universities and GRETA out of villages
	appr   bool   // an apprentice training centre (CFA)
}

var ofPatterns = [...][]ofPattern{
	kindCompany: {
		{tmpl: "{B} Formation"}, {tmpl: "{B} Formations"}, {tmpl: "{B} Conseil"}, {tmpl: "{B} Conseil & Formation"},
		{tmpl: "Institut {B}"}, {tmpl: "Académie {B}"}, {tmpl: "Centre de formation {B}"}, {tmpl: "{B} Learning"},
		{tmpl: "{B} Academy"}, {tmpl: "{B} {W}"}, {tmpl: "{W} Formation {C}", minPop: 5000}, {tmpl: "Espace {W}"},
		{tmpl: "{W} & Compétences"}, {tmpl: "Institut {W} {deR}"}, {tmpl: "{N} Formation"}, {tmpl: "{N} & {N2} Conseil"},
	},
	kindAssociation: {
		{tmpl: "Association pour la formation professionnelle {deC}", form: "Association", minPop: 3000},
		{tmpl: "Association régionale de formation {deR}", form: "Association"},
		{tmpl: "Maison de la formation {deC}", form: "Association", minPop: 3000},
		{tmpl: "Formation et Insertion {deC}", form: "Association", minPop: 3000},
		{tmpl: "{S} Formation", form: "Association"},
		{tmpl: "Association {W} {deR}", form: "Association"},
		{tmpl: "CFA interprofessionnel {deC}", form: "Association", minPop: 10000, appr: true},
	},
	kindPublic: {
		{tmpl: "GRETA {C}", form: "GRETA (EPLE)", siren: '1', minPop: 10000},
		{tmpl: "GRETA {D}", form: "GRETA (EPLE)", siren: '1', minPop: 10000},
		{tmpl: "CCI {D} – Formation continue", form: "Chambre de commerce et d'industrie", siren: '1', minPop: 10000},
		{tmpl: "CMA Formation {D}", form: "Chambre de métiers et de l'artisanat", siren: '1', appr: true, minPop: 10000},
		{tmpl: "Centre de formation professionnelle des adultes {deC}", form: "Établissement public", siren: '2', minPop: 20000},
		{tmpl: "Université {deC} – Formation continue", form: "Établissement public", siren: '1', minPop: 100000},
		{tmpl: "CFA des métiers {deC}", form: "Établissement public", siren: '2', minPop: 10000, appr: true},
	},
	kindChain: {
		{tmpl: "{K} {C}", minPop: 50000}, {tmpl: "{K} {R}"}, {tmpl: "{K} – Agence {deC}", minPop: 50000},
	},
}

// ofKindWeights draw a kind: companies, sole traders, associations, public
// bodies, branches of national chains.
var ofKindWeights = []int{54, 25, 12, 2, 7}

// chains are invented national networks whose branches are separate
// companies (franchises or regional subsidiaries) with an NDA each.
var chains = []string{
	"Compétences Plus", "Horizon Formation", "Cap Métiers", "ProFormance", "Talentéo", "Formalis",
	"Néoformation", "Alterna Formation", "Campus Entreprises", "Evolvia", "Oxalis Formation",
	"Tremplin Compétences", "Axiome Formation", "Pluriel Formation", "Sésame Compétences", "Déclic Formation",
}

// ofProfile is a trade: the NSF groups its providers declare (main one
// first) and the words their names use.
type ofProfile struct {
	weight     int
	nsf        []string
	words      []string
	bilans     bool // skills assessments and VAE: the Qualiopi categories follow
	generalist bool // teaches a bit of everything, with no main trade
}

var ofProfiles = []ofProfile{
	{14, []string{"344", "255", "311"}, []string{"Prévention", "Sécurité", "Secourisme", "Prévention des risques", "Sécurité au travail"}, false, false},
	{12, []string{"324", "326"}, []string{"Informatique", "Numérique", "Digital", "Bureautique", "Data"}, false, false},
	{6, []string{"326", "324"}, []string{"Cyber", "Data", "Systèmes", "Développement", "Numérique"}, false, false},
	{12, []string{"310", "315", "413", "414"}, []string{"Management", "Leadership", "Performance", "Ressources humaines", "Talents"}, false, false},
	{8, []string{"136", "131"}, []string{"Langues", "Langues Vivantes", "Langues & Cultures", "Linguistique"}, false, false},
	{7, []string{"314", "313", "128", "315"}, []string{"Gestion", "Comptabilité", "Finance", "Paie & Gestion", "Juridique"}, false, false},
	{7, []string{"312", "334"}, []string{"Vente", "Commerce", "Relation client", "Business"}, false, false},
	{6, []string{"311", "344"}, []string{"Transport", "Logistique", "Conduite", "Routier"}, false, false},
	{6, []string{"254", "200", "251", "255"}, []string{"Industrie", "Technique", "Soudage", "Métiers industriels", "Usinage"}, false, false},
	{5, []string{"221", "334", "344"}, []string{"Hygiène", "Restauration", "Qualité alimentaire", "Cuisine"}, false, false},
	{6, []string{"331", "330", "332"}, []string{"Santé", "Soins", "Médico-social", "Gérontologie", "Social"}, false, false},
	{7, []string{"415", "413", "414"}, []string{"Coaching", "Orientation", "Bilan", "Évolution professionnelle", "Potentiel"}, true, false},
	{3, []string{"333", "413"}, []string{"Pédagogie", "Ingénierie pédagogique", "Transmission"}, false, false},
	{4, []string{"230", "233", "227", "344"}, []string{"Bâtiment", "BTP", "Énergie", "Construction"}, false, false},
	{3, []string{"200", "310"}, []string{"Qualité", "Performance industrielle", "Excellence opérationnelle"}, false, false},
	{10, []string{"310", "324", "312", "136", "344", "314", "326", "413"}, []string{"Savoirs", "Progrès", "Horizons", "Perspectives", "Savoir-faire"}, false, true},
}

var ofProfileWeights = func() []int {
	w := make([]int, len(ofProfiles))
	for i, p := range ofProfiles {
		w[i] = p.weight
	}
	return w
}()

// soleTraderName names a sole trader after the person, as the DGEFP list
// shows them: the name alone, or followed by the trade.
func (g *Gen) soleTraderName(person Person, prof ofProfile) string {
	full := person.FirstName + " " + person.LastName
	switch g.weighted(35, 20, 15, 15, 15) {
	case 0:
		return full
	case 1:
		return full + " Formation"
	case 2:
		return full + " Conseil"
	case 3:
		return strings.ToUpper(person.LastName) + " " + person.FirstName
	}
	return full + " " + pick(g, prof.words)
}

// providerName fills a pattern: the provider-specific placeholders first,
// then those of company names.
func (g *Gen) providerName(tmpl string, c geo.Commune, prof ofProfile) string {
	if strings.Contains(tmpl, "{W}") {
		tmpl = strings.ReplaceAll(tmpl, "{W}", pick(g, prof.words))
	}
	if strings.Contains(tmpl, "{K}") {
		tmpl = strings.ReplaceAll(tmpl, "{K}", pick(g, chains))
	}
	if strings.Contains(tmpl, "{D}") {
		d, _ := geo.DepartmentByCode(c.Department)
		tmpl = strings.ReplaceAll(tmpl, "{D}", d.Name)
	}
	if strings.Contains(tmpl, "{R}") {
		r, _ := geo.RegionByCode(c.Region)
		tmpl = strings.ReplaceAll(tmpl, "{R}", r.Name)
	}
	return g.fill(tmpl, c)
}
