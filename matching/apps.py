from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Ranking of candidates per need, shortlists and company feedback."""

    name = "matching"
    verbose_name = _("Matching")
