from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.access import can, scope
from accounts.models import User
from catalog.models import Comune, JobProfile
from companies import filters
from companies.models import Company, Need, SurveyCampaign
from focus.cache import kept
from focus.figures import KEPT, Figure, viewer_key
from focus.lists import search


def company_list(
    *,
    actor: User,
    q: str = "",
    sector=None,
    comune=None,
    size: str = "",
    surveyed: str = "",
    campaign: SurveyCampaign | None = None,
) -> QuerySet:
    """Companies `actor` may see, with their organisation, sector, comune and number of
    active HR users, filtered as on the companies page.

    `surveyed` keeps the companies with at least one need not cancelled, `campaign` those with
    one in that campaign: the companies the demand figures count.
    """
    # The HR users counted for each row shown (a subquery PostgreSQL evaluates after the
    # page's LIMIT), not by grouping every company in scope with its members: the list and
    # its count then read the companies alone.
    hr_users = (
        User.objects.filter(organisation=OuterRef("organisation"), is_active=True)
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    companies = (
        scope(actor, Company)
        .select_related("organisation", "ateco", "comune")
        .annotate(hr_users=Coalesce(Subquery(hr_users), 0))
    )
    companies = search(companies, q, ("organisation__name", "partita_iva"))
    if sector is not None:
        companies = companies.filter(ateco__code__startswith=sector.code)
    if comune is not None:
        companies = companies.filter(comune=comune)
    if size:
        companies = companies.filter(size=size)
    if surveyed or campaign is not None:
        needs = Need.objects.active()
        if campaign is not None:
            needs = needs.filter(campaign=campaign)
        companies = companies.filter(pk__in=needs.values("company"))
    return companies.order_by("organisation__name", "pk")


def company_comuni(companies: QuerySet) -> QuerySet:
    """The comuni where some of `companies` is: what the company list's filter offers."""
    return Comune.objects.filter(pk__in=companies.exclude(comune=None).values("comune"))


def campaign_list(*, actor: User, q: str = "", status: str = "") -> QuerySet:
    """Campaigns `actor` may see, each with the needs, companies and headcount in scope; with
    `q`, those whose name has its words; with `status`, those in that status (company HR's
    home counts the open ones: the campaigns they may answer)."""
    needs = scope(actor, Need).active()
    in_scope = Q(needs__in=needs)
    campaigns = search(scope(actor, SurveyCampaign), q, ("name",))
    if status:
        campaigns = campaigns.filter(status=status)
    return campaigns.annotate(
        need_count=Count("needs", filter=in_scope, distinct=True),
        company_count=Count("needs__company", filter=in_scope, distinct=True),
        headcount=Sum("needs__headcount", filter=in_scope),
    ).order_by("-opens_on", "name")


# The need list's status filter for "open or filled": the needs the demand overview counts.
ACTIVE_STATUS = "active"


def demand_figures(*, actor: User, campaign: SurveyCampaign | None = None) -> list[Figure]:
    """The demand in three figures (one query): companies with needs, needs and people
    needed, of the needs `actor` may see that are not cancelled, in `campaign` (None: in
    every campaign). The one count of these three meanings (`focus.figures.MEANINGS`): the
    dashboard, the programme office's home, the demand overview and a campaign's page show
    these very figures. Each links to the list that shows exactly what it counts, for those
    who may open it: the companies list, the needs list (which also sums their people). The
    numbers are kept in the shared cache until a need changes (focus.cache)."""

    def compute() -> dict:
        needs = scope(actor, Need).active()
        if campaign is not None:
            needs = needs.filter(campaign=campaign)
        return needs.aggregate(**_figures())

    totals = kept(KEPT, ("demand_totals", *viewer_key(actor), _pk(campaign)), compute)
    in_campaign = {"campaign": campaign.pk} if campaign is not None else {}
    companies_url = needs_url = ""
    if can(actor, "list", Company):
        query = in_campaign or {"surveyed": "1"}
        companies_url = f"{reverse('companies:list')}?{urlencode(query)}"
    if can(actor, "list", Need):
        needs_url = _need_list_url(**in_campaign)
    return [
        Figure.of("companies", totals["companies"], companies_url),
        Figure.of("needs", totals["needs"], needs_url),
        Figure.of("headcount", totals["headcount"] or 0, needs_url),
    ]


TOP_COMUNI = 20


def newest_open_campaign() -> SurveyCampaign | None:
    """The campaign a page means when none is asked for (the needs list, the gap): the
    newest open one. Campaigns are the programme's, seen by every role that sees needs."""
    campaigns = SurveyCampaign.objects.filter(status=SurveyCampaign.Status.OPEN)
    return campaigns.order_by("-opens_on", "-pk").first()


# What the needs list's search box (and the portal's) looks in.
NEED_SEARCHED = (
    "company__organisation__name",
    "profile__name_it",
    "profile__name_en",
    "workplace__name",
)


def need_list(
    *,
    actor: User,
    campaign: SurveyCampaign | None = None,
    profile: JobProfile | None = None,
    workplace: Comune | None = None,
    company: Company | None = None,
    status: str = "",
    contract: str = "",
    q: str = "",
    **extra,
) -> QuerySet:
    """Needs `actor` may see, with everything the needs page shows, filtered as on that page.

    `status=ACTIVE_STATUS` leaves out cancelled needs, as the demand overview does, so each
    figure of the overview links to a list of exactly that many needs. `extra` holds the
    values of the filters other apps declare (`companies.filters.extra_filters()`).
    """
    needs = scope(actor, Need).select_related(
        "company__organisation", "campaign", "profile", "workplace"
    )
    exact = {
        "campaign": campaign,
        "profile": profile,
        "workplace": workplace,
        "company": company,
        "contract": contract,
    }
    needs = needs.filter(**{field: value for field, value in exact.items() if value})
    needs = needs.filter(
        *(
            definition.condition(extra[definition.name])
            for definition in filters.extra_filters()
            if extra.get(definition.name) not in (None, "")
        )
    )
    if status == ACTIVE_STATUS:
        needs = needs.active()
    elif status:
        needs = needs.filter(status=status)
    needs = search(needs, q, NEED_SEARCHED)
    return needs.order_by("company__organisation__name", "profile__name_it", "pk")


@dataclass(frozen=True)
class DemandRow:
    """Companies, needs and people needed on one line of the demand overview. `url` opens
    the list of exactly the needs counted; it is empty when no filter can express the line."""

    label: str
    companies: int
    needs: int
    headcount: int
    url: str = ""


@dataclass(frozen=True)
class DemandSection:
    title: str
    heading: str
    rows: list[DemandRow]

    @property
    def max_headcount(self) -> int:
        """The longest bar of the section's chart: the others are drawn relative to it."""
        return max((row.headcount for row in self.rows), default=0)


@dataclass(frozen=True)
class DemandOverview:
    """`figures`: the demand's three figures (`demand_figures`); `total`, the same numbers as
    a row linked to the needs they count; `sections`, the same split by profile, workplace
    and campaign."""

    figures: list[Figure]
    total: DemandRow
    sections: list[DemandSection]


def _pk(record) -> int | None:
    return record.pk if record is not None else None


def _figures() -> dict:
    return {
        "companies": Count("company", distinct=True),
        "needs": Count("pk"),
        "headcount": Sum("headcount"),
    }


def _need_list_url(**filters) -> str:
    return f"{reverse('companies:need_list')}?{urlencode({'status': ACTIVE_STATUS, **filters})}"


def _groups(needs: QuerySet, field: str, order: tuple[str, ...], limit: int | None = None):
    """The figures per value of `field`, a foreign key of Need, computed by the database."""
    groups = needs.values(field).annotate(**_figures()).order_by(*order)
    return list(groups[:limit] if limit else groups)


def _rows(groups: list[dict], field: str, filters: dict) -> list[DemandRow]:
    """`groups` as rows labelled with their objects (one query), each with its list link."""
    model = Need._meta.get_field(field).related_model
    labels = model._default_manager.in_bulk([group[field] for group in groups])
    return [
        DemandRow(
            label=str(labels[group[field]]),
            companies=group["companies"],
            needs=group["needs"],
            headcount=group["headcount"],
            url=_need_list_url(**{**filters, field: group[field]}),
        )
        for group in groups
    ]


def _workplace_groups(needs: QuerySet) -> tuple[list[dict], dict]:
    """The TOP_COMUNI comuni with most people needed, and the figures of all the others.

    The others are counted by the database too, not summed from their comuni: a company
    with needs in two of them is one company.
    """
    top = _groups(needs, "workplace", ("-headcount", "workplace__name"), limit=TOP_COMUNI)
    rest = needs.exclude(workplace__in=[group["workplace"] for group in top]).aggregate(
        comuni=Count("workplace", distinct=True), **_figures()
    )
    return top, rest


def _by_workplace(top: list[dict], rest: dict, filters: dict) -> list[DemandRow]:
    """The rows of the top comuni, then one row for all the others."""
    rows = _rows(top, "workplace", filters)
    if rest["needs"]:
        label = ngettext("%(count)s other comune", "%(count)s other comuni", rest["comuni"])
        rows.append(
            DemandRow(
                label % {"count": intcomma(rest["comuni"])},
                rest["companies"],
                rest["needs"],
                rest["headcount"],
            )
        )
    return rows


def demand_overview(*, actor: User, campaign: SurveyCampaign | None = None) -> DemandOverview:
    """What companies ask for, by profile, by workplace and by campaign: companies, needs and
    people needed, cancelled needs left out. Eight queries, however many needs there are:
    the figures, the groups by profile, by workplace (the top comuni and the rest) and by
    campaign, kept in the shared cache until a need changes (focus.cache); then the
    profiles, comuni and campaigns named (three)."""
    filters = {"campaign": campaign.pk} if campaign is not None else {}

    def compute() -> dict:
        needs = scope(actor, Need).active()
        if campaign is not None:
            needs = needs.filter(campaign=campaign)
        return {
            "profile": _groups(needs, "profile", ("-headcount", "profile__name_it")),
            "workplace": _workplace_groups(needs),
            "campaign": _groups(needs, "campaign", ("-campaign__opens_on", "campaign__name")),
        }

    groups = kept(KEPT, ("demand_overview", *viewer_key(actor), _pk(campaign)), compute)
    figures = demand_figures(actor=actor, campaign=campaign)
    return DemandOverview(
        figures=figures,
        total=DemandRow(
            _("All needs"), *(figure.value for figure in figures), _need_list_url(**filters)
        ),
        sections=[
            DemandSection(
                _("By profile"),
                _("Profile"),
                _rows(groups["profile"], "profile", filters),
            ),
            DemandSection(
                _("By workplace"), _("Workplace"), _by_workplace(*groups["workplace"], filters)
            ),
            DemandSection(
                _("By campaign"), _("Campaign"), _rows(groups["campaign"], "campaign", filters)
            ),
        ],
    )
