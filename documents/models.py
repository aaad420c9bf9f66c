"""A candidate's documents: CV, certificates, residence permit and others, uploaded by their
centre or the programme office, kept outside the web root (documents.storage) and read only
through the portal.

Who sees which (`DocumentQuerySet.visible_to`, `Document.permits`): staff and admin all of
them; caseworkers those of their centre's candidates; recruiters the CV of the people they
interview (their scope of candidates), nothing else; company HR nothing, but the CV of a
candidate on a shortlist shared with their company, once the interview is agreed, while the
candidate consents to share it (and their profile), until HR_CONTACTS_DAYS after the outcome,
as for the contacts (matching.disclosure).
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, User
from candidates.models import Candidate, CandidateCertification
from documents import files
from documents.storage import private_storage
from matching.disclosure import CONTACT_STATUSES
from matching.models import Entry
from matching.selectors import with_outcome_at


def stored_name(document: "Document", filename: str) -> str:
    """Where a document's file goes: a random name with the extension of what it is, never
    anything of the name it was uploaded with (`filename` is not read)."""
    token = secrets.token_hex(16)
    return f"documents/{token[:2]}/{token}{files.EXTENSIONS[document.content_type]}"


def cv_shared_entries(user: User) -> models.QuerySet:
    """The entries of the shortlists shared with `user`'s company (company HR) on which the
    company may download the candidate's CV now: an interview agreed (or its outcome recorded
    less than HR_CONTACTS_DAYS ago), with the candidate consenting to the programme, to
    matching, to share a profile and to share their CV, and not erased."""
    since = timezone.now() - datetime.timedelta(days=settings.HR_CONTACTS_DAYS)
    entries = Entry.objects.filter(
        shortlist__need__company__organisation_id=user.organisation_id,
        shortlist__shared_at__isnull=False,
        status__in=CONTACT_STATUSES,
        candidate__consent_programme=True,
        candidate__consent_matching=True,
        candidate__consent_share_profile=True,
        candidate__consent_share_cv=True,
        candidate__erased_at__isnull=True,
    )
    return with_outcome_at(entries).filter(
        Q(status=Entry.Status.INTERVIEW_AGREED)
        | Q(outcome_at__isnull=True)
        | Q(outcome_at__gte=since)
    )


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "DocumentQuerySet":
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.CASEWORKER:
            return self.filter(candidate__centre_id=user.organisation_id)
        cvs = self.filter(kind=Document.Kind.CV)
        if user.role == User.Role.RECRUITER:
            return cvs.filter(candidate__in=Candidate.objects.visible_to(user).values("pk"))
        if user.role == User.Role.COMPANY_HR:
            return cvs.filter(candidate__in=cv_shared_entries(user).values("candidate"))
        return self.none()


class Document(models.Model):
    """A file about a candidate, with what the portal found it to be (its content type read
    from its bytes, its size and SHA-256) and the name it was uploaded with, as data."""

    class Kind(models.TextChoices):
        CV = "cv", _("CV")
        CERTIFICATE = "certificate", _("Certificate")
        PERMIT = "permit", _("Residence permit")
        OTHER = "other", _("Other document")

    class Type(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        WEBP = "image/webp", "WebP"

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind of document"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=stored_name)
    original_name = models.CharField(_("file name"), max_length=files.NAME_MAX_CHARS)
    content_type = models.CharField(_("file type"), max_length=20, choices=Type.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    # The certificate of the candidate's this document proves, verified against it.
    certification = models.ForeignKey(
        CandidateCertification,
        verbose_name=_("certificate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded on"), auto_now_add=True)
    verified_by = models.ForeignKey(
        User,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["cv", "certificate", "permit", "other"]),
                name="document_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    content_type__in=["application/pdf", "image/jpeg", "image/png", "image/webp"]
                ),
                name="document_content_type_valid",
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="document_not_empty"),
            models.CheckConstraint(
                condition=Q(certification__isnull=True) | Q(kind="certificate"),
                name="document_certification_of_a_certificate",
            ),
        ]
        indexes = [models.Index(fields=["candidate", "-uploaded_at"], name="document_by_candidate")]

    def __str__(self) -> str:
        # No file name: a page or log naming the record says nothing of the person.
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def download_name(self) -> str:
        """The name the file downloads with: its name, with the extension of what it is."""
        return files.download_name(self.original_name, self.content_type)

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"delete", "list", "upload", "verify", "view", "view_name"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Document | None" = None) -> bool:
        """ "upload" is asked of a document not saved yet, with its candidate; "list" is the
        company's list of the CVs shared with it; "view" opens the file, "view_name" reads the
        name it was uploaded with (never a company's: nothing typed reaches one)."""
        candidate = obj.candidate if obj is not None else None
        if candidate is not None and candidate.erased_at is not None:
            return False  # the erasure deleted the documents: none to add, change or open
        handle = {"view", "view_name", "upload", "delete", "verify"}
        if user.role in STAFF_ROLES:
            return action in handle
        if user.role == User.Role.CASEWORKER:
            if candidate is None:
                return action == "upload"
            return candidate.centre_id == user.organisation_id and action in handle
        if user.role == User.Role.RECRUITER:
            return obj is not None and obj.kind == cls.Kind.CV and action in {"view", "view_name"}
        if user.role == User.Role.COMPANY_HR:
            if obj is None:
                return action == "list"
            return obj.kind == cls.Kind.CV and action == "view"
        return False
