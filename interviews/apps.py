from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem
from audit.registry import Audited


class InterviewsConfig(AppConfig):
    """Tranches of interviews, and the employability assessments recruiters record."""

    name = "interviews"
    verbose_name = _("Interviews")
    candidate_panel = "interviews.panels.candidate_interviews"
    candidate_filters = "interviews.filters.CANDIDATE_FILTERS"
    # The candidates' next reviews coming up (notifications.reminders).
    reminders_due = "interviews.notices.reviews_due"
    # What the audit trail follows (audit.registry), each event with its candidate.
    audited = (
        "interviews.Interview",
        Audited("interviews.Assessment", candidate="interview__candidate_id"),
        Audited("interviews.Obstacle", candidate="assessment__interview__candidate_id"),
        "interviews.SuitableProfile",
        Audited("interviews.RecommendedAction", candidate="assessment__interview__candidate_id"),
    )
    # Sheet titles of a candidate's data export (candidates.rights).
    subject_data = {
        "interviews.SuitableProfile": {"title": _("Suitable profiles")},
        "interviews.Obstacle": {"title": _("Obstacles")},
        "interviews.RecommendedAction": {"title": _("Recommended actions")},
    }
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
