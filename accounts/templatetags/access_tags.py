"""The access policy in templates: a page shows an action or data only when `can` says so.

`{% can "rank" "matching.Shortlist" as may_rank %}` (after `{% load access_tags %}`) asks the
policy for the page's user. The subject is a record, a model, or a model's label
("app_label.Model"), which lets a page of one app show a link to another app's page that its
code may not import (see DESIGN.md).
"""

from django import template
from django.apps import apps

from accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, subject) -> bool:
    if isinstance(subject, str):
        subject = apps.get_model(subject)
    return access.can(context["request"].user, action, subject)
