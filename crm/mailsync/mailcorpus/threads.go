package mailcorpus

// threadFixtures cover threading: a reply chain, a reply known only by the
// subject tag, and a client writing with the provider in copy.
func threadFixtures() []Fixture {
	return []Fixture{
		{
			Name: "thread-1-request",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: Courtier <crm@courtier.test>
Subject: Formation SST pour l'atelier
Date: Wed, 25 Mar 2026 08:00:00 +0100
Message-ID: <Thread1.A7F3@ACME-Industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bonjour, nous cherchons une formation SST pour 8 personnes de l'atelier.
`),
			Want: Want{
				MessageID:    "Thread1.A7F3@acme-industrie.fr",
				Subject:      "Formation SST pour l'atelier",
				TextContains: []string{"une formation SST pour 8 personnes"},
				From:         Client,
				Participants: []string{Broker, Client},
			},
		},
		{
			Name: "thread-2-reply",
			Raw: crlf(`From: Courtier <crm@courtier.test>
To: Marie Durand <marie.durand@acme-industrie.fr>
Subject: RE: Formation SST pour l'atelier
Date: Wed, 25 Mar 2026 10:12:00 +0100
Message-ID: <thread2.courtier@courtier.test>
In-Reply-To: <Thread1.A7F3@acme-industrie.fr>
References: <Thread1.A7F3@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bonjour Marie, FormaPlus propose une session les 14 et 15 avril.

> Bonjour, nous cherchons une formation SST pour 8 personnes de l'atelier.
`),
			Want: Want{
				MessageID:    "thread2.courtier@courtier.test",
				Subject:      "RE: Formation SST pour l'atelier",
				TextContains: []string{"FormaPlus propose une session les 14 et 15 avril."},
				From:         Broker,
				Participants: []string{Broker, Client},
				InReplyTo:    "Thread1.A7F3@acme-industrie.fr",
			},
		},
		{
			Name: "thread-3-reply",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: Courtier <crm@courtier.test>
Cc: Paul Martin <paul.martin@acme-industrie.fr>
Subject: Re: RE: Formation SST pour l'atelier
Date: Wed, 25 Mar 2026 11:30:00 +0100
Message-ID: <thread3.b2@acme-industrie.fr>
In-Reply-To: <thread2.courtier@COURTIER.TEST> (message de Courtier du 25 mars)
References: <Thread1.A7F3@acme-industrie.fr>
 <thread2.courtier@courtier.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Parfait, nous validons les 14 et 15 avril. Paul gérera la logistique.
`),
			Want: Want{
				MessageID:    "thread3.b2@acme-industrie.fr",
				Subject:      "Re: RE: Formation SST pour l'atelier",
				TextContains: []string{"nous validons les 14 et 15 avril"},
				From:         Client,
				Participants: []string{Broker, Client2, Client},
				InReplyTo:    "thread2.courtier@courtier.test",
			},
		},
		{
			// A reply from a client whose mailer dropped In-Reply-To and
			// References: only the [REQ-123] tag of the subject links it.
			Name: "subject-tag-only-reply",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: crm@courtier.test
Subject: Re: [REQ-123] Habilitation électrique B1V
Date: Thu, 26 Mar 2026 14:00:00 +0100
Message-ID: <tag-only-reply@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bonjour, la date du 9 avril nous convient.
`),
			Want: Want{
				MessageID:    "tag-only-reply@acme-industrie.fr",
				Subject:      "Re: [REQ-123] Habilitation électrique B1V",
				TextContains: []string{"la date du 9 avril nous convient"},
				From:         Client,
				Participants: []string{Broker, Client},
			},
		},
		{
			Name: "client-with-provider-in-cc",
			Raw: crlf(`From: Marie Durand <marie.durand@acme-industrie.fr>
To: Courtier <crm@courtier.test>
Cc: FormaPlus <contact@formaplus.fr>, Paul Martin <paul.martin@acme-industrie.fr>
Subject: Logistique de la session du 14 avril
Date: Fri, 27 Mar 2026 09:45:00 +0100
Message-ID: <logistique-0414@acme-industrie.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bonjour à tous, la salle Rhône sera équipée d'un vidéoprojecteur.
`),
			Want: Want{
				MessageID:    "logistique-0414@acme-industrie.fr",
				Subject:      "Logistique de la session du 14 avril",
				TextContains: []string{"la salle Rhône sera équipée d'un vidéoprojecteur"},
				From:         Client,
				Participants: []string{Provider, Broker, Client, Client2},
			},
		},
	}
}
