"""Reads of the matching workflow shared by views.

The company's view of a shortlist is read here and built by `matching.disclosure` as plain
dataclasses rather than handed to templates as model instances: a card carries only what
company HR may read, so a template cannot reach a candidate's name, contacts or confidential
fields by accident.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, scope
from accounts.models import User
from candidates.models import CandidateCertification, CandidateSkill, Experience
from focus.lists import search
from interviews.clashes import Busy, window
from matching.disclosure import OUTCOMES, Card, Unavailable, company_card, comune_areas
from matching.models import TRANSITIONS, CompanyInterview, Entry, PipelineEvent, Shortlist

COMPANY_SIDES = {"company", "either"}


# The steps at which an entry waits for the company's answer: interested or not, an interview.
COMPANY_TO_ANSWER = (Entry.Status.PROPOSED, Entry.Status.INTERESTED)
# The shortlist list's `waiting` value for the shortlists with entries at those steps.
WAITING_FOR_COMPANY = "company"


def shortlist_list(*, actor: User, q: str = "", waiting: str = "") -> QuerySet:
    """The shortlists `actor` may see, newest first, each with its entries counted by
    status (`n_<status>`, and `n_shown` for all but the withdrawn) in the same query; with
    `q`, those whose company, profile or workplace has its words; with `waiting`
    WAITING_FOR_COMPANY, those shared with someone waiting for the company's answer
    (COMPANY_TO_ANSWER): what company HR's home has them review."""
    counts = {
        f"n_{status}": Count("entries", filter=Q(entries__status=status))
        for status in Entry.Status.values
    }
    shortlists = search(
        scope(actor, Shortlist),
        q,
        (
            "need__company__organisation__name",
            "need__profile__name_it",
            "need__profile__name_en",
            "need__workplace__name",
        ),
    )
    if waiting == WAITING_FOR_COMPANY:
        waits = Entry.objects.filter(status__in=COMPANY_TO_ANSWER).values("shortlist")
        shortlists = shortlists.filter(shared_at__isnull=False, pk__in=waits)
    return (
        shortlists.select_related("need__company__organisation", "need__profile", "need__workplace")
        .annotate(
            n_shown=Count("entries", filter=~Q(entries__status=Entry.Status.WITHDRAWN)), **counts
        )
        .order_by("-shared_at", "-created_at", "pk")
    )


@dataclass(frozen=True)
class Move:
    to: str
    label: str
    needs_reason: bool = False
    needs_contract: bool = False


def _move_labels() -> dict[str, str]:
    return {
        Entry.Status.INTERESTED: _("Interested"),
        Entry.Status.NOT_INTERESTED: _("Not interested"),
        Entry.Status.INTERVIEW_REQUESTED: _("Request an interview"),
        Entry.Status.HIRED: _("Hired"),
        Entry.Status.NOT_HIRED: _("Not hired"),
        Entry.Status.WITHDRAWN: _("The candidate withdrew"),
    }


def company_moves(status: str) -> list[Move]:
    """The moves TRANSITIONS lets the company make from `status`, in the table's order."""
    labels = _move_labels()
    return [
        Move(
            to=str(to),
            label=labels[to],
            needs_reason=to in {Entry.Status.NOT_INTERESTED, Entry.Status.NOT_HIRED},
            needs_contract=to == Entry.Status.HIRED,
        )
        for to, side in TRANSITIONS.get(status, {}).items()
        if side in COMPANY_SIDES
    ]


def with_outcome_at(entries: QuerySet) -> QuerySet:
    """`entries` with `outcome_at`, when their outcome (hired or not) was recorded, in the
    same query: the release of contacts ends a set time after it."""
    return entries.annotate(
        outcome_at=Subquery(
            PipelineEvent.objects.filter(entry=OuterRef("pk"), to_status__in=OUTCOMES)
            .order_by("-at")
            .values("at")[:1]
        )
    )


