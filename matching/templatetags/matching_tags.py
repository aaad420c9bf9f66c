"""Presentation helpers for the matching pages."""

from django import template

from focus.durations import years_text
from matching.models import TRANSITIONS, Entry, MatchingWeights

register = template.Library()


@register.filter
def years(value) -> str:
    """A length of experience as the portal writes it: "6 mesi", "1 anno", "5,5 anni"."""
    return years_text(value)


@register.filter
def labelled(components: dict[str, float]) -> list[tuple[str, float, int]]:
    """The six components in the engine's order as (label, value 0-1, percent), labelled with
    the weights' field names so that the page and the weights form speak alike."""
    return [
        (
            MatchingWeights._meta.get_field(name).verbose_name,
            components.get(name, 0),
            round(components.get(name, 0) * 100),
        )
        for name in MatchingWeights.COMPONENTS
        if name in components
    ]


@register.filter
def staff_moves(entry: Entry) -> list[tuple[str, str]]:
    """The steps matching officers may take from the entry's status, as (value, label)."""
    allowed = TRANSITIONS.get(entry.status, {})
    return [
        (status, Entry.Status(status).label)
        for status, side in allowed.items()
        if side in {"staff", "either"}
    ]
