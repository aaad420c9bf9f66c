"""Two needs as a matching officer sees them, each with fifteen or so candidates of every
kind, and the officer's own order and exclusions, written down before the engine ran.

The engine must agree: the same people left out (each for the reason the officer gives), the
same near misses, and the same top 8 in the same order, give or take one swap of two
neighbours per need.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from candidates.models import Candidate, CandidateCertification, CandidateSkill, Experience
from catalog.models import Certification, Comune, JobProfile, Skill
from companies.models import Need, NeedCertification, NeedSkill
from interviews.services import ObstacleInput, assessment_record
from matching.ranking import rank
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory, TrancheFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

YEAR = timezone.localdate().year
COMUNI = {
    "Bergamo": "016024",
    "Ciserano": "016075",
    "Dalmine": "016091",
    "Grassobbio": "016117",
    "Osio Sotto": "016153",
    "Seriate": "016198",
    "Stezzano": "016207",
    "Treviglio": "016219",
    "Verdellino": "016232",
}


@dataclass
class Person:
    """A candidate as the officer reads the file: where they live, what they did (profile,
    years, last year in the job: None while still in it), what they hold (True: verified),
    the recruiter's class and obstacles, and anything else about them."""

    name: str
    home: str = "Dalmine"
    jobs: list = field(default_factory=list)
    skills: dict = field(default_factory=dict)
    certifications: dict = field(default_factory=dict)  # code: (verified, expires_on)
    suitable: list = field(default_factory=list)
    employability: str = ""
    obstacles: list = field(default_factory=list)  # (kind, severity)
    fields: dict = field(default_factory=dict)


def _build(people: list[Person], recruiter) -> dict[str, Candidate]:
    built = {}
    for person in people:
        first, last = person.name.split()
        candidate = CandidateFactory(
            first_name=first,
            last_name=last,
            residence_comune=Comune.objects.get(istat_code=COMUNI[person.home]),
            **person.fields,
        )
        for profile, years, ended_in in person.jobs:
            Experience.objects.create(
                candidate=candidate,
                profile=JobProfile.objects.get(code=profile),
                years=years,
                ended_in=ended_in,
            )
        for code, verified in person.skills.items():
            CandidateSkill.objects.create(
                candidate=candidate, skill=Skill.objects.get(code=code), verified=verified
            )
        for code, (verified, expires_on) in person.certifications.items():
            CandidateCertification.objects.create(
                candidate=candidate,
                certification=Certification.objects.get(code=code),
                verified=verified,
                expires_on=expires_on,
            )
        if person.employability:
            assessment_record(
                interview=InterviewFactory(
                    candidate=candidate, recruiter=recruiter, tranche=TrancheFactory()
                ),
                actor=recruiter,
                employability=person.employability,
                obstacles=[ObstacleInput(kind, severity) for kind, severity in person.obstacles],
                suitable_profiles=[JobProfile.objects.get(code=code) for code in person.suitable],
            )
        built[person.name] = Candidate.objects.get(pk=candidate.pk)
    return built


def _swaps(expected: list[str], found: list[str]) -> int | None:
    """How many swaps of two neighbours turn `expected` into `found` (None: not that way)."""
    if sorted(expected) != sorted(found):
        return None
    found, swaps = list(found), 0
    for i, name in enumerate(expected):
        j = found.index(name)
        if j - i > 1:
            return None
        if j == i + 1:
            found[i], found[j] = found[j], found[i]
            swaps += 1
    return swaps


def _agrees(need: Need, people: dict[str, Candidate], top8: list[str], out: dict, near: dict):
    ranking = rank(need, top=50, near_misses=True)
    by_pk = {c.pk: name for name, c in people.items()}
    ranked = [by_pk[row.candidate.pk] for row in ranking.rows]
    assert set(ranked) == set(people) - set(out), "the officer's exclusions"
    assert _swaps(top8, ranked[:8]) in (0, 1), f"top 8: officer {top8}, engine {ranked[:8]}"
    for name, reason in out.items():
        why = rank(need, candidate=people[name]).why_not
        assert any(reason in text for text in why), (name, why)
    misses = {by_pk[miss.candidate.pk]: miss for miss in ranking.near_misses}
    assert set(misses) == set(near)
    for name, fix in near.items():
        assert fix in misses[name].fix, (name, misses[name])
    return ranking


# A forklift operator on two shifts in Dalmine -------------------------------------------------

FORKLIFT_START = datetime.date(2027, 3, 1)
LICENCE = "abilitazione-carrelli-elevatori"
VALID = FORKLIFT_START + datetime.timedelta(days=3 * 365)


