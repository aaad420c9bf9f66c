"""Writes of the matching workflow: weights versions, shortlists and their pipeline."""

import datetime
import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.access import can
from accounts.models import User
from candidates.models import Candidate, Consent
from candidates.services import candidate_set_status
from companies.models import Need
from interviews.clashes import Slot, appointment_lock, appointment_move, clash_check
from matching import notices
from matching.disclosure import profile_disclosed
from matching.models import (
    CompanyInterview,
    Entry,
    MatchingWeights,
    PipelineEvent,
    Shortlist,
    entry_side,
    entry_steps,
)
from matching.ranking import rank

logger = logging.getLogger(__name__)


@transaction.atomic
def weights_update(*, actor: User, **values) -> MatchingWeights:
    """A new version of the weights; the old ones stay, as shortlists refer to them."""
    latest = MatchingWeights.objects.aggregate(v=Max("version"))["v"] or 0
    weights = MatchingWeights(version=latest + 1, created_by=actor, **values)
    weights.full_clean()
    weights.save()
    return weights


def _event(entry: Entry, to: str, actor: User, note: str = "") -> None:
    PipelineEvent.objects.create(
        entry=entry, from_status=entry.status, to_status=to, by=actor, note=note
    )
    entry.status = to


@transaction.atomic
def shortlist_add(*, need: Need, candidate: Candidate, actor: User, note: str = "") -> Entry:
    """Put a ranked candidate on the need's shortlist, with the score and breakdown they have
    now. A knocked-out candidate is refused with the reason."""
    shortlist, _created = Shortlist.objects.get_or_create(
        need=need,
        defaults={
            "created_by": actor,
            "weights": MatchingWeights.objects.filter(pk__isnull=False).first(),
        },
    )
    if shortlist.entries.filter(candidate=candidate).exists():
        raise ValidationError(_("%(name)s is already on this shortlist.") % {"name": candidate})
    ranking = rank(need, candidate=candidate)
    if not ranking.rows:
        raise ValidationError(
            _("%(name)s cannot be shortlisted: %(why)s.")
            % {"name": candidate, "why": "; ".join(ranking.why_not)}
        )
    row = ranking.rows[0]
    entry = Entry(
        shortlist=shortlist,
        candidate=candidate,
        score=row.score,
        breakdown=row.components,
        note=note,
        added_by=actor,
    )
    entry.save()
    PipelineEvent.objects.create(entry=entry, to_status=Entry.Status.PROPOSED, by=actor, note=note)
    return entry


@transaction.atomic
def shortlist_share(*, shortlist: Shortlist, actor: User, portal_url: str) -> Shortlist:
    """Share the shortlist with the company. Only candidates still consenting to matching and
    to a pseudonymised profile are shared; the others are withdrawn from it, with the reason.
    A shortlist left with nobody to show is not shared, and tells nobody (`shared_at` stays
    empty: the caller says so)."""
    for entry in shortlist.entries.select_related("candidate").filter(status=Entry.Status.PROPOSED):
        candidate = entry.candidate
        if not (candidate.consent_matching and candidate.consent_share_profile):
            _event(entry, Entry.Status.WITHDRAWN, actor, _("no consent to share a profile"))
            entry.save(update_fields=["status", "updated_at"])
        elif candidate.status in {Candidate.Status.REGISTERED, Candidate.Status.INTERVIEWED}:
            candidate_set_status(
                candidate=candidate,
                status=Candidate.Status.SHORTLISTED,
                actor=actor,
                reason=_("Shortlisted for %(need)s") % {"need": shortlist.need},
            )
    if not shortlist.entries.exclude(status=Entry.Status.WITHDRAWN).exists():
        return shortlist
    shortlist.shared_at, shortlist.shared_by = timezone.now(), actor
    shortlist.save(update_fields=["shared_at", "shared_by"])
    # The company's HR once, and the caseworkers of each candidate shared once for them.
    notices.shortlist_shared(shortlist=shortlist, actor=actor, portal_url=portal_url)
    return shortlist


@transaction.atomic
def entry_move(
    *,
    entry: Entry,
    to: str,
    actor: User,
    note: str = "",
    reason: str = "",
    contract: str = "",
    start_date=None,
    portal_url: str = "",
) -> Entry:
    """Move a shortlisted candidate along the pipeline, recording who, when, from and to.

    A hire places the candidate and counts towards the need's headcount (the need becomes
    filled when it is reached). The people the step concerns are notified once it commits
    (`matching.notices.entry_moved`). Which steps `actor` may record is the policy's
    (`matching.models.entry_steps`): PermissionDenied when they may record none on this
    entry.
    """
    side = entry_side(actor, entry)
    if side is None:
        raise PermissionDenied
    # The step is checked against the entry as it is now, locked until the move is recorded:
    # a double submit, or a page left open while someone else moved the entry, finds the
    # step already taken instead of taking it twice or from a stale state.
    entry.status = (
        Entry.objects.select_for_update().values_list("status", flat=True).get(pk=entry.pk)
    )
    if side == "company" and not profile_disclosed(entry.candidate):
        raise ValidationError(_("Application no longer available."))
    if to not in entry_steps(actor, entry):
        raise ValidationError(_("This step is not possible now."))
    if to in {Entry.Status.NOT_INTERESTED, Entry.Status.NOT_HIRED} and not reason:
        raise ValidationError(_("Choose a reason."))
    if to == Entry.Status.HIRED and not (contract and start_date):
        raise ValidationError(_("Give the contract and the start date."))
    _event(entry, to, actor, note)
    entry.reason, entry.contract, entry.start_date = reason, contract, start_date
    entry.save(update_fields=["status", "reason", "contract", "start_date", "updated_at"])
    if to == Entry.Status.HIRED:
        _hire(entry, actor)
    # Who hears of the step (the matching officers, the caseworkers, the company), once.
    notices.entry_moved(entry=entry, actor=actor, portal_url=portal_url)
    return entry


