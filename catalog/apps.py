from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import ADMINISTRATION, NavItem


class CatalogConfig(AppConfig):
    """The shared vocabulary: job profiles, skills, certifications, comuni, ATECO sectors."""

    name = "catalog"
    verbose_name = _("Catalogue")
    navigation = (
        NavItem(
            _("Catalogue"),
            "catalog:profile_list",
            "catalog.JobProfile",
            "list",
            "book",
            order=80,
            group=ADMINISTRATION,
        ),
    )

    def ready(self) -> None:
        from catalog import checks  # noqa: F401 - registers the system checks
