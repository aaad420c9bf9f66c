from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import ADMINISTRATION, NavItem


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    navigation = (
        NavItem(
            _("Users"),
            "accounts:user_list",
            "accounts.User",
            "list",
            "people",
            order=90,
            group=ADMINISTRATION,
        ),
        NavItem(
            _("Organisations"),
            "accounts:organisation_list",
            "accounts.Organisation",
            "list",
            "diagram-3",
            order=91,
            group=ADMINISTRATION,
        ),
    )

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from accounts import privacy  # noqa: F401 - registers the notice version's check
        from accounts.middleware import second_factor_remember, session_start
        from accounts.services import lockout_log

        user_logged_in.connect(session_start, dispatch_uid="accounts.session_start")
        user_logged_in.connect(
            second_factor_remember, dispatch_uid="accounts.second_factor_remember"
        )
        user_locked_out.connect(lockout_log, dispatch_uid="accounts.lockout_log")
