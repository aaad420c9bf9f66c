"""Figures for each role's home page. Every figure starts from the user's scope and carries
the link to the list it counts, so a number can always be checked."""

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.access import scope
from accounts.models import Organisation, User
from candidates.models import Candidate
from companies.models import Company
from focus.figures import Figure
from focus.lists import search
from reports.models import ExportRecord
from training.selectors import FollowUpShow, follow_up_counts, support_action_counts


def export_list(*, actor: User, q: str = "") -> QuerySet:
    """The workbooks `actor` may see exported, the latest first, with who and which campaign;
    with `q`, those whose exporter or reason has its words."""
    records = scope(actor, ExportRecord).select_related("user", "campaign")
    records = search(
        records, q, ("user__username", "user__first_name", "user__last_name", "reason")
    )
    return records.order_by("-created_at", "-pk")


def list_url(name: str, query: dict | list | None = None) -> str:
    """The list page `name`, filtered by `query` (a dict, or pairs to repeat a parameter)."""
    return f"{reverse(name)}?{urlencode(query, doseq=True)}" if query else reverse(name)


def _candidate_figures(user: User) -> list[Figure]:
    counts = scope(user, Candidate).aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Candidate.Status.values},
    )
    figures = [Figure(_("Candidates"), counts["total"], list_url("candidates:list"))]
    figures += [
        Figure(label, counts[status], list_url("candidates:list", {"status": status}))
        for status, label in Candidate.Status.choices
        if counts[status]
    ]
    return figures


def _support_figures(user: User) -> list[Figure]:
    """For those who run support actions: what is open, and what is due this week."""
    counts = support_action_counts(actor=user)
    return [
        Figure(_("Open support actions"), counts["open"], list_url("training:action_list")),
        Figure(
            _("Support actions due this week"),
            counts["due"],
            list_url("training:action_list", {"show": "due"}),
        ),
    ]


def _follow_up_figures(user: User) -> list[Figure]:
    """For those who make the follow-up checks after a placement: those due this week, and
    those overdue (one query)."""
    counts = follow_up_counts(actor=user)
    return [
        Figure(
            _("Follow-up checks due this week"),
            counts["week"],
            list_url("training:follow_up_list", {"show": FollowUpShow.WEEK}),
        ),
        Figure(
            _("Overdue follow-up checks"),
            counts["overdue"],
            list_url("training:follow_up_list", {"show": FollowUpShow.OVERDUE}),
        ),
    ]


def _admin_figures(user: User) -> list[Figure]:
    users = (
        scope(user, User)
        .filter(is_active=True)
        .aggregate(
            total=Count("pk"),
            **{role: Count("pk", filter=Q(role=role)) for role in User.Role.values},
        )
    )
    figures = [
        Figure(_("Active users"), users["total"], list_url("accounts:user_list", {"active": "1"}))
    ]
    figures += [
        Figure(label, users[role], list_url("accounts:user_list", {"role": role, "active": "1"}))
        for role, label in User.Role.choices
    ]
    figures.append(
        Figure(
            _("Organisations"),
            scope(user, Organisation).count(),
            list_url("accounts:organisation_list"),
        )
    )
    return figures


def home_figures(user: User) -> list[Figure]:
    """The figures on `user`'s home page, by role."""
    if user.role == User.Role.ADMIN:
        return [
            *_admin_figures(user),
            Figure(_("Companies"), scope(user, Company).count(), list_url("companies:list")),
            *_candidate_figures(user),
        ]
    if user.role == User.Role.STAFF:
        return [
            Figure(_("Companies"), scope(user, Company).count(), list_url("companies:list")),
            *_candidate_figures(user),
            *_support_figures(user),
            *_follow_up_figures(user),
        ]
    if user.role == User.Role.CASEWORKER:
        return [*_support_figures(user), *_follow_up_figures(user), *_candidate_figures(user)]
    if user.role == User.Role.COMPANY_HR:
        colleagues = User.objects.filter(organisation_id=user.organisation_id, is_active=True)
        return [
            Figure(_("HR users of your company"), colleagues.count(), list_url("companies:mine"))
        ]
    if user.role == User.Role.RECRUITER:
        colleagues = User.objects.filter(
            organisation_id=user.organisation_id, role=User.Role.RECRUITER, is_active=True
        )
        return [Figure(_("Recruiters of your agency"), colleagues.count())]
    return []
