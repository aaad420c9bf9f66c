from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")
    # Excel imports offered by `manage.py import_template` (see catalog.spreadsheets).
    import_templates = {"candidates": "candidates.importing.SPECS"}
    navigation = (
        NavItem(
            _("Candidates"),
            "candidates:list",
            "candidates.Candidate",
            "list",
            "person-vcard",
            order=24,
            group=PEOPLE,
        ),
        NavItem(
            _("Possible duplicates"),
            "candidates:duplicate_list",
            "candidates.DuplicateReview",
            "list",
            "people",
            order=25,
            group=PEOPLE,
        ),
    )
