from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.navigation import PEOPLE, NavItem
from audit.registry import Audited


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")
    # Excel imports offered by `manage.py import_template` (see focus.spreadsheets).
    import_templates = {"candidates": "candidates.importing.SPECS"}
    import_kinds = {"candidates": "candidates.importing.BACKGROUND"}
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
                "consent_share_cv",
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
    # What a candidate's export and erasure make of this app's records, where their fields do
    # not say it (candidates.rights): an erased person is "Persona cancellata"; the licences
    # are categories, the reasons of a possible duplicate codes, the notice version the proof
    # of a consent.
    subject_data = {
        "candidates.Candidate": {
            "kept": ("driving_licences",),
            "erased_as": {
                "first_name": _("Person"),
                "last_name": pgettext_lazy("last name of an erased person", "erased"),
            },
            "not_activity": ("erased_at",),
        },
        # A job known by its description alone must keep one (a database rule).
        "candidates.Experience": {"erased_as": {"description": _("(erased)")}},
        "candidates.CandidateSkill": {"title": _("Skills")},
        "candidates.CandidateCertification": {"title": _("Certifications")},
        "candidates.ConsentRecord": {"kept": ("notice_version",)},
        "candidates.DuplicateReview": {"kept": ("reasons",)},
    }
    # The data subject's rights on the candidate's page: the export and the erasure.
    candidate_panel = "candidates.rights_views.candidate_rights_panel"
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
