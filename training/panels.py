from django.db.models import Prefetch
from django.http import HttpRequest

from accounts.access import can, scope
from candidates.models import Candidate
from interviews.models import Obstacle
from training.models import Course, Enrolment, SupportAction


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
