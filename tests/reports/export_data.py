"""A small programme for the workbook's tests, with planted people and planted formulas.

`PERSON` is one candidate whose identifying data must never reach the pseudonymised
workbook (her support actions' provider and outcome name her too); `FORMULAS` are texts
people typed that start like formulas, planted in a company's name, needs' notes, a centre's
and a tranche's name, a candidate's driving licences, a partner organisation's name and a
support action's provider and outcome. `build(...)` returns what the tests count against;
`extra` adds that many more candidates, each interviewed, assessed with an obstacle,
shortlisted, given a support action and proposed for a course, for the query-count tests.
The courses (`_courses`) plant a formula in a title, and a course is hosted by the company
whose name is one.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from stdnum.it import codicefiscale

from accounts.models import Organisation, User
from candidates.models import Candidate
from catalog.models import Certification, JobProfile, Skill
from companies.models import Need, SurveyCampaign
from interviews.models import Obstacle
from interviews.services import ObstacleInput, assessment_record
from matching.models import Entry
from matching.services import shortlist_add
from tests.factories import (
    CandidateFactory,
    CompanyFactory,
    InterviewFactory,
    NeedFactory,
    OrganisationFactory,
    SurveyCampaignFactory,
    TrancheFactory,
    UserFactory,
)
from training.models import Course, Enrolment, FundingChannel
from training.services import course_save, support_action_move, support_action_propose

_CF_BASE = "QTTZNB88C41Z330"  # Quattrocchi Zenobia, born 1 March 1988 in Morocco, female
PERSON = {
    "first_name": "Zenobia",
    "last_name": "Quattrocchi",
    "codice_fiscale": _CF_BASE + codicefiscale.calc_check_digit(_CF_BASE),
    "birth_date": datetime.date(1988, 3, 1),
    "phone": "+39 347 555 0123",
    "email": "zenobia.quattrocchi@example.org",
    "address": "Via dei Tigli 7, Bergamo",
}
FORMULAS = {
    "company": '=HYPERLINK("http://example.org/x","Meccanica")',
    "need_plus": "+1+2 posti in più a gennaio",
    "need_minus": "-2+3 rispetto al 2025",
    "centre": "@SUM(A1:A9) Centro Caritas",
    "tranche": "=1+1 Tranche di prova",
    "licences": "\t=B+C",
    "partner": "@SUM(1+1) Cooperativa Sociale",
    "provider": '=HYPERLINK("http://example.org/y","Navetta")',
    "outcome": "+cmd|' /C calc'!A0",
    "course": "=1+2 Carrellisti in magazzino",
}
# What a support action's note says about the person: in neither version of the workbook.
SUPPORT_NOTE = "Nota riservata 7731: " + PERSON["email"]
# What an enrolment's note says about her: in neither version either.
ENROLMENT_NOTE = "Nota corso 5517: " + PERSON["phone"]


@dataclass
class Programme:
    campaign: SurveyCampaign
    other_campaign: SurveyCampaign
    person: Candidate
    candidates: list[Candidate] = field(default_factory=list)
    draft: Candidate | None = None


def build(*, staff: User, extra: int = 0) -> Programme:
    campaign = SurveyCampaignFactory(name="Rilevazione 2026")
    other_campaign = SurveyCampaignFactory(name="Rilevazione 2025", status="closed")
    assembly = JobProfile.objects.get(code="addetto-assemblaggio")
    forklift = JobProfile.objects.get(code="carrellista")
    company = CompanyFactory(organisation__name=FORMULAS["company"])
    needs = [
        NeedFactory(company=company, campaign=campaign, headcount=3, notes=FORMULAS["need_plus"]),
        NeedFactory(campaign=campaign, profile=forklift, headcount=2, notes=FORMULAS["need_minus"]),
        NeedFactory(campaign=other_campaign, headcount=5, status=Need.Status.FILLED),
    ]
    NeedFactory(campaign=campaign, headcount=9, status=Need.Status.CANCELLED)

    centre = OrganisationFactory(name=FORMULAS["centre"], kind=Organisation.Kind.CENTRE)
    person = CandidateFactory(centre=centre, driving_licences=FORMULAS["licences"], **PERSON)
    others = CandidateFactory.create_batch(5 + extra, centre=centre)
    draft = CandidateFactory(centre=centre, status=Candidate.Status.DRAFT)
    candidates = [person, *others]

    tranche = TrancheFactory(name=FORMULAS["tranche"])
    later = TrancheFactory(
        name="Seconda tranche",
        starts_on=datetime.date(2027, 1, 10),
        ends_on=datetime.date(2027, 2, 20),
    )
    recruiter = UserFactory(role=User.Role.RECRUITER)
    classes = ["A", "B", "C", "B"] + ["A"] * extra
    for candidate, cls in zip([person, *others[:3], *others[5:]], classes, strict=True):
        interview = InterviewFactory(tranche=tranche, candidate=candidate, recruiter=recruiter)
        assessment_record(
            interview=interview,
            actor=staff,
            employability=cls,
            obstacles=[ObstacleInput("transport", 3), ObstacleInput("language", 2)][
                : 1 + (cls == "B")
            ],
            suitable_profiles=[assembly],
        )
    second = InterviewFactory(tranche=later, candidate=others[0], recruiter=recruiter)
    assessment_record(
        interview=second,
        actor=staff,
        employability="A",
        obstacles=[ObstacleInput("care", 1)],
    )
    InterviewFactory(tranche=later, candidate=others[4], recruiter=recruiter)  # not yet held

    for candidate in [person, *others[:2], *others[5:]]:
        shortlist_add(need=needs[0], candidate=candidate, actor=staff)
    entry = shortlist_add(need=needs[1], candidate=others[3], actor=staff)
    Entry.objects.filter(pk=entry.pk).update(status=Entry.Status.HIRED)
    _support(staff, person, others)
    _courses(staff, company, person, others)
    return Programme(campaign, other_campaign, person, candidates, draft)


def _support(staff: User, person: Candidate, others: list[Candidate]) -> None:
    """Support actions: Zenobia's bus pass done and her childcare cancelled, an Italian course
    under way, another support for two obstacles with nobody paying yet, and care for each
    extra candidate."""
    channels = {channel.code: channel for channel in FundingChannel.objects.all()}
    partner = OrganisationFactory(name=FORMULAS["partner"], kind=Organisation.Kind.AGENCY)
    transport = Obstacle.objects.get(assessment__interview__candidate=person, kind="transport")

    def propose(candidate, kind, funding=None, **details):
        return support_action_propose(
            candidate=candidate,
            kind=kind,
            actor=staff,
            funding=channels.get(funding),
            **details,
        )

    bus = propose(
        person,
        "transport_pass",
        "charity",
        obstacles=[transport],
        owner=staff,
        partner=partner,
        provider=FORMULAS["provider"],
        cost=Decimal("45.50"),
        note=SUPPORT_NOTE,
    )
    for step in ("agreed", "in_progress", "done"):
        support_action_move(action=bus, to=step, actor=staff, outcome=FORMULAS["outcome"])
    childcare = propose(
        person,
        "childcare",
        "fse-plus",
        provider=f"La zia {PERSON['last_name']}",
        cost=Decimal("200"),
    )
    support_action_move(
        action=childcare,
        to="cancelled",
        actor=staff,
        outcome=f"Richiamare {PERSON['first_name']} al {PERSON['phone']}",
    )
    language = Obstacle.objects.get(assessment__interview__candidate=others[0], kind="language")
    course = propose(
        others[0], "italian_course", "fse-plus", obstacles=[language], cost=Decimal("1200")
    )
    for step in ("agreed", "in_progress"):
        support_action_move(action=course, to=step, actor=staff)
    both = Obstacle.objects.filter(assessment__interview__candidate=others[2])
    propose(others[2], "other", obstacles=both)  # class B: transport and language
    for candidate in others[5:]:
        propose(candidate, "care", "gol-2", cost=Decimal("10"))


def _courses(staff: User, company, person: Candidate, others: list[Candidate]) -> None:
    """The forklift course (hosted, FSE+, 300 euros a seat, completed): Zenobia completed it
    and got the licence and a skill, one dropped out, one did not attend enough. The Italian
    course (no channel, no cost yet, running): one enrolled, one proposed, and every extra
    candidate proposed."""
    forklift = course_save(
        course=Course(
            title=FORMULAS["course"],
            host=company,
            seats=5,
            cost_per_seat=Decimal("300"),
            funding=FundingChannel.objects.get(code="fse-plus"),
        ),
        actor=staff,
        profiles=[JobProfile.objects.get(code="carrellista")],
        certifications=[Certification.objects.get(code="abilitazione-carrelli-elevatori")],
        skills=[Skill.objects.order_by("pk").first()],
    )
    Course.objects.filter(pk=forklift.pk).update(
        status=Course.Status.COMPLETED, completed_on=timezone.localdate()
    )
    italian = course_save(
        course=Course(title="Italiano A2", seats=30, italian_level="A2"),
        actor=staff,
        profiles=[JobProfile.objects.get(code="addetto-assemblaggio")],
    )
    Course.objects.filter(pk=italian.pk).update(status=Course.Status.RUNNING)
    today = timezone.localdate()

    def enrol(course, candidate, status, **fields):
        Enrolment.objects.create(
            course=course, candidate=candidate, status=status, proposed_by=staff, **fields
        )

    enrol(forklift, person, "completed", attended_percent=85, finished_on=today,
          note=ENROLMENT_NOTE)  # fmt: skip
    enrol(forklift, others[0], "dropped", drop_reason="transport", finished_on=today)
    enrol(forklift, others[1], "not_completed", attended_percent=30, finished_on=today)
    enrol(italian, others[2], "enrolled")
    enrol(italian, others[3], "proposed")
    for candidate in others[5:]:
        enrol(italian, candidate, "proposed")


def move_registration(candidate: Candidate, day: datetime.date) -> None:
    """Pretend `candidate` was registered on `day` (created_at is set on insert)."""
    moment = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    Candidate.objects.filter(pk=candidate.pk).update(created_at=moment)
