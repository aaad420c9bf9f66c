"""Demo demand: the 2021 survey answered by 305 member companies around Bergamo, and the
current campaign, open. Deterministic for a given random generator.

The companies stand in the province's industrial comuni (Dalmine and the plain south of
Bergamo, Zingonia, the Isola, the lower Val Seriana, the Sebino...), not anywhere among its
243. A need is asked as its profile usually is (PATTERNS): presses and robots run on three
shifts, most with nights; cleaning is part time; maintenance wants a licence and years of
experience; agency and fixed-term contracts say how long they last. The 2021 needs have
been filled or cancelled since; the current campaign's are open, among them those of the
two demo HR companies (DEMO_NEEDS), which have shortlists and a hire each (demo.matching).
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone
from faker import Faker
from stdnum import luhn

from catalog.models import AtecoCode, Certification, Comune, JobProfile, Skill
from companies.models import Company, Need, NeedCertification, NeedSkill, SurveyCampaign
from companies.services import company_register
from focus.cache import touch

SURVEYED_COMPANIES = 305
CURRENT_OPEN_DAYS = 120  # the current campaign opened this many days ago

# Manufacturing divisions strong in the province, with a weight each.
ATECO_DIVISIONS = {
    "25": 30,  # metal products
    "28": 22,  # machinery
    "22": 12,  # rubber and plastics
    "27": 8,  # electrical equipment
    "24": 6,  # basic metals
    "29": 5,  # motor vehicles
    "20": 5,  # chemicals
    "13": 5,  # textiles
    "10": 4,  # food
    "23": 3,  # non-metallic minerals
}
# Where manufacturing is in the province, with about how much of it (a weight): the plain
# south of Bergamo and Dalmine, Zingonia (Verdellino, Ciserano), the Isola, the lower Val
# Seriana and Val Brembana, the Sebino and the Basso Sebino, the Treviglio and Romano area.
# The other comuni, mountain villages most of them, count OTHER_COMUNE each.
INDUSTRIAL_COMUNI = {
    "Bergamo": 10, "Dalmine": 10, "Treviglio": 6, "Seriate": 6, "Grassobbio": 6,
    "Stezzano": 6, "Verdellino": 6, "Curno": 5, "Ponte San Pietro": 5, "Osio Sotto": 5,
    "Ciserano": 5, "Albino": 5, "Romano di Lombardia": 5, "Lallio": 4, "Nembro": 4,
    "Alzano Lombardo": 4, "Sarnico": 4, "Lovere": 4, "Calcinate": 4, "Cologno al Serio": 4,
    "Brembate": 4, "Costa Volpino": 4, "Filago": 4, "Caravaggio": 4, "Bonate Sotto": 3,
    "Villa d'Almè": 3, "Zanica": 3, "Azzano San Paolo": 3, "Brusaporto": 3, "Bagnatica": 3,
    "Costa di Mezzate": 3, "Telgate": 3, "Grumello del Monte": 3, "Castelli Calepio": 3,
    "Chiuduno": 3, "Trescore Balneario": 3, "Gazzaniga": 3, "Clusone": 3, "Ghisalba": 3,
    "Martinengo": 3, "Urgnano": 3, "Spirano": 3, "Verdello": 3, "Levate": 3,
    "Capriate San Gervasio": 3, "Calusco d'Adda": 3, "Terno d'Isola": 3, "Mapello": 3,
    "Treviolo": 3, "Bonate Sopra": 3, "Brembate di Sopra": 3, "Villongo": 3,
    "Albano Sant'Alessandro": 3, "Almenno San Salvatore": 2, "Almenno San Bartolomeo": 2,
    "Gorle": 2, "Pedrengo": 2, "Torre Boldone": 2, "Ranica": 2, "Vertova": 2, "Arcene": 2,
    "Brignano Gera d'Adda": 2, "Boltiere": 2, "Madone": 2, "Bottanuco": 2, "Presezzo": 2,
    "Mozzo": 2, "Zogno": 2, "San Pellegrino Terme": 2, "Cividate al Piano": 2, "Calcio": 2,
    "Antegnate": 2, "Fara Gera d'Adda": 2, "Pontirolo Nuovo": 2, "Carvico": 2,
    "Cisano Bergamasco": 2, "Scanzorosciate": 2, "San Paolo d'Argon": 2, "Gorlago": 2,
    "Carobbio degli Angeli": 2, "Cene": 2, "Fiorano al Serio": 2, "Pradalunga": 2,
    "Ponte Nossa": 2, "Rogno": 2, "Castro": 2, "Mornico al Serio": 2, "Palosco": 2, "Covo": 2,
    "Suisio": 2, "Medolago": 2, "Chignolo d'Isola": 2, "Valbrembo": 2, "Paladina": 2,
    "Almè": 2, "Orio al Serio": 2, "Credaro": 2, "Bolgare": 2, "Cavernago": 2, "Leffe": 2,
    "Gandino": 2, "Casnigo": 1, "Tavernola Bergamasca": 1, "Sorisole": 1, "Cortenuova": 1,
}  # fmt: skip
OTHER_COMUNE = 0.1
# The demo HR companies: where they are, their ATECO division and their size.
DEMO_COMPANIES = {
    "Meccanica Orobica S.p.A.": ("Dalmine", "25", Company.Size.MEDIUM),
    "Plastiche Val Seriana S.r.l.": ("Alzano Lombardo", "22", Company.Size.MEDIUM),
}
# How often each profile was asked for in the survey (the ten most requested).
PROFILE_WEIGHTS = {
    "addetto-assemblaggio": 24,
    "operatore-robot": 14,
    "operatore-cnc": 14,
    "addetto-saldatura": 11,
    "operatore-pulizie": 8,
    "addetto-magazzino": 8,
    "carrellista": 7,
    "manutentore-meccanico": 6,
    "elettricista": 5,
    "operatore-materie-plastiche": 5,
}


@dataclass(frozen=True)
class Pattern:
    """How a profile's needs are usually asked."""

    shifts: tuple[int, int, int]  # weights of day only, two shifts, three shifts
    part_time: float  # share of part-time needs
    italian: dict[str, int]  # weights of the Italian level asked ("": none)
    experience: tuple[int, ...]  # years of experience asked, drawn from these
    licences: tuple[tuple[str, float], ...] = ()  # a licence category, and its share


