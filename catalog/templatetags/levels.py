"""Language levels as people read them, for pages that hold a level's code."""

from django import template

from catalog.languages import ItalianLevel

register = template.Library()


@register.filter
def level_label(code: str) -> str:
    """The level whose code is `code` as the portal names it ("B1", "madrelingua" for
    "native"); an empty or unknown code as it is."""
    try:
        return ItalianLevel(code).label
    except ValueError:
        return code
