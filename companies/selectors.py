from django.db.models import Count, Q, QuerySet

from accounts.access import scope
from accounts.models import User
from companies.models import Company


def company_list(*, actor: User, q: str = "") -> QuerySet:
    """Companies `actor` may see, with their organisation and number of active HR users."""
    companies = (
        scope(actor, Company)
        .select_related("organisation")
        .annotate(
            hr_users=Count("organisation__members", filter=Q(organisation__members__is_active=True))
        )
    )
    if q:
        companies = companies.filter(
            Q(organisation__name__icontains=q) | Q(partita_iva__icontains=q)
        )
    # Meta.ordering does not apply to aggregated queries: order explicitly.
    return companies.order_by("organisation__name", "pk")
