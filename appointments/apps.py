from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem


class AppointmentsConfig(AppConfig):
    """The calendar of every interview a user's role shows them, programme and company
    interviews alike: week and month pages, invitations (.ics) and a personal feed."""

    name = "appointments"
    verbose_name = _("Calendar")
    # The invitation an e-mail about an interview carries (notifications.services).
    mail_invitation = "appointments.ics.mail_invitation"
    navigation = (
        NavItem(
            _("Calendar"),
            "appointments:calendar",
            "appointments.models.CalendarPage",
            "view",
            "calendar3",
            order=24,
            group=PEOPLE,
        ),
    )
