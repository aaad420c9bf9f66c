from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem


class MatchingConfig(AppConfig):
    """Ranking of candidates per need, shortlists and company feedback."""

    name = "matching"
    verbose_name = _("Matching")
    navigation = (
        NavItem(
            _("Shortlists"),
            "matching:shortlist_list",
            "matching.Shortlist",
            "list",
            "people",
            order=24,
        ),
        NavItem(
            _("Matching weights"),
            "matching:weights",
            "matching.MatchingWeights",
            "view",
            "sliders",
            order=92,
        ),
    )
