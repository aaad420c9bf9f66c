from django import template

from accounts.accessibility import programme_office as office_contacts

register = template.Library()


@register.simple_tag
def programme_office() -> dict:
    """The programme office's contacts, for the footer of every page (base.html)."""
    return office_contacts()
