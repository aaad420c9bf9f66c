"""Writes on candidates' documents: upload, verification of a certificate against its document,
deletion, and the erasure of a candidate's documents with their data (candidates.rights)."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import require
from accounts.models import User
from candidates.models import Candidate, CandidateCertification
from candidates.services import certification_verify
from documents import files
from documents.models import Document
from documents.storage import private_storage

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024


def _files_delete_on_commit(names: list[str]) -> None:
    """Delete the files `names` once the transaction that deleted their rows commits: a
    rollback keeps the rows, and their files with them."""

    def delete() -> None:
        storage = private_storage()
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _content_type(upload: UploadedFile) -> str:
    """What `upload` is, read from its first bytes (documents.files); ValidationError on
    "file" for anything the portal does not take, and for a file past DOCUMENT_MAX_BYTES."""
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _(
                    "The file is %(size)s: the portal takes documents of at most %(limit)s. "
                    "Scan it again at a lower resolution, or as separate pages."
                )
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
                }
            },
            code="too_large",
        )
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    upload.seek(0)
    head = upload.read(files.HEAD_BYTES)
    upload.seek(0)
    content_type = files.content_type_of(head)
    if content_type is not None:
        return content_type
    if files.is_program(head):
        message = _(
            "This file is a program, not a document, whatever its name says: it was not "
            "uploaded. The portal takes PDF, JPEG, PNG and WebP files only."
        )
    else:
        message = _(
            "This file is not a PDF, JPEG, PNG or WebP file, whatever its name says: the "
            "portal takes those only. Save or scan the document as PDF and upload it again."
        )
    raise ValidationError({"file": message}, code="type_refused")


def _fingerprint(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks(CHUNK_BYTES):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _certification_check(
    candidate: Candidate, kind: str, certification: CandidateCertification | None
) -> None:
    if certification is None:
        return
    if certification.candidate_id != candidate.pk:
        raise ValidationError(
            {"certification": _("This certificate is not the candidate's.")}, code="not_theirs"
        )
    if kind != Document.Kind.CERTIFICATE:
        raise ValidationError(
            {"certification": _("Only a certificate proves a certification.")},
            code="not_a_certificate",
        )


@transaction.atomic
def document_upload(
    *,
    candidate: Candidate,
    upload: UploadedFile,
    kind: str,
    actor: User,
    certification: CandidateCertification | None = None,
) -> Document:
    """Keep `upload` as a document of `candidate`, of `kind` (a Document.Kind), proving
    `certification` (one of the candidate's, for a certificate) if given.

    The file is taken for what its bytes say it is (PDF, JPEG, PNG or WebP), never for its
    name, and at most DOCUMENT_MAX_BYTES; it is stored under a random name, the name it came
    with kept (cleaned) as data. The same file twice for one person is refused. Raises
    ValidationError keyed "file", "kind" or "certification"; PermissionDenied when `actor`
    may not add documents for the candidate."""
    document = Document(candidate=candidate, kind=kind, certification=certification)
    require(actor, "upload", document)
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")}, code="kind")
    _certification_check(candidate, kind, certification)
    document.content_type = _content_type(upload)
    document.sha256 = _fingerprint(upload)
    earlier = (
        Document.objects.filter(candidate=candidate, sha256=document.sha256)
        .only("uploaded_at")
        .first()
    )
    if earlier is not None:
        day = date_format(timezone.localtime(earlier.uploaded_at), "SHORT_DATE_FORMAT")
        raise ValidationError(
            {
                "file": _("This file was already uploaded for the candidate, on %(date)s.")
                % {"date": day}
            },
            code="duplicate",
        )
    document.original_name = files.name_clean(upload.name)
    document.size = upload.size
    document.uploaded_by = actor
    document.file.save(document.original_name, upload, save=False)
    try:
        document.save()
    except Exception:
        private_storage().delete(document.file.name)
        raise
    logger.info("Document %s uploaded for candidate %s", document.pk, candidate.pk)
    return document


@transaction.atomic
def document_verify(
    *,
    document: Document,
    actor: User,
    obtained_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> Document:
    """The certificate `document` proves is verified against it, with the dates it shows
    (`candidates.services.certification_verify`: the expiry as the certification's validity
    allows), and the document says who verified it and when. ValidationError when the
    document proves no certificate, or the dates do not hold; PermissionDenied when `actor`
    may not verify it."""
    require(actor, "verify", document)
    if document.certification_id is None:
        raise ValidationError(
            {"certification": _("This document proves no certificate of the candidate's.")},
            code="no_certification",
        )
    link = CandidateCertification.objects.select_related("candidate", "certification").get(
        pk=document.certification_id
    )
    certification_verify(link=link, actor=actor, obtained_on=obtained_on, expires_on=expires_on)
    document.certification = link
    document.verified_by, document.verified_at = actor, timezone.now()
    document.save(update_fields=["verified_by", "verified_at"])
    return document


@transaction.atomic
def document_delete(*, document: Document, actor: User) -> None:
    """Delete `document`, and its file once that is committed. PermissionDenied when `actor`
    may not delete it."""
    require(actor, "delete", document)
    name = document.file.name
    document.delete()
    _files_delete_on_commit([name])
    logger.info("Document deleted for candidate %s", document.candidate_id)


def documents_erase(*, candidate: Candidate, actor: User) -> int:
    """Hook of `candidates.rights.candidate_erase`, in its transaction: the candidate's
    documents are deleted, and their files once that commits. Returns how many."""
    documents = Document.objects.filter(candidate=candidate)
    names = list(documents.values_list("file", flat=True))
    documents.delete()
    _files_delete_on_commit(names)
    return len(names)
