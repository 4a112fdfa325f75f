package crm

import (
	"fmt"
	"strings"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// mailText is the subject and plain-text body of a mail this module sends.
// Texts are French unless the recipient's language is English; subjects
// carry the request tag [REQ-id] so that answers thread back to the request.
type mailText struct {
	Subject, Body string
}

func english(lang string) bool { return i18n.Normalize(lang) == i18n.EN }

func requestTag(r Request) string { return fmt.Sprintf(" [REQ-%d]", r.ID) }

// consultationMail asks a provider for a quote through its answer link;
// a reminder says the new link replaces the previous one.
func consultationMail(lang string, r Request, c Consultation, link string, reminder bool) mailText {
	subject := pick(lang, "Demande de devis : ", "Request for quotation: ") + r.Topic
	intro := pick(lang, "Nous recherchons un organisme de formation pour l'un de nos clients et souhaiterions recevoir votre proposition.",
		"We are looking for a training provider for one of our clients and would welcome your quotation.")
	if reminder {
		subject = pick(lang, "Relance – ", "Reminder: ") + subject
		intro = pick(lang, "Nous n'avons pas encore reçu votre réponse à notre demande de devis. Ce nouveau lien remplace le précédent.",
			"We have not yet received your answer to our request for quotation. This new link replaces the previous one.")
	}
	var b strings.Builder
	b.WriteString(greeting(lang, c.ContactName) + intro + "\n\n")
	writeNeed(&b, lang, r)
	if c.Message != "" {
		b.WriteString("\n" + c.Message + "\n")
	}
	fmt.Fprintf(&b, pick(lang,
		"\nMerci de nous répondre avant le %s via ce formulaire (aucun compte n'est nécessaire) ; vous pouvez aussi y décliner la demande :\n%s\n\nCordialement,\n",
		"\nPlease answer by %s using this form (no account needed); you may also decline there:\n%s\n\nKind regards,\n"),
		i18n.Date(lang, c.DueAt), link)
	return mailText{subject + requestTag(r), b.String()}
}

// writeNeed describes the need to a provider, without naming the client.
func writeNeed(b *strings.Builder, lang string, r Request) {
	tr := func(fr, en string) string { return pick(lang, fr, en) }
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(b, "%s%s %s\n", label, tr(" :", ":"), v)
		}
	}
	line(tr("Formation", "Training"), r.Topic)
	line(tr("Objectifs", "Objectives"), r.Objectives)
	line("Description", r.Description)
	format := map[string]string{"intra": tr("intra-entreprise", "in-company"), "inter": tr("inter-entreprises", "open session")}[r.Format]
	line("Format", fmt.Sprintf("%s, %d %s", format, r.Trainees, tr("stagiaire(s)", "trainee(s)")))
	place := CommuneName(r.CommuneCode)
	if r.Remote {
		place = tr("à distance", "remote")
	}
	line(tr("Lieu", "Place"), place)
	if r.PeriodFrom != nil && r.PeriodTo != nil {
		line(tr("Période souhaitée", "Period"), tr("du ", "")+i18n.Date(lang, *r.PeriodFrom)+tr(" au ", " to ")+i18n.Date(lang, *r.PeriodTo))
	}
}

// greeting opens a mail: "Bonjour Marie Durand," or "Bonjour," without a name.
func greeting(lang, name string) string {
	if name = strings.TrimSpace(name); name != "" {
		name = " " + name
	}
	return pick(lang, "Bonjour", "Hello") + name + ",\n\n"
}

// pick returns the English text for an English reader, else the French one.
func pick(lang, fr, en string) string {
	if english(lang) {
		return en
	}
	return fr
}

// notRetainedMail thanks a provider whose answer was not retained.
func notRetainedMail(lang string, r Request, c Consultation) mailText {
	body := pick(lang,
		"Nous vous remercions pour votre proposition concernant « %s ». Notre client a retenu une autre offre cette fois-ci.\n"+
			"Nous ne manquerons pas de vous solliciter pour de prochains besoins.\n\nCordialement,\n",
		"Thank you for your quotation for \"%s\". Our client has chosen another offer this time.\n"+
			"We will be glad to consult you again for future needs.\n\nKind regards,\n")
	return mailText{pick(lang, "Votre proposition : ", "Your quotation: ") + r.Topic + requestTag(r),
		greeting(lang, c.ContactName) + fmt.Sprintf(body, r.Topic)}
}

// proposalMail sends a proposal to the client: prices excluding VAT, the
// validity date, and in referral the provider who will invoice.
func proposalMail(lang string, r Request, p Proposal, name string) mailText {
	var b strings.Builder
	fmt.Fprintf(&b, pick(lang, "%sSuite à votre demande « %s », nous avons le plaisir de vous adresser notre proposition :\n\n",
		"%sFurther to your request \"%s\", please find our proposal:\n\n"), greeting(lang, name), r.Topic)
	colon, vat := pick(lang, " :", ":"), pick(lang, " HT", " excl. VAT")
	for _, l := range p.Lines {
		label := l.Label
		if p.Mode == ModeReferral {
			label += " (" + l.ProviderName + ")"
		}
		fmt.Fprintf(&b, "- %s%s %s%s\n", label, colon, i18n.Money(lang, l.ClientPriceCents), vat)
	}
	fmt.Fprintf(&b, "\nTotal%s %s%s\n", colon, i18n.Money(lang, p.ClientPriceCents), vat)
	if p.Mode == ModeReferral {
		b.WriteString(pick(lang, "La formation vous sera facturée directement par l'organisme.\n", "The training provider will invoice you directly.\n"))
	}
	if p.Message != "" {
		b.WriteString("\n" + p.Message + "\n")
	}
	fmt.Fprintf(&b, pick(lang,
		"\nCette proposition est valable jusqu'au %s. Vous pouvez l'accepter ou la refuser depuis votre espace client, ou en répondant à ce message.\n\nCordialement,\n",
		"\nThis proposal is valid until %s. You can accept or decline it from your client area, or by replying to this message.\n\nKind regards,\n"),
		i18n.Date(lang, p.ValidUntil))
	return mailText{pick(lang, "Proposition de formation : ", "Training proposal: ") + r.Topic + requestTag(r), b.String()}
}
