from django.db.models import Prefetch
from django.http import HttpRequest

from accounts.access import can, scope
from candidates.models import Candidate
from interviews.models import Assessment, Interview


def candidate_interviews(*, request: HttpRequest, candidate: Candidate) -> tuple[str, dict] | None:
    """The candidate's interviews and their outcome. The recruiter's confidential notes only
    for those who may assess (recruiter of the interview, staff), never the caseworker."""
    interviews = list(
        scope(request.user, Interview)
        .filter(candidate=candidate)
        .select_related("recruiter", "tranche")
        .prefetch_related(
            Prefetch(
                "assessment",
                queryset=Assessment.objects.prefetch_related(
                    "obstacles",
                    "suitable_profiles__profile",
                    "actions__profile",
                    "actions__certification",
                ),
            )
        )
        .order_by("-scheduled_at")
    )
    if not interviews:
        return None
    rows = [(interview, can(request.user, "assess", interview)) for interview in interviews]
    return "interviews/candidate_panel.html", {"interview_rows": rows}