# The open steps of the pipeline: an entry there is withdrawn with the consent it needed.
OPEN_STATUSES = (
    Entry.Status.PROPOSED,
    Entry.Status.INTERESTED,
    Entry.Status.INTERVIEW_REQUESTED,
    Entry.Status.INTERVIEW_AGREED,
)
PROFILE_CONSENTS = frozenset({Consent.PROGRAMME, Consent.MATCHING, Consent.SHARE_PROFILE})


def consent_withdrawn(*, candidate: Candidate, purpose: str, actor: User) -> int:
    """The candidate withdrew `purpose` (hook of candidates.services.consent_set, in its
    transaction): without the consent to the programme, to matching or to share a profile,
    every open entry of theirs is withdrawn from its shortlist, with the reason, and the
    companies' pages show the application as no longer available (closed entries too: the
    pages ask `disclosure.profile_disclosed`). The contacts already released go with the
    consent to share them, which those pages also read. Returns how many entries moved."""
    if purpose not in PROFILE_CONSENTS:
        return 0
    entries = list(
        Entry.objects.select_for_update().filter(candidate=candidate, status__in=OPEN_STATUSES)
    )
    for entry in entries:
        _event(entry, Entry.Status.WITHDRAWN, actor, _("consent withdrawn"))
        entry.reason = Entry.Reason.CONSENT
        entry.save(update_fields=["status", "reason", "updated_at"])
    if entries:
        logger.info(
            "Candidate %s withdrew a consent: %d shortlist entries withdrawn",
            candidate.pk,
            len(entries),
        )
    return len(entries)


def _hire(entry: Entry, actor: User) -> None:
    candidate_set_status(
        candidate=entry.candidate,
        status=Candidate.Status.PLACED,
        actor=actor,
        reason=_("Hired by %(company)s") % {"company": entry.shortlist.need.company},
    )
    need = entry.shortlist.need
    if _in_post(need) >= need.headcount and need.status == Need.Status.OPEN:
        need.status = Need.Status.FILLED
        need.save(update_fields=["status", "updated_at"])
    for follower in _placement_followers():
        follower(entry=entry, actor=actor)


def _in_post(need: Need) -> int:
    """The need's hires whose job has not ended."""
    return Entry.objects.filter(
        shortlist__need=need, status=Entry.Status.HIRED, ended_on__isnull=True
    ).count()


def _placement_followers():
    """What apps to the right of this one do, in the same transaction, once a hire is
    recorded: each names a function on its AppConfig, `placement_recorded = "app.module.fn"`,
    called with the entry and the actor (training schedules the follow-up checks)."""
    for config in apps.get_app_configs():
        path = getattr(config, "placement_recorded", None)
        if path:
            yield import_string(path)


@transaction.atomic
def placement_end(*, entry: Entry, on: datetime.date, actor: User, reason: str = "") -> Entry:
    """Record that the job of a hire ended on `on` (a follow-up check found it out).

    The hire stays in the pipeline's history, but no longer counts as in post: a need it
    had filled opens again when its hires still in post fall below its headcount, and the
    candidate, unless placed by another hire still in post, looks for work again. They go back
    to "interviewed" when an assessment gave them a class, else to "registered": the statuses
    the ranking takes. A candidate whose status someone changed since the hire (suspended,
    withdrawn) keeps it.
    """
    stored = (
        Entry.objects.select_for_update()
        .select_related("candidate", "shortlist__need__company__organisation")
        .get(pk=entry.pk)
    )
    if stored.status != Entry.Status.HIRED:
        raise ValidationError(_("Only a hire has a job that can end."), code="not_hired")
    if stored.ended_on is not None:
        raise ValidationError(
            _("This job was already recorded as ended on %(date)s.")
            % {"date": date_format(stored.ended_on, "SHORT_DATE_FORMAT")},
            code="already_ended",
        )
    if on > timezone.localdate():
        raise ValidationError(_("A job cannot end in the future."), code="future")
    if stored.start_date and on < stored.start_date:
        raise ValidationError(_("A job cannot end before it starts."), code="before_start")
    stored.ended_on = on
    stored.save(update_fields=["ended_on", "updated_at"])
    need = stored.shortlist.need
    candidate = stored.candidate
    placed_elsewhere = Entry.objects.filter(
        candidate=candidate, status=Entry.Status.HIRED, ended_on__isnull=True
    ).exists()
    if candidate.status == Candidate.Status.PLACED and not placed_elsewhere:
        candidate_set_status(
            candidate=candidate,
            status=(
                Candidate.Status.INTERVIEWED
                if candidate.employability
                else Candidate.Status.REGISTERED
            ),
            actor=actor,
            reason=reason
            or _("The job at %(company)s ended on %(date)s")
            % {"company": need.company, "date": date_format(on, "SHORT_DATE_FORMAT")},
        )
    if need.status == Need.Status.FILLED and _in_post(need) < need.headcount:
        need.status = Need.Status.OPEN
        need.save(update_fields=["status", "updated_at"])
    return stored


