"""Follow-up checks 1, 3 and 6 months after a hire, and what a job that ended changes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import months_after
from matching.models import Entry
from matching.services import placement_end
from training.models import (
    FollowUp,
)


def follow_ups_schedule(*, entry: Entry, actor: User) -> list[FollowUp]:
    """Schedule the checks of a hire at 1, 3 and 6 months after its start date (those it has
    not yet got). The candidate's charity centre makes them.

    Called by `matching.services.entry_move` when it records a hire, inside its transaction.
    """
    if entry.start_date is None:
        return []
    have = set(entry.follow_ups.values_list("months", flat=True))
    return FollowUp.objects.bulk_create(
        [
            FollowUp(entry=entry, months=months, due_on=months_after(entry.start_date, months))
            for months in FollowUp.Months.values
            if months not in have
        ]
    )


CLOSED = frozenset({"already_recorded", "not_needed"})  # the codes of a check no longer to make


def follow_up_check_pending(*, follow_up: FollowUp) -> None:
    """Raise a ValidationError saying why, unless the check is still to be made."""
    if follow_up.status == FollowUp.Status.DONE:
        raise ValidationError(
            _("This check was already recorded on %(date)s.")
            % {"date": date_format(follow_up.done_on, "SHORT_DATE_FORMAT")},
            code="already_recorded",
        )
    if follow_up.status == FollowUp.Status.NOT_NEEDED:
        raise ValidationError(
            _("This check is no longer needed: the job ended on %(date)s.")
            % {"date": date_format(follow_up.entry.ended_on, "SHORT_DATE_FORMAT")},
            code="not_needed",
        )


RECORDED = ("status", "done_on", "outcome", "ended_on", "difficulties", "note", "recorded_by")


@transaction.atomic
def follow_up_record(
    *,
    follow_up: FollowUp,
    actor: User,
    outcome: str,
    done_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    difficulties: str = "",
    note: str = "",
) -> FollowUp:
    """Record what a check found: still employed (on the same contract, extended, made
    permanent), or the job ended on `ended_on`.

    Checked against the check as stored, locked until it is recorded: a form sent twice, or
    a check someone else recorded meanwhile, is refused and keeps what was recorded first.
    A job that ended is the placement's end (`matching.services.placement_end`: the candidate
    looks for work again, the need may reopen), and the placement's other checks still to
    be made are closed as not needed.
    """
    stored = FollowUp.objects.select_for_update().select_related("entry").get(pk=follow_up.pk)
    follow_up_check_pending(follow_up=stored)
    done_on = done_on or timezone.localdate()
    _check_dates(stored.entry, outcome=outcome, done_on=done_on, ended_on=ended_on)
    stored.status = FollowUp.Status.DONE
    stored.done_on, stored.outcome, stored.ended_on = done_on, outcome, ended_on
    stored.difficulties, stored.note, stored.recorded_by = difficulties, note, actor
    stored.full_clean()
    stored.save(update_fields=[*RECORDED, "updated_at"])
    if outcome == FollowUp.Outcome.ENDED:
        placement_end(entry=stored.entry, on=ended_on, actor=actor)
        stored.entry.follow_ups.pending().update(
            status=FollowUp.Status.NOT_NEEDED,
            done_on=done_on,
            recorded_by=actor,
            updated_at=timezone.now(),
        )
    return stored


def _check_dates(
    entry: Entry, *, outcome: str, done_on: datetime.date, ended_on: datetime.date | None
) -> None:
    today = timezone.localdate()
    if done_on > today:
        raise ValidationError({"done_on": _("A check cannot be recorded ahead of time.")})
    if done_on < entry.start_date:
        raise ValidationError({"done_on": _("The check cannot come before the job started.")})
    if outcome == FollowUp.Outcome.ENDED:
        if ended_on is None:
            raise ValidationError({"ended_on": _("Give the date the job ended.")})
        if ended_on < entry.start_date:
            raise ValidationError({"ended_on": _("A job cannot end before it starts.")})
        if ended_on > done_on:
            raise ValidationError(
                {"ended_on": _("The job cannot end after the check that found it.")}
            )
    elif ended_on is not None:
        raise ValidationError({"ended_on": _("Only a job that ended has an end date.")})