@pytest.fixture
def forklift_need():
    """Two shifts (6-14, 14-22), no nights, full time, from 1 March for a year; two years of
    experience, Italian A2, the forklift licence (mandatory), driving a forklift preferred."""
    need = NeedFactory(
        profile=JobProfile.objects.get(code="carrellista"),
        workplace=Comune.objects.get(istat_code=COMUNI["Dalmine"]),
        shifts=Need.Shifts.TWO,
        hours=Need.Hours.FULL_TIME,
        start_date=FORKLIFT_START,
        duration_months=12,
        min_experience_years=2,
        italian_level="A2",
    )
    NeedCertification.objects.create(
        need=need, certification=Certification.objects.get(code=LICENCE), mandatory=True
    )
    NeedSkill.objects.create(need=need, skill=Skill.objects.get(code="conduzione-carrello"))
    return need


def _forklift_people() -> list[Person]:
    shifts = {"shifts": "two", "own_car": True}
    licensed = {LICENCE: (True, VALID)}
    return [
        # Five years on forklifts, still at it, licence and driving verified, lives here.
        Person(
            "Mario Rota",
            jobs=[("carrellista", 5, None)],
            skills={"conduzione-carrello": True},
            certifications=licensed,
            employability="A",
            fields={**shifts, "italian_level": "native", "nationality": "IT"},
        ),
        # Four years, all verified, class B, 10 km away by car; the permit runs out before the
        # start, but its renewal was requested: the receipt lets him work.
        Person(
            "Kofi Mensah",
            home="Ciserano",
            jobs=[("carrellista", 4, YEAR - 1)],
            skills={"conduzione-carrello": True},
            certifications=licensed,
            employability="B",
            fields={
                **shifts,
                "permit_type": "work",
                "permit_expiry": FORKLIFT_START - datetime.timedelta(days=20),
                "permit_renewal_requested_on": FORKLIFT_START - datetime.timedelta(days=60),
            },
        ),
        # Three years, verified licence, class A, car; Italian A1, one level short.
        Person(
            "Mohamed Amrani",
            home="Verdellino",
            jobs=[("carrellista", 3, None)],
            certifications=licensed,
            employability="A",
            fields={**shifts, "italian_level": "A1"},
        ),
        # Four years, but licence and driving only declared: to verify before proposing.
        Person(
            "Ahmed Saidi",
            home="Osio Sotto",
            jobs=[("carrellista", 4, None)],
            skills={"conduzione-carrello": False},
            certifications={LICENCE: (False, VALID)},
            employability="B",
            fields=shifts,
        ),
        # Three recent years, licence verified, class A, but only buses from Bergamo: no way
        # to a 6:00 shift until transport is arranged.
        Person(
            "Fatima Zahra",
            home="Bergamo",
            jobs=[("carrellista", 3, YEAR - 1)],
            skills={"conduzione-carrello": False},
            certifications=licensed,
            employability="A",
            fields={"shifts": "two", "public_transport": True, "italian_level": "B1"},
        ),
        # Six years in a warehouse (a related job), forklift driving and licence verified.
        Person(
            "Giorgio Pesenti",
            jobs=[("addetto-magazzino", 6, None)],
            skills={"conduzione-carrello": True},
            certifications=licensed,
            employability="B",
            fields={**shifts, "italian_level": "native", "nationality": "IT"},
        ),
        # Never worked as one, but the recruiter judged her suitable; licence from a course.
        Person(
            "Elena Moretti",
            home="Stezzano",
            certifications=licensed,
            suitable=["carrellista"],
            employability="A",
            fields={**shifts, "italian_level": "native", "nationality": "IT"},
        ),
        # Two years, but in 2016: rusty. Lives in Treviglio, 19 km by road.
        Person(
            "Luca Brambilla",
            home="Treviglio",
            jobs=[("carrellista", 2, 2016)],
            certifications=licensed,
            employability="B",
            fields={**shifts, "italian_level": "native", "nationality": "IT"},
        ),
        # Two and a half years, licence verified, but low employability and a severe housing
        # problem still open.
        Person(
            "Dritan Hoxha",
            home="Treviglio",
            jobs=[("carrellista", 2.5, None)],
            certifications=licensed,
            employability="C",
            obstacles=[("housing", 3)],
            fields=shifts,
        ),
        # Out: day shifts only.
        Person(
            "Samir Benali",
            jobs=[("carrellista", 5, None)],
            certifications=licensed,
            employability="A",
            fields={"shifts": "day", "own_car": True},
        ),
        # Out: small children, no early shifts.
        Person(
            "Rosa Locatelli",
            jobs=[("carrellista", 3, None)],
            certifications=licensed,
            employability="A",
            fields={**shifts, "care_duties": True},
        ),
        # Out: looks for part-time work.
        Person(
            "Paolo Invernizzi",
            jobs=[("carrellista", 3, None)],
            certifications=licensed,
            employability="B",
            fields={**shifts, "hours": "part_time"},
        ),
        # Out for now: the licence lapsed in October; a refresher course renews it.
        Person(
            "Ion Popescu",
            jobs=[("carrellista", 4, None)],
            certifications={LICENCE: (True, datetime.date(2026, 10, 15))},
            employability="A",
            fields=shifts,
        ),
        # Out for now: free from 15 March, two weeks after the start.
        Person(
            "Anna Gritti",
            jobs=[("carrellista", 3, None)],
            certifications=licensed,
            employability="A",
            fields={**shifts, "available_from": datetime.date(2027, 3, 15)},
        ),
        # Out for now: has not given the consent to matching.
        Person(
            "Nadia Kaci",
            jobs=[("carrellista", 3, None)],
            certifications=licensed,
            employability="A",
            fields={**shifts, "consent_matching": False},
        ),
    ]


