"""Demo data vocabulary: the word lists and weighted tuples the household generator draws from.
Languages spoken and the origin of the names that go with them, Maghrebi and West African name
lists (Faker has no locale for them), household sizes, address details, e-mail domains, statuses,
suppliers and their invented customer-reference formats, debt descriptions, contact channels and
outcomes, interview answers, the text templates of summaries, notes, next steps, orientations,
follow-ups and incidents, and the demo sites and partners created for a team that has none. A
value repeated in a tuple weighs more: draws pick uniformly by position.
"""

from __future__ import annotations

from mediadesk.interview import QUESTIONS, Step

LANGUAGES = ("fr",) * 78 + ("ar",) * 8 + ("tr", "tr", "tr", "pt", "pt", "pt", "ro", "ro", "ro",
                                         "wo", "wo", "en", "es", "ff")
NAME_ORIGIN = {"ar": "ar", "tr": "tr", "pt": "pt", "ro": "ro", "wo": "wo", "ff": "wo",
               "en": "en", "es": "es"}
FR_NAME_ORIGINS = ("fr",) * 16 + ("ar", "ar", "pt", "wo")
LANGUAGE_NAMES = {"fr": "français", "ar": "arabe", "tr": "turc", "pt": "portugais",
                  "ro": "roumain", "wo": "wolof", "ff": "peul", "en": "anglais",
                  "es": "espagnol"}
MAGHREB_NAMES = (
    ("Benali", "Haddad", "Mansouri", "Belkacem", "Chérif", "Amrani", "Bouaziz", "Khelifi",
     "Hamidi", "Saïdi", "Brahimi", "Benmoussa", "El Idrissi", "Aït Ahmed", "Meziane", "Bensaïd",
     "Lahlou", "Bouchareb", "Djebbar", "Ouali", "Zerrouki", "Mokrani", "Benyahia", "Tahiri"),
    ("Fatima", "Samira", "Nadia", "Yasmina", "Malika", "Khadija", "Leïla", "Amina", "Souad",
     "Naïma", "Zohra", "Rachida", "Farida", "Meriem", "Salma", "Inès", "Sonia", "Houria"),
    ("Mohamed", "Karim", "Rachid", "Ahmed", "Youssef", "Mehdi", "Farid", "Brahim", "Saïd",
     "Nordine", "Abdelkader", "Hamza", "Kamel", "Mourad", "Smaïl", "Bilal", "Nabil", "Driss"),
)
WEST_AFRICAN_NAMES = (
    ("Diop", "Ndiaye", "Fall", "Sow", "Ba", "Diallo", "Sarr", "Gueye", "Faye", "Camara", "Cissé",
     "Traoré", "Touré", "Barry", "Bah", "Mbaye", "Niang", "Kane", "Sylla", "N'Diaye", "Seck"),
    ("Aminata", "Fatou", "Awa", "Mariama", "Aïssatou", "Khady", "Ndèye", "Coumba", "Binta",
     "Adama", "Rokhaya", "Oumou", "Kadiatou", "Maïmouna"),
    ("Moussa", "Ousmane", "Mamadou", "Ibrahima", "Cheikh", "Abdoulaye", "Modou", "Alioune",
     "Boubacar", "Souleymane", "Lamine", "Babacar", "Mountaga", "Assane"),
)
MEMBER_COUNTS = (1,) * 35 + (2,) * 25 + (3,) * 18 + (4,) * 13 + (5,) * 9
STREET_NUMBERS = (*(str(n) for n in range(1, 120)), "2 bis", "5 ter", "14 bis", "1 bis")
ADDRESS_EXTRAS = ("Bât. A, 2e étage", "Bât. C, appt 12", "Résidence Les Tilleuls",
                  "Escalier 3, porte 7", "Appt 45", "Chez Mme Durand", "Résidence du Parc, bât. B",
                  "Foyer Adoma, chambre 112", "Rez-de-chaussée gauche", "Cité des Fleurs, bât. 4")
EMAIL_DOMAINS = ("@orange.fr", "@free.fr", "@gmail.com", "@laposte.net", "@sfr.fr",
                 "@hotmail.fr", "@yahoo.fr", "@wanadoo.fr")
VULNERABILITIES = ("language", "budget", "social_isolation", "digital", "health", "elderly",
                   "disability", "geographic")
