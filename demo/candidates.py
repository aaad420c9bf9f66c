"""Demo supply: the 428 people the two charity centres registered at the start of #Focus,
people in difficulty around Bergamo. Deterministic for a given random generator.

More than half are foreign nationals, women are a majority, about half have no car. Names come
from the Faker locale of each nationality; the codice fiscale is computed from name, birth
date, sex and birthplace (a comune's cadastral code, or the country's "Z" code) as the
Agenzia delle Entrate does. The rows are those the intake services would write
(`candidate_register`, `consents_apply`, `candidate_set_status`: draft, consents, registration,
later changes), created in bulk for speed.
"""

import datetime
import math
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django_countries.fields import CountryField
from faker import Faker
from faker.providers.person.uk_UA import translit
from stdnum.it import codicefiscale

from accounts.models import User
from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateLanguage,
    CandidateSkill,
    Consent,
    ConsentRecord,
    Experience,
    StatusChange,
)
from candidates.services import CONSENT_FIELDS
from candidates.validators import codice_fiscale_facts
from catalog.languages import languages_parse
from catalog.models import AtecoCode, Certification, Comune, JobProfile, Skill
from focus.cache import touch
from focus.text import fold
from matching.ranking import ROAD_FACTOR, road_km

# code: (how many candidates, comune of the centre, how many of them are foreign nationals)
CENTRES = {
    "diakonia-bergamo": (268, "Bergamo", 160),
    "caritas-treviglio": (160, "Treviglio", 86),
}
ITALIAN_WOMEN = 0.6
STATUS_COUNTS = {
    Candidate.Status.DRAFT: 13,
    Candidate.Status.SUSPENDED: 12,
    Candidate.Status.WITHDRAWN: 8,
}  # the others are registered


@dataclass(frozen=True)
class Origin:
    weight: int  # share of the foreign candidates
    women: float  # share of women among them
    recent: float  # share arrived in the last three years
    belfiore: str  # the country's code in the codice fiscale
    country: str  # Italian name, for titles obtained abroad
    locales: tuple[tuple[str, str], ...]  # Faker locale for names, mother tongue
    other_languages: tuple[str, ...] = ()


# Nationalities of the programme's foreign candidates. Faker has no Albanian, Wolof,
# Moroccan or Egyptian locale in Latin script: Maghreb and Egyptian names come from fr_DZ,
# and Albania and Senegal are left out. Pakistani and Bangladeshi candidates are men:
# en_PK only has men's names.
ORIGINS = {
    "MA": Origin(
        18,
        0.60,
        0.25,
        "Z330",
        "Marocco",
        (("fr_DZ", "arabo"),),
        ("francese B1", "berbero madrelingua"),
    ),
    "RO": Origin(14, 0.70, 0.25, "Z129", "Romania", (("ro_RO", "romeno"),), ("inglese A2",)),
    "UA": Origin(
        11, 0.85, 0.85, "Z138", "Ucraina", (("uk_UA", "ucraino"),), ("russo C1", "inglese A2")
    ),
    "NG": Origin(
        8,
        0.55,
        0.50,
        "Z335",
        "Nigeria",
        (("en_NG", "edo"), ("yo_NG", "yoruba"), ("ig_NG", "igbo"), ("ha_NG", "hausa")),
        ("inglese C1", "inglese B2"),
    ),
    "PE": Origin(7, 0.72, 0.20, "Z611", "Perù", (("es_CO", "spagnolo"),), ("quechua",)),
    "PK": Origin(7, 0.0, 0.55, "Z236", "Pakistan", (("en_PK", "urdu"),), ("inglese B1",)),
    "IN": Origin(6, 0.35, 0.35, "Z222", "India", (("en_IN", "punjabi"),), ("hindi B2",)),
    "BO": Origin(6, 0.72, 0.20, "Z601", "Bolivia", (("es_MX", "spagnolo"),), ("quechua",)),
    "GH": Origin(5, 0.45, 0.35, "Z318", "Ghana", (("tw_GH", "twi"),), ("inglese B2",)),
    "EG": Origin(5, 0.30, 0.40, "Z336", "Egitto", (("fr_DZ", "arabo"),), ("inglese A2",)),
    "EC": Origin(5, 0.70, 0.15, "Z605", "Ecuador", (("es_CO", "spagnolo"),), ("inglese A2",)),
    "TN": Origin(4, 0.40, 0.40, "Z352", "Tunisia", (("fr_DZ", "arabo"),), ("francese B2",)),
    "BD": Origin(4, 0.0, 0.50, "Z249", "Bangladesh", (("en_PK", "bengalese"),), ("inglese A2",)),
}
SPANISH_OR_ROMANCE = {"RO", "PE", "BO", "EC"}  # they learn Italian faster
ASYLUM_ORIGINS = {"NG", "PK", "BD", "GH"}
# en_PK lists boys' names, with a few girls' names among them.
NOT_MEN_NAMES = {
    "Aafiya", "Aamirah", "Basheerah", "Batool", "Kaleema", "Kauthar", "Kawthar", "Maheen",
    "Nafesa", "Rabiah", "Saariyah", "Saburah", "Sairah", "Tabassum", "Tamanna",
}  # fmt: skip

