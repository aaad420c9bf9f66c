"""The days of a calendar page, Monday first: a week, or the weeks that hold a month."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

WEEK, MONTH = "week", "month"
VIEWS = (WEEK, MONTH)


@dataclass
class Day:
    date: datetime.date
    in_range: bool  # in the month shown (a week's days always are)
    today: bool
    appointments: list = field(default_factory=list)


@dataclass
class Page:
    view: str
    day: datetime.date  # the day the page was asked for
    first: datetime.date  # the first day shown, a Monday
    last: datetime.date  # the last day shown, a Sunday
    weeks: list[list[Day]]
    previous: datetime.date
    next: datetime.date

    @property
    def starts(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.first, datetime.time()))

    @property
    def ends(self) -> datetime.datetime:
        after = self.last + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(after, datetime.time()))

    @property
    def days(self) -> list[Day]:
        return [day for week in self.weeks for day in week]

    @property
    def count(self) -> int:
        return sum(len(day.appointments) for day in self.days if day.in_range)

    def fill(self, appointments: Sequence) -> "Page":
        by_date = {day.date: day for day in self.days}
        for appointment in appointments:
            day = by_date.get(appointment.starts_at.date())
            if day is not None:
                day.appointments.append(appointment)
        return self


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _month_shift(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def page(view: str, day: datetime.date) -> Page:
    today = timezone.localdate()
    if view == MONTH:
        start = day.replace(day=1)
        end = _month_shift(start, 1) - datetime.timedelta(days=1)
        first = _monday(start)
        last = _monday(end) + datetime.timedelta(days=6)
        previous, following = _month_shift(start, -1), _month_shift(start, 1)
    else:
        first = _monday(day)
        last = first + datetime.timedelta(days=6)
        start, end = first, last
        previous = first - datetime.timedelta(days=7)
        following = first + datetime.timedelta(days=7)
    dates = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    days = [Day(date=d, in_range=start <= d <= end, today=d == today) for d in dates]
    weeks = [days[n : n + 7] for n in range(0, len(days), 7)]
    return Page(
        view=view if view in VIEWS else WEEK,
        day=day,
        first=first,
        last=last,
        weeks=weeks,
        previous=previous,
        next=following,
    )
