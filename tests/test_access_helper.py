"""Every page that opens a record by its number reaches it through the one access helper,
`accounts.access.get_for` (404 outside the user's scope, 403 when the action is not
allowed), directly or through a function of its module that does."""

import inspect
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.access import get_for
from candidates.models import Candidate
from tests.factories import CandidateFactory

# Pages whose number is no record of the portal's own, with the reason.
NOT_RECORDS = {
    "accounts:password_reset_confirm": "a reset link's token",
    "accounts:lockout_lift": "a lock of django-axes, the administrator's list (no scope)",
    "privacy:notice_version": "a version of the privacy notice, public",
    "appointments:feed": "a calendar feed's secret address, read without a login: its user's "
    "scope applies to what it lists",
}


def _detail_views(resolver=None, namespace=""):
    """(url name, view) of every URL that takes an argument."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin site has its own access rules (test_admin_site.py)
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _detail_views(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.pattern.converters:
            yield namespace + pattern.name, pattern.callback


def _reaches_through_get_for(view) -> bool:
    function = inspect.unwrap(view)
    source = inspect.getsource(function)
    if "get_for(" in source:
        return True
    module = inspect.getmodule(function)
    helpers = [
        name
        for name, member in inspect.getmembers(module, inspect.isfunction)
        if member.__module__ == module.__name__ and "get_for(" in inspect.getsource(member)
    ]
    return any(re.search(rf"\b{name}\(", source) for name in helpers)


def test_every_page_of_a_record_opens_it_through_the_access_helper():
    views = dict(_detail_views())
    assert len(views) > 40  # the walk finds the pages
    missing = sorted(
        name
        for name, view in views.items()
        if name not in NOT_RECORDS and not _reaches_through_get_for(view)
    )
    assert missing == []


@pytest.mark.django_db
def test_the_helper_answers_404_outside_the_scope_and_403_for_an_action_not_allowed(
    caseworker, candidate, other_candidate
):
    assert get_for(caseworker, Candidate, candidate.pk, action="change") == candidate
    with pytest.raises(Http404):
        get_for(caseworker, Candidate, other_candidate.pk)  # another centre's
    with pytest.raises(Http404):
        get_for(caseworker, Candidate, "not a number")
    with pytest.raises(Http404):
        get_for(AnonymousUser(), Candidate, candidate.pk)
    with pytest.raises(PermissionDenied):
        get_for(caseworker, Candidate, candidate.pk, action="list_all_centres")


@pytest.mark.django_db
def test_the_helper_keeps_the_scope_on_the_query_it_is_given(caseworker, other_centre):
    elsewhere = CandidateFactory(centre=other_centre)
    with pytest.raises(Http404):
        get_for(
            caseworker,
            Candidate,
            elsewhere.pk,
            queryset=Candidate.objects.select_related("centre"),
        )


def test_every_rule_declares_its_actions_and_an_unknown_one_raises():
    from django.apps import apps

    from accounts.access import UnknownAction, can
    from reports.models import Dashboard

    ruled = [model for model in apps.get_models() if hasattr(model, "permits")] + [Dashboard]
    undeclared = [rule.__name__ for rule in ruled if not getattr(rule, "ACTIONS", None)]
    assert undeclared == []
    with pytest.raises(UnknownAction, match="'chnage'"):
        can(AnonymousUser(), "chnage", Candidate)  # before anything else: even for nobody
