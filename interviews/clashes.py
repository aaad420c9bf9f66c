"""Whether an appointment fits: no recruiter and no candidate is in two places at once.

An appointment runs from its start for its duration; two overlap when each starts before the
other ends (back to back is fine). A recruiter's appointments are their programme interviews;
a candidate's are their programme interviews and whatever the apps to the right book for them
(company interviews: the `appointments_busy` hook). Cancelled ones hold no time.

`clash_check` is called inside the writing transaction after `appointment_lock`: the
candidate's and the recruiter's rows are locked first, so of two bookings made at the same
moment the second waits for the first and then sees it.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.hooks import hooked
from accounts.models import User
from candidates.models import Candidate
from interviews.models import MAX_MINUTES, Interview


@dataclass(frozen=True)
class Busy:
    """A time an appointment holds: what it is (`kind`, `pk`), whose, and when."""

    kind: str  # "interview" (a programme interview) or another app's kind
    pk: int
    candidate_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    recruiter_id: int | None = None

    def overlaps(self, starts_at: datetime.datetime, ends_at: datetime.datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at


def window(starts_at: datetime.datetime, ends_at: datetime.datetime) -> dict:
    """The lookups of the appointments that may overlap [starts_at, ends_at): those starting
    before it ends and at most the longest duration before it starts (the exact overlap is
    `Busy.overlaps`)."""
    return {
        "gt": starts_at - datetime.timedelta(minutes=MAX_MINUTES),
        "lt": ends_at,
    }


def appointment_lock(*, candidates: Iterable[Candidate], recruiter: User | None = None) -> None:
    """Lock the candidates' rows, then the recruiter's (always in this order, the candidates
    by number, so two bookings never wait for each other), until the transaction ends."""
    pks = sorted({candidate.pk for candidate in candidates})
    list(Candidate.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))
    if recruiter is not None:
        list(User.objects.select_for_update().filter(pk=recruiter.pk).values("pk"))


def interviews_busy(
    *, starts_at: datetime.datetime, ends_at: datetime.datetime, candidate_ids=(), recruiter=None
) -> list[Busy]:
    limits = window(starts_at, ends_at)
    query = Interview.objects.exclude(status=Interview.Status.CANCELLED).filter(
        scheduled_at__gt=limits["gt"], scheduled_at__lt=limits["lt"]
    )
    who = Q(candidate_id__in=list(candidate_ids))
    if recruiter is not None:
        who |= Q(recruiter_id=recruiter.pk)
    rows = query.filter(who).values_list(
        "pk", "candidate_id", "recruiter_id", "scheduled_at", "duration"
    )
    return [
        Busy(
            kind="interview",
            pk=pk,
            candidate_id=candidate_id,
            recruiter_id=recruiter_id,
            starts_at=at,
            ends_at=at + datetime.timedelta(minutes=minutes),
        )
        for pk, candidate_id, recruiter_id, at, minutes in rows
    ]


def _when(busy: Busy) -> dict:
    start, end = timezone.localtime(busy.starts_at), timezone.localtime(busy.ends_at)
    return {"when": date_format(start, "DATETIME_FORMAT"), "until": date_format(end, "H:i")}


@dataclass(frozen=True)
class Slot:
    """An appointment asked for: its candidate, its recruiter (programme interviews), when."""

    candidate: Candidate
    starts_at: datetime.datetime
    minutes: int
    recruiter: User | None = None

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)


def clash_check(slots: Sequence[Slot], *, ignore: tuple[str, int] | None = None) -> None:
    """Raise ValidationError (code "clash") when a slot overlaps another appointment of its
    recruiter or of its candidate, or another of the slots; `ignore` is the appointment being
    moved, (kind, pk). The message says when the other appointment is, and names only the
    candidate being booked, never the one another appointment is with."""
    if not slots:
        return
    starts_at = min(slot.starts_at for slot in slots)
    ends_at = max(slot.ends_at for slot in slots)
    candidate_ids = {slot.candidate.pk for slot in slots}
    recruiters = {slot.recruiter.pk: slot.recruiter for slot in slots if slot.recruiter}
    busy = []
    for recruiter in recruiters.values() or [None]:
        busy += interviews_busy(
            starts_at=starts_at, ends_at=ends_at, candidate_ids=candidate_ids, recruiter=recruiter
        )
    for _label, more in hooked("appointments_busy"):
        busy += more(starts_at=starts_at, ends_at=ends_at, candidate_ids=candidate_ids)
    busy = [b for b in dict.fromkeys(busy) if (b.kind, b.pk) != ignore]
    errors = []
    for index, slot in enumerate(slots):
        errors += _slot_clashes(slot, busy, multiple=len(slots) > 1)
        # The slots among themselves: the first one booked holds its time.
        busy.append(
            Busy(
                kind="new",
                pk=-index - 1,
                candidate_id=slot.candidate.pk,
                recruiter_id=slot.recruiter.pk if slot.recruiter else None,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
        )
    if errors:
        raise ValidationError(errors[:5], code="clash")


def _slot_clashes(slot: Slot, busy: list[Busy], *, multiple: bool) -> list[str]:
    errors = []
    for other in busy:
        if not other.overlaps(slot.starts_at, slot.ends_at):
            continue
        if slot.recruiter is not None and other.recruiter_id == slot.recruiter.pk:
            errors.append(
                _("The recruiter already has an interview on %(when)s, until %(until)s.")
                % _when(other)
            )
        elif other.candidate_id == slot.candidate.pk:
            about = {**_when(other), "name": slot.candidate}
            errors.append(
                _("%(name)s already has an interview on %(when)s, until %(until)s.") % about
                if multiple
                else _("The candidate already has an interview on %(when)s, until %(until)s.")
                % about
            )
    return errors


def appointment_move(
    appointment,
    *,
    time_field: str,
    starts_at: datetime.datetime,
    duration: int,
    actor: User,
    reason: str = "",
    mode: str | None = None,
    place: str | None = None,
) -> bool:
    """Give `appointment` (a programme or a company interview, its time in `time_field`) its
    new time and length, and, given, another way or place; record the move in its `moves`
    (who, from when to when, why) when the time changes, and raise the invitation's sequence.
    Whether the time changed. The caller has locked and checked the slot, and saves."""
    moved = starts_at != getattr(appointment, time_field)
    if moved:
        appointment.moves.create(
            from_at=getattr(appointment, time_field), to_at=starts_at, reason=reason, by=actor
        )
    setattr(appointment, time_field, starts_at)
    appointment.duration = duration
    if mode is not None:
        appointment.mode = mode
    if place is not None:
        appointment.place = place
    appointment.sequence += 1
    return moved
