package fakefr

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/geo"
)

// dgefpHeader is the header of the DGEFP "Liste publique des organismes de
// formation", in its order.
var dgefpHeader = []string{
	"numeroDeclarationActivite", "numerosDeclarationActivitePrecedent", "denomination", "siren", "siretEtablissementDeclarant",
	"adressePhysiqueOrganismeFormation.voie", "adressePhysiqueOrganismeFormation.codePostal",
	"adressePhysiqueOrganismeFormation.ville", "adressePhysiqueOrganismeFormation.codeRegion",
	"certifications.actionsDeFormation", "certifications.bilansDeCompetences", "certifications.VAE",
	"certifications.actionsDeFormationParApprentissage",
	"organismeEtrangerRepresente.denomination", "organismeEtrangerRepresente.voie", "organismeEtrangerRepresente.codePostal",
	"organismeEtrangerRepresente.ville", "organismeEtrangerRepresente.pays",
	"informationsDeclarees.dateDerniereDeclaration", "informationsDeclarees.debutExercice", "informationsDeclarees.finExercice",
	"informationsDeclarees.specialitesDeFormation.codeSpecialite1", "informationsDeclarees.specialitesDeFormation.libelleSpecialite1",
	"informationsDeclarees.specialitesDeFormation.codeSpecialite2", "informationsDeclarees.specialitesDeFormation.libelleSpecialite2",
	"informationsDeclarees.specialitesDeFormation.codeSpecialite3", "informationsDeclarees.specialitesDeFormation.libelleSpecialite3",
	"informationsDeclarees.nbStagiaires", "informationsDeclarees.nbStagiairesConfiesParUnAutreOF",
	"informationsDeclarees.effectifFormateurs",
}

// WriteDGEFP writes providers in the format of the DGEFP public list: UTF-8
// without BOM, ';', CRLF, the 30 columns in the DGEFP's order, dates
// dd/mm/yyyy, booleans true/false (all four empty for a provider certified
// for nothing, as the DGEFP does), empty cells for unknown values, fields
// quoted only when they hold a ';' or a quote. One line in four ends with a
// ';', as some exports of the list do.
func WriteDGEFP(w io.Writer, providers []Provider) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(dgefpHeader); err != nil {
		return fmt.Errorf("fakefr: write DGEFP list: %w", err)
	}
	rec := make([]string, 0, len(dgefpHeader)+1)
	for i, p := range providers {
		rec = rec[:0]
		rec = append(rec, p.NDA, strings.Join(p.PreviousNDAs, ","), p.Name, p.SIREN, p.SIRET,
			p.Address.Street, p.Address.PostalCode, p.Address.City, p.RegionCode)
		certified := p.Qualiopi != [4]bool{}
		for _, q := range p.Qualiopi {
			if certified {
				rec = append(rec, strconv.FormatBool(q))
			} else {
				rec = append(rec, "")
			}
		}
		if f := p.Foreign; f != nil {
			rec = append(rec, f.Name, f.Street, f.PostalCode, f.City, f.Country)
		} else {
			rec = append(rec, "", "", "", "", "")
		}
		rec = append(rec, ddmmyyyy(p.LastDeclaration), ddmmyyyy(p.FiscalStart), ddmmyyyy(p.FiscalEnd))
		for k := range 3 {
			if k < len(p.Specialities) {
				rec = append(rec, p.Specialities[k].NSF, p.Specialities[k].Label)
			} else {
				rec = append(rec, "", "")
			}
		}
		rec = append(rec, count(p.Trainees), count(p.TraineesFromOtherOF), count(p.Trainers))
		if i%4 == 3 {
			rec = append(rec, "")
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("fakefr: write DGEFP list: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("fakefr: write DGEFP list: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("fakefr: write DGEFP list: %w", err)
	}
	return nil
}

// coursesHeader is the header of the courses import, in French.
var coursesHeader = []string{
	"NDA organisme", "SIRET organisme", "Référence", "Intitulé", "Objectifs", "Programme", "Prérequis",
	"Durée en heures", "Durée en jours", "Modalité", "Intra", "Inter", "Villes", "Langues",
	"Prix inter HT par stagiaire", "Prix intra HT par jour", "Effectif maximum", "Certification", "Éligible CPF",
	"Code NSF", "Prochaines sessions", "Dernière confirmation",
}

// WriteCourses writes the courses of providers (courses maps an NDA to its
// catalogue) in the courses import format of docs/imports.md, as a user
// would save it from French Excel: UTF-8 with BOM, ';', CRLF, decimal
// commas, prices like "1 200,50", oui/non, French modality names. Places
// are INSEE codes, and for one course in three "name (postal code)".
// Providers are written in the order given, courses in their catalogue's.
func WriteCourses(w io.Writer, providers []Provider, courses map[string][]Course) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(coursesHeader); err != nil {
		return fmt.Errorf("fakefr: write courses: %w", err)
	}
	rec := make([]string, 0, len(coursesHeader))
	n := 0
	for _, p := range providers {
		for _, c := range courses[p.NDA] {
			n++
			places := make([]string, len(c.Communes))
			for i, code := range c.Communes {
				places[i] = code
				if cm, ok := geo.CommuneByCode(code); ok && n%3 == 0 && len(cm.PostalCodes) > 0 {
					places[i] = cm.Name + " (" + cm.PostalCodes[0] + ")"
				}
			}
			sessions := make([]string, len(c.NextSessions))
			for i, d := range c.NextSessions {
				sessions[i] = ddmmyyyy(d)
			}
			rec = append(rec[:0], p.NDA, p.SIRET, c.Ref, c.Title, c.Objectives, c.Programme, c.Prerequisites,
				decimal(c.Hours), decimal(c.Days), modalityFR[c.Modality], ouiNon(c.Intra), ouiNon(c.Inter),
				strings.Join(places, "|"), strings.Join(c.Languages, "|"),
				euros(c.PricePerTraineeCents), euros(c.PricePerGroupDayCents), positive(c.MaxGroupSize),
				c.Certification, ouiNon(c.CPF), c.NSF, strings.Join(sessions, "|"), ddmmyyyy(c.LastConfirmed))
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("fakefr: write courses: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("fakefr: write courses: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("fakefr: write courses: %w", err)
	}
	return nil
}

var modalityFR = map[string]string{ModalityInPerson: "présentiel", ModalityRemote: "distanciel", ModalityBlended: "mixte"}

func ddmmyyyy(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

func count(n int) string {
	if n < 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func positive(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func ouiNon(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

// decimal writes a duration with a decimal comma; 0 (unknown) is empty.
func decimal(f float64) string {
	if f == 0 {
		return ""
	}
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

// euros writes cents the French way, "1 200,50"; -1 (unknown) is empty.
func euros(cents int64) string {
	if cents < 0 {
		return ""
	}
	s := strconv.FormatInt(cents/100, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return fmt.Sprintf("%s,%02d", s, cents%100)
}
