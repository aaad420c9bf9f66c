"""Identifying and confidential values planted on a candidate, which company HR must never
read on any page of theirs."""

import datetime

PLANTED = {
    "first_name": "Zenobia",
    "last_name": "Quartararo",
    "phone": "+39 333 9998887",
    "email": "zenobia.quartararo@example.org",
    "address": "Via dei Segreti 17",
    "codice_fiscale": "QRTZNB90C54A794C",
    "birth_date": datetime.date(1990, 3, 14),
    "nationality": "MA",
    "birth_country": "MA",
    "health_notes": "Segreto sanitario",
    "care_notes": "Accudisce la suocera di notte",
    "permit_type": "protection",
    "permit_expiry": datetime.date(2031, 7, 19),
    "social_service_notes": "Seguita dai servizi sociali di Zogno",
    "notes": "Annotazione riservata del centro",
}
NEVER_SHOWN = [
    "Zenobia",
    "Quartararo",
    "9998887",
    "zenobia.quartararo@example.org",
    "Via dei Segreti",
    "QRTZNB90C54A794C",
    "14/03/1990",
    "1990-03-14",
    "Marocco",
    "Morocco",
    "Segreto sanitario",
    "Accudisce la suocera",
    "protezione internazionale",
    "International protection",
    "19/07/2031",
    "servizi sociali di Zogno",
    "Annotazione riservata",
    "Diakonia Bergamo",  # the centre (the footer names the programme's partner association)
    "Nota dello staff",
]
