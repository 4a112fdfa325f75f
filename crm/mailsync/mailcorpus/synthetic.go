package mailcorpus

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"mime"
	"strings"
	"time"
)

// Vocabulary of the synthetic messages.
var (
	courses = []string{
		"Sécurité incendie", "Habilitation électrique B1V", "Management d'équipe",
		"Excel avancé", "Gestes et postures", "SST – Sauveteur secouriste du travail",
		"Anglais professionnel", "CACES R489", "Prise de parole en public", "RGPD pour les RH",
	}
	subjects = []string{
		"Demande de devis : %s", "Convocation – %s", "Feuille d'émargement %s",
		"Facture de la session %s", "Question sur le financement OPCO (%s)",
		"Report de la session %s", "Programme détaillé : %s", "Évaluation à chaud – %s",
	}
	sentences = []string{
		"Nous avons bien reçu votre demande et revenons vers vous rapidement.",
		"La session pourrait se tenir dans nos locaux de Villeurbanne ou en intra.",
		"Pouvez-vous nous confirmer le nombre de participants et leurs prérequis ?",
		"Le formateur dispose d'une expérience de quinze ans dans l'industrie.",
		"Le financement par l'OPCO nécessite l'envoi de la convention signée.",
		"Les attestations de fin de formation seront envoyées sous huit jours.",
		"Merci de prévoir un vidéoprojecteur et un tableau blanc dans la salle.",
		"Le déjeuner n'est pas compris dans le tarif journalier de 1 150 € HT.",
		"Nous restons à votre disposition pour toute précision complémentaire.",
		"La feuille d'émargement doit être signée par demi-journée.",
		"Une évaluation des acquis est prévue à l'issue de la deuxième journée.",
		"Les horaires habituels sont de 9 h à 12 h 30 et de 13 h 30 à 17 h.",
		"Suite à notre échange téléphonique, je vous adresse les éléments demandés.",
		"Le programme a été adapté aux spécificités de vos équipes de maintenance.",
	}
)

// syntheticEpoch is the date of synthetic message 0.
var syntheticEpoch = time.Date(2026, time.January, 5, 8, 0, 0, 0, time.FixedZone("CET", 3600))

// SyntheticID returns the Message-ID (without brackets) of synthetic
// message i of a seed, so that tests can find it and its replies.
func SyntheticID(seed int64, i int) string {
	return fmt.Sprintf("synth-%d-%d@courtier.test", seed, i)
}

// syntheticSubject returns the subject a thread started by message i has.
func syntheticSubject(seed int64, i int) string {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(i)^0x5eed))
	return fmt.Sprintf(subjects[r.IntN(len(subjects))], courses[r.IntN(len(courses))])
}