# Bigger towns of the province, with about how many thousand inhabitants: residence is drawn
# by size and distance from the centre. Other comuni count as SMALL_TOWN.
TOWN_SIZES = {
    "Bergamo": 120, "Treviglio": 31, "Seriate": 25, "Dalmine": 23, "Romano di Lombardia": 21,
    "Albino": 18, "Caravaggio": 16, "Stezzano": 13, "Alzano Lombardo": 13, "Osio Sotto": 12,
    "Treviolo": 11, "Nembro": 11, "Ponte San Pietro": 11, "Cologno al Serio": 11,
    "Martinengo": 11, "Urgnano": 10, "Bonate Sopra": 10, "Trescore Balneario": 10,
    "Zanica": 9, "Clusone": 9, "Sorisole": 9, "Zogno": 9, "Verdello": 8, "Verdellino": 8,
    "Curno": 8, "Torre Boldone": 8, "Azzano San Paolo": 8, "Fara Gera d'Adda": 8,
    "Terno d'Isola": 8, "Capriate San Gervasio": 8, "Brembate": 8, "Calusco d'Adda": 8,
    "Mozzo": 7, "Mapello": 7, "Villa d'Almè": 7, "Ponteranica": 7, "Grumello del Monte": 7,
    "Sarnico": 7, "Ciserano": 6, "Boltiere": 6, "Spirano": 6, "Brignano Gera d'Adda": 6,
    "Ghisalba": 6, "Grassobbio": 6, "Gorle": 6, "Pedrengo": 6, "Ranica": 6, "Almè": 6,
    "Calcinate": 6, "Arcene": 5, "Pontirolo Nuovo": 5, "Cividate al Piano": 5, "Calcio": 5,
    "Lovere": 5, "Gazzaniga": 5, "Osio Sopra": 5, "Brusaporto": 5, "Telgate": 5,
    "Mozzanica": 4, "Calvenzano": 4, "Casirate d'Adda": 4, "Canonica d'Adda": 4,
    "Bariano": 4, "Levate": 4, "Comun Nuovo": 4, "Lallio": 4, "Bagnatica": 4,
}  # fmt: skip
SMALL_TOWN = 1.5
# Road km: weights halve about every 5 km (as the crow flies) from the centre.
NEAR_KM = 7 * ROAD_FACTOR
# Where foreign families settled more than others: Zingonia (Verdellino, Ciserano, Boltiere,
# Osio Sotto). A factor on the residence weights of the foreign candidates.
FOREIGN_RESIDENTS = {"Verdellino": 3, "Ciserano": 3, "Boltiere": 1.5, "Osio Sotto": 1.5}

# Italians born outside the province: (comune, province).
ITALIAN_BIRTHPLACES = [
    ("Milano", "MI"), ("Brescia", "BS"), ("Lecco", "LC"), ("Monza", "MB"), ("Cremona", "CR"),
    ("Torino", "TO"), ("Roma", "RM"), ("Napoli", "NA"), ("Caserta", "CE"), ("Salerno", "SA"),
    ("Bari", "BA"), ("Foggia", "FG"), ("Taranto", "TA"), ("Cosenza", "CS"), ("Crotone", "KR"),
    ("Reggio di Calabria", "RC"), ("Palermo", "PA"), ("Catania", "CT"), ("Messina", "ME"),
    ("Agrigento", "AG"),
]  # fmt: skip

STREETS = [
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Via Papa Giovanni XXIII", "Via Verdi",
    "Via Dante Alighieri", "Via Marconi", "Via IV Novembre", "Via Kennedy", "Via Gramsci",
    "Via Matteotti", "Via Manzoni", "Via XXV Aprile", "Via Cavour", "Via Don Luigi Sturzo",
    "Via San Bernardino", "Via Leopardi", "Via Pascoli", "Via Borgo Palazzo", "Via Carducci",
    "Viale Piave", "Via dei Mille", "Via Fiume", "Via Trento", "Via Trieste", "Via Bergamo",
    "Via Milano", "Via Brescia", "Via Cesare Battisti", "Via Fratelli Rosselli",
]  # fmt: skip
MOBILE_PREFIXES = [
    "320", "324", "327", "328", "329", "331", "333", "334", "338", "339", "340", "342", "345",
    "347", "348", "349", "351", "366", "371", "380", "388", "389", "391", "392", "393",
]  # fmt: skip

E = Candidate.Education
ITALIAN_EDUCATION = {
    E.PRIMARY: 3, E.LOWER_SECONDARY: 45, E.VOCATIONAL: 24, E.UPPER_SECONDARY: 23, E.TERTIARY: 5
}  # fmt: skip
FOREIGN_EDUCATION = {
    E.NONE: 5, E.PRIMARY: 14, E.LOWER_SECONDARY: 24, E.VOCATIONAL: 8, E.UPPER_SECONDARY: 33,
    E.TERTIARY: 16,
}  # fmt: skip
UKRAINIAN_EDUCATION = {
    E.LOWER_SECONDARY: 10,
    E.VOCATIONAL: 15,
    E.UPPER_SECONDARY: 40,
    E.TERTIARY: 35,
}
DEGREES = [
    "economia", "giurisprudenza", "lettere", "ingegneria meccanica", "scienze dell'educazione",
    "informatica", "infermieristica", "agraria", "scienze politiche",
]  # fmt: skip
ITALIAN_TITLES = {
    E.PRIMARY: ["Licenza elementare"],
    E.LOWER_SECONDARY: ["Licenza media"],
    E.VOCATIONAL: [
        "Qualifica IeFP operatore meccanico", "Qualifica IeFP operatore elettrico",
        "Qualifica IeFP operatore della ristorazione", "Qualifica IeFP operatore del benessere",
        "Qualifica IeFP operatore amministrativo-segretariale",
        "Qualifica IeFP operatore dell'abbigliamento",
    ],
    E.UPPER_SECONDARY: [
        "Diploma di perito meccanico", "Diploma di perito elettrotecnico",
        "Diploma di ragioneria", "Diploma di liceo scientifico", "Diploma di liceo linguistico",
        "Diploma professionale per i servizi sociali", "Diploma professionale alberghiero",
    ],
}  # fmt: skip
ABROAD_TITLES = {
    E.PRIMARY: ["Scuola primaria"],
    E.LOWER_SECONDARY: ["Scuola secondaria inferiore"],
    E.VOCATIONAL: [
        "Diploma professionale di meccanico", "Diploma professionale di sarta",
        "Diploma professionale di elettricista", "Diploma professionale di cuoco",
    ],
    E.UPPER_SECONDARY: ["Diploma di scuola secondaria superiore"],
}  # fmt: skip

