from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem


class NotificationsConfig(AppConfig):
    """What the portal tells each user of the events that concern them (a candidate hired,
    an interview asked for, a shortlist shared...) and of the dates coming up (reminders),
    in the portal and, as each user chooses, by e-mail."""

    name = "notifications"
    verbose_name = _("Notifications")
    # A candidate's data export and erasure (candidates.rights): the event's key and the page
    # are no free text (the erasure blanks the sentence, which names the person); when a
    # notification was sent or read is no activity of theirs.
    subject_data = {
        "notifications.Notification": {
            "hidden": ("key", "link"),
            "kept": ("key", "link"),
            "not_activity": ("created_at", "read_at"),
            "erased_as": {"text": _("(about a person whose data were erased)")},
        },
    }
    # The menu's count of unread notifications, loaded with the user (accounts.backends).
    user_annotations = "notifications.selectors.unread_annotation"
    navigation = (
        NavItem(
            _("What is due"),
            "notifications:due",
            "notifications.reminders.DueList",
            "view",
            "alarm",
            order=31,
            group=PEOPLE,
        ),
    )
