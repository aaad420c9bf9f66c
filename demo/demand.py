"""Demo demand: the 2021 survey answered by 305 member companies around Bergamo, and the
current campaign, open. Deterministic for a given random generator."""

import datetime
import random

from django.utils import timezone
from faker import Faker
from stdnum import luhn

from catalog.models import AtecoCode, Certification, Comune, JobProfile
from companies.models import Company, Need, NeedCertification, NeedSkill, SurveyCampaign
from companies.services import company_register

SURVEYED_COMPANIES = 305

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
# Certifications a profile's need usually makes mandatory.
MANDATORY_CERTIFICATIONS = {
    "carrellista": ["abilitazione-carrelli-elevatori"],
    "addetto-saldatura": ["saldatore-en-iso-9606-1"],
    "elettricista": ["pes-pav"],
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


def seed_companies(*, rng: random.Random, faker: Faker, first: list[str]) -> list[Company]:
    """SURVEYED_COMPANIES companies in comuni of the province; `first` names come first."""
    comuni = list(Comune.objects.filter(province="BG").order_by("istat_code"))
    ateco_by_division = {
        division: list(
            AtecoCode.objects.filter(
                level=AtecoCode.Level.SUBCATEGORY, code__startswith=f"{division}."
            ).order_by("code")
        )
        for division in ATECO_DIVISIONS
    }
    divisions, weights = list(ATECO_DIVISIONS), list(ATECO_DIVISIONS.values())
    sizes, size_weights = list(Company.Size.values), [20, 45, 28, 7]
    companies, used_vat = [], set()
    for name in _company_names(rng, faker, first, SURVEYED_COMPANIES):
        vat = partita_iva(rng)
        while vat in used_vat:
            vat = partita_iva(rng)
        used_vat.add(vat)
        comune = rng.choice(comuni)
        companies.append(
            company_register(
                name=name,
                partita_iva=vat,
                ateco=rng.choice(ateco_by_division[rng.choices(divisions, weights)[0]]),
                size=rng.choices(sizes, size_weights)[0],
                address=f"Via {faker.last_name()} {rng.randint(1, 120)}",
                comune=comune,
                contact_name=f"{faker.first_name()} {faker.last_name()}",
                contact_email=f"hr@{name.split()[0].lower()}{len(companies)}.demo.invalid",
                contact_phone=f"035 {rng.randint(100000, 999999)}",
            )
        )
    return companies


def seed_campaigns() -> tuple[SurveyCampaign, SurveyCampaign]:
    today = timezone.localdate()
    survey_2021 = SurveyCampaign.objects.create(
        name="Rilevazione fabbisogni 2021",
        opens_on=datetime.date(2021, 3, 1),
        closes_on=datetime.date(2021, 5, 31),
        status=SurveyCampaign.Status.CLOSED,
    )
    current = SurveyCampaign.objects.create(
        name=f"Rilevazione fabbisogni {today.year}",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
        status=SurveyCampaign.Status.OPEN,
    )
    return survey_2021, current


def seed_needs(
    *, rng: random.Random, campaign: SurveyCampaign, companies: list[Company], per_company=(1, 3)
) -> int:
    """Needs of `companies` in `campaign`, spread over the ten profiles. Returns how many."""
    profiles = {p.code: p for p in JobProfile.objects.prefetch_related("skills")}
    certifications = {c.code: c for c in Certification.objects.all()}
    codes, weights = list(PROFILE_WEIGHTS), list(PROFILE_WEIGHTS.values())
    nearby = list(Comune.objects.filter(province="BG").order_by("istat_code"))
    needs, requirements = [], []
    for company in companies:
        chosen = set()
        for _ in range(rng.randint(*per_company)):
            code = rng.choices(codes, weights)[0]
            workplace = company.comune if rng.random() < 0.85 else rng.choice(nearby)
            if (code, workplace.pk) in chosen:
                continue
            chosen.add((code, workplace.pk))
            need = Need(
                company=company,
                campaign=campaign,
                profile=profiles[code],
                headcount=rng.choices([1, 2, 3, 4, 5, 8], [30, 30, 18, 10, 8, 4])[0],
                workplace=workplace,
                contract=rng.choice(Need.Contract.values),
                hours=Need.Hours.PART_TIME if code == "operatore-pulizie" else Need.Hours.FULL_TIME,
                shifts=rng.choices(Need.Shifts.values, [40, 40, 20])[0],
                nights=rng.random() < 0.15,
                weekends=rng.random() < 0.1,
                start_date=campaign.closes_on + datetime.timedelta(days=rng.randint(15, 120)),
                italian_level=rng.choice(["", "A2", "A2", "B1"]),
                driving_licence="B" if rng.random() < 0.2 else "",
                own_car_required=rng.random() < 0.25,
                min_experience_years=rng.choice([0, 0, 0, 1, 2]),
                status=Need.Status.OPEN
                if campaign.accepts_answers
                else rng.choices(Need.Status.values, [30, 60, 10])[0],
            )
            needs.append(need)
            skills = list(profiles[code].skills.all())
            requirements.append(
                (
                    rng.sample(skills, k=min(len(skills), rng.randint(1, 2))),
                    [certifications[c] for c in MANDATORY_CERTIFICATIONS.get(code, [])],
                )
            )
    Need.objects.bulk_create(needs)
    safety = certifications["sicurezza-generale"]
    NeedSkill.objects.bulk_create(
        NeedSkill(need=need, skill=skill, mandatory=False)
        for need, (skills, _mandatory) in zip(needs, requirements, strict=True)
        for skill in skills
    )
    # The general safety course is asked, not required: employers give it after hiring.
    NeedCertification.objects.bulk_create(
        NeedCertification(need=need, certification=cert, mandatory=cert != safety)
        for need, (_skills, mandatory) in zip(needs, requirements, strict=True)
        for cert in [safety, *mandatory]
    )
    return len(needs)
