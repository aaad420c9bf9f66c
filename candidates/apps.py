from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem
from audit.registry import Audited


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")
    # Excel imports offered by `manage.py import_template` (see catalog.spreadsheets).
    import_templates = {"candidates": "candidates.importing.SPECS"}
    # What the audit trail follows (audit.registry). The current consents change only with
    # the consent log, whose rows are the "consent" events; a status change is the
    # candidate's change of "status" (StatusChange is its history, not followed again).
    audited = (
        Audited(
            "candidates.Candidate",
            quiet=(
                "consent_programme",
                "consent_matching",
                "consent_share_profile",
                "consent_share_contacts",
            ),
        ),
        "candidates.Experience",
        "candidates.CandidateLanguage",
        "candidates.CandidateSkill",
        "candidates.CandidateCertification",
        "candidates.TravelArrangement",
        Audited("candidates.ConsentRecord", created="consent"),
        "candidates.DuplicateReview",
    )
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