ANY_ITALIAN = {"": 30, "A2": 55, "B1": 15}
PATTERNS = {
    "addetto-assemblaggio": Pattern((50, 40, 10), 0.08, ANY_ITALIAN, (0, 0, 0, 0, 1)),
    "operatore-robot": Pattern((10, 50, 40), 0, {"": 10, "A2": 50, "B1": 40}, (0, 0, 1, 1, 2)),
    "operatore-cnc": Pattern((25, 45, 30), 0, {"": 10, "A2": 50, "B1": 40}, (0, 1, 1, 2, 3)),
    "addetto-saldatura": Pattern((60, 35, 5), 0, ANY_ITALIAN, (0, 1, 1, 2, 3)),
    "operatore-pulizie": Pattern((85, 15, 0), 0.85, {"": 40, "A2": 45, "B1": 15}, (0, 0, 0, 1)),
    "addetto-magazzino": Pattern(
        (40, 50, 10),
        0.08,
        {"": 30, "A2": 50, "B1": 20},
        (0, 0, 0, 1, 1),
        (("B", 0.12), ("C", 0.05), ("CE", 0.03), ("CQC", 0.02)),  # some drive the lorry
    ),
    "carrellista": Pattern((30, 55, 15), 0, ANY_ITALIAN, (0, 0, 1, 1, 2), (("B", 0.1),)),
    "manutentore-meccanico": Pattern(
        (55, 30, 15), 0, {"A2": 40, "B1": 60}, (1, 2, 2, 3, 5), (("B", 0.4),)
    ),
    "elettricista": Pattern((80, 20, 0), 0, {"A2": 30, "B1": 70}, (1, 2, 2, 3, 5), (("B", 0.5),)),
    "operatore-materie-plastiche": Pattern((5, 35, 60), 0, ANY_ITALIAN, (0, 0, 0, 1, 1)),
}
# Contracts, with a weight each, and the lengths (months) of those that end.
CONTRACTS = {
    Need.Contract.PERMANENT: 20,
    Need.Contract.FIXED_TERM: 30,
    Need.Contract.AGENCY: 30,
    Need.Contract.APPRENTICESHIP: 10,
    Need.Contract.TRAINEESHIP: 10,
}
DURATIONS = {
    Need.Contract.FIXED_TERM: (6, 6, 12, 12, 12, 24),
    Need.Contract.AGENCY: (3, 3, 6, 6, 12),
    Need.Contract.TRAINEESHIP: (3, 6, 6),
}
# Certifications a profile's need usually makes mandatory.
MANDATORY_CERTIFICATIONS = {
    "carrellista": ["abilitazione-carrelli-elevatori"],
    "addetto-saldatura": ["saldatore-en-iso-9606-1"],
    "elettricista": ["pes-pav"],
}
# Certifications some needs of a profile ask without requiring them, and how many.
PREFERRED_CERTIFICATIONS = {"addetto-magazzino": (("abilitazione-carrelli-elevatori", 0.4),)}
# The needs of the demo HR companies in the current campaign: an assembly line on a day
# shift, and injection presses on two shifts (6-14, 14-22); both to start at once.
DEMO_NEEDS = {
    "Meccanica Orobica S.p.A.": {
        "profile": "addetto-assemblaggio",
        "headcount": 3,
        "contract": Need.Contract.FIXED_TERM,
        "duration_months": 12,
        "shifts": Need.Shifts.DAY,
        "italian_level": "A2",
        "skills": ["montaggio-meccanico", "lettura-disegno-tecnico"],
    },
    "Plastiche Val Seriana S.r.l.": {
        "profile": "operatore-materie-plastiche",
        "headcount": 2,
        "contract": Need.Contract.AGENCY,
        "duration_months": 6,
        "shifts": Need.Shifts.TWO,
        "italian_level": "A2",
        "skills": ["stampaggio-iniezione"],
    },
}
SUFFIXES = ["S.p.A.", "S.r.l.", "S.r.l.", "S.n.c.", "S.r.l."]
WORDS = [
    "Meccanica", "Metalli", "Plastiche", "Stampaggi", "Minuterie", "Fonderia", "Trafilerie",
    "Carpenteria", "Elettromeccanica", "Automazioni", "Componenti", "Tessitura", "Torneria",
    "Officine", "Costruzioni", "Utensileria", "Lamiere", "Valvole", "Ingranaggi", "Cablaggi",
]  # fmt: skip


