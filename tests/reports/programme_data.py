"""A small programme with known figures, for the dashboard's tests (unit and browser).

Two companies answered (a third only with a cancelled need), seven candidates of the
persona's centre and one of another centre went through interviews and shortlists. The
expected figures are written out in EXPECTED, counted by hand from what is built here.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from candidates.models import Candidate
from catalog.models import JobProfile
from companies.models import Need
from interviews.models import Assessment, Interview, Obstacle, SuitableProfile
from matching.models import Entry, PipelineEvent, Shortlist
from tests.factories import (
    CandidateFactory,
    CompanyFactory,
    InterviewFactory,
    NeedFactory,
    SurveyCampaignFactory,
    TrancheFactory,
    UserFactory,
)

ASSEMBLY = "addetto-assemblaggio"
WELDER = "addetto-saldatura"

# What the admin's dashboard shows for the whole programme.
EXPECTED = {
    "companies": 2,
    "needs": 3,
    "headcount": 6,
    "registered": 7,
    "interviewed": 4,
    "class_a": 2,
    "class_b": 1,
    "class_c": 1,
    "shortlisted": 5,
    "company_interview": 3,
    "hired": 1,
}
# The caseworker of the persona's centre: their own candidates only, no demand side.
EXPECTED_CENTRE = {
    "registered": 6,
    "interviewed": 3,
    "class_a": 1,
    "class_b": 1,
    "class_c": 1,
    "shortlisted": 4,
    "company_interview": 3,
    "hired": 1,
}


@dataclass
class Programme:
    campaign: object
    other_campaign: object
    tranche: object
    other_tranche: object
    assembly: JobProfile
    welder: JobProfile
    assembly_need: Need
    candidates: dict


def assess(interview, recruiter, cls, *, suitable=(), obstacles=()):
    interview.status = Interview.Status.DONE
    interview.save(update_fields=["status"])
    assessment = Assessment.objects.create(
        interview=interview, employability=cls, recorded_by=recruiter
    )
    for rank, profile in enumerate(suitable, start=1):
        SuitableProfile.objects.create(
            assessment=assessment, profile=profile, rank=rank, candidate_id=interview.candidate_id
        )
    for kind in obstacles:
        Obstacle.objects.create(assessment=assessment, kind=kind)
    Candidate.objects.filter(pk=interview.candidate_id).update(
        employability=cls, status=Candidate.Status.INTERVIEWED
    )
    return assessment


def shortlist_entry(shortlist, candidate, staff, status, *, through=()):
    entry = Entry.objects.create(
        shortlist=shortlist, candidate=candidate, score=70, added_by=staff, status=status
    )
    for step in (Entry.Status.PROPOSED, *through):
        PipelineEvent.objects.create(entry=entry, to_status=step, by=staff)
    return entry


def build_programme(*, company, other_company, centre, other_centre, staff) -> Programme:
    assembly = JobProfile.objects.get(code=ASSEMBLY)
    welder = JobProfile.objects.get(code=WELDER)
    campaign = SurveyCampaignFactory(name="Rilevazione 2026")
    other_campaign = SurveyCampaignFactory(name="Rilevazione 2025", status="closed")
    assembly_need = NeedFactory(company=company, campaign=campaign, profile=assembly, headcount=3)
    welder_need = NeedFactory(company=company, campaign=campaign, profile=welder, headcount=2)
    NeedFactory(company=other_company, campaign=other_campaign, profile=assembly, headcount=1)
    NeedFactory(
        company=other_company,
        campaign=campaign,
        profile=welder,
        headcount=5,
        status=Need.Status.CANCELLED,
    )
    NeedFactory(company=CompanyFactory(), campaign=campaign, status=Need.Status.CANCELLED)

    people = {
        name: CandidateFactory(centre=centre, first_name=name.title())
        for name in ("anna", "bruna", "carla", "dina", "ester", "fatima", "giulia")
    }
    Candidate.objects.filter(pk=people["ester"].pk).update(status=Candidate.Status.DRAFT)
    people["omar"] = CandidateFactory(centre=other_centre, first_name="Omar", sex="M")

    recruiter = UserFactory(role=User.Role.RECRUITER)
    tranche = TrancheFactory(name="Prima tranche")
    other_tranche = TrancheFactory(
        name="Seconda tranche",
        starts_on=datetime.date(2027, 1, 10),
        ends_on=datetime.date(2027, 2, 20),
    )

    def interview(name, in_tranche=tranche, **kwargs):
        return InterviewFactory(
            tranche=in_tranche, candidate=people[name], recruiter=recruiter, **kwargs
        )

    assess(interview("anna"), recruiter, "A", suitable=[assembly], obstacles=["transport"])
    assess(
        interview("bruna"),
        recruiter,
        "B",
        suitable=[assembly, welder],
        obstacles=["transport", "language"],
    )
    assess(interview("carla"), recruiter, "C", suitable=[assembly], obstacles=["documents"])
    interview("fatima")  # scheduled, not yet held
    interview("dina", status=Interview.Status.CANCELLED)
    assess(
        interview("omar", other_tranche), recruiter, "A", suitable=[welder], obstacles=["transport"]
    )
    interview("giulia", other_tranche, status=Interview.Status.NO_SHOW)

    now = timezone.now()
    shortlist = Shortlist.objects.create(need=assembly_need, created_by=staff, shared_at=now)
    welders = Shortlist.objects.create(need=welder_need, created_by=staff, shared_at=now)
    agreed = (Entry.Status.INTERVIEW_REQUESTED, Entry.Status.INTERVIEW_AGREED)
    shortlist_entry(
        shortlist, people["anna"], staff, Entry.Status.HIRED, through=(*agreed, "hired")
    )
    Candidate.objects.filter(pk=people["anna"].pk).update(status=Candidate.Status.PLACED)
    shortlist_entry(
        shortlist, people["bruna"], staff, Entry.Status.INTERVIEW_AGREED, through=agreed
    )
    shortlist_entry(shortlist, people["carla"], staff, Entry.Status.PROPOSED)
    shortlist_entry(
        welders, people["giulia"], staff, Entry.Status.WITHDRAWN, through=(*agreed, "withdrawn")
    )
    shortlist_entry(
        welders, people["omar"], staff, Entry.Status.INTERESTED, through=("interested",)
    )
    return Programme(
        campaign=campaign,
        other_campaign=other_campaign,
        tranche=tranche,
        other_tranche=other_tranche,
        assembly=assembly,
        welder=welder,
        assembly_need=assembly_need,
        candidates=people,
    )
