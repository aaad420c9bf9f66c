from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import ADMINISTRATION, PEOPLE, NavItem


class MatchingConfig(AppConfig):
    """Ranking of candidates per need, shortlists and company feedback."""

    name = "matching"
    verbose_name = _("Matching")
    candidate_filters = "matching.filters.CANDIDATE_FILTERS"
    consent_withdrawn = "matching.services.consent_withdrawn"
    navigation = (
        NavItem(
            _("Shortlists"),
            "matching:shortlist_list",
            "matching.Shortlist",
            "list",
            "people",
            order=28,
            group=PEOPLE,
        ),
        NavItem(
            _("Matching weights"),
            "matching:weights",
            "matching.MatchingWeights",
            "view",
            "sliders",
            order=92,
            group=ADMINISTRATION,
        ),
    )