def partita_iva(rng: random.Random) -> str:
    """A well-formed partita IVA of the Bergamo office (016), with its check digit."""
    base = f"{rng.randrange(10**7):07d}016"
    return base + luhn.calc_check_digit(base)


def _company_names(rng: random.Random, faker: Faker, first: list[str], count: int) -> list[str]:
    names, seen = list(first), {name.lower() for name in first}
    while len(names) < count:
        name = f"{rng.choice(WORDS)} {faker.last_name()} {rng.choice(SUFFIXES)}"
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def _ateco(rng: random.Random, by_division: dict, division: str | None = None) -> AtecoCode:
    if division is None:
        division = rng.choices(list(ATECO_DIVISIONS), list(ATECO_DIVISIONS.values()))[0]
    return rng.choice(by_division[division])


def seed_companies(*, rng: random.Random, faker: Faker, first: list[str]) -> list[Company]:
    """SURVEYED_COMPANIES companies in the industrial comuni of the province; `first` names
    come first (those of DEMO_COMPANIES where and in what trade that says)."""
    comuni = list(Comune.objects.filter(province="BG").order_by("istat_code"))
    by_name = {comune.name: comune for comune in comuni}
    weights = [INDUSTRIAL_COMUNI.get(comune.name, OTHER_COMUNE) for comune in comuni]
    ateco_by_division = {
        division: list(
            AtecoCode.objects.filter(
                level=AtecoCode.Level.SUBCATEGORY, code__startswith=f"{division}."
            ).order_by("code")
        )
        for division in ATECO_DIVISIONS
    }
    sizes, size_weights = list(Company.Size.values), [20, 45, 28, 7]
    companies, used_vat = [], set()
    for name in _company_names(rng, faker, first, SURVEYED_COMPANIES):
        vat = partita_iva(rng)
        while vat in used_vat:
            vat = partita_iva(rng)
        used_vat.add(vat)
        if name in DEMO_COMPANIES:
            home, division, size = DEMO_COMPANIES[name]
            comune, ateco = by_name[home], _ateco(rng, ateco_by_division, division)
        else:
            comune = rng.choices(comuni, weights)[0]
            ateco = _ateco(rng, ateco_by_division)
            size = rng.choices(sizes, size_weights)[0]
        companies.append(
            company_register(
                name=name,
                partita_iva=vat,
                ateco=ateco,
                size=size,
                address=f"Via {faker.last_name()} {rng.randint(1, 120)}",
                comune=comune,
                contact_name=f"{faker.first_name()} {faker.last_name()}",
                contact_email=f"hr@{name.split()[0].lower()}{len(companies)}.demo.invalid",
                contact_phone=f"035 {rng.randint(100000, 999999)}",
            )
        )
    return companies


