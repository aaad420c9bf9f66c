from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem


class DocumentsConfig(AppConfig):
    """Candidates' documents (CV, certificates, residence permit...): uploaded by their centre
    or the programme office, kept outside the web root, downloaded through the portal only."""

    name = "documents"
    verbose_name = _("Documents")
    # What the audit trail follows (audit.registry): uploads, verifications and deletions;
    # each download is a "download" event of its own (documents.views).
    audited = ("documents.Document",)
    # A candidate's data export and erasure (candidates.rights): the export lists the
    # documents (kind, name, type, size, dates), not the files, which the programme office
    # downloads from the candidate's page; the fingerprint and the type are no free text. The
    # erasure deletes the documents and their files (`subject_erase`): no blank makes a
    # scanned permit anonymous.
    subject_data = {
        "documents.Document": {"hidden": ("file",), "kept": ("sha256",)},
    }
    subject_erase = "documents.services.documents_erase"
    candidate_panel = "documents.panels.candidate_documents"
    # Company HR's list of the CVs shared with their company.
    navigation = (
        NavItem(
            _("Shared CVs"),
            "documents:shared",
            "documents.Document",
            "list",
            "file-earmark-person",
            order=29,
            group=PEOPLE,
        ),
    )