// Synthetic returns synthetic message number i of a seed, the same bytes
// every time: French subject and body, 2 to 40 KB, about 10 % with a small
// PDF attachment, about 30 % replies (In-Reply-To an earlier synthetic
// message of the same seed), a third in multipart/alternative with an HTML
// version. From and To are drawn from participants (the fixture addresses
// when empty).
func Synthetic(seed int64, i int, participants []string) []byte {
	if len(participants) == 0 {
		participants = []string{Broker, Client, Client2, Provider}
	}
	r := rand.New(rand.NewPCG(uint64(seed), uint64(i)))
	from := participants[r.IntN(len(participants))]
	to := participants[r.IntN(len(participants))]
	for k := 0; to == from && len(participants) > 1 && k < 10; k++ {
		to = participants[r.IntN(len(participants))]
	}
	reply := i > 0 && r.IntN(10) < 3
	parent := 0
	if reply {
		parent = r.IntN(i)
	}
	attach := r.IntN(10) == 0
	alternative := r.IntN(3) == 0
	total := 2048 + int(float64(38*1024)*r.Float64()*r.Float64()) // most messages small
	date := syntheticEpoch.Add(time.Duration(i)*17*time.Minute + time.Duration(r.IntN(600))*time.Second)

	subject := syntheticSubject(seed, i)
	if reply {
		subject = "Re: " + syntheticSubject(seed, parent)
	}
	var h bytes.Buffer
	fmt.Fprintf(&h, "From: %s\nTo: %s\n", from, to)
	if r.IntN(5) == 0 {
		fmt.Fprintf(&h, "Cc: %s\n", participants[r.IntN(len(participants))])
	}
	fmt.Fprintf(&h, "Subject: %s\nDate: %s\nMessage-ID: <%s>\n", mime.QEncoding.Encode("utf-8", subject), date.Format(time.RFC1123Z), SyntheticID(seed, i))
	if reply {
		fmt.Fprintf(&h, "In-Reply-To: <%s>\nReferences: <%s>\n", SyntheticID(seed, parent), SyntheticID(seed, parent))
	}
	h.WriteString("MIME-Version: 1.0\n")

	var pdf []byte
	budget := total - h.Len() - 400
	if attach {
		pdf = fakePDF(subject, 1024+r.IntN(5*1024))
		budget -= len(pdf) * 138 / 100
	}
	if alternative {
		budget = budget * 45 / 100
	}
	// Quoted-printable and CRLF inflate the text by a varying amount: shrink
	// the text until the message fits, with the same random draws each time.
	textSeed := r.Uint64()
	for {
		text := frenchText(rand.New(rand.NewPCG(textSeed, 0)), max(budget, 600))
		raw := syntheticBody(h.String(), text, pdf, i, alternative)
		if len(raw) <= 40*1024 || budget <= 600 {
			return raw
		}
		budget = budget * 9 / 10
	}
}

// syntheticBody assembles a synthetic message from its header and parts.
func syntheticBody(head, text string, pdf []byte, i int, alternative bool) []byte {
	var b strings.Builder
	b.WriteString(head)
	textPart := "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qp(text) + "\n"
	if alternative {
		html := "<html><body><p>" + strings.ReplaceAll(text, "\n\n", "</p>\n<p>") + "</p></body></html>"
		alt := fmt.Sprintf("alt-%d", i)
		textPart = "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\n\n" +
			"--" + alt + "\n" + textPart +
			"--" + alt + "\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qp(html) + "\n" +
			"--" + alt + "--\n"
	}
	if pdf == nil {
		b.WriteString(textPart)
		return crlf(b.String())
	}
	b.WriteString("Content-Type: multipart/mixed; boundary=\"mix\"\n\n--mix\n" + textPart + "--mix\n")
	fmt.Fprintf(&b, "Content-Type: application/pdf\nContent-Disposition: attachment; filename=\"Document %d.pdf\"\nContent-Transfer-Encoding: base64\n\n%s--mix--\n", i, b64(pdf))
	return crlf(b.String())
}

// frenchText returns paragraphs of French sentences totalling about n bytes.
func frenchText(r *rand.Rand, n int) string {
	var b strings.Builder
	b.WriteString("Bonjour,\n\n")
	for b.Len() < n {
		for k := 2 + r.IntN(4); k > 0; k-- {
			b.WriteString(sentences[r.IntN(len(sentences))])
			b.WriteByte(' ')
		}
		b.WriteString("\n\n")
	}
	b.WriteString("Cordialement,\n")
	return b.String()
}

// ReplyWithToken returns a reply from Marie Durand to addr (for example
// "crm+r123abc@courtier.test", Courtier's reply address) about subject
// ("Re: " is added unless already there), WITHOUT In-Reply-To or
// References: the reply token in the address is the only thing that can
// thread it.
func ReplyWithToken(addr, subject string) []byte {
	if !strings.HasPrefix(strings.ToLower(subject), "re:") {
		subject = "Re: " + subject
	}
	f := fnv.New64a()
	f.Write([]byte(addr + "\x00" + subject))
	return crlf(fmt.Sprintf(`From: Marie Durand <%s>
To: Courtier <%s>
Subject: %s
Date: Mon, 30 Mar 2026 09:00:00 +0200
Message-ID: <reply-%x@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour,

C'est parfait pour nous, nous validons la proposition.

Marie Durand

> Bonjour Marie, voici notre proposition.
`, Client, addr, mime.QEncoding.Encode("utf-8", subject), f.Sum64()))
}
