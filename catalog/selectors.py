"""Reads of the catalogue shared by views."""

from django.db import models
from django.db.models import QuerySet

from accounts.access import scope
from accounts.models import User
from catalog.models import JobProfile
from focus.lists import search


def entry_list(*, actor: User, model: type[models.Model], q: str = "") -> QuerySet:
    """The profiles, skills or certifications (`model`) `actor` may list, with what the
    catalogue's list shows of them; with `q`, those whose names or code have its words."""
    entries = scope(actor, model)
    if model is JobProfile:
        entries = entries.select_related("family").prefetch_related("skills", "certifications")
    return search(entries, q, ("name_it", "name_en", "code"))