def test_the_forklift_need_is_ranked_as_the_matching_officer_ranks_it(forklift_need, recruiter):
    people = _build(_forklift_people(), recruiter)

    ranking = _agrees(
        forklift_need,
        people,
        top8=[
            "Mario Rota",
            "Kofi Mensah",
            "Mohamed Amrani",
            "Ahmed Saidi",
            "Fatima Zahra",
            "Giorgio Pesenti",
            "Elena Moretti",
            "Luca Brambilla",
        ],
        out={
            "Samir Benali": "day shift only, the need has two shifts",
            "Rosa Locatelli": "care duties, against night or early shifts",
            "Paolo Invernizzi": "looks for part-time work",
            "Ion Popescu": "expired on",
            "Anna Gritti": "available from 15/03, 14 days after the start",
            "Nadia Kaci": "has not consented to matching",
        },
        near={
            "Ion Popescu": "refresher course",
            "Anna Gritti": "ask the company to start them on",
            "Nadia Kaci": "ask the consent again",
        },
    )
    rows = {row.candidate.last_name: row for row in ranking.rows}
    assert any("to verify before proposing" in gap.what for gap in rows["Saidi"].gaps)
    assert any("permit renewal requested" in note for note in rows["Mensah"].notes)
    assert any("night or early shifts" in gap.what for gap in rows["Zahra"].gaps)
    assert any(
        "the last in 2016: older work counts less" in gap.what for gap in rows["Brambilla"].gaps
    )
    assert any("severe obstacle" in note for note in rows["Hoxha"].notes)


# A CNC operator on three shifts with nights in Grassobbio ---------------------------------------

CNC_START = datetime.date(2027, 2, 1)


@pytest.fixture
def cnc_need():
    """Three shifts with nights, permanent, from 1 February; a year of experience, Italian A2,
    CNC programming mandatory, drawings and measuring preferred, the specific safety course
    preferred."""
    need = NeedFactory(
        profile=JobProfile.objects.get(code="operatore-cnc"),
        workplace=Comune.objects.get(istat_code=COMUNI["Grassobbio"]),
        contract=Need.Contract.PERMANENT,
        shifts=Need.Shifts.THREE,
        nights=True,
        start_date=CNC_START,
        min_experience_years=1,
        italian_level="A2",
    )
    NeedSkill.objects.create(
        need=need, skill=Skill.objects.get(code="programmazione-cnc"), mandatory=True
    )
    for code in ("lettura-disegno-tecnico", "strumenti-di-misura"):
        NeedSkill.objects.create(need=need, skill=Skill.objects.get(code=code))
    NeedCertification.objects.create(
        need=need, certification=Certification.objects.get(code="sicurezza-specifica")
    )
    return need


