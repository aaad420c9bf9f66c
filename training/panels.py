from django.db.models import Prefetch
from django.http import HttpRequest

from accounts.access import scope
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
    if not actions:
        return None
    return "training/candidate_panel.html", {"actions": actions}
