package pdf

// textsFR holds the French texts. Non-breaking spaces (U+00A0) go before
// ":" and inside « », as French typography wants.
var textsFR = map[string]string{
	"title.proposal":    "Devis",
	"title.agreement":   "Convention de formation professionnelle",
	"title.programme":   "Programme de formation",
	"title.convocation": "Convocation à la formation",
	"title.attendance":  "Feuille d'émargement",
	"title.certificate": "Attestation de fin de formation",
	"title.realisation": "Certificat de réalisation",

	"frame.vat":        "N° TVA",
	"frame.nda":        "Déclaration d'activité enregistrée sous le numéro %s.",
	"frame.nda.region": "Déclaration d'activité enregistrée sous le numéro %s auprès du préfet de la région %s.",
	"frame.nda.notice": "Cet enregistrement ne vaut pas agrément de l'État.",
	"nda.short":        "déclaration d'activité n° %s",
	"ref":              "N° %s",
	"party.contact":    "À l'attention de %s",
	"period.one":       "le %s",
	"period.span":      "du %s au %s",
	"halfdays":         "%d demi-journées",
	"halfdays.one":     "%d demi-journée",
	"label":            "%s\u00a0: %s",
	"remote":           "À distance",
	"remote.text":      "La formation a lieu à distance, en classe virtuelle.",
	"done":             "Fait le %s.",
	"done.at":          "Fait à %s, le %s.",
	"article":          "Article %d – %s",

	"category.training":       "Action de formation (art. L6313-1, 1° du Code du travail)",
	"category.skills_review":  "Bilan de compétences (art. L6313-1, 2° du Code du travail)",
	"category.vae":            "Validation des acquis de l'expérience (art. L6313-1, 3° du Code du travail)",
	"category.apprenticeship": "Action de formation par apprentissage (art. L6313-1, 4° du Code du travail)",

	"field.nature":        "Nature de l'action",
	"field.provider":      "Organisme réalisateur",
	"field.dates":         "Dates",
	"field.duration":      "Durée",
	"field.planned":       "Durée prévue",
	"field.attended":      "Durée suivie",
	"field.place":         "Lieu",
	"field.trainer":       "Formateur",
	"field.timetable":     "Horaires",
	"field.payment":       "Paiement",
	"field.funding":       "Financement",
	"field.public":        "Public",
	"field.prerequisites": "Prérequis",
	"field.delivery":      "Modalités",
	"field.contact":       "Contact",
	"field.link":          "Lien de connexion",

	"price.label": "Désignation",
	"price.qty":   "Quantité",
	"price.unit":  "Prix unitaire HT",
	"price.vat":   "TVA",
	"price.total": "Total HT",
	"total.excl":  "Total HT",
	"total.vat":   "TVA %s sur %s",
	"total.incl":  "Total TTC",

	"sign.name_role":   "Nom, qualité\u00a0:",
	"sign.prompt":      "Date, signature et cachet",
	"sign.stamp":       "Cachet et signature",
	"sign.provider":    "Pour l'organisme de formation",
	"sign.client":      "Pour le client",
	"sign.trainee":     "Le stagiaire",
	"proposal.from":    "ÉMETTEUR",
	"proposal.to":      "CLIENT",
	"proposal.subject": "Objet\u00a0: %s",
	"proposal.terms":   "Conditions",
	"proposal.valid":   "Devis valable jusqu'au %s.",
	"proposal.mode.broker": "Mode de contractualisation\u00a0: %s, organisme de formation, signe la convention de " +
		"formation avec le client et lui adresse la facture.",
	"proposal.mode.provider": "Mode de contractualisation\u00a0: la convention de formation est signée et la facture " +
		"émise directement par l'organisme de formation %s\u00a0; %s intervient comme intermédiaire.",
	"proposal.payment":       "Conditions de paiement\u00a0: %s",
	"proposal.accept":        "Bon pour accord",
	"proposal.accept.prompt": "Date, signature et cachet, précédés de la mention «\u00a0Bon pour accord\u00a0»",

	"title.agreement.law":            "Articles L6353-1 et D6353-1 du Code du travail",
	"title.agreement.individual":     "Contrat de formation professionnelle",
	"title.agreement.individual.law": "Articles L6353-3 à L6353-7 du Code du travail",
	"agreement.between":              "Entre les soussignés\u00a0:",
	"agreement.represented":          "représenté par %s",
	"agreement.provider":             "ci-après «\u00a0l'organisme de formation\u00a0»,",
	"agreement.and":                  "et",
	"agreement.client":               "ci-après «\u00a0le client\u00a0».",
	"agreement.trainee":              "ci-après «\u00a0le stagiaire\u00a0».",
	"agreement.preamble": "Est conclue la présente convention, en application des dispositions de la sixième " +
		"partie du Code du travail portant organisation de la formation professionnelle tout au long de la vie.",
	"agreement.object":       "Objet et nature de l'action",
	"agreement.object.text":  "L'organisme de formation organise l'action intitulée «\u00a0%s\u00a0».",
	"agreement.objectives":   "Objectifs et programme",
	"agreement.programme":    "Le programme détaillé (réf. %s) est annexé à la présente convention.",
	"agreement.organisation": "Organisation de l'action",
	"agreement.trainees":     "Stagiaires",
	"agreement.count":        "Nombre de stagiaires\u00a0: %d",
	"agreement.assessment":   "Évaluation et sanction de la formation",
	"agreement.certificate": "À l'issue de l'action, une attestation mentionnant les objectifs, la nature et la durée " +
		"de l'action et les résultats de l'évaluation des acquis est remise à chaque stagiaire (art. L6353-1 du Code du travail).",
	"agreement.price":      "Prix et modalités de paiement",
	"agreement.withdrawal": "Délai de rétractation",
	"agreement.withdrawal.text": "À compter de la signature du présent contrat, le stagiaire dispose d'un délai de dix jours " +
		"pour se rétracter, par lettre recommandée avec avis de réception (art. L6353-5). Aucune somme ne peut être exigée " +
		"avant l'expiration de ce délai, et il ne peut être payé, à son expiration, plus de 30\u00a0% du prix convenu ; " +
		"le solde est échelonné au fur et à mesure du déroulement de l'action (art. L6353-6). Si, par suite de force majeure " +
		"dûment reconnue, le stagiaire est empêché de suivre la formation, seules les prestations effectivement dispensées " +
		"sont dues au prorata de leur valeur (art. L6353-7).",
	"agreement.cancellation": "Annulation et dédit",
	"agreement.cancellation.default": "Toute annulation par le client doit être notifiée par écrit. Moins de dix jours ouvrés " +
		"avant le début de l'action, 50\u00a0% du prix reste dû au titre du dédit ; moins de trois jours ouvrés avant, la " +
		"totalité. Ces sommes ne peuvent être imputées sur l'obligation de participation au financement de la formation " +
		"professionnelle ni faire l'objet d'une demande de prise en charge par un opérateur de compétences. En cas " +
		"d'annulation par l'organisme de formation, les sommes versées sont remboursées intégralement.",
	"agreement.disputes":      "Différends",
	"agreement.disputes.text": "Les parties recherchent une solution amiable à tout différend né de la présente convention ; à défaut, le tribunal compétent est saisi.",
	"agreement.copies":        "En deux exemplaires originaux.",

	"programme.annex":         "Annexe à la convention n° %s",
	"programme.version":       "version",
	"programme.updated":       "mise à jour du",
	"programme.objectives":    "Objectifs pédagogiques",
	"programme.content":       "Contenu",
	"programme.module":        "Module %d – %s",
	"programme.methods":       "Méthodes et moyens pédagogiques",
	"programme.assessment":    "Modalités d'évaluation",
	"programme.accessibility": "Accessibilité aux personnes en situation de handicap",
	"programme.contact":       "Contact",

	"convocation.hello":     "Bonjour %s,",
	"convocation.text":      "Vous êtes inscrit(e) à la formation «\u00a0%s\u00a0», organisée par %s. Nous vous remercions de vous présenter aux dates et horaires ci-dessous.",
	"convocation.when":      "Dates et horaires",
	"convocation.where":     "Lieu",
	"convocation.practical": "Informations pratiques",
	"convocation.closing":   "Nous vous souhaitons une excellente formation.",
	"slot.day":              "Jour",
	"slot.morning":          "Matin",
	"slot.afternoon":        "Après-midi",
	"acme.access": "Accès au site\u00a0: présentez-vous à l'accueil quinze minutes avant le début, muni(e) d'une pièce " +
		"d'identité ; un badge visiteur vous sera remis et devra être porté en permanence.",

	"sheet.halfdays": "Demi-journées %d à %d sur %d",
	"sheet.help":     "Chaque stagiaire signe à chaque demi-journée ; le formateur indique «\u00a0absent\u00a0» dans la case d'un stagiaire absent et signe sa ligne.",
	"sheet.trainee":  "Stagiaires %d à %d sur %d",
	"sheet.trainer":  "Formateur",

	"certificate.intro":      "Je soussigné(e), %s, pour l'organisme de formation %s, atteste que\u00a0:",
	"certificate.employee":   "salarié(e) de %s",
	"certificate.followed":   "a suivi l'action de formation\u00a0:",
	"certificate.objectives": "Objectifs de la formation",
	"certificate.result":     "Résultats de l'évaluation des acquis",
	"certificate.law":        "Attestation délivrée en application de l'article L6353-1 du Code du travail.",

	"realisation.undersigned":             "Je soussigné(e) %s, représentant légal du dispensateur de l'action concourant au développement des compétences %s,",
	"realisation.attests":                 "atteste que\u00a0:",
	"realisation.employee":                "salarié(e) de l'entreprise",
	"realisation.followed":                "a suivi l'action",
	"realisation.nature":                  "Nature de l'action concourant au développement des compétences\u00a0:",
	"realisation.category.training":       "action de formation",
	"realisation.category.skills_review":  "bilan de compétences",
	"realisation.category.vae":            "action de VAE",
	"realisation.category.apprenticeship": "action de formation par apprentissage",
	"realisation.period":                  "qui s'est déroulée du %s au %s",
	"realisation.duration":                "pour une durée de %s réalisées.",
	"realisation.assiduity":               "Assiduité\u00a0: %s réalisées sur %s prévues, soit %s\u00a0%%.",
	"realisation.keep": "Sans préjudice des délais imposés par les règles fixées par le financeur pour la transmission des " +
		"pièces justificatives, je m'engage à conserver l'ensemble des pièces justificatives qui ont permis d'établir le " +
		"présent certificat pendant une durée de trois ans à compter de la fin de l'année du dernier paiement. En cas de " +
		"cofinancement des fonds européens, la durée de conservation est étendue conformément aux obligations " +
		"conventionnelles spécifiques.",
	"realisation.at":   "Fait à\u00a0:",
	"realisation.on":   "Le\u00a0:",
	"realisation.sign": "Le responsable du dispensateur de l'action",
}
