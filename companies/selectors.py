from django.db.models import Count, Q, QuerySet, Sum

from accounts.access import scope
from accounts.models import User
from companies.models import Company, Need, SurveyCampaign


def company_list(*, actor: User, q: str = "", sector=None, comune=None, size: str = "") -> QuerySet:
    """Companies `actor` may see, with their organisation, sector, comune and number of
    active HR users, filtered as on the companies page."""
    companies = (
        scope(actor, Company)
        .select_related("organisation", "ateco", "comune")
        .annotate(
            hr_users=Count("organisation__members", filter=Q(organisation__members__is_active=True))
        )
    )
    if q:
        companies = companies.filter(
            Q(organisation__name__icontains=q) | Q(partita_iva__icontains=q)
        )
    if sector is not None:
        companies = companies.filter(ateco__code__startswith=sector.code)
    if comune is not None:
        companies = companies.filter(comune=comune)
    if size:
        companies = companies.filter(size=size)
    # Meta.ordering does not apply to aggregated queries: order explicitly.
    return companies.order_by("organisation__name", "pk")


def campaign_list(*, actor: User) -> QuerySet:
    """Campaigns `actor` may see, each with the needs, companies and headcount in scope."""
    needs = scope(actor, Need).exclude(status=Need.Status.CANCELLED)
    in_scope = Q(needs__in=needs)
    return (
        scope(actor, SurveyCampaign)
        .annotate(
            need_count=Count("needs", filter=in_scope, distinct=True),
            company_count=Count("needs__company", filter=in_scope, distinct=True),
            headcount=Sum("needs__headcount", filter=in_scope),
        )
        .order_by("-opens_on", "name")
    )


def campaign_summary(*, needs: QuerySet) -> dict:
    """Companies, needs and people needed among `needs`, cancelled ones left out."""
    return needs.exclude(status=Need.Status.CANCELLED).aggregate(
        companies=Count("company", distinct=True), needs=Count("pk"), headcount=Sum("headcount")
    )
