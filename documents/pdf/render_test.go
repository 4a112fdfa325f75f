package pdf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// frameWants are in every page of every document.
var frameWants = map[string][]string{
	"fr": {"Cœur Formation Conseil · Hôtel d'entreprises, 12 rue de la Forêt, 75011 Paris · SIRET 81234567800021 · N° TVA FR12812345678",
		"Déclaration d'activité enregistrée sous le numéro 11 75 54321 75 auprès du préfet de la région Île-de-France. Cet enregistrement ne vaut pas agrément de l'État."},
	"en": {"Cœur Formation Conseil · Hôtel d'entreprises, 12 rue de la Forêt, 75011 Paris · SIRET 81234567800021 · VAT no. FR12812345678",
		"Training provider declaration no. 11 75 54321 75 registered with the prefect of the Île-de-France region. This registration does not amount to approval by the State."},
}

type renderCase struct {
	name      string
	doc       Document
	overrides map[Kind]string
	pages     int
	want      []string
}

func renderCases(t *testing.T) []renderCase {
	individual := agreement(t, "fr")
	individual.Individual = true
	individual.Client = Party{Name: "Amélie Bérard", Address: "3 rue Molière, 13001 Marseille"}
	return []renderCase{
		{"proposal fr", proposal(t, "fr"), nil, 1, []string{
			"Devis", "N° DEV-2026-0042 — 14/09/2026", "ÉMETTEUR", "CLIENT", "Boulangeries Françaises SAS", "À l'attention de Mme Hélène Garçon",
			"Objet : Hygiène et sécurité alimentaire (HACCP) – intra-entreprise",
			"2 jours 1 234,50 € 20 % 2 469,00 €", "1,5 jours 333,33 € 20 % 500,00 €", "1 265,55 € 20 % 265,55 €",
			"Total HT 3 234,55 €", "TVA 20 % sur 3 234,55 € 646,91 €", "Total TTC 3 881,46 €",
			"Devis valable jusqu'au 31/10/2026.", "Mode de contractualisation : Cœur Formation Conseil, organisme de formation",
			"Conditions de paiement : 30 jours à réception de facture", "Bon pour accord"}},
		{"proposal en", proposal(t, "en"), nil, 1, []string{
			"Proposal", "No. DEV-2026-0042 — 14 Sep 2026", "FROM", "For the attention of Mme Hélène Garçon",
			"2 days €1,234.50 20% €2,469.00", "1.5 days €333.33 20% €500.00", "Total excl. VAT €3,234.55",
			"VAT 20% on €3,234.55 €646.91", "Total incl. VAT €3,881.46", "This proposal is valid until 31 Oct 2026.",
			"Contracting: Cœur Formation Conseil, as the training provider", "Accepted"}},
		{"agreement fr", agreement(t, "fr"), nil, 2, []string{
			"Convention de formation professionnelle", "Articles L6353-1 et D6353-1 du Code du travail — N° CONV-2026-0017",
			"Entre les soussignés :", "représenté par Noémie Château, Gérante", "ci-après « l'organisme de formation »",
			"représenté par Jérôme Lefèvre, Directeur des ressources humaines", "ci-après « le client ».",
			"Article 1 – Objet et nature de l'action", "Action de formation (art. L6313-1, 1° du Code du travail)",
			"Mettre en œuvre le plan de maîtrise sanitaire dans un fournil", "Le programme détaillé (réf. PRG-HACCP-2026 v3) est annexé",
			"Dates du 05/10/2026 au 06/10/2026", "Durée 14 h (4 demi-journées)", "Lieu Salle Bellecour, 4 place du Château, 69002 Lyon",
			"Formateur François Mercœur", "lun. 05/10/2026 : 09:00–12:30, 13:30–17:00", "Nombre de stagiaires : 3",
			"Amélie Lefèvre-01, Boulanger(ère)", "Cécile Lefèvre-03", "Quiz d'entrée et de sortie", "attestation mentionnant les objectifs",
			"Total TTC 3 881,46 €", "Paiement 30 % à la signature", "Financement Prise en charge OPCO EP avec subrogation de paiement.",
			"Article 7 – Annulation et dédit", "moins de trois jours ouvrés avant, la totalité", "Article 8 – Différends",
			"Fait à Paris, le 14/09/2026. En deux exemplaires originaux.", "Pour l'organisme de formation", "Pour le client"}},
		{"agreement en", agreement(t, "en"), nil, 2, []string{
			"Vocational training agreement", "French Labour Code art. L6353-1 and D6353-1", "Between:", "hereinafter “the client”.",
			"Training action (French Labour Code art. L6313-1, 1°)", "Dates from 5 Oct 2026 to 6 Oct 2026", "Duration 14 h (4 half-days)",
			"Mon 5 Oct 2026: 09:00–12:30, 13:30–17:00", "Number of trainees: 3", "Total incl. VAT €3,881.46", "Cancellation",
			"Signed at Paris on 14 Sep 2026. Made in two originals.", "For the training provider", "For the client"}},
		{"contract fr", individual, nil, 0, []string{
			"Contrat de formation professionnelle", "Articles L6353-3 à L6353-7", "ci-après « le stagiaire ».", "Délai de rétractation",
			"délai de dix jours", "plus de 30 % du prix convenu", "Le stagiaire"}},
		{"programme fr", programme(t, "fr"), nil, 1, []string{
			"Programme de formation", "Annexe à la convention n° CONV-2026-0017", "version 3, mise à jour du 01/06/2026",
			"Hygiène et sécurité alimentaire : maîtriser la méthode HACCP", "Nature de l'action Action de formation",
			"Durée 14 h (4 demi-journées)", "Public Boulangers, pâtissiers et vendeurs en boulangerie.", "Prérequis Aucun",
			"Objectifs pédagogiques", "Module 1 – Le cadre réglementaire (3 h 30)", "Module 2 – Les dangers et leur maîtrise (7 h)",
			"Traçabilité et gestion des non-conformités", "Méthodes et moyens pédagogiques", "Modalités d'évaluation",
			"Accessibilité aux personnes en situation de handicap"}},
		{"programme en", programme(t, "en"), nil, 1, []string{
			"Training programme", "Annex to agreement no. CONV-2026-0017", "version 3, updated 1 Jun 2026", "Audience",
			"Learning objectives", "Module 1 – Le cadre réglementaire (3 h 30 min)", "Accessibility for people with disabilities"}},
		{"convocation fr", convocation(t, "fr", false), nil, 1, []string{
			"Convocation à la formation", "Gaëlle Côté", "Bonjour Gaëlle Côté,", "Vous êtes inscrit(e) à la formation « Hygiène",
			"Dates et horaires", "lun. 05/10/2026 09:00–12:30 13:30–17:00", "mar. 06/10/2026 09:00–12:30 13:30–17:00",
			"Durée 14 h (4 demi-journées)", "Salle Bellecour, 4 place du Château, 69002 Lyon", "Informations pratiques",
			"Déjeuner pris en charge sur place.", "Nous vous souhaitons une excellente formation."}},
		{"convocation en remote", convocation(t, "en", true), nil, 1, []string{
			"Training invitation", "Dear Gaëlle Côté,", "Mon 5 Oct 2026 09:00–12:30 13:30–17:00", "Duration 14 h (4 half-days)",
			"The training takes place remotely", "Joining link https://visio.coeur-formation.fr/haccp-1005", "Practical information"}},
		{"convocation fr acme", convocation(t, "fr", false), map[Kind]string{KindConvocation: "acme"}, 1, []string{
			"Convocation à la formation", "Bonjour Gaëlle Côté,", "lun. 05/10/2026 : 09:00–12:30, 13:30–17:00",
			"Accès au site : présentez-vous à l'accueil"}},
		{"convocation en acme", convocation(t, "en", false), map[Kind]string{KindConvocation: "acme"}, 1, []string{
			"Training invitation", "Mon 5 Oct 2026: 09:00–12:30, 13:30–17:00", "Site access: report to the reception desk"}},
		{"certificate fr", certificate(t, "fr"), nil, 1, []string{
			"Attestation de fin de formation", "Je soussigné(e), Noémie Château, Gérante, pour l'organisme de formation Cœur Formation Conseil",
			"Benoît Hébert", "salarié(e) de Boulangeries Françaises SAS", "a suivi l'action de formation :",
			"Nature de l'action Action de formation (art. L6313-1, 1° du Code du travail)", "Dates du 05/10/2026 au 06/10/2026",
			"Durée prévue 14 h", "Durée suivie 10 h 30", "Objectifs de la formation", "Contrôler la chaîne du froid",
			"Résultats de l'évaluation des acquis", "Objectifs atteints : 17/20", "article L6353-1", "Fait à Paris, le 14/09/2026."}},
		{"certificate en", certificate(t, "en"), nil, 1, []string{
			"Certificate of completion", "employed by Boulangeries Françaises SAS", "Planned duration 14 h",
			"Duration attended 10 h 30 min", "Assessment results", "Signed at Paris on 14 Sep 2026."}},
		{"realisation fr", realisation(t, "fr"), nil, 1, []string{
			"Certificat de réalisation", "Je soussigné(e) Noémie Château, représentant légal du dispensateur de l'action concourant",
			"atteste que :", "Benoît Hébert", "salarié(e) de l'entreprise", "Boulangeries Françaises SAS, 4 place du Château, 69002 Lyon",
			"a suivi l'action", "Nature de l'action concourant au développement des compétences :",
			"☒ action de formation", "☐ bilan de compétences", "☐ action de VAE", "☐ action de formation par apprentissage",
			"qui s'est déroulée du 05/10/2026 au 06/10/2026", "pour une durée de 10 h 30 réalisées.",
			"Assiduité : 10 h 30 réalisées sur 14 h prévues, soit 75 %.", "pendant une durée de trois ans",
			"Fait à : Paris", "Le : 14/09/2026", "Cachet et signature"}},
		{"realisation en", realisation(t, "en"), nil, 1, []string{
			"Certificate of attendance (certificat de réalisation)", "certify that:", "☒ training action", "☐ skills assessment",
			"which took place from 5 Oct 2026 to 6 Oct 2026", "for a duration of 10 h 30 min actually attended.",
			"Attendance: 10 h 30 min attended out of 14 h planned, i.e. 75%.", "Stamp and signature"}},
	}
}

