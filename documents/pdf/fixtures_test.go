package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// Fixtures: a broker, a client and one action, with the accents (é è à ç ô
// œ) and euro amounts the assertions look for.

var fixedDate = time.Date(2026, 9, 14, 10, 0, 0, 0, i18n.Paris)

// logoPNG draws a small two-colour logo.
func logoPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 240, 80))
	for y := range 80 {
		for x := range 240 {
			c := color.RGBA{0x1f, 0x3a, 0x5f, 0xff}
			if x > 80 {
				c = color.RGBA{0xe8, 0x8d, 0x2a, 0xff}
			}
			if (x-40)*(x-40)+(y-40)*(y-40) > 1200 && x <= 80 {
				c = color.RGBA{0xff, 0xff, 0xff, 0}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// logoJPEG draws a client logo.
func logoJPEG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 120, 60))
	for y := range 60 {
		for x := range 120 {
			img.Set(x, y, color.RGBA{uint8(40 + x), 0x70, 0x40, 0xff})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testFrame(t testing.TB, lang, ref string) Frame {
	return Frame{
		Lang: lang,
		Broker: Broker{
			Name:      "Cœur Formation Conseil",
			Address:   "Hôtel d'entreprises, 12 rue de la Forêt\n75011 Paris",
			SIRET:     "81234567800021",
			NDA:       "11 75 54321 75",
			NDARegion: "Île-de-France",
			VATNumber: "FR12812345678",
			Email:     "contact@coeur-formation.fr",
			Phone:     "01 84 25 00 00",
			Logo:      logoPNG(t),
			Colour:    "#1f3a5f",
		},
		ClientLogo:   logoJPEG(t),
		ClientColour: "#2e7d32",
		Reference:    ref,
		Date:         fixedDate,
	}
}

var client = Party{
	Name:           "Boulangeries Françaises SAS",
	Address:        "4 place du Château\n69002 Lyon",
	SIRET:          "52345678900017",
	Contact:        "Mme Hélène Garçon",
	Email:          "rh@boulangeries-francaises.fr",
	Representative: "Jérôme Lefèvre",
	Role:           "Directeur des ressources humaines",
}

// slots returns two half-days a day for n working days from Monday 5
// October 2026, 09:00–12:30 and 13:30–17:00 in Paris.
func slots(n int) []Slot {
	var out []Slot
	day := time.Date(2026, 10, 5, 0, 0, 0, 0, i18n.Paris)
	for len(out) < 2*n {
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
			out = append(out, Slot{at(9, 0), at(12, 30)}, Slot{at(13, 30), at(17, 0)})
		}
		day = day.AddDate(0, 0, 1)
	}
	return out
}

func action(days int) Action {
	return Action{
		Title:    "Hygiène et sécurité alimentaire : maîtriser la méthode HACCP",
		Category: CategoryTraining,
		Objectives: []string{
			"Connaître la réglementation française et européenne applicable à la sécurité des aliments",
			"Mettre en œuvre le plan de maîtrise sanitaire dans un fournil",
			"Contrôler la chaîne du froid et tracer les lots",
		},
		ProgrammeRef: "PRG-HACCP-2026 v3",
		Slots:        slots(days),
		Place:        "Salle Bellecour, 4 place du Château, 69002 Lyon",
		Trainer:      "François Mercœur",
		Assessment:   "Quiz d'entrée et de sortie, étude de cas notée sur 20.",
	}
}

var names = []string{"Amélie", "Benoît", "Cécile", "Dorothée", "Élodie", "François", "Gaëlle", "Hervé", "Inès", "Jérôme"}
var surnames = []string{"Lefèvre", "Garçon", "Mercœur", "Côté", "Bœuf", "Hébert", "Dupré", "Bérard"}

// trainees returns n distinct trainees.
func trainees(n int) []Trainee {
	out := make([]Trainee, n)
	for i := range out {
		out[i] = Trainee{
			Name:     fmt.Sprintf("%s %s-%02d", names[i%len(names)], surnames[i/len(names)%len(surnames)], i+1),
			JobTitle: "Boulanger(ère)",
		}
	}
	return out
}

func proposal(t testing.TB, lang string) Proposal {
	unit := map[string]string{i18n.FR: "jours", i18n.EN: "days"}[lang]
	return Proposal{
		Frame:   testFrame(t, lang, "DEV-2026-0042"),
		Client:  client,
		Subject: "Hygiène et sécurité alimentaire (HACCP) – intra-entreprise",
		Lines: []Line{
			{Label: "Formation HACCP, session intra-entreprise", Detail: "Animation par un formateur expert, supports inclus", Quantity: 200, Unit: unit, UnitCents: 123450, VATRateBP: 2000},
			{Label: "Préparation et adaptation au fournil", Quantity: 150, Unit: unit, UnitCents: 33333, VATRateBP: 2000},
			{Label: "Frais de déplacement du formateur", Quantity: 100, UnitCents: 26555, VATRateBP: 2000},
		},
		ValidUntil:   time.Date(2026, 10, 31, 0, 0, 0, 0, i18n.Paris),
		Mode:         ModeBroker,
		PaymentTerms: "30 jours à réception de facture, par virement.",
		Notes:        []string{"Le prix comprend les supports remis à chaque stagiaire."},
	}
}

func agreement(t testing.TB, lang string) Agreement {
	p := proposal(t, lang)
	return Agreement{
		Frame:        testFrame(t, lang, "CONV-2026-0017"),
		Client:       client,
		Action:       action(2),
		Trainees:     trainees(3),
		Lines:        p.Lines,
		PaymentTerms: "30 % à la signature, le solde à 30 jours fin de formation.",
		Funding:      "Prise en charge OPCO EP avec subrogation de paiement.",
		Place:        "Paris",
		Signatory:    Signatory{Name: "Noémie Château", Role: "Gérante"},
	}
}

func programme(t testing.TB, lang string) Programme {
	return Programme{
		Frame:         testFrame(t, lang, "PRG-HACCP-2026"),
		Action:        action(2),
		AgreementRef:  "CONV-2026-0017",
		Version:       "3",
		Updated:       time.Date(2026, 6, 1, 0, 0, 0, 0, i18n.Paris),
		Public:        "Boulangers, pâtissiers et vendeurs en boulangerie.",
		Prerequisites: "Aucun ; savoir lire le français.",
		Modules: []Module{
			{Title: "Le cadre réglementaire", Minutes: 210, Items: []string{"Paquet hygiène européen", "Contrôles officiels et sanctions"}},
			{Title: "Les dangers et leur maîtrise", Minutes: 420, Items: []string{"Dangers biologiques, chimiques, physiques", "Bonnes pratiques d'hygiène au fournil"}},
			{Title: "Le plan de maîtrise sanitaire", Minutes: 210, Items: []string{"Les sept principes HACCP", "Traçabilité et gestion des non-conformités"}},
		},
		Methods:       "Apports théoriques, études de cas, mise en situation dans le fournil.",
		Delivery:      "Présentiel, intra-entreprise, 12 stagiaires au plus.",
		Accessibility: "Locaux accessibles ; contactez notre référente handicap pour adapter la formation.",
		Contact:       "Noémie Château – contact@coeur-formation.fr",
	}
}

func convocation(t testing.TB, lang string, remote bool) Convocation {
	a := action(2)
	if remote {
		a.Remote, a.Place, a.RemoteLink = true, "", "https://visio.coeur-formation.fr/haccp-1005"
	}
	return Convocation{
		Frame:         testFrame(t, lang, "CONVOC-2026-0101"),
		Trainee:       Trainee{Name: "Gaëlle Côté"},
		Company:       client.Name,
		Action:        a,
		PracticalInfo: []string{"Déjeuner pris en charge sur place.", "Prévoir une tenue de travail et des chaussures de sécurité."},
		Contact:       "Noémie Château, 01 84 25 00 00",
		Signatory:     Signatory{Name: "Noémie Château", Role: "Gérante"},
	}
}

func attendance(t testing.TB, lang string, people, days int) AttendanceSheet {
	return AttendanceSheet{
		Frame:    testFrame(t, lang, "SESS-2026-0033"),
		Company:  client.Name,
		Action:   action(days),
		Trainees: trainees(people),
	}
}

func certificate(t testing.TB, lang string) Certificate {
	return Certificate{
		Frame:           testFrame(t, lang, "ATT-2026-0007"),
		Trainee:         Trainee{Name: "Benoît Hébert"},
		Company:         client.Name,
		Action:          action(2),
		AttendedMinutes: 630,
		Result:          "Objectifs atteints : 17/20 à l'étude de cas.",
		Place:           "Paris",
		Signatory:       Signatory{Name: "Noémie Château", Role: "Gérante"},
	}
}

func realisation(t testing.TB, lang string) Realisation {
	return Realisation{
		Frame:       testFrame(t, lang, "CR-2026-0007"),
		Signatory:   Signatory{Name: "Noémie Château", Role: "Gérante"},
		Trainee:     Trainee{Name: "Benoît Hébert"},
		Company:     Party{Name: client.Name, Address: "4 place du Château, 69002 Lyon"},
		Action:      action(2),
		DoneMinutes: 630,
		Place:       "Paris",
	}
}
