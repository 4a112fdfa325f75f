package fakefr

// sector is a business sector with the ways its organisations are named.
type sector struct {
	name     string
	weight   int
	patterns []pattern
}

// pattern is a company-name template. Placeholders: {N} surname, {N2} another
// surname, {F} first name, {B} invented brand, {P} place phrase ("du Parc"),
// {S} saint's name, {M} members of a mutual, {C} commune name, {deC}
// "de"+commune with elision, {deR} "de"+region name, {Ville} "Ville" or
// "Commune" by size.
type pattern struct {
	tmpl         string
	naf          string // NAF rév. 2 code of the activity the name implies
	form         string // fixed legal form; empty for a private company form
	public       bool   // public body: SIREN starting with 2
	minHeadcount int
	maxHeadcount int // small trades: shops, restaurants, surgeries
	// minPopulation keeps city-named bodies such as hospitals out of villages.
	minPopulation int
	// perHead, when set, sizes a local public body from its commune's
	// population: one employee per perHead inhabitants.
	perHead int
}

func (w *vocab) initCompanyWords() {
	w.sectors = sectorTable()
	for _, s := range w.sectors {
		w.sectorWeights = append(w.sectorWeights, s.weight)
	}
	w.brandHeads = []string{
		"Hexa", "Nova", "Axi", "Ori", "Veri", "Alte", "Cala", "Numé", "Opti", "Sola",
		"Terra", "Lumi", "Meta", "Syna", "Neo", "Alti", "Aqua", "Cogi", "Equi", "Kali",
		"Logi", "Mira", "Navi", "Vala", "Sequa", "Tria", "Xeno", "Zeni", "Lyra", "Arca",
		"Cora", "Ecli", "Helio", "Kera", "Magna", "Oxy", "Quali", "Rubi", "Stella", "Vecto",
	}
	w.brandTails = []string{
		"lis", "via", "tec", "nov", "ris", "liance", "lys", "gone", "lia", "mos",
		"tis", "nexe", "sys", "cia", "dis", "ra", "vance", "lium", "sens", "nor",
		"lab", "line", "rys", "xis", "pole", "go", "tiq", "val",
	}
	w.saints = []string{
		"Saint-Joseph", "Sainte-Anne", "Saint-Louis", "Saint-Martin", "Saint-Vincent",
		"Sainte-Marie", "Saint-Jean", "Saint-Michel", "Sainte-Thérèse", "Saint-Paul",
		"Saint-Pierre", "Saint-Roch", "Saint-Charles", "Sainte-Élisabeth", "Saint-François",
		"Saint-Augustin", "Sainte-Catherine", "Saint-Georges", "Saint-Luc", "Sainte-Claire",
	}
	w.mutualMembers = []string{
		"Artisans", "Commerçants", "Agriculteurs", "Enseignants", "Professions libérales",
		"Métiers du bâtiment", "Travailleurs indépendants", "Cheminots", "Hospitaliers",
		"Agents territoriaux", "Pharmaciens", "Gens de mer", "Salariés de l'industrie",
		"Transports routiers",
	}
}

