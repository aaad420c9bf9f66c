from django.db.models import Prefetch
from django.http import HttpRequest

from accounts.access import can, scope
from candidates.models import Candidate
from interviews.models import Obstacle
from training.models import SupportAction


def candidate_support_actions(
    *, request: HttpRequest, candidate: Candidate
) -> tuple[str, dict] | None:
    """The candidate's support actions, newest first, each with its status, who follows it
    and the obstacles it addresses (and whether they are resolved)."""
    actions = list(
        scope(request.user, SupportAction)
        .filter(candidate=candidate)
        .select_related("owner", "partner", "funding", "certification")
        .prefetch_related(Prefetch("obstacles", queryset=Obstacle.objects.order_by("kind")))
    )
    can_propose = can(request.user, "propose", SupportAction)
    if not actions and not can_propose:
        return None
    return "training/candidate_panel.html", {
        "actions": actions,
        "candidate": candidate,
        "can_propose": can_propose,
    }