// TestRender checks every kind in both languages through pdftotext: the
// required mentions, accents and euros intact, the totals, "n/N" on each
// page, and qpdf --check.
func TestRender(t *testing.T) {
	for _, c := range renderCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Render(&b, c.doc, c.overrides); err != nil {
				t.Fatal(err)
			}
			qpdfCheck(t, b.Bytes())
			texts := pages(t, b.Bytes())
			if c.pages > 0 && len(texts) != c.pages {
				t.Errorf("got %d pages, want %d", len(texts), c.pages)
			}
			lang := c.doc.frame().Lang
			for i, page := range texts {
				flat := flatten(page)
				if want := fmt.Sprintf("%d/%d", i+1, len(texts)); !strings.Contains(flat, want) {
					t.Errorf("page %d: no page number %q", i+1, want)
				}
				for _, want := range frameWants[lang] {
					if !strings.Contains(flat, want) {
						t.Errorf("page %d: footer misses %q", i+1, want)
					}
				}
			}
			all := flatten(strings.Join(texts, "\n"))
			for _, want := range c.want {
				if !strings.Contains(all, want) {
					t.Errorf("missing %q", want)
				}
			}
			// French texts use every accent; money documents the euro.
			chars := map[string]string{"fr": "éèàçôœ", "en": "éèçôœ"}[lang]
			if k := c.doc.Kind(); k == KindProposal || k == KindAgreement {
				chars += "€"
			}
			for _, r := range chars {
				if !strings.ContainsRune(all, r) {
					t.Errorf("character %q lost", r)
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s", strings.Join(texts, "\n---- page ----\n"))
			}
		})
	}
}

