"""A small programme for the workbook's tests, with planted people and planted formulas.

`PERSON` is one candidate whose identifying data must never reach the pseudonymised
workbook; `FORMULAS` are texts people typed that start like formulas, planted in a company's
name, needs' notes, a centre's and a tranche's name and a candidate's driving licences.
`build(...)` returns what the tests count against; `extra` adds that many more candidates,
each interviewed, assessed with an obstacle and shortlisted, for the query-count tests.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from stdnum.it import codicefiscale

from accounts.models import Organisation, User
from candidates.models import Candidate
from catalog.models import JobProfile
from companies.models import Need, SurveyCampaign
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
}


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
    return Programme(campaign, other_campaign, person, candidates, draft)


def move_registration(candidate: Candidate, day: datetime.date) -> None:
    """Pretend `candidate` was registered on `day` (created_at is set on insert)."""
    moment = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    Candidate.objects.filter(pk=candidate.pk).update(created_at=moment)
