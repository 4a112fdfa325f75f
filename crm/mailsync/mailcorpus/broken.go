package mailcorpus

import "strings"

// brokenFixtures cover malformed messages that must still be kept.
func brokenFixtures() []Fixture {
	truncated := `From: FormaPlus <contact@formaplus.fr>
To: crm@courtier.test
Subject: Devis 2026-042
Date: Tue, 24 Mar 2026 12:00:00 +0100
Message-ID: <devis-2026-042@formaplus.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="trunc"

--trunc
Content-Type: text/plain; charset=utf-8

Veuillez trouver notre devis 2026-042 en pièce jointe.
--trunc
Content-Type: application/pdf; name="Devis 2026-042.pdf"
Content-Disposition: attachment; filename="Devis 2026-042.pdf"
Content-Transfer-Encoding: base64

` + b64(fakePDF("Devis 2026-042", 3000))
	// Cut in the middle of the attachment, as a dropped connection does.
	truncated = truncated[:strings.LastIndex(truncated, "\n")-40]

	return []Fixture{
		{
			Name: "closing-boundary-missing",
			Raw: crlf(`From: Paul Martin <paul.martin@acme-industrie.fr>
To: crm@courtier.test
Subject: Attestations de présence
Date: Tue, 24 Mar 2026 09:00:00 +0100
Message-ID: <attestations@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="nc"

--nc
Content-Type: text/plain; charset=utf-8

Voici les attestations de présence signées.
--nc
Content-Type: application/pdf
Content-Disposition: attachment; filename="Attestations.pdf"
Content-Transfer-Encoding: base64

` + b64(fakePDF("Attestations", 1200))),
			Want: Want{
				MessageID:       "attestations@acme-industrie.fr",
				Subject:         "Attestations de présence",
				TextContains:    []string{"Voici les attestations de présence signées."},
				Attachments:     []string{"Attestations.pdf"},
				From:            Client2,
				Participants:    []string{Broker, Client2},
				ProblemContains: []string{"multipart: closing boundary missing"},
			},
		},
		{
			Name: "boundary-never-found",
			Raw: crlf(`From: Paul Martin <paul.martin@acme-industrie.fr>
To: crm@courtier.test
Subject: Nombre de stagiaires
Date: Tue, 24 Mar 2026 09:10:00 +0100
Message-ID: <never-found@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="declared-but-absent"

--other-boundary
Content-Type: text/plain; charset=utf-8

Nous serons finalement 14 stagiaires au lieu de 12.
--other-boundary--
`),
			Want: Want{
				MessageID:       "never-found@acme-industrie.fr",
				Subject:         "Nombre de stagiaires",
				TextContains:    []string{"Nous serons finalement 14 stagiaires au lieu de 12."},
				From:            Client2,
				Participants:    []string{Broker, Client2},
				ProblemContains: []string{`boundary "declared-but-absent" never found`},
			},
		},
		{
			Name: "truncated-in-attachment",
			Raw:  crlf(truncated),
			Want: Want{
				MessageID:       "devis-2026-042@formaplus.fr",
				Subject:         "Devis 2026-042",
				TextContains:    []string{"notre devis 2026-042 en pièce jointe"},
				Attachments:     []string{"Devis 2026-042.pdf"},
				From:            Provider,
				Participants:    []string{Broker, Provider},
				ProblemContains: []string{"multipart: closing boundary missing"},
			},
		},
		{
			Name: "broken-base64-body",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: Accès au site
Date: Tue, 24 Mar 2026 10:00:00 +0100
Message-ID: <broken-b64@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

` + breakBase64(b64([]byte("Le badge d'accès sera remis à l'accueil le premier jour.\r\n")))),
			Want: Want{
				MessageID:       "broken-b64@acme-industrie.fr",
				Subject:         "Accès au site",
				TextContains:    []string{"Le badge d'accès sera remis à l'accueil le premier jour."},
				From:            Client,
				Participants:    []string{Broker, Client},
				ProblemContains: []string{"base64: invalid characters skipped"},
			},
		},
		{
			// No header at all: a file dropped into the mailbox by a bad
			// import, binary bytes included.
			Name: "garbage-without-header",
			Raw:  crlf("\x00\x01\x02PK\x03\x04 ceci n'est pas un e-mail\n\xff\xfe<<<>>> ;;; ===\nligne 3 sans en-tête\n"),
			Want: Want{
				Broken:          true,
				ProblemContains: []string{"no header found"},
			},
		},
	}
}

// breakBase64 puts characters outside the base64 alphabet in the middle of
// the encoded text, as a broken gateway does.
func breakBase64(s string) string {
	return s[:20] + "!*" + s[20:40] + "\x00" + s[40:]
}