// TestMetadataAndFonts checks the PDF's Info dictionary and that every font
// is embedded.
func TestMetadataAndFonts(t *testing.T) {
	doc, err := Select(KindProposal, "fr", nil).Bytes(proposal(t, "fr"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool(t, "pdfinfo"), writeTemp(t, doc)).Output()
	if err != nil {
		t.Fatal(err)
	}
	info := string(out)
	for _, want := range []string{"Title:           Devis", "Author:          Cœur Formation Conseil", "Creator:         Courtier",
		"CreationDate:    Mon Sep 14 08:00:00 2026 UTC", "Page size:       595.28 x 841.89 pts (A4)"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo misses %q:\n%s", want, info)
		}
	}
	out, err = exec.Command(tool(t, "pdffonts"), writeTemp(t, doc)).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
	if len(lines) != 2 {
		t.Errorf("want the regular and bold fonts only:\n%s", out)
	}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) < 5 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
}

// TestDeterministicAndSnapshot renders the same input twice, and once more
// from its JSON snapshot: the bytes are identical.
func TestDeterministicAndSnapshot(t *testing.T) {
	for _, doc := range []Document{proposal(t, "fr"), attendance(t, "en", 5, 2), &Certificate{Frame: testFrame(t, "fr", "X")}} {
		a, err := Select(doc.Kind(), "fr", nil).Bytes(doc)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Select(doc.Kind(), "fr", nil).Bytes(doc)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", doc.Kind())
		}
		snap, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(doc.Kind(), snap)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Select(doc.Kind(), "fr", nil).Bytes(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, c) {
			t.Errorf("%s: render from the JSON snapshot differs", doc.Kind())
		}
	}
	if _, err := Decode("nope", []byte("{}")); err == nil {
		t.Error("unknown kind decoded")
	}
}

