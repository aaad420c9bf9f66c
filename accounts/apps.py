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