PHONE_STATUSES = ("valid",) * 6 + ("unverified", "unverified", "wrong_number", "no_answer")
STATUSES = ("open",) * 6 + ("dormant", "dormant", "closed", "closed")
OUTCOMES = ("supply_maintained", "supply_maintained", "plan_agreed", "plan_agreed",
            "handed_over", "unreachable", "resolved", "consent_withdrawn", "other")
SUPPLIERS = {
    "electricity": ("EDF",) * 6 + ("Engie", "Engie", "TotalEnergies", "TotalEnergies", "Eni",
                                   "Ekwateur", "Mint Énergie", "SEMEA"),
    "gas": ("Engie",) * 4 + ("EDF", "TotalEnergies", "TotalEnergies", "Eni", "SEMEA"),
    "water": ("Veolia Eau", "Veolia Eau", "Suez Eau"),
}
REFERENCE_FORMATS = {  # invented, plausible-looking formats: (prefix, digits)
    "EDF": ("", 10), "Engie": ("", 12), "TotalEnergies": ("TE", 9), "Eni": ("", 9),
    "Ekwateur": ("EKW-", 7), "Mint Énergie": ("MINT", 8), "SEMEA": ("SEM-", 6),
    "Veolia Eau": ("VE", 10), "Suez Eau": ("", 11),
}
DEBT_DESCRIPTIONS = (
    "Facture de régularisation annuelle", "Factures mensuelles impayées", None,
    "Facture sur index estimés", "Rattrapage après compteur non relevé",
    "Mensualités rejetées par la banque", "Solde de résiliation", None,
)
CONTACTS = (("phone", "reached"),) * 5 + (
    ("phone", "no_answer"), ("phone", "no_answer"), ("phone", "no_answer"),
    ("phone", "message_left"), ("phone", "message_left"), ("phone", "wrong_number"),
    ("phone", "refused"), ("sms", "no_answer"), ("sms", "reached"), ("letter", "no_answer"),
    ("letter", "reached"), ("home_visit", "reached"), ("home_visit", "no_answer"),
    ("counter", "reached"), ("counter", "reached"), ("email", "reached"))
CONTACT_COMMENTS: dict[str, tuple[str | None, ...]] = {
    "reached": (None, None, "Rendez-vous fixé à la permanence.",
                "Rappel convenu en fin de matinée.",
                "Échange avec la personne titulaire du contrat."),
    "no_answer": (None, "Messagerie pleine.", "Sonne dans le vide.", "Personne au domicile."),
    "message_left": (None, "Message vocal laissé avec le numéro de la permanence."),
    "wrong_number": ("Numéro non attribué.", "La personne jointe ne connaît pas le foyer."),
    "refused": ("Ne souhaite pas de médiation pour le moment.", "Dit avoir déjà réglé la dette."),
}
QUESTION_KEYS = tuple(question.key for question in QUESTIONS)
ANSWERS = ("yes",) * 4 + ("no",) * 3 + ("unknown", "not_asked", "not_asked")
PLACES = ("counter",) * 5 + ("phone",) * 3 + ("home", "home")
INITIATORS = ("supplier_list",) * 4 + ("walk_in", "walk_in", "partner", "household_call",
                                        "mediator")
