from django import template
from django.urls import reverse

from accounts.privacy import notice_version_get

register = template.Library()


@register.filter
def notice_url(version: str) -> str:
    """The address of the privacy notice of `version`, or "" if it is not a published one."""
    if notice_version_get(version) is None:
        return ""
    return reverse("privacy:notice_version", args=[version])
