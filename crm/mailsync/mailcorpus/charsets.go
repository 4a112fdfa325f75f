package mailcorpus

import (
	"mime/quotedprintable"
	"strings"
)

// charsetFixtures cover body charsets and transfer encodings.
func charsetFixtures() []Fixture {
	return []Fixture{
		{
			Name: "utf8-8bit-plain",
			Raw: crlf(`Return-Path: <marie.durand@acme-industrie.fr>
From: Marie Durand <marie.durand@acme-industrie.fr>
To: Courtier <crm@courtier.test>
Subject: Demande de formation « Sécurité incendie » pour 12 salariés
Date: Tue, 03 Mar 2026 09:15:00 +0100
Message-ID: <20260303091500.utf8@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour,

Nous souhaiterions former 12 salariés à la sécurité incendie (manipulation
des extincteurs, évacuation) sur notre site de Villeurbanne, idéalement en
février. Pourriez-vous nous proposer un organisme et un devis ?

Cordialement,
Marie Durand — Responsable RH, ACME Industrie
`),
			Want: Want{
				MessageID:    "20260303091500.utf8@acme-industrie.fr",
				Subject:      "Demande de formation « Sécurité incendie » pour 12 salariés",
				TextContains: []string{"12 salariés à la sécurité incendie", "Marie Durand — Responsable RH"},
				From:         Client,
				Participants: []string{Broker, Client},
			},
		},
		{
			Name: "iso-8859-1-8bit-plain",
			Raw: crlf(`From: Paul Martin <paul.martin@acme-industrie.fr>
To: crm@courtier.test
Subject: Liste des participants
Date: Wed, 04 Mar 2026 14:02:11 +0100
Message-ID: <latin1.4401@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset="ISO-8859-1"
Content-Transfer-Encoding: 8bit

` + latin1(`Bonjour,

Voici la liste des participants à la session de décembre : François Lefèvre,
Hélène Garçon et Zoé Mañas. Merci de me confirmer la réception.

Paul Martin
`)),
			Want: Want{
				MessageID:    "latin1.4401@acme-industrie.fr",
				Subject:      "Liste des participants",
				TextContains: []string{"participants à la session de décembre", "François Lefèvre", "Hélène Garçon et Zoé Mañas"},
				From:         Client2,
				Participants: []string{Broker, Client2},
			},
		},
		{
			Name: "iso-8859-15-euro",
			Raw: crlf(`From: FormaPlus <contact@formaplus.fr>
To: crm@courtier.test
Subject: Tarif de la session
Date: Thu, 05 Mar 2026 10:30:00 +0100
Message-ID: <tarif-0305@formaplus.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-15
Content-Transfer-Encoding: 8bit

` + latin9(`Bonjour,

Le tarif est de 1 250 € HT par jour, soit 3 750 € HT pour les trois jours.
La prévention des risques est au cœur de notre métier.
`)),
			Want: Want{
				MessageID:    "tarif-0305@formaplus.fr",
				Subject:      "Tarif de la session",
				TextContains: []string{"1 250 € HT par jour", "3 750 € HT", "au cœur de notre métier"},
				From:         Provider,
				Participants: []string{Broker, Provider},
			},
		},
		{
			Name: "windows-1252-declared",
			Raw: crlf(`From: FormaPlus <contact@formaplus.fr>
To: Courtier <crm@courtier.test>
Subject: Proposition pour la formation Management
Date: Fri, 06 Mar 2026 16:45:00 +0100
Message-ID: <cp1252-declared@formaplus.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: 8bit
X-Mailer: Microsoft Outlook 16.0

` + cp1252(`Bonjour,

Merci pour votre retour. Voici l’offre pour “Management d’équipe” :
deux jours en intra, 2 400 € HT, supports et œuvre collective compris.

Bien à vous,
L’équipe FormaPlus
`)),
			Want: Want{
				MessageID:    "cp1252-declared@formaplus.fr",
				Subject:      "Proposition pour la formation Management",
				TextContains: []string{"Voici l’offre pour “Management d’équipe”", "2 400 € HT", "œuvre collective", "L’équipe FormaPlus"},
				From:         Provider,
				Participants: []string{Broker, Provider},
			},
		},
		{
			// Outlook's habit: Windows-1252 bytes labelled ISO-8859-1, where
			// 0x80-0x9F are control characters.
			Name: "windows-1252-labelled-iso-8859-1",
			Raw: crlf(`From: FormaPlus <contact@formaplus.fr>
To: Courtier <crm@courtier.test>
Subject: Proposition pour la formation Management (suite)
Date: Fri, 06 Mar 2026 17:02:00 +0100
Message-ID: <cp1252-as-latin1@formaplus.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

` + qp(cp1252(`J’ai oublié : le déjeuner “sur place” est à 18 € par personne, œufs bio.
`))),
			Want: Want{
				MessageID:    "cp1252-as-latin1@formaplus.fr",
				Subject:      "Proposition pour la formation Management (suite)",
				TextContains: []string{"J’ai oublié", "“sur place”", "18 € par personne", "œufs bio"},
				From:         Provider,
				Participants: []string{Broker, Provider},
			},
		},
		{
			Name: "quoted-printable-utf8",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: Confirmation de la session
Date: Mon, 09 Mar 2026 08:05:00 +0100
Message-ID: <qp-0309@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Bonjour,

Suite =C3=A0 notre =C3=A9change, je vous confirme la session du 12 mars 202=
6 =C3=A0 Lyon pour nos =C3=A9quipes de maintenance. Le co=C3=BBt total conv=
enu est de 2 400 =E2=82=AC HT.
Formule retenue : prix =3D jours x tarif journalier.  =20
`),
			Want: Want{
				MessageID:    "qp-0309@acme-industrie.fr",
				Subject:      "Confirmation de la session",
				TextContains: []string{"Suite à notre échange", "12 mars 2026 à Lyon", "coût total convenu est de 2 400 € HT", "prix = jours x tarif journalier."},
				From:         Client,
				Participants: []string{Broker, Client},
			},
		},
		{
			Name: "base64-body",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: Horaires de la formation
Date: Mon, 09 Mar 2026 11:20:00 +0100
Message-ID: <b64-0309@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

` + b64([]byte("Bonjour,\r\n\r\nLes horaires seront 9 h – 12 h 30 et 13 h 30 – 17 h.\r\nL'accueil se fera à l'entrée B, près du réfectoire.\r\n\r\nMarie\r\n"))),
			Want: Want{
				MessageID:    "b64-0309@acme-industrie.fr",
				Subject:      "Horaires de la formation",
				TextContains: []string{"9 h – 12 h 30 et 13 h 30 – 17 h.", "l'entrée B, près du réfectoire"},
				From:         Client,
				Participants: []string{Broker, Client},
			},
		},
		{
			Name: "unknown-charset",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: Salle de formation
Date: Tue, 10 Mar 2026 09:00:00 +0100
Message-ID: <unknown-charset@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-courtier-unknown"
Content-Transfer-Encoding: 8bit

` + latin1(`La salle de réunion du 2e étage est réservée.
`)),
			Want: Want{
				MessageID:       "unknown-charset@acme-industrie.fr",
				Subject:         "Salle de formation",
				TextContains:    []string{"La salle de réunion du 2e étage est réservée."},
				From:            Client,
				Participants:    []string{Broker, Client},
				ProblemContains: []string{`unknown charset "x-courtier-unknown", decoded as Windows-1252`},
			},
		},
		{
			Name: "utf8-label-on-latin1-bytes",
			Raw: crlf(`From: Paul Martin <paul.martin@acme-industrie.fr>
To: crm@courtier.test
Subject: Parking
Date: Tue, 10 Mar 2026 09:30:00 +0100
Message-ID: <lying-utf8@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

` + latin1(`Les stagiaires pourront se garer sur le parking réservé aux visiteurs.
`)),
			Want: Want{
				MessageID:       "lying-utf8@acme-industrie.fr",
				Subject:         "Parking",
				TextContains:    []string{"le parking réservé aux visiteurs"},
				From:            Client2,
				Participants:    []string{Broker, Client2},
				ProblemContains: []string{"not valid UTF-8, invalid bytes decoded as Windows-1252"},
			},
		},
	}
}

// qp encodes text as quoted-printable with "\n" line endings.
func qp(s string) string {
	var b bytesWriter
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// bytesWriter collects what is written.
type bytesWriter []byte

// Write implements io.Writer.
func (b *bytesWriter) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}