// sectorTable lists the sectors of a training broker's clients. NAF codes
// are those of the activity each name implies.
func sectorTable() []sector {
	return []sector{
		{name: "Industrie", weight: 14, patterns: []pattern{
			{tmpl: "{N} Industries", naf: "25.62B"},
			{tmpl: "Ateliers {N}", naf: "25.62B"},
			{tmpl: "Mécanique {N}", naf: "25.62B"},
			{tmpl: "Mécanique de précision {N}", naf: "25.62B"},
			{tmpl: "Chaudronnerie {N}", naf: "25.11Z"},
			{tmpl: "Tôlerie {N} & Fils", naf: "25.11Z"},
			{tmpl: "Forges {deC}", naf: "25.50A"},
			{tmpl: "Fonderie {N}", naf: "24.51Z"},
			{tmpl: "{B} Industrie", naf: "28.29B"},
			{tmpl: "Groupe {B}", naf: "28.29B"},
			{tmpl: "{B} Composites", naf: "22.29A"},
			{tmpl: "Plasturgie {N}", naf: "22.29A"},
			{tmpl: "Emballages {N}", naf: "17.21A"},
			{tmpl: "{B} Électrique", naf: "27.12Z"},
			{tmpl: "{N} Traitement de surface", naf: "25.61Z"},
			{tmpl: "Menuiserie industrielle {N}", naf: "16.23Z"},
			{tmpl: "Peintures {B}", naf: "20.30Z"},
			{tmpl: "Meubles {N}", naf: "31.09B"},
		}},
		{name: "Transport et logistique", weight: 10, patterns: []pattern{
			{tmpl: "Transports {N}", naf: "49.41A"},
			{tmpl: "Transports {N} & Fils", naf: "49.41A"},
			{tmpl: "Transports {N} & {N2}", naf: "49.41B"},
			{tmpl: "Groupe {N} Transports", naf: "49.41A"},
			{tmpl: "{N} Logistique", naf: "52.10B"},
			{tmpl: "{B} Logistics", naf: "52.29B"},
			{tmpl: "Entrepôts {deC}", naf: "52.10B"},
			{tmpl: "Entrepôts frigorifiques {deC}", naf: "52.10A", minPopulation: 5000},
			{tmpl: "Messageries {N}", naf: "52.29A"},
			{tmpl: "{B} Express", naf: "52.29A"},
			{tmpl: "Déménagements {N}", naf: "49.42Z"},
			{tmpl: "Autocars {N}", naf: "49.39B"},
			{tmpl: "Voyages {N}", naf: "49.39B"},
		}},
		{name: "Commerce et distribution", weight: 12, patterns: []pattern{
			{tmpl: "Quincaillerie {N}", naf: "47.52A", maxHeadcount: 40},
			{tmpl: "{B} Bricolage", naf: "47.52B"},
			{tmpl: "Jardinerie {P}", naf: "47.76Z", maxHeadcount: 60},
			{tmpl: "Optique {N}", naf: "47.78A", maxHeadcount: 25},
			{tmpl: "Librairie {N}", naf: "47.61Z", maxHeadcount: 30},
			{tmpl: "Jardinerie {N}", naf: "47.76Z", maxHeadcount: 60},
			{tmpl: "Librairie {P}", naf: "47.61Z", maxHeadcount: 30},
			{tmpl: "Caves {N}", naf: "47.25Z", maxHeadcount: 20},
			{tmpl: "Ameublement {N}", naf: "47.59A"},
			{tmpl: "{N} Matériaux", naf: "46.73A"},
			{tmpl: "{B} Distribution", naf: "46.69B"},
			{tmpl: "Garage {P}", naf: "45.20A", maxHeadcount: 30},
			{tmpl: "Garage {N}", naf: "45.20A", maxHeadcount: 30},
			{tmpl: "Automobiles {N}", naf: "45.11Z"},
			{tmpl: "Primeurs {N}", naf: "47.21Z", maxHeadcount: 20},
			{tmpl: "{B} Mode", naf: "47.71Z"},
			{tmpl: "Maison {N}", naf: "47.11B"},
		}},
		{name: "Santé et médico-social", weight: 12, patterns: []pattern{
			{tmpl: "Clinique {P}", naf: "86.10Z", minHeadcount: 50},
			{tmpl: "Clinique {S}", naf: "86.10Z", minHeadcount: 50},
			{tmpl: "Polyclinique {deC}", naf: "86.10Z", minHeadcount: 80, minPopulation: 20000},
			{tmpl: "Centre hospitalier {deC}", naf: "86.10Z", form: "Établissement public de santé", public: true, minHeadcount: 200, perHead: 30, minPopulation: 10000},
			{tmpl: "EHPAD {P}", naf: "87.10A", minHeadcount: 30},
			{tmpl: "Résidence {S}", naf: "87.10A", form: "Association", minHeadcount: 30},
			{tmpl: "Ambulances {N}", naf: "86.90A", maxHeadcount: 80},
			{tmpl: "Laboratoire {B}", naf: "86.90B", form: "SELAS"},
			{tmpl: "Centre de radiologie {P}", naf: "86.22A", form: "SELARL", maxHeadcount: 80},
			{tmpl: "Centre dentaire {P}", naf: "86.23Z", form: "SELARL", maxHeadcount: 40},
			{tmpl: "Pharmacie {P}", naf: "47.73Z", form: "SELARL", maxHeadcount: 30},
			{tmpl: "Pharmacie {N}", naf: "47.73Z", form: "SELARL", maxHeadcount: 30},
			{tmpl: "Ambulances {N} & Fils", naf: "86.90A", maxHeadcount: 80},
			{tmpl: "Cabinet infirmier {N} & {N2}", naf: "86.90D", form: "SCM", maxHeadcount: 15},
			{tmpl: "Aide à domicile {deC}", naf: "88.10A", form: "Association"},
		}},
		{name: "Banque et assurance", weight: 7, patterns: []pattern{
			{tmpl: "Mutuelle des {M} {deR}", naf: "65.12Z", form: "Mutuelle", minHeadcount: 20},
			{tmpl: "Mutuelle {B}", naf: "65.12Z", form: "Mutuelle", minHeadcount: 20},
			{tmpl: "{N} Assurances", naf: "66.22Z", maxHeadcount: 30},
			{tmpl: "Cabinet {N} & Associés", naf: "66.22Z", maxHeadcount: 40},
			{tmpl: "{B} Courtage", naf: "66.22Z"},
			{tmpl: "{B} Finance", naf: "64.92Z"},
			{tmpl: "{B} Patrimoine", naf: "66.19B", maxHeadcount: 40},
			{tmpl: "Banque {N}", naf: "64.19Z", form: "SA", minHeadcount: 100},
			{tmpl: "Caisse de crédit solidaire {deC}", naf: "64.19Z", form: "SA coopérative", minHeadcount: 10, minPopulation: 5000},
		}},
		{name: "BTP", weight: 12, patterns: []pattern{
			{tmpl: "{N} BTP", naf: "41.20B"},
			{tmpl: "{N} Bâtiment", naf: "43.99C"},
			{tmpl: "Entreprise {N}", naf: "43.99C"},
			{tmpl: "{N} & {N2}", naf: "43.99C"},
			{tmpl: "Maçonnerie {N}", naf: "43.99C", maxHeadcount: 60},
			{tmpl: "Charpentes {N}", naf: "43.91A", maxHeadcount: 80},
			{tmpl: "Couverture {N}", naf: "43.91B", maxHeadcount: 60},
			{tmpl: "Électricité {N}", naf: "43.21A", maxHeadcount: 80},
			{tmpl: "Plomberie {N}", naf: "43.22A", maxHeadcount: 60},
			{tmpl: "Chauffage {N}", naf: "43.22B", maxHeadcount: 80},
			{tmpl: "Menuiseries {N}", naf: "43.32A"},
			{tmpl: "Terrassements {N}", naf: "43.12A"},
			{tmpl: "Peinture {N}", naf: "43.34Z", maxHeadcount: 60},
			{tmpl: "{B} Construction", naf: "41.20B"},
			{tmpl: "Maisons {B}", naf: "41.20A"},
			{tmpl: "{N} Travaux publics", naf: "42.11Z", minHeadcount: 20},
		}},
		{name: "Services informatiques", weight: 8, patterns: []pattern{
			{tmpl: "{B}", naf: "62.02A"},
			{tmpl: "{B} Conseil", naf: "62.02A"},
			{tmpl: "{B} Solutions", naf: "62.01Z"},
			{tmpl: "{B} Informatique", naf: "62.09Z"},
			{tmpl: "{B} Digital", naf: "62.01Z"},
			{tmpl: "{B} Systèmes", naf: "62.03Z"},
			{tmpl: "{B} Data", naf: "63.11Z"},
			{tmpl: "{B} Logiciels", naf: "58.29C"},
			{tmpl: "{N} Informatique", naf: "62.09Z"},
		}},
		{name: "Agroalimentaire", weight: 9, patterns: []pattern{
			{tmpl: "Boulangeries {N}", naf: "10.71C"},
			{tmpl: "Boulangerie {P}", naf: "10.71C", maxHeadcount: 25},
			{tmpl: "Fromagerie {N}", naf: "10.51C"},
			{tmpl: "Laiterie {deC}", naf: "10.51A"},
			{tmpl: "Salaisons {N}", naf: "10.13A"},
			{tmpl: "Charcuterie {N}", naf: "10.13B"},
			{tmpl: "Conserverie {P}", naf: "10.20Z"},
			{tmpl: "Conserverie {N}", naf: "10.20Z"},
			{tmpl: "Domaine {N}", naf: "11.02B"},
			{tmpl: "Biscuiterie {N}", naf: "10.72Z"},
			{tmpl: "Chocolaterie {N}", naf: "10.82Z"},
			{tmpl: "Coopérative agricole {deC}", naf: "46.21Z", form: "Société coopérative agricole"},
			{tmpl: "Vignobles {N}", naf: "11.02B"},
			{tmpl: "Brasserie artisanale {B}", naf: "11.05Z"},
			{tmpl: "Minoterie {N}", naf: "10.61A"},
			{tmpl: "Abattoirs {deC}", naf: "10.11Z", minHeadcount: 30, minPopulation: 3000},
		}},
		{name: "Hôtellerie-restauration", weight: 9, patterns: []pattern{
			{tmpl: "Hôtel {P}", naf: "55.10Z"},
			{tmpl: "Grand Hôtel {deC}", naf: "55.10Z", minPopulation: 10000},
			{tmpl: "Hôtel-restaurant {P}", naf: "55.10Z"},
			{tmpl: "Auberge {P}", naf: "56.10A", maxHeadcount: 40},
			{tmpl: "Le Relais {deC}", naf: "56.10A"},
			{tmpl: "Brasserie {P}", naf: "56.10A"},
			{tmpl: "Camping {P}", naf: "55.30Z"},
			{tmpl: "Village vacances {P}", naf: "55.20Z"},
			{tmpl: "Traiteur {N}", naf: "56.21Z", maxHeadcount: 60},
			{tmpl: "{B} Restauration", naf: "56.29A", minHeadcount: 30},
			{tmpl: "Café {P}", naf: "56.30Z", maxHeadcount: 15},
			{tmpl: "Chez {F}", naf: "56.10A", maxHeadcount: 25},
			{tmpl: "Le Bistrot de {F}", naf: "56.10A", maxHeadcount: 25},
			{tmpl: "Hôtel {N}", naf: "55.10Z", maxHeadcount: 60},
			{tmpl: "Traiteur {N} & Fils", naf: "56.21Z", maxHeadcount: 60},
		}},
		{name: "Administration publique et collectivités", weight: 7, patterns: []pattern{
			{tmpl: "{Ville} {deC}", naf: "84.11Z", form: "Commune", public: true, minHeadcount: 3, perHead: 70},
			{tmpl: "Communauté de communes du Pays {deC}", naf: "84.11Z", form: "EPCI", public: true, minHeadcount: 25, perHead: 150},
			{tmpl: "Communauté d'agglomération {deC}", naf: "84.11Z", form: "EPCI", public: true, minHeadcount: 80, perHead: 100, minPopulation: 20000},
			{tmpl: "CCAS {deC}", naf: "88.99B", form: "Établissement public administratif", public: true, minHeadcount: 3, perHead: 800},
			{tmpl: "Syndicat intercommunal des eaux {deC}", naf: "36.00Z", form: "Syndicat intercommunal", public: true, minHeadcount: 5, perHead: 2000},
			{tmpl: "Syndicat mixte de collecte des déchets {deC}", naf: "38.11Z", form: "Syndicat mixte", public: true, minHeadcount: 15, perHead: 1500},
			{tmpl: "Office de tourisme {deC}", naf: "79.90Z", form: "EPIC", public: true, minHeadcount: 2, perHead: 5000, minPopulation: 2000},
		}},
	}
}
