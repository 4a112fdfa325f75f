package mailcorpus

import (
	"encoding/base64"
	"strings"
)

// headerFixtures cover encoded headers, missing and duplicate Message-IDs.
func headerFixtures() []Fixture {
	bWord := func(s string) string { return "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?=" }
	return []Fixture{
		{
			Name: "rfc2047-subject-q",
			Raw: crlf(`From: =?UTF-8?Q?Marie_Dur=C3=A2nd?= <marie.durand@acme-industrie.fr>
To: =?iso-8859-1?q?Courtier_=E0_Lyon?= <crm@courtier.test>
Subject: =?ISO-8859-1?Q?R=E9ponse_=E0_votre_demande_de_devis?=
Date: Wed, 11 Mar 2026 10:00:00 +0100
Message-ID: <q-subject@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Bonjour, nous acceptons le devis.
`),
			Want: Want{
				MessageID:    "q-subject@acme-industrie.fr",
				Subject:      "Réponse à votre demande de devis",
				TextContains: []string{"nous acceptons le devis"},
				From:         Client,
				Participants: []string{Broker, Client},
			},
		},
		{
			// Two adjacent B words, the folding blank between them dropped,
			// then a Q word in another charset.
			Name: "rfc2047-subject-b-mixed-charsets",
			Raw: crlf(`From: FormaPlus <contact@formaplus.fr>
To: crm@courtier.test
Subject: ` + bWord("Inscription à la formation ") + `
 ` + bWord("« Excel avancé »") + ` =?ISO-8859-15?Q?_=28tarif_=A4_r=E9duit=29?=
Date: Wed, 11 Mar 2026 10:05:00 +0100
Message-ID: <b-subject@formaplus.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Les inscriptions sont ouvertes.
`),
			Want: Want{
				MessageID:    "b-subject@formaplus.fr",
				Subject:      "Inscription à la formation « Excel avancé » (tarif € réduit)",
				TextContains: []string{"Les inscriptions sont ouvertes."},
				From:         Provider,
				Participants: []string{Broker, Provider},
			},
		},
		noMessageID("no-message-id-first", "Mon, 16 Mar 2026 09:00:00 +0100", "Pouvez-vous me rappeler demain matin ?"),
		noMessageID("no-message-id-second", "Mon, 16 Mar 2026 09:00:00 +0100", "Finalement, rappelez-moi plutôt jeudi."),
		duplicate("duplicate-id-inbox-copy", `Received: from mx1.acme-industrie.fr (mx1.acme-industrie.fr [192.0.2.10])
	by mail.courtier.test with ESMTPS id 4Q1; Tue, 17 Mar 2026 11:00:02 +0100
Delivered-To: crm@courtier.test
Return-Path: <marie.durand@acme-industrie.fr>
`),
		duplicate("duplicate-id-archive-folder-copy", `Received: from mail.courtier.test (localhost [127.0.0.1])
	by archive.courtier.test with LMTP id 9ZX; Tue, 17 Mar 2026 11:00:09 +0100
Received: from mx2.acme-industrie.fr (mx2.acme-industrie.fr [192.0.2.11])
	by mail.courtier.test with ESMTPS id 4Q2; Tue, 17 Mar 2026 11:00:03 +0100
Delivered-To: archives@courtier.test
X-Original-To: crm@courtier.test
Return-Path: <bounce+marie.durand=acme-industrie.fr@acme-industrie.fr>
`),
	}
}

// noMessageID builds a message without Message-ID; the two fixtures made
// with it share everything but the text, so their content keys differ.
func noMessageID(name, date, text string) Fixture {
	return Fixture{
		Name: name,
		Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: Rappel
Date: ` + date + `
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

` + text + `
`),
		Want: Want{
			Subject:      "Rappel",
			TextContains: []string{text},
			From:         Client,
			Participants: []string{Broker, Client},
		},
	}
}

// duplicate builds the same message as delivered to two folders: only the
// trace fields put on top differ.
func duplicate(name, trace string) Fixture {
	return Fixture{
		Name: name,
		Raw: crlf(strings.TrimPrefix(trace, "\n") + `From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: Bon de commande signé
Date: Tue, 17 Mar 2026 11:00:00 +0100
Message-ID: <BDC-2026-017.Signed@ACME-Industrie.FR>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour, vous trouverez le bon de commande signé par notre direction.
`),
		Want: Want{
			MessageID:    "BDC-2026-017.Signed@acme-industrie.fr",
			Subject:      "Bon de commande signé",
			TextContains: []string{"bon de commande signé par notre direction"},
			From:         Client,
			Participants: []string{Broker, Client},
		},
	}
}