// TestBadInput: a logo that is no image and a layout given the wrong kind
// are errors, not broken PDFs.
func TestBadInput(t *testing.T) {
	p := proposal(t, "fr")
	p.Broker.Logo = []byte("GIF89a...")
	if err := Render(&bytes.Buffer{}, p, nil); err == nil || !strings.Contains(err.Error(), "broker logo") {
		t.Errorf("bad logo: %v", err)
	}
	// Without logos the header prints the broker's name; a bad colour is the default.
	p.Broker.Logo, p.ClientLogo, p.Broker.Colour, p.ClientColour = nil, nil, "navy", ""
	if texts := pages(t, mustRender(t, p)); !strings.HasPrefix(strings.TrimSpace(texts[0]), "Cœur Formation Conseil\n") {
		t.Errorf("no broker name in the header:\n%s", texts[0])
	}
	if err := Select(KindAgreement, "fr", nil).Render(&bytes.Buffer{}, proposal(t, "fr")); err == nil {
		t.Error("an agreement layout rendered a proposal")
	}
	if err := Select("nope", "fr", nil).Render(&bytes.Buffer{}, proposal(t, "fr")); err == nil {
		t.Error("unknown kind rendered")
	}
}

// TestArtefacts writes page images of a few documents for a human to look
// at (COURTIER_PDF_ARTEFACTS=1 go test -run Artefacts ./documents/pdf/).
func TestArtefacts(t *testing.T) {
	for _, a := range []struct {
		name  string
		doc   Document
		pages int
	}{
		{"proposal-fr", proposal(t, "fr"), 1},
		{"agreement-fr", agreement(t, "fr"), 2},
		{"agreement-long-en", longAgreement(t), 3},
		{"convocation-acme-en", convocation(t, "en", false), 1},
		{"attendance-fr", attendance(t, "fr", 40, 10), 1},
		{"realisation-fr", realisation(t, "fr"), 1},
	} {
		overrides := map[Kind]string{KindConvocation: "acme"}
		doc, err := Select(a.doc.Kind(), a.doc.frame().Lang, overrides).Bytes(a.doc)
		if err != nil {
			t.Fatal(err)
		}
		artefacts(t, a.name, doc, a.pages)
	}
}

// TestConcurrent: documents render in parallel (the font bytes are shared)
// with the same output as one at a time.
func TestConcurrent(t *testing.T) {
	docs := []Document{proposal(t, "fr"), convocation(t, "en", true), certificate(t, "fr"), realisation(t, "en")}
	want := make([][]byte, len(docs))
	for i, d := range docs {
		want[i] = mustRender(t, d)
	}
	errs := make(chan error, len(docs))
	for i, d := range docs {
		go func() {
			var b bytes.Buffer
			err := Render(&b, d, nil)
			if err == nil && !bytes.Equal(b.Bytes(), want[i]) {
				err = fmt.Errorf("%s: parallel render differs", d.Kind())
			}
			errs <- err
		}()
	}
	for range docs {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