# Profiles of the catalogue people worked as, by sex (weights).
WOMEN_PROFILES = {
    "operatore-pulizie": 30, "addetto-assemblaggio": 25, "addetto-magazzino": 15,
    "operatore-materie-plastiche": 12, "operatore-cnc": 3, "operatore-robot": 3,
    "carrellista": 2, "addetto-saldatura": 1,
}  # fmt: skip
MEN_PROFILES = {
    "addetto-magazzino": 18, "addetto-assemblaggio": 16, "carrellista": 14,
    "addetto-saldatura": 12, "operatore-cnc": 8, "operatore-materie-plastiche": 8,
    "operatore-pulizie": 8, "manutentore-meccanico": 6, "elettricista": 5, "operatore-robot": 5,
}  # fmt: skip
# Jobs outside the catalogue, as caseworkers write them, with the skills they bring.
WOMEN_JOBS = {
    "badante": 20, "colf": 12, "cameriera": 10, "commessa": 8, "baby-sitter": 8,
    "addetta alle pulizie domestiche": 8, "aiuto cuoca": 6, "addetta mensa": 5,
    "lavapiatti": 4, "raccolta in agricoltura": 4, "sarta": 3, "operatrice call center": 3,
}  # fmt: skip
MEN_JOBS = {
    "muratore": 14, "manovale edile": 12, "bracciante agricolo": 10, "cameriere": 8,
    "aiuto cuoco": 7, "lavapiatti": 6, "giardiniere": 6, "fattorino": 6, "imbianchino": 5,
    "pizzaiolo": 4, "venditore ambulante": 4, "operaio tessile": 4, "autista consegne": 4,
}  # fmt: skip
# The sector (ATECO division) of each job done outside the catalogue: what companies read of
# it, as the description stays with the programme's staff.
JOB_SECTORS = {
    "badante": "97", "colf": "97", "baby-sitter": "97", "addetta alle pulizie domestiche": "97",
    "cameriera": "56", "cameriere": "56", "aiuto cuoca": "56", "aiuto cuoco": "56",
    "addetta mensa": "56", "lavapiatti": "56", "pizzaiolo": "56", "commessa": "47",
    "venditore ambulante": "47", "raccolta in agricoltura": "01", "bracciante agricolo": "01",
    "sarta": "14", "operaio tessile": "13", "operatrice call center": "82", "muratore": "41",
    "manovale edile": "41", "imbianchino": "43", "giardiniere": "81", "fattorino": "53",
    "autista consegne": "49",
}  # fmt: skip
JOB_SKILLS = {
    "colf": ["sanificazione"],
    "addetta alle pulizie domestiche": ["pulizia-industriale", "sanificazione"],
    "addetta mensa": ["sanificazione"],
    "lavapiatti": ["sanificazione"],
    "fattorino": ["preparazione-ordini"],
    "autista consegne": ["preparazione-ordini", "gestione-magazzino"],
    "muratore": ["lettura-disegno-tecnico"],
    "operaio tessile": ["controllo-qualita"],
    "sarta": ["controllo-qualita"],
}

CARE_NOTES_WOMEN = [
    "Due figli di {a} e {b} anni: orario compatibile con la scuola (8:30-16:00).",
    "Un figlio di {a} anni, nessuna rete familiare in zona.",
    "Assiste la madre anziana non autosufficiente nel pomeriggio.",
    "Figlio con disabilità: servono turni fissi di mattina.",
    "Madre sola con tre figli, il più piccolo di {a} anni.",
]
CARE_NOTES_MEN = [
    "Padre solo con due figli di {a} e {b} anni.",
    "Assiste il padre malato la sera.",
    "Accompagna ogni giorno il figlio di {a} anni a scuola.",
]
HEALTH_NOTES = [
    "Non può sollevare carichi superiori a 10 kg.",
    "Invalidità civile 50%: iscrizione al collocamento mirato (L. 68/99).",
    "Dermatite da contatto: evitare detergenti aggressivi.",
    "Problemi alla schiena: evitare la stazione eretta prolungata.",
]
SOCIAL_NOTES = [
    "In carico ai servizi sociali del Comune di {comune}.",
    "Riceve l'Assegno di inclusione.",
    "Sfratto esecutivo in corso: seguito dallo sportello casa.",
    "Ospite di una struttura di accoglienza (progetto SAI).",
]
SUSPENDED_REASONS = [
    "Ricovero ospedaliero: riprende il percorso il mese prossimo.",
    "Temporaneamente fuori provincia per motivi familiari.",
    "Assenza a due appuntamenti senza avvisare.",
]
PERMIT_REASON = "Permesso di soggiorno scaduto: deve chiedere il rinnovo."
WITHDRAWN_REASONS = [
    "Ha trovato lavoro in autonomia.",
    "Rientro nel paese d'origine.",
    "Trasferimento in un'altra provincia.",
    "Ha rinunciato al programma.",
]