def _cnc_people() -> list[Person]:
    nights = {"shifts": "three", "nights": True}
    every_skill = {"programmazione-cnc": True, "lettura-disegno-tecnico": True}
    every_skill["strumenti-di-misura"] = True
    safety = {"sicurezza-specifica": (True, CNC_START + datetime.timedelta(days=4 * 365))}
    return [
        # Six years, all verified, the safety course, a car, five minutes away.
        Person(
            "Marco Ghilardi",
            home="Seriate",
            jobs=[("operatore-cnc", 6, None)],
            skills=every_skill,
            certifications=safety,
            employability="A",
            fields={**nights, "own_car": True, "italian_level": "native", "nationality": "IT"},
        ),
        # Three recent years, all skills verified, class A, a motorbike from Bergamo.
        Person(
            "Youssef Idrissi",
            home="Bergamo",
            jobs=[("operatore-cnc", 3, YEAR - 1)],
            skills=every_skill,
            employability="A",
            fields={**nights, "motorbike": True},
        ),
        # Two years, programming and measuring verified, cycles from Grassobbio itself;
        # her safety course expires in June, during the first year.
        Person(
            "Irina Petrova",
            home="Grassobbio",
            jobs=[("operatore-cnc", 2, None)],
            skills={"programmazione-cnc": True, "strumenti-di-misura": True},
            certifications={"sicurezza-specifica": (True, datetime.date(2027, 6, 30))},
            employability="B",
            fields={**nights, "bicycle": True, "italian_level": "B1", "nationality": "UA"},
        ),
        # Three years, all verified, a car, but a severe problem with his documents open.
        Person(
            "Lamin Jallow",
            home="Stezzano",
            jobs=[("operatore-cnc", 3, None)],
            skills=every_skill,
            employability="B",
            obstacles=[("documents", 3)],
            fields={**nights, "own_car": True},
        ),
        # A year and a half, ended in 2014; programming and drawings verified; near by car.
        Person(
            "Giuseppe Carminati",
            home="Seriate",
            jobs=[("operatore-cnc", 1.5, 2014)],
            skills={"programmazione-cnc": True, "lettura-disegno-tecnico": True},
            employability="B",
            fields={**nights, "own_car": True, "italian_level": "native", "nationality": "IT"},
        ),
        # Two years, class A, but only the bus from Bergamo: nothing runs at night.
        Person(
            "Bogdan Ionescu",
            home="Bergamo",
            jobs=[("operatore-cnc", 2, None)],
            skills={"programmazione-cnc": False},
            employability="A",
            fields={**nights, "public_transport": True},
        ),
        # No experience; the recruiter judged her suitable after a CNC course.
        Person(
            "Sofia Bonfanti",
            home="Seriate",
            skills={"programmazione-cnc": False},
            suitable=["operatore-cnc"],
            employability="A",
            fields={**nights, "own_car": True, "italian_level": "native", "nationality": "IT"},
        ),
        # Four years on robot cells (a related job), CNC programming declared.
        Person(
            "Chen Wei",
            home="Dalmine",
            jobs=[("operatore-robot", 4, None)],
            skills={"programmazione-cnc": False},
            employability="A",
            fields={**nights, "own_car": True, "nationality": "CN"},
        ),
        # Out: not at night.
        Person(
            "Omar Haddad",
            jobs=[("operatore-cnc", 4, None)],
            skills=every_skill,
            employability="A",
            fields={"shifts": "three", "nights": False, "own_car": True},
        ),
        # Out: care duties.
        Person(
            "Giulia Rota",
            jobs=[("operatore-cnc", 3, None)],
            skills=every_skill,
            employability="A",
            fields={**nights, "own_car": True, "care_duties": True},
        ),
        # Out for now: the permit expired in January and no renewal was asked for.
        Person(
            "Abdou Diop",
            home="Seriate",
            jobs=[("operatore-cnc", 5, None)],
            skills=every_skill,
            employability="A",
            fields={
                **nights,
                "own_car": True,
                "nationality": "SN",
                "permit_type": "work",
                "permit_expiry": datetime.date(2027, 1, 10),
            },
        ),
        # Out: two shifts at most.
        Person(
            "Nicola Zanchi",
            jobs=[("operatore-cnc", 3, None)],
            skills=every_skill,
            employability="B",
            fields={"shifts": "two", "nights": True, "own_car": True},
        ),
        # Out: free only from 20 March, seven weeks late: not a quick fix.
        Person(
            "Ana Souza",
            jobs=[("operatore-cnc", 2, None)],
            skills=every_skill,
            employability="A",
            fields={**nights, "own_car": True, "available_from": datetime.date(2027, 3, 20)},
        ),
        # Out: cannot program a CNC machine.
        Person(
            "Karim Belkacem",
            jobs=[("operatore-cnc", 2, None)],
            skills={"strumenti-di-misura": True},
            employability="A",
            fields={**nights, "own_car": True},
        ),
    ]


def test_the_cnc_night_need_is_ranked_as_the_matching_officer_ranks_it(cnc_need, recruiter):
    people = _build(_cnc_people(), recruiter)

    ranking = _agrees(
        cnc_need,
        people,
        top8=[
            "Marco Ghilardi",
            "Youssef Idrissi",
            "Irina Petrova",
            "Lamin Jallow",
            "Giuseppe Carminati",
            "Bogdan Ionescu",
            "Sofia Bonfanti",
            "Chen Wei",
        ],
        out={
            "Omar Haddad": "not available at night",
            "Giulia Rota": "care duties, against night or early shifts",
            "Abdou Diop": "residence permit expires on",
            "Nicola Zanchi": "up to two shifts, the need has three shifts",
            "Ana Souza": "available from 20/03, 47 days after the start",
            "Karim Belkacem": "lacks the mandatory skill",
        },
        near={"Abdou Diop": "ask for the renewal"},
    )
    rows = {row.candidate.last_name: row for row in ranking.rows}
    assert any("during the contract" in gap.what for gap in rows["Petrova"].gaps)
    assert any("severe obstacle" in note for note in rows["Jallow"].notes)
    assert rows["Ionescu"].components["commute"] == 0