STEPS = tuple(step.key for step in Step)
SUMMARIES = (
    "Impayé de {amount} chez {supplier}. Facture expliquée ; échéancier à négocier.",
    "Facture de régularisation de {supplier} ({amount}) comprise après explication des index.",
    "{title} {last} connaît sa dette mais pas l'échéance de coupure ; trêve hivernale expliquée.",
    "Échéancier de {n} mensualités de {instalment} obtenu auprès de {supplier}.",
    "Chèque énergie non reçu : déclaration de revenus à faire, orientation vers le SIP.",
    "Contestation de relevé Linky : orientation vers Enedis, réclamation écrite conseillée.",
    "Dette de {amount} ; demande d'aide FSL à déposer avec l'assistante sociale.",
    "Entretien en {language}. Situation analysée, prochain pas fixé avec le foyer.",
)
NOTES = (
    "Appel de {title} {last} : confirme avoir reçu la facture de {supplier} de {amount}.",
    "Le foyer indique un dernier versement le {day}.",
    "Attestation chèque énergie envoyée à {supplier} le {day}.",
    "Dossier FSL en cours de constitution avec l'assistante sociale de secteur.",
    "{title} {last} souhaite être rappelé(e) en fin de matinée.",
    "Courrier de relance de {supplier} reçu le {day}, préavis de {days} jours mentionné.",
    "Échéancier proposé par {supplier} : {n} mensualités de {instalment}.",
    "Contestation de relevé du compteur Linky : démarche auprès d'Enedis expliquée.",
    "Rendez-vous pris au SIP pour la déclaration de revenus.",
    "Le foyer a présenté ses trois dernières factures ; aucune copie conservée.",
    "Puissance réduite depuis le {day} selon le foyer.",
    "Éco-gestes présentés : chauffage à 19 °C, appareils en veille, relevé mensuel du compteur.",
    "Nouveau numéro de téléphone donné par {title} {last}.",
    "Entretien avec interprète en {language}.",
    "Première mensualité de {instalment} réglée selon {supplier}.",
)
ACTIONS = (
    ("household", "Envoyer l'attestation chèque énergie à {supplier}"),
    ("household", "Prendre rendez-vous avec l'assistante sociale de secteur"),
    ("household", "Se rendre au SIP (service des impôts des particuliers)"),
    ("household", "Appeler le numéro vert chèque énergie 0 805 204 805"),
    ("household", "Régler la première mensualité de {instalment}"),
    ("household", "Transmettre un relevé de compteur à {supplier}"),
    ("mediator", "Appeler {supplier} pour négocier un échéancier"),
    ("mediator", "Vérifier la réception du dossier FSL"),
    ("partner", "Instruire la demande d'aide FSL"),
)
ORIENTATIONS = (
    ("social_worker", "Demande d'aide FSL pour la dette d'énergie"),
    ("ccas", "Aide facultative du CCAS"), ("fsl", "Dossier FSL énergie"),
    ("tax_office", "Déclaration de revenus pour ouvrir le droit au chèque énergie"),
    ("enedis", "Contestation de relevé du compteur Linky"),
    ("energy_ombudsman", "Litige non résolu deux mois après la réclamation écrite"),
    ("energy_voucher_helpline", "Chèque énergie non reçu"),
)
CHECK_OUTCOMES = ("Rendez-vous honoré", "Dossier déposé", "Pas encore de rendez-vous",
                  "Aide accordée", "Démarche non faite")
FOLLOW_UPS = (
    "Vérifier le paiement de la première échéance", "Point sur la demande FSL",
    "Rappeler pour confirmer l'envoi de l'attestation à {supplier}",
    "Relance après l'orientation", "Vérifier la reprise des paiements chez {supplier}",
)
INCIDENTS = (
    ("tense", "fournisseur", "Ton élevé au téléphone, colère dirigée contre {supplier}."),
    ("tense", "situation", "Personne très inquiète d'une coupure ; échange repris au calme."),
    ("tense", "contact", "Mécontent d'être appelé pendant son travail ; rappel proposé."),
    ("aggressive", "médiateur", "Propos menaçants à l'accueil ; relais à la responsable."),
)
SITES = (
    ("Bureau de poste – permanence du mardi", "2 avenue Thiers, 77000 Melun"),
    ("PIMMS – accueil principal", "5 rue de l'Industrie, 77000 Melun"),
    ("Mairie annexe – permanence", "Place de la Mairie, 77190 Dammarie-les-Lys"),
)
PARTNERS = (
    ("Service social départemental – secteur Nord", "social_worker", "Département", None,
     "lun.-ven. 9 h-12 h", ["fr"]),
    ("CCAS", "ccas", "Commune", None, "lun.-jeu. 8 h 30-17 h", ["fr", "ar"]),
    ("Fonds de solidarité logement", "fsl", "Département", None, None, ["fr"]),
    ("Service des impôts des particuliers", "tax_office", "DGFiP", None, "lun.-ven. 8 h 30-12 h",
     ["fr"]),
    ("Enedis – réclamations", "enedis", "Enedis", None, None, ["fr"]),
    ("Médiateur national de l'énergie (Énergie-Info)", "energy_ombudsman", "MNE", "+33800112212",
     None, ["fr"]),
    ("Chèque énergie – numéro vert", "energy_voucher_helpline", "État", "+33805204805", None,
     ["fr"]),
)
