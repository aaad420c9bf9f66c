"""The funding channels this field uses, seeded by `load_reference` (the programme office
edits them in the portal afterwards). code: (Italian name, English name, needs the DID,
eligibility)."""

FUNDING_CHANNELS = {
    "gol-2": (
        "GOL percorso 2 - aggiornamento (upskilling)",
        "GOL pathway 2 - upskilling",
        True,
        "Persone iscritte al programma GOL con DID e patto di servizio presso un CPI; "
        "formazione breve di aggiornamento.",
    ),
    "gol-3": (
        "GOL percorso 3 - riqualificazione (reskilling)",
        "GOL pathway 3 - reskilling",
        True,
        "Persone iscritte al programma GOL con DID e patto di servizio presso un CPI; "
        "formazione di riqualificazione più lunga.",
    ),
    "dote-unica-lavoro": (
        "Dote Unica Lavoro (Regione Lombardia)",
        "Dote Unica Lavoro (Lombardy Region)",
        True,
        "Residenti o domiciliati in Lombardia, disoccupati con DID; servizi al lavoro e "
        "formazione presso operatori accreditati.",
    ),
    "fondimpresa": (
        "Fondo interprofessionale (es. Fondimpresa)",
        "Inter-professional fund (e.g. Fondimpresa)",
        False,
        "Formazione dei lavoratori delle imprese aderenti al fondo: dopo l'assunzione.",
    ),
    "fse-plus": (
        "Bando regionale FSE+",
        "Regional ESF+ call",
        False,
        "Secondo i requisiti del singolo bando (destinatari, durata, territorio).",
    ),
    "company": (
        "Fondi propri dell'azienda",
        "The company's own funds",
        False,
        "L'azienda che ospita o assume sostiene il costo.",
    ),
    "charity": (
        "Fondi propri della Caritas / Diakonia",
        "The charity's own funds",
        False,
        "Piccoli sostegni (abbonamenti, vestiario, documenti) decisi dal centro di ascolto.",
    ),
}
