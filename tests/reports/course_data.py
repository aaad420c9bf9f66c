"""Training courses, their enrolments and kept gap analyses on top of
`programme_data.build_programme`, with the figures counted by hand.

Anna completed the forklift course ten days before her hire; Omar (of the other centre)
completed it too; Bruna did not reach the attendance; Carla dropped out (she could not get
there). Giulia is enrolled on the Italian course and Dina proposed for it; Fatima dropped it
for care duties. Dina's other course was cancelled, which ended her enrolment as not
completed. A welding course is still planned, with nobody on it.

The gap analyses of the 2026 campaign: in an earlier one Bruna and Carla were near-ready for
assembly, Carla and Omar for welding; in the newest all four pairs are ready (as is Anna,
never near-ready before), Giulia is still near-ready, and Dina, ready before, is near-ready
now. The analyses of all campaigns saw Anna move for assembly; those of the 2025 campaign,
Fatima.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from catalog.models import Certification
from training.models import Course, Enrolment, FundingChannel, GapAnalysis, GapCandidate
from training.services import course_save

# Course status: (courses, seats, seats filled).
EXPECTED_COURSES = {
    "planned": (1, 6, 0),
    "open": (0, 0, 0),
    "running": (1, 10, 2),
    "completed": (1, 4, 2),
    "cancelled": (1, 5, 0),
}
# Enrolments finished: completed, not completed, dropped out; and the reasons.
EXPECTED_OUTCOMES = {"completed": 2, "not_completed": 2, "dropped": 2}
EXPECTED_CENTRE_OUTCOMES = {"completed": 1, "not_completed": 2, "dropped": 2}
EXPECTED_REASONS = {"transport": 1, "care": 1}
# Funding channel code (None: not decided): (seats filled, their cost).
EXPECTED_COURSE_COSTS = {"fse-plus": (2, Decimal("1000")), "charity": (2, Decimal("240"))}
# Those who moved from near-ready to ready in the 2026 campaign, per profile code.
EXPECTED_MOVED = {
    "addetto-assemblaggio": {"bruna", "carla"},
    "addetto-saldatura": {"carla", "omar"},
}


def _course(staff, title, status, seats, *, profiles, cost=None, funding=None, **fields):
    course = course_save(
        course=Course(
            title=title,
            seats=seats,
            cost_per_seat=cost,
            funding=FundingChannel.objects.get(code=funding) if funding else None,
            **fields,
        ),
        actor=staff,
        profiles=profiles,
    )
    Course.objects.filter(pk=course.pk).update(
        status=status, completed_on=timezone.localdate() if status == "completed" else None
    )
    course.refresh_from_db()
    return course


def _enrol(course, candidate, staff, status, *, reason="", attended=None, finished=None):
    return Enrolment.objects.create(
        course=course,
        candidate=candidate,
        status=status,
        drop_reason=reason,
        attended_percent=attended,
        finished_on=finished,
        proposed_by=staff,
    )


def add_courses(programme, *, staff, company) -> dict[str, Course]:
    people, today = programme.candidates, timezone.localdate()
    ten_days_ago = today - datetime.timedelta(days=10)
    forklift = _course(
        staff,
        "Carrellisti",
        "completed",
        4,
        profiles=[programme.assembly],
        cost=Decimal("500"),
        funding="fse-plus",
        host=company,
    )
    forklift.certifications.set([Certification.objects.get(code="abilitazione-carrelli-elevatori")])
    _enrol(forklift, people["anna"], staff, "completed", attended=90, finished=ten_days_ago)
    _enrol(forklift, people["omar"], staff, "completed", attended=80, finished=ten_days_ago)
    _enrol(forklift, people["bruna"], staff, "not_completed", attended=40, finished=ten_days_ago)
    _enrol(forklift, people["carla"], staff, "dropped", reason="transport", finished=ten_days_ago)
    italian = _course(
        staff,
        "Italiano A2",
        "running",
        10,
        profiles=[programme.assembly, programme.welder],
        cost=Decimal("120"),
        funding="charity",
        italian_level="A2",
    )
    _enrol(italian, people["giulia"], staff, "enrolled")
    _enrol(italian, people["dina"], staff, "proposed")
    _enrol(italian, people["fatima"], staff, "dropped", reason="care", finished=today)
    _course(staff, "Saldatura di base", "planned", 6, profiles=[programme.welder])
    cancelled = _course(
        staff, "Sicurezza", "cancelled", 5, profiles=[programme.welder], cost=Decimal("50")
    )
    _enrol(cancelled, people["dina"], staff, "not_completed", finished=today)
    return {"forklift": forklift, "italian": italian, "cancelled": cancelled}


def _analysis(campaign, days_ago: int, lines, status="done") -> GapAnalysis:
    computed = timezone.now() - datetime.timedelta(days=days_ago)
    analysis = GapAnalysis.objects.create(
        campaign=campaign, status=status, computed_at=None if status == "pending" else computed
    )
    GapCandidate.objects.bulk_create(
        GapCandidate(
            analysis=analysis, profile=profile, candidate=candidate, closer=closer, needs=1
        )
        for candidate, profile, closer in lines
    )
    return analysis


def add_analyses(programme) -> None:
    people, assembly, welder = programme.candidates, programme.assembly, programme.welder
    _analysis(
        programme.campaign,
        20,
        [
            (people["bruna"], assembly, "certification"),
            (people["carla"], assembly, "skill"),
            (people["carla"], welder, "transport"),
            (people["dina"], assembly, "ready"),
        ],
    )
    _analysis(programme.campaign, 15, [(people["omar"], welder, "italian")])
    _analysis(
        programme.campaign,
        1,
        [
            (people["anna"], assembly, "ready"),
            (people["bruna"], assembly, "ready"),
            (people["carla"], assembly, "ready"),
            (people["carla"], welder, "ready"),
            (people["omar"], welder, "ready"),
            (people["giulia"], assembly, "skill"),
            (people["dina"], assembly, "certification"),
        ],
    )
    _analysis(programme.campaign, 0, [(people["giulia"], assembly, "ready")], status="failed")
    _analysis(programme.campaign, 0, [], status="pending")
    _analysis(None, 30, [(people["anna"], assembly, "transport")])
    _analysis(None, 2, [(people["anna"], assembly, "ready")])
    _analysis(programme.other_campaign, 30, [(people["fatima"], welder, "skill")])
    _analysis(programme.other_campaign, 2, [(people["fatima"], welder, "ready")])
