from django.db.models import Q, QuerySet

from accounts.access import scope
from accounts.models import User
from candidates.models import Candidate


def candidate_list(*, actor: User, q: str = "", status: str = "") -> QuerySet:
    """Candidates `actor` may see, with centre and caseworker, filtered as on the list page."""
    candidates = scope(actor, Candidate).select_related("centre", "caseworker")
    if q:
        candidates = candidates.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q))
    if status:
        candidates = candidates.filter(status=status)
    return candidates