def shortlist_cards(
    *, shortlist: Shortlist, status: str = "", entry: int | None = None
) -> list[Card | Unavailable]:
    """The cards of a shortlist's entries as its company reads them
    (`disclosure.company_card`), best score first; with `status` only the entries at that
    step are kept, with `entry` only that one (the card an action answers with). The
    entries staff withdrew are left out; those of a candidate who withdrew
    their consent (or was erased) show as no longer available, and nothing more. Six queries
    whatever the number of entries: the entries with their candidates and comuni, then
    languages, experience, skills and valid certifications, and how many people live in
    those comuni."""
    today = timezone.localdate()
    entries = shortlist.entries.exclude(
        Q(status=Entry.Status.WITHDRAWN) & ~Q(reason=Entry.Reason.CONSENT)
    )
    if status:
        entries = entries.filter(status=status)
    if entry is not None:
        entries = entries.filter(pk=entry)
    entries = list(
        with_outcome_at(entries)
        .select_related("candidate__residence_comune")
        .prefetch_related(
            "candidate__languages",
            Prefetch(
                "candidate__experiences",
                queryset=Experience.objects.select_related("profile", "sector"),
            ),
            Prefetch(
                "candidate__skill_links", queryset=CandidateSkill.objects.select_related("skill")
            ),
            Prefetch(
                "candidate__certification_links",
                queryset=CandidateCertification.objects.select_related("certification").filter(
                    Q(expires_on__isnull=True) | Q(expires_on__gte=today)
                ),
            ),
        )
        .order_by("-score", "pk")
    )
    homes = comune_areas(entry.candidate.residence_comune for entry in entries)
    workplace = shortlist.need.workplace
    return [
        company_card(
            entry,
            workplace=workplace,
            today=today,
            homes=homes,
            moves=company_moves(entry.status),
        )
        for entry in entries
    ]


def company_view(actor: User) -> bool:
    """Whether `actor` reads shortlisted candidates as their company does (pseudonymised,
    `disclosure.entry_line`): everyone but those who manage shortlists."""
    return not can(actor, "change", Shortlist)


def entry_list(*, actor: User, status: str = "", q: str = "") -> QuerySet:
    """The shortlisted candidates `actor` may see across shortlists, the latest moved first,
    each with `moved_at` (when its latest step was recorded), `outcome_at`, its need and
    company, and its candidate (whom company HR read only through `disclosure.entry_line`);
    with `status`, those at that step; with `q`, those whose code has its words (and, for
    the matching officers, the candidate's name or the company). Company HR never list the
    withdrawn, whom their cards leave out too.

    The homes count these very lists: company HR's interviews agreed, the matching officers'
    interview requests to agree."""
    entries = scope(actor, Entry)
    fields = ["code"]
    if company_view(actor):
        entries = entries.exclude(status=Entry.Status.WITHDRAWN)
    else:
        fields += [
            "candidate__first_name",
            "candidate__last_name",
            "shortlist__need__company__organisation__name",
        ]
    if status:
        entries = entries.filter(status=status)
    latest = PipelineEvent.objects.filter(entry=OuterRef("pk")).order_by("-at", "-pk")
    return (
        with_outcome_at(search(entries, q, fields))
        .select_related(
            "candidate",
            "shortlist__need__company__organisation",
            "shortlist__need__profile",
            "shortlist__need__workplace",
        )
        .annotate(moved_at=Subquery(latest.values("at")[:1]))
        .order_by(F("moved_at").desc(nulls_last=True), "-pk")
    )


def company_interviews_busy(*, starts_at, ends_at, candidate_ids) -> list:
    """The company interviews, not cancelled, of `candidate_ids` that may overlap
    [starts_at, ends_at): the time they hold (the `appointments_busy` hook of
    interviews.clashes)."""
    limits = window(starts_at, ends_at)
    rows = (
        CompanyInterview.objects.exclude(status=CompanyInterview.Status.CANCELLED)
        .filter(
            entry__candidate_id__in=list(candidate_ids),
            starts_at__gt=limits["gt"],
            starts_at__lt=limits["lt"],
        )
        .values_list("pk", "entry__candidate_id", "starts_at", "duration")
    )
    return [
        Busy(
            kind="company",
            pk=pk,
            candidate_id=candidate_id,
            starts_at=at,
            ends_at=at + datetime.timedelta(minutes=minutes),
        )
        for pk, candidate_id, at, minutes in rows
    ]
