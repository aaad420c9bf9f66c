from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem


class InterviewsConfig(AppConfig):
    """Tranches of interviews, and the employability assessments recruiters record."""

    name = "interviews"
    verbose_name = _("Interviews")
    candidate_panel = "interviews.panels.candidate_interviews"
    candidate_filters = "interviews.filters.CANDIDATE_FILTERS"
    navigation = (
        NavItem(
            _("Agenda"),
            "interviews:agenda",
            "interviews.Interview",
            "agenda",
            "calendar-week",
            order=25,
            group=PEOPLE,
        ),
        NavItem(
            _("Tranches"),
            "interviews:tranche_list",
            "interviews.Tranche",
            "list",
            "people",
            order=26,
            group=PEOPLE,
        ),
    )
