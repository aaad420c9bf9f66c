from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")
    navigation = (
        NavItem(
            _("Candidates"),
            "candidates:list",
            "candidates.Candidate",
            "list",
            "person-vcard",
            order=30,
        ),
    )