def seed_campaigns() -> tuple[SurveyCampaign, SurveyCampaign]:
    """The 2021 survey, closed, and the current one: open since the summer, so that the
    needs answered in its first weeks have had their first hires."""
    today = timezone.localdate()
    survey_2021 = SurveyCampaign.objects.create(
        name="Rilevazione fabbisogni 2021",
        opens_on=datetime.date(2021, 3, 1),
        closes_on=datetime.date(2021, 5, 31),
        status=SurveyCampaign.Status.CLOSED,
    )
    opens_on = today - datetime.timedelta(days=CURRENT_OPEN_DAYS)
    current = SurveyCampaign.objects.create(
        name=f"Rilevazione fabbisogni {opens_on.year}",
        opens_on=opens_on,
        closes_on=today + datetime.timedelta(days=45),
        status=SurveyCampaign.Status.OPEN,
    )
    return survey_2021, current


def _shifts(rng: random.Random, pattern: Pattern) -> tuple[str, bool, bool]:
    """Shifts, night work and weekend work: nights only with three shifts (the third is the
    night), and most three-shift needs have it; weekends mostly with a continuous cycle."""
    shifts = rng.choices(Need.Shifts.values, pattern.shifts)[0]
    nights = shifts == Need.Shifts.THREE and rng.random() < 0.85
    weekends = rng.random() < (0.3 if nights else 0.04)
    return shifts, nights, weekends


def _licence(rng: random.Random, pattern: Pattern) -> str:
    roll = rng.random()
    for category, share in pattern.licences:
        if roll < share:
            return category
        roll -= share
    return ""


def _contract(rng: random.Random) -> tuple[str, int | None]:
    contract = rng.choices(list(CONTRACTS), list(CONTRACTS.values()))[0]
    months = DURATIONS.get(contract)
    return contract, rng.choice(months) if months else None


def _start(rng: random.Random, campaign: SurveyCampaign) -> datetime.date | None:
    """When the need starts: after the 2021 survey closed; for the current one, from a couple
    of weeks to five months on, or as soon as someone is found."""
    if not campaign.accepts_answers:
        return campaign.closes_on + datetime.timedelta(days=rng.randint(15, 120))
    if rng.random() < 0.2:
        return None
    return timezone.localdate() + datetime.timedelta(days=rng.randint(14, 150))


