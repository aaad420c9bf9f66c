from django.db.models import Prefetch
from django.http import HttpRequest

from accounts.access import can, scope
from candidates.models import Candidate
from interviews.models import Obstacle
from training.models import Course, Enrolment, FollowUp, SupportAction


def candidate_support_actions(
    *, request: HttpRequest, candidate: Candidate
) -> tuple[str, dict] | None:
    """The candidate's support actions, newest first, each with its status, who follows it
    and the obstacles it addresses (and whether they are resolved); their courses, and a
    course still enrolling to propose them for."""
    actions = list(
        scope(request.user, SupportAction)
        .filter(candidate=candidate)
        .select_related("owner", "partner", "funding", "certification")
        .prefetch_related(Prefetch("obstacles", queryset=Obstacle.objects.order_by("kind")))
    )
    can_propose = can(request.user, "propose", SupportAction)
    enrolments = list(
        scope(request.user, Enrolment).filter(candidate=candidate).select_related("course")
    )
    courses = []
    if can(request.user, "propose", Course):
        courses = list(
            scope(request.user, Course)
            .filter(status__in=Course.ENROLLING)
            .exclude(pk__in=[enrolment.course_id for enrolment in enrolments])
            .order_by("title")
        )
    if not actions and not can_propose and not enrolments:
        return None
    return "training/candidate_panel.html", {
        "actions": actions,
        "candidate": candidate,
        "can_propose": can_propose,
        "enrolments": enrolments,
        "courses": courses,
    }


def candidate_follow_ups(*, request: HttpRequest, candidate: Candidate) -> tuple[str, dict] | None:
    """The follow-up checks of the candidate's placements (one query), for those who make
    them; nothing when the candidate was never hired or the user may not see them.

    A hire places the candidate, and the page has read their status history already: one
    never placed has no checks, and costs no query here.
    """
    history = candidate.status_changes.all()
    if not any(change.to_status == Candidate.Status.PLACED for change in history):
        return None
    checks = list(
        scope(request.user, FollowUp)
        .filter(entry__candidate=candidate)
        .select_related("entry__shortlist__need__company__organisation")
        .order_by("-entry__start_date", "entry", "months")
    )
    if not checks:
        return None
    placements = {}
    for check in checks:
        placements.setdefault(check.entry, []).append(check)
    return "training/candidate_follow_ups.html", {
        "placements": list(placements.items()),
        "can_record": can(request.user, "record", FollowUp),
    }
