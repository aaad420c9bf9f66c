from django import template

from interviews.models import CLASS_TONES, EmployabilityClass

register = template.Library()


@register.filter
def class_tone(employability: str) -> str:
    """The colour (a name of focus.figures.TONES) an employability class is drawn in on every
    page, as on the dashboard and in the workbook: `text-bg-{{ cls|class_tone }}`. "" for no
    class (not assessed), which is drawn neutral."""
    if employability not in EmployabilityClass.values:
        return ""
    return CLASS_TONES[EmployabilityClass(employability)]