def seed_needs(
    *, rng: random.Random, campaign: SurveyCampaign, companies: list[Company], per_company=(1, 3)
) -> int:
    """Needs of `companies` in `campaign`, spread over the ten profiles, each as its profile
    is usually asked (PATTERNS). The needs of a closed campaign have been filled or
    cancelled since. Returns how many."""
    profiles = {p.code: p for p in JobProfile.objects.prefetch_related("skills")}
    certifications = {c.code: c for c in Certification.objects.all()}
    codes, weights = list(PROFILE_WEIGHTS), list(PROFILE_WEIGHTS.values())
    comuni = list(Comune.objects.filter(province="BG").order_by("istat_code"))
    comune_weights = [INDUSTRIAL_COMUNI.get(comune.name, OTHER_COMUNE) for comune in comuni]
    needs, requirements = [], []
    for company in companies:
        chosen = set()
        for _ in range(rng.randint(*per_company)):
            code = rng.choices(codes, weights)[0]
            pattern = PATTERNS[code]
            # Most at the company's site; some at another plant or a customer's.
            workplace = (
                company.comune if rng.random() < 0.85 else rng.choices(comuni, comune_weights)[0]
            )
            if (code, workplace.pk) in chosen:
                continue
            chosen.add((code, workplace.pk))
            shifts, nights, weekends = _shifts(rng, pattern)
            contract, months = _contract(rng)
            part_time = rng.random() < pattern.part_time
            need = Need(
                company=company,
                campaign=campaign,
                profile=profiles[code],
                headcount=rng.choices([1, 2, 3, 4, 5, 8], [30, 30, 18, 10, 8, 4])[0],
                workplace=workplace,
                contract=contract,
                duration_months=months,
                hours=Need.Hours.PART_TIME if part_time else Need.Hours.FULL_TIME,
                shifts=shifts,
                nights=nights,
                weekends=weekends,
                start_date=_start(rng, campaign),
                italian_level=rng.choices(list(pattern.italian), list(pattern.italian.values()))[0],
                driving_licence=_licence(rng, pattern),
                # "Automunito": where no bus runs at the hours of the shift.
                own_car_required=rng.random() < (0.25 if nights else 0.06),
                min_experience_years=rng.choice(pattern.experience),
                status=Need.Status.OPEN
                if campaign.accepts_answers
                else rng.choices([Need.Status.FILLED, Need.Status.CANCELLED], [75, 25])[0],
            )
            needs.append(need)
            skills = list(profiles[code].skills.all())
            preferred = [
                certifications[c]
                for c, share in PREFERRED_CERTIFICATIONS.get(code, ())
                if rng.random() < share
            ]
            requirements.append(
                (
                    rng.sample(skills, k=min(len(skills), rng.randint(1, 2))),
                    [certifications[c] for c in MANDATORY_CERTIFICATIONS.get(code, [])],
                    preferred,
                )
            )
    Need.objects.bulk_create(needs)
    _requirements_create(needs, requirements, certifications["sicurezza-generale"])
    return len(needs)


def _requirements_create(needs: list[Need], requirements: list, safety: Certification) -> None:
    NeedSkill.objects.bulk_create(
        NeedSkill(need=need, skill=skill, mandatory=False)
        for need, (skills, _mandatory, _preferred) in zip(needs, requirements, strict=True)
        for skill in skills
    )
    # The general safety course is asked, not required: employers give it after hiring.
    NeedCertification.objects.bulk_create(
        [
            NeedCertification(need=need, certification=cert, mandatory=cert in mandatory)
            for need, (_skills, mandatory, preferred) in zip(needs, requirements, strict=True)
            for cert in dict.fromkeys([safety, *mandatory, *preferred])
        ]
    )
    touch("ranking")  # the needs and their requirements: bulk_create sends no signal


def seed_demo_needs(*, campaign: SurveyCampaign, companies: list[Company]) -> list[Need]:
    """The needs the demo HR companies answered in the first weeks of `campaign`
    (DEMO_NEEDS), to start as soon as people are found: demo.matching shortlists for them."""
    profiles = {p.code: p for p in JobProfile.objects.all()}
    skills = {s.code: s for s in Skill.objects.all()}
    certifications = {c.code: c for c in Certification.objects.all()}
    needs, requirements = [], []
    for company in companies:
        spec = dict(DEMO_NEEDS[company.name])
        code, wanted = spec.pop("profile"), spec.pop("skills")
        needs.append(
            Need(
                company=company,
                campaign=campaign,
                profile=profiles[code],
                workplace=company.comune,
                status=Need.Status.OPEN,
                **spec,
            )
        )
        requirements.append(
            (
                [skills[s] for s in wanted],
                [certifications[c] for c in MANDATORY_CERTIFICATIONS.get(code, [])],
                [],
            )
        )
    Need.objects.bulk_create(needs)
    _requirements_create(needs, requirements, certifications["sicurezza-generale"])
    return needs