P = Candidate.Permit
SETTLED_PERMITS = {P.LONG_TERM: 45, P.WORK: 25, P.FAMILY: 25, P.SPECIAL_PROTECTION: 5}
RECENT_PERMITS = {
    "UA": {P.OTHER: 80, P.FAMILY: 10, P.WORK: 10},  # temporary protection
    "asylum": {
        P.ASYLUM_REQUEST: 40, P.INTERNATIONAL_PROTECTION: 30, P.SPECIAL_PROTECTION: 20,
        P.WORK: 10,
    },
    "other": {P.WORK: 35, P.FAMILY: 35, P.JOB_SEEKING: 15, P.ASYLUM_REQUEST: 15},
}  # fmt: skip

_MONTHS = "ABCDEHLMPRST"


def _letters(text: str) -> str:
    """The letters of a name as the codice fiscale reads them: A-Z, accents dropped."""
    return re.sub(r"[^A-Z]", "", fold(text).upper())


def _name_code(text: str, *, first_name: bool) -> str:
    letters = _letters(text)
    consonants = [c for c in letters if c not in "AEIOU"]
    vowels = [c for c in letters if c in "AEIOU"]
    if first_name and len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return "".join([*consonants, *vowels, "X", "X", "X"])[:3]


def codice_fiscale(
    *, last_name: str, first_name: str, birth_date: datetime.date, sex: str, birthplace: str
) -> str:
    """The personal codice fiscale; `birthplace` is a comune's cadastral code or a country's
    "Z" code. Checked against what Candidate.clean() reads back from it."""
    day = birth_date.day + (40 if sex == Candidate.Sex.FEMALE else 0)
    base = (
        f"{_name_code(last_name, first_name=False)}{_name_code(first_name, first_name=True)}"
        f"{birth_date:%y}{_MONTHS[birth_date.month - 1]}{day:02d}{birthplace}"
    )
    code = base + codicefiscale.calc_check_digit(base)
    if not codicefiscale.is_valid(code) or codice_fiscale_facts(code) != (birth_date, sex):
        raise ValueError(f"{code} does not encode {birth_date} {sex}")
    return code


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _birth_date(rng: random.Random, today: datetime.date, age: int) -> datetime.date:
    """A birth date of someone who is `age` years old today."""
    latest = _add_years(today, -age)
    earliest = _add_years(today, -age - 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randrange((latest - earliest).days + 1))


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def _quotas(weights: dict[str, float], total: int) -> dict[str, int]:
    """Split `total` in proportion to `weights` (largest remainders)."""
    scale = total / sum(weights.values())
    exact = {key: weight * scale for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


@dataclass
class _Person:
    """What the generator knows of a candidate beyond the Candidate row."""

    candidate: Candidate
    origin: str  # "IT" or a key of ORIGINS
    age: int
    recent: bool  # arrived in Italy in the last three years
    arrived: int | None  # the year they came to Italy (None: Italians)
    consents: dict[str, bool]
    withdraws_matching: bool
    languages: list[tuple[str, str]]  # other than Italian: (code, level)


class _Generator:
    def __init__(self, rng: random.Random, caseworkers: dict[str, User]):
        self.rng = rng
        self.caseworkers = caseworkers
        self.today = timezone.localdate()
        locales = sorted({"it_IT"} | {loc for o in ORIGINS.values() for loc, _ in o.locales})
        self.fakers = {}
        for locale in locales:
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(rng.randrange(2**32))
        self.bg_comuni = list(
            Comune.objects.filter(province="BG", latitude__isnull=False).order_by("istat_code")
        )
        by_name = {comune.name: comune for comune in self.bg_comuni}
        self.residence_weights = {
            (code, foreign): [
                TOWN_SIZES.get(comune.name, SMALL_TOWN)
                * (FOREIGN_RESIDENTS.get(comune.name, 1) if foreign else 1)
                * math.exp(-road_km(comune, by_name[home]) / NEAR_KM)
                for comune in self.bg_comuni
            ]
            for code, (_count, home, _foreign) in CENTRES.items()
            for foreign in (False, True)
        }
        self.birth_weights = [TOWN_SIZES.get(c.name, SMALL_TOWN) for c in self.bg_comuni]
        places = Comune.objects.filter(name__in=[name for name, _ in ITALIAN_BIRTHPLACES])
        wanted = set(ITALIAN_BIRTHPLACES)
        self.other_birthplaces = sorted(
            (c for c in places if (c.name, c.province) in wanted), key=lambda c: c.istat_code
        )
        self.profiles = {p.code: p for p in JobProfile.objects.prefetch_related("skills")}
        self.sectors = {
            a.code: a for a in AtecoCode.objects.filter(code__in=set(JOB_SECTORS.values()))
        }
        self.profile_skills = {
            code: sorted(profile.skills.all(), key=lambda skill: skill.code)
            for code, profile in self.profiles.items()
        }
        self.skill_by_code = {skill.code: skill for skill in Skill.objects.all()}
        self.certification_by_code = {c.code: c for c in Certification.objects.all()}
        self.codes, self.phones = set(), set()

    # Who they are

    def people(self) -> list[tuple[str, str, str]]:
        """(centre code, origin, sex) of every candidate, in a random order."""
        rng = self.rng
        foreign_total = sum(foreign for _count, _home, foreign in CENTRES.values())
        italian_total = sum(count for count, _home, _foreign in CENTRES.values()) - foreign_total
        foreigners = []
        for origin, count in _quotas(
            {k: o.weight for k, o in ORIGINS.items()}, foreign_total
        ).items():
            women = round(count * ORIGINS[origin].women)
            foreigners += [(origin, "F")] * women + [(origin, "M")] * (count - women)
        women = round(italian_total * ITALIAN_WOMEN)
        italians = [("IT", "F")] * women + [("IT", "M")] * (italian_total - women)
        rng.shuffle(foreigners)
        rng.shuffle(italians)
        people = []
        for code, (count, _home, foreign) in CENTRES.items():
            theirs = foreigners[:foreign] + italians[: count - foreign]
            foreigners, italians = foreigners[foreign:], italians[count - foreign :]
            rng.shuffle(theirs)
            people += [(code, origin, sex) for origin, sex in theirs]
        return people

    def name(self, origin: str, sex: str) -> tuple[str, str, str]:
        """First name, last name and mother tongue."""
        locale, tongue = (
            ("it_IT", "italiano") if origin == "IT" else self.rng.choice(ORIGINS[origin].locales)
        )
        faker = self.fakers[locale]
        if sex == "F":
            first, last = faker.first_name_female(), faker.last_name_female()
        else:
            first = faker.first_name_male()
            while first in NOT_MEN_NAMES:
                first = faker.first_name_male()
            last = faker.last_name_male()
        if locale == "uk_UA":  # as the passport writes it
            first, last = (translit(part).replace("'", "") for part in (first, last))
        return first, last, tongue

    def person(self, centre_code: str, origin: str, sex: str, status: str) -> _Person:
        rng, today = self.rng, self.today
        italian, women = origin == "IT", sex == "F"
        first_name, last_name, tongue = self.name(origin, sex)
        mode = 45 if italian or origin == "UA" else 34
        age = min(62, int(rng.triangular(18, 63, mode)))
        recent = not italian and rng.random() < ORIGINS[origin].recent
        years_here = rng.randint(0, 3) if recent else rng.randint(5, max(5, min(25, age - 13)))
        birth_date, code = self.birth(first_name, last_name, sex, age, origin, recent)
        comune = rng.choices(self.bg_comuni, self.residence_weights[centre_code, not italian])[0]
        travel = self.mobility(age, women, italian, recent)
        care = rng.random() < (0.4 if women else 0.1)
        care_notes = ""
        if care:
            notes = CARE_NOTES_WOMEN if women else CARE_NOTES_MEN
            care_notes = rng.choice(notes).format(a=rng.randint(1, 8), b=rng.randint(9, 15))

        # Languages and education
        if italian:
            italian_level = "native"
            other = rng.choice(["", "", "inglese A2", "inglese B1", "francese A2"])
        else:
            italian_level = self.italian_level(origin, recent)
            extra = [x for x in ORIGINS[origin].other_languages if rng.random() < 0.45]
            other = ", ".join([f"{tongue} madrelingua", *extra])
        education, title, abroad, recognised = self.education(origin, recent)

        candidate = Candidate(
            first_name=first_name,
            last_name=last_name,
            sex=sex,
            birth_date=birth_date,
            birth_country="IT" if italian else origin,
            nationality="IT" if italian else origin,
            codice_fiscale=code,
            residence_comune=comune,
            address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            phone=self.phone(),
            email=self.email(first_name, last_name, 0.7 if italian else 0.45),
            centre=self.caseworkers[centre_code].organisation,
            caseworker=self.caseworkers[centre_code],
            created_by=self.caseworkers[centre_code],
            status=status,
            italian_level=italian_level,
            education=education,
            education_title=title,
            education_abroad=abroad,
            education_recognised=recognised,
            **travel,
            **self.availability(women, care),
            care_duties=care,
            care_notes=care_notes,
            health_notes=self.health_notes(italian, age),
            social_service_notes=self.social_notes(comune, italian, women),
            notes="" if italian else f"In Italia dal {today.year - years_here}.",
        )
        if candidate.needs_permit:  # a residence permit, for those who need one
            (
                candidate.permit_type,
                candidate.permit_expiry,
                candidate.permit_renewal_requested_on,
            ) = self.permit(origin, recent)

        # Consents: registering needs the programme's; a draft may not have got that far.
        programme = status != Candidate.Status.DRAFT or rng.random() < 0.5
        consents = {
            Consent.PROGRAMME: programme,
            Consent.MATCHING: programme and rng.random() < 0.96,
            Consent.SHARE_PROFILE: programme and rng.random() < 0.85,
            Consent.SHARE_CONTACTS: programme and rng.random() < 0.5,
        }
        # Who shares their contacts for an agreed interview shares their CV too.
        consents[Consent.SHARE_CV] = consents[Consent.SHARE_CONTACTS]
        withdraws = (
            status == Candidate.Status.WITHDRAWN
            and consents[Consent.MATCHING]
            and rng.random() < 0.5
        )
        for purpose, field in CONSENT_FIELDS.items():
            setattr(candidate, field, consents[purpose])
        if withdraws:
            candidate.consent_matching = False
        arrived = None if italian else today.year - years_here
        languages, _unread = languages_parse(other)
        return _Person(candidate, origin, age, recent, arrived, consents, withdraws, languages)

    def birth(
        self, first_name: str, last_name: str, sex: str, age: int, origin: str, recent: bool
    ) -> tuple[datetime.date, str]:
        """Birth date and codice fiscale: every Italian has one, and most foreigners settled
        here; few newcomers (asylum seekers get a temporary numeric code, not kept)."""
        rng = self.rng
        while True:
            birth_date = _birth_date(rng, self.today, age)
            if origin == "IT":
                in_province = rng.random() < 0.75
                place = (
                    rng.choices(self.bg_comuni, self.birth_weights)[0]
                    if in_province
                    else rng.choice(self.other_birthplaces)
                )
                birthplace = place.belfiore_code
            else:
                birthplace = ORIGINS[origin].belfiore
            if origin != "IT" and rng.random() >= (0.25 if recent else 0.93):
                return birth_date, ""
            code = codice_fiscale(
                last_name=last_name,
                first_name=first_name,
                birth_date=birth_date,
                sex=sex,
                birthplace=birthplace,
            )
            if code not in self.codes:  # else two people share it (omocodia): draw again
                self.codes.add(code)
                return birth_date, code

    def mobility(self, age: int, women: bool, italian: bool, recent: bool) -> dict:
        """How they go to work and how far (road km) or how long they accept to travel. About
        half have a car; most of the others take the bus or the train, some cycle, a few ride
        a moped, or a relative or a neighbour gives them a lift."""
        rng = self.rng
        car_chance = (0.6 if women else 0.72) if italian else (0.25 if women else 0.5)
        own_car = age >= 19 and rng.random() < car_chance * (0.5 if recent else 1)
        if own_car:
            licensed = rng.random() < 0.97
        else:
            licensed = age >= 19 and rng.random() < (0.35 if italian else 0.08 if recent else 0.2)
        licences = ""
        if licensed:
            licences = "B"
            if not women and rng.random() < 0.12:  # drove lorries, here or at home
                licences = rng.choice(["B, C", "B, C, CQC", "B, C, CE, CQC"])
        motorbike = rng.random() < (0.03 if own_car else 0.03 if women else 0.1)
        if motorbike and not licences:
            licences = "AM"  # a moped: B covers one, else the moped licence
        if own_car:
            bicycle, public_transport, lift = rng.random() < 0.05, rng.random() < 0.1, False
        else:
            bicycle = rng.random() < (0.15 if women else 0.25)
            public_transport = rng.random() < 0.82
            lift = rng.random() < 0.15
        commutes = [15, 20, 25, 30, 35, 40] if own_car else [5, 8, 10, 12, 15, 20]
        minutes = rng.choice([30, 40, 45, 60]) if rng.random() < 0.3 else None
        return {
            "driving_licences": licences,
            "own_car": own_car,
            "motorbike": motorbike,
            "bicycle": bicycle,
            "public_transport": public_transport,
            "lift": lift,
            "max_commute_km": rng.choice(commutes),
            "max_commute_minutes": minutes,
        }

    def availability(self, women: bool, care: bool) -> dict:
        """Hours, shifts, nights, weekends and when they can start. Care duties mean a day
        shift, most often part time; the others mostly accept two shifts, and those who
        accept three mostly accept the night shift that comes with them. Most can start at
        once, some when a course or a seasonal job ends."""
        rng = self.rng
        if care:
            hours = _pick(rng, {"part_time": 60, "either": 30, "full_time": 10})
            shifts = _pick(rng, {"day": 85, "two": 15})
        else:
            hours = _pick(rng, {"either": 50, "full_time": 40, "part_time": 10})
            three = 15 if women else 30
            shifts = _pick(rng, {"day": 25, "two": 75 - three, "three": three})
        nights = shifts == "three" and rng.random() < 0.8
        weekends = rng.random() < (0.1 if care else 0.5 if nights else 0.3)
        roll = rng.random()
        if roll < 0.55:
            days = -rng.randint(0, 30)
        elif roll < 0.85:
            days = rng.randint(1, 60)
        else:
            days = rng.randint(61, 150)
        return {
            "hours": hours,
            "shifts": shifts,
            "nights": nights,
            "weekends": weekends,
            "available_from": self.today + datetime.timedelta(days=days),
        }

    def health_notes(self, italian: bool, age: int) -> str:
        """A health constraint: more often among the older Italians the centres follow."""
        chance = (0.18 if age >= 45 else 0.07) if italian else 0.03
        return self.rng.choice(HEALTH_NOTES) if self.rng.random() < chance else ""

    def social_notes(self, comune: Comune, italian: bool, women: bool) -> str:
        """Social services, income support, an eviction, a reception centre: for a quarter
        of the Italians and of the foreign men, fewer foreign women."""
        if self.rng.random() >= (0.25 if italian else 0.08 if women else 0.22):
            return ""
        notes = SOCIAL_NOTES if not italian else SOCIAL_NOTES[:-1]  # reception is for migrants
        return self.rng.choice(notes).format(comune=comune.name)

    def italian_level(self, origin: str, recent: bool) -> str:
        weights = [28, 40, 22, 8, 2] if recent else [8, 30, 38, 17, 7]
        if origin in SPANISH_OR_ROMANCE:  # one level up
            weights = [0, *weights[:3], weights[3] + weights[4]]
        return self.rng.choices(["A1", "A2", "B1", "B2", "C1"], weights)[0]

    def education(self, origin: str, recent: bool) -> tuple[str, str, bool, bool]:
        rng = self.rng
        if origin == "IT":
            level = _pick(rng, ITALIAN_EDUCATION)
            if level == E.TERTIARY:
                return level, f"Laurea in {rng.choice(DEGREES)}", False, False
            return level, rng.choice(ITALIAN_TITLES[level]), False, False
        level = _pick(rng, UKRAINIAN_EDUCATION if origin == "UA" else FOREIGN_EDUCATION)
        low = level in (E.NONE, E.PRIMARY, E.LOWER_SECONDARY)
        if low and not recent and rng.random() < 0.3:  # evening classes for adults
            return E.LOWER_SECONDARY, "Licenza media (CPIA di Bergamo)", False, False
        if level == E.NONE:
            return level, "", False, False
        if level == E.TERTIARY:
            title = f"Laurea in {rng.choice(DEGREES)}"
        else:
            title = rng.choice(ABROAD_TITLES[level])
        recognised_chance = {E.TERTIARY: 0.2, E.UPPER_SECONDARY: 0.12, E.VOCATIONAL: 0.05}
        recognised = rng.random() < recognised_chance.get(level, 0)
        return level, f"{title} ({ORIGINS[origin].country})", True, recognised

    def permit(self, origin: str, recent: bool) -> tuple[str, datetime.date, datetime.date | None]:
        """Kind, expiry and, for about half of those whose permit is about to expire or has
        just expired, the day they asked for its renewal (up to 60 days before the expiry):
        its receipt lets them work meanwhile."""
        rng, today = self.rng, self.today
        if not recent:
            kind = _pick(rng, SETTLED_PERMITS)
        elif origin == "UA":
            kind = _pick(rng, RECENT_PERMITS["UA"])
        else:
            group = "asylum" if origin in ASYLUM_ORIGINS else "other"
            kind = _pick(rng, RECENT_PERMITS[group])
        roll = rng.random()
        if roll < 0.05:  # expired
            days = -rng.randint(1, 120)
        elif kind == P.ASYLUM_REQUEST:  # six months, renewed until the decision
            days = rng.randint(15, 180)
        elif kind == P.LONG_TERM:
            days = rng.randint(365, 5 * 365)
        elif roll < 0.25:
            days = rng.randint(30, 365)
        else:
            days = rng.randint(365, 3 * 365)
        expiry = today + datetime.timedelta(days=days)
        requested = None
        if days <= 60 and rng.random() < (0.6 if days < 0 else 0.4):
            earliest = expiry - datetime.timedelta(days=60)
            latest = min(today, expiry + datetime.timedelta(days=30))
            requested = earliest + datetime.timedelta(
                days=rng.randint(0, max(0, (latest - earliest).days))
            )
        return kind, expiry, requested

    def phone(self) -> str:
        while True:
            number = f"{self.rng.choice(MOBILE_PREFIXES)} {self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def email(self, first_name: str, last_name: str, chance: float) -> str:
        if self.rng.random() >= chance:
            return ""
        first = _letters(first_name.split()[0]).lower()
        last = _letters(last_name).lower()
        local = self.rng.choice([f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}"])
        return f"{local}{self.rng.randint(1, 99)}@demo.focus.invalid"

    # What they did and can do

    def experiences(self, person: _Person) -> list[Experience]:
        """Up to three jobs, the latest first, back in time from the year the last one ended
        (or still held, part time or off the books, by some): a job ended before they came to
        Italy was done abroad. Italians in difficulty have been out of work longer, more of
        them for years; foreign women most often worked until recently, in cleaning, care or
        on an assembly line."""
        rng, candidate = self.rng, person.candidate
        women = candidate.sex == "F"
        italian = person.origin == "IT"
        count = rng.choices([0, 1, 2, 3], [15, 40, 30, 15])[0]
        year = self.today.year
        first_year = candidate.birth_date.year + 16  # the earliest year one may work
        if italian:
            still, gaps = 0.03, [5, 8, 12, 20, 25, 30]
        elif person.recent:
            still, gaps = 0.05, [35, 30, 20, 15, 0, 0]
        elif women:
            still, gaps = 0.2, [45, 30, 12, 8, 3, 2]
        else:
            still, gaps = 0.08, [20, 25, 20, 15, 12, 8]
        holding = rng.random() < still
        end = year if holding else year - rng.choices([0, 1, 2, 3, 5, 8], gaps)[0]
        experiences, seen = [], set()
        for _ in range(count):
            if end <= first_year:
                break
            abroad = person.arrived is not None and end < person.arrived
            # Agencies place foreign women on assembly lines and in cleaning firms here.
            catalogue = 0.55 if italian else 0.25 if abroad else 0.55 if women else 0.3
            if rng.random() < catalogue:
                code = _pick(rng, WOMEN_PROFILES if women else MEN_PROFILES)
                job = ""
            else:
                code = None
                job = _pick(rng, WOMEN_JOBS if women else MEN_JOBS)
                if job == "autista consegne" and "C" not in candidate.licence_list:
                    job = "fattorino"
            if (code, job) in seen:
                continue
            seen.add((code, job))
            # Since they were 16; a job in Italy, since they came.
            since = max(first_year, person.arrived or 0) if not abroad else first_year
            most = max(0.5, min(15, end - since + 0.5))
            years = Decimal(round(rng.uniform(0.5, most) * 2) / 2).quantize(Decimal("0.1"))
            years = max(Decimal("0.5"), years)
            experiences.append(
                Experience(
                    candidate=candidate,
                    profile=self.profiles[code] if code else None,
                    sector=self.sectors[JOB_SECTORS[job]] if job else None,
                    description=job,
                    years=years,
                    ended_in=None if holding and not experiences else end,
                    country=person.origin if abroad else "IT",
                )
            )
            end -= math.ceil(years) + rng.choice([0, 0, 1, 2])
        return experiences

    def skills(self, person: _Person, experiences: list[Experience]) -> list[Skill]:
        rng = self.rng
        pool = []
        for experience in experiences:
            if experience.profile_id:
                codes = [skill.code for skill in self.profile_skills[experience.profile.code]]
            else:
                codes = JOB_SKILLS.get(experience.description, [])
            pool += [code for code in codes if code not in pool]
        wanted = rng.choices([1, 2, 3, 4], [35, 35, 20, 10])[0]
        while len(pool) < wanted:  # what they would like to do, from a profile of interest
            interest = _pick(rng, WOMEN_PROFILES if person.candidate.sex == "F" else MEN_PROFILES)
            pool += [s.code for s in self.profile_skills[interest] if s.code not in pool]
        return [self.skill_by_code[code] for code in rng.sample(pool, wanted)]

    def certifications(
        self, person: _Person, experiences: list[Experience]
    ) -> list[CandidateCertification]:
        rng, today, candidate = self.rng, self.today, person.candidate
        adult = _add_years(candidate.birth_date, 18)
        worked_here = {e.profile.code for e in experiences if e.profile_id and e.country == "IT"}
        links = []

        def add(code: str, obtained: datetime.date):
            obtained = min(max(obtained, adult), today)
            years = self.certification_by_code[code].validity_years
            expires = None
            if years:
                expires = _add_years(obtained, years)
                if code == "patente-b":  # renewed every ten years, dated by the last renewal
                    while expires < today:
                        obtained, expires = expires, _add_years(expires, years)
            links.append(
                CandidateCertification(
                    candidate=candidate,
                    certification=self.certification_by_code[code],
                    obtained_on=obtained,
                    expires_on=expires,
                )
            )

        def some_time_ago(most_years: float) -> datetime.date:
            return today - datetime.timedelta(days=rng.randint(60, int(most_years * 365)))

        if rng.random() < (0.75 if worked_here else 0.3):
            general = some_time_ago(8)
            add("sicurezza-generale", general)
            if rng.random() < 0.6:
                add("sicurezza-specifica", general + datetime.timedelta(days=rng.randint(0, 30)))
        if "B" in candidate.licence_list and rng.random() < 0.7:
            since_adult = (today - adult).days
            add(
                "patente-b", adult + datetime.timedelta(days=rng.randint(0, min(since_adult, 4000)))
            )
        forklift = worked_here & {"carrellista", "addetto-magazzino"}
        if rng.random() < (0.6 if forklift else 0.03):
            add("abilitazione-carrelli-elevatori", some_time_ago(8))
        if "addetto-saldatura" in worked_here and rng.random() < 0.4:
            add("saldatore-en-iso-9606-1", some_time_ago(5))
        if "elettricista" in worked_here and rng.random() < 0.5:
            add("pes-pav", some_time_ago(6))
        return links

    # Their path

    def history(self, person: _Person) -> tuple[list[ConsentRecord], list[StatusChange]]:
        """The consent log and status history the services write for this candidate."""
        candidate = person.candidate
        actor = candidate.caseworker
        version = settings.PRIVACY_NOTICE_VERSION
        records = [
            ConsentRecord(
                candidate=candidate,
                purpose=purpose,
                granted=True,
                notice_version=version,
                recorded_by=actor,
            )
            for purpose in CONSENT_FIELDS
            if person.consents[purpose]
        ]
        changes = [
            StatusChange(candidate=candidate, to_status=Candidate.Status.DRAFT, changed_by=actor)
        ]
        if candidate.status == Candidate.Status.DRAFT:
            return records, changes
        changes.append(
            StatusChange(
                candidate=candidate,
                from_status=Candidate.Status.DRAFT,
                to_status=Candidate.Status.REGISTERED,
                changed_by=actor,
            )
        )
        if candidate.status == Candidate.Status.SUSPENDED:
            expired = (
                candidate.permit_expiry
                and candidate.permit_expiry < self.today
                and not candidate.permit_renewal_requested_on
            )
            reason = PERMIT_REASON if expired else self.rng.choice(SUSPENDED_REASONS)
        elif candidate.status == Candidate.Status.WITHDRAWN:
            reason = self.rng.choice(WITHDRAWN_REASONS)
        else:
            return records, changes
        changes.append(
            StatusChange(
                candidate=candidate,
                from_status=Candidate.Status.REGISTERED,
                to_status=candidate.status,
                reason=reason,
                changed_by=actor,
            )
        )
        if person.withdraws_matching:
            records.append(
                ConsentRecord(
                    candidate=candidate,
                    purpose=Consent.MATCHING,
                    granted=False,
                    notice_version=version,
                    recorded_by=actor,
                )
            )
        return records, changes


def _validate(rows) -> None:
    """What full_clean() checks in Python (fields, codice fiscale, clean()), skipping what
    would make it ten times slower: the database checks keys, uniqueness and check
    constraints on insert, and countries come from ORIGINS (the tests check its codes)."""
    for row in rows:
        row.clean_fields(
            exclude=[
                field.name
                for field in row._meta.concrete_fields
                if field.is_relation or isinstance(field, CountryField)
            ]
        )
        row.clean()


def seed_candidates(*, rng: random.Random, caseworkers: dict[str, User]) -> list[Candidate]:
    """The candidates of each centre in CENTRES, followed by its caseworker
    (`caseworkers`: centre code -> user). Returns them, saved."""
    generator = _Generator(rng, caseworkers)
    people = generator.people()
    total = len(people)
    statuses = [s for s, count in STATUS_COUNTS.items() for _ in range(count)]
    statuses += [Candidate.Status.REGISTERED] * (total - len(statuses))
    rng.shuffle(statuses)
    persons = [
        generator.person(centre, origin, sex, status)
        for (centre, origin, sex), status in zip(people, statuses, strict=True)
    ]
    _validate(person.candidate for person in persons)
    candidates = Candidate.objects.bulk_create(person.candidate for person in persons)

    experiences, skills, certifications, consents, changes = [], [], [], [], []
    languages = []
    for person in persons:
        languages += [
            CandidateLanguage(candidate=person.candidate, language=code, level=level)
            for code, level in person.languages
        ]
        theirs = generator.experiences(person)
        experiences += theirs
        skills += [
            CandidateSkill(candidate=person.candidate, skill=skill)
            for skill in generator.skills(person, theirs)
        ]
        certifications += generator.certifications(person, theirs)
        records, history = generator.history(person)
        consents += records
        changes += history
    _validate([*experiences, *certifications])
    _validate(languages)
    CandidateLanguage.objects.bulk_create(languages)
    Experience.objects.bulk_create(experiences)
    CandidateSkill.objects.bulk_create(skills)
    CandidateCertification.objects.bulk_create(certifications)
    ConsentRecord.objects.bulk_create(consents)
    StatusChange.objects.bulk_create(changes)
    touch("ranking")  # bulk_create sends no signal
    return candidates