# The entry's statuses at which a company interview is arranged.
INTERVIEW_STATUSES = (Entry.Status.INTERVIEW_REQUESTED, Entry.Status.INTERVIEW_AGREED)


def _attendees_check(entry: Entry, attendees) -> list[User]:
    company_org = entry.shortlist.need.company.organisation_id
    attendees = list(attendees)
    if any(u.role != User.Role.COMPANY_HR or u.organisation_id != company_org for u in attendees):
        raise ValidationError(_("Only the company's own HR users attend for the company."))
    return attendees


@transaction.atomic
def company_interview_schedule(
    *,
    entry: Entry,
    starts_at: datetime.datetime,
    duration: int,
    mode: str,
    place: str = "",
    attendees=(),
    other_attendees: str = "",
    actor: User,
    portal_url: str = "",
) -> CompanyInterview:
    """Arrange the company's interview of a shortlisted candidate whose interview was asked
    for or agreed; one asked for becomes agreed. Refused, writing nothing, when it clashes
    with another appointment of the candidate (interviews.clashes). The company's HR and
    the matching officers are told of the day and time."""
    if not can(actor, "schedule", CompanyInterview):
        raise PermissionDenied
    if entry.status not in INTERVIEW_STATUSES:
        raise ValidationError(_("An interview is arranged once the company asks for it."))
    attendees = _attendees_check(entry, attendees)
    appointment_lock(candidates=[entry.candidate])
    clash_check([Slot(entry.candidate, starts_at, duration)])
    if entry.status == Entry.Status.INTERVIEW_REQUESTED:
        entry_move(
            entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=actor, portal_url=portal_url
        )
    interview = CompanyInterview(
        entry=entry,
        starts_at=starts_at,
        duration=duration,
        mode=mode,
        place=place,
        other_attendees=other_attendees,
        organised_by=actor,
    )
    interview.full_clean()
    interview.save()
    interview.attendees.set(attendees)
    notices.company_interview_set(interview=interview, actor=actor, portal_url=portal_url)
    return interview


@transaction.atomic
def company_interview_reschedule(
    *,
    interview: CompanyInterview,
    starts_at: datetime.datetime,
    duration: int,
    actor: User,
    reason: str = "",
    mode: str | None = None,
    place: str | None = None,
    portal_url: str = "",
) -> CompanyInterview:
    """Move a scheduled company interview, recording who moved it, from when to when and
    why; refused when the new time clashes. The company's HR and the matching officers are
    told of the new time; the invitation's sequence goes up."""
    if not can(actor, "change", interview):
        raise PermissionDenied
    if interview.status != CompanyInterview.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled interview can be moved."))
    appointment_lock(candidates=[interview.entry.candidate])
    clash_check(
        [Slot(interview.entry.candidate, starts_at, duration)], ignore=("company", interview.pk)
    )
    moved = appointment_move(
        interview,
        time_field="starts_at",
        starts_at=starts_at,
        duration=duration,
        actor=actor,
        reason=reason,
        mode=mode,
        place=place,
    )
    interview.full_clean()
    interview.save(
        update_fields=["starts_at", "duration", "mode", "place", "sequence", "updated_at"]
    )
    if moved:
        notices.company_interview_set(interview=interview, actor=actor, portal_url=portal_url)
    return interview


@transaction.atomic
def company_interview_set_status(
    *, interview: CompanyInterview, status: str, actor: User
) -> CompanyInterview:
    """Done, no-show, cancelled, or back to scheduled (which takes its time again: refused
    if it is taken meanwhile)."""
    if not can(actor, "change", interview):
        raise PermissionDenied
    if status not in CompanyInterview.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == CompanyInterview.Status.SCHEDULED and interview.status != status:
        appointment_lock(candidates=[interview.entry.candidate])
        clash_check(
            [Slot(interview.entry.candidate, interview.starts_at, interview.duration)],
            ignore=("company", interview.pk),
        )
    interview.status = status
    interview.save(update_fields=["status", "updated_at"])
    return interview
