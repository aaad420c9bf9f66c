import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import can, get_for, permission_required, require
from audit.models import AuditEvent
from audit.services import audit_record
from candidates.models import Candidate
from documents import files, selectors, services
from documents.forms import DocumentUploadForm, DocumentVerifyForm
from documents.models import Document
from documents.panels import document_rows
from focus.forms import refusal_show
from focus.lists import list_page

logger = logging.getLogger(__name__)

# The file itself is never run by the browser: no script, no plugin, no frame of it.
FILE_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"
PER_PAGE = 25


def _document(request: HttpRequest, pk: int, action: str = "view") -> Document:
    return get_for(
        request.user,
        Document,
        pk,
        action=action,
        queryset=Document.objects.select_related("candidate", "certification__certification"),
    )


def _back(candidate: Candidate) -> str:
    return candidate.get_absolute_url() + "#documents"


@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, as an attachment of the type the portal found it to be (never the one the
    browser that uploaded it said), recorded as a "download" event. Named as it was
    uploaded, with the extension of what it is; for a company, by its kind and number."""
    document = _document(request, pk)
    try:
        content = document.file.open("rb")
    except FileNotFoundError:
        logger.error("The file of document %s is missing", document.pk)
        raise Http404("No file here.") from None
    audit_record(AuditEvent.Action.DOWNLOAD, document)
    if can(request.user, "view_name", document):
        name = document.download_name
    else:
        name = files.download_name(f"{document.kind}-{document.pk}", document.content_type)
    response = FileResponse(
        content, as_attachment=True, filename=name, content_type=document.content_type
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    return response


def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A document for the candidate: the form of the candidate page's panel posts here, and a
    refusal is shown on this page, with the form as it was filled in."""
    candidate = get_for(
        request.user,
        Candidate,
        pk,
        queryset=Candidate.objects.prefetch_related("certification_links__certification"),
    )
    require(request.user, "upload", Document(candidate=candidate))
    form = DocumentUploadForm(request.POST or None, request.FILES or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                candidate=candidate,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                certification=form.cleaned_data.get("certification"),
                actor=request.user,
            )
        except ValidationError as refusal:
            refusal_show(form, refusal)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect(_back(candidate))
    return render(request, "documents/document_upload.html", {"candidate": candidate, "form": form})


def document_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate a document proves, verified against it with the dates it shows."""
    document = _document(request, pk, action="verify")
    form = DocumentVerifyForm(
        request.POST or None,
        initial={
            "obtained_on": getattr(document.certification, "obtained_on", None),
            "expires_on": getattr(document.certification, "expires_on", None),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_verify(document=document, actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            refusal_show(form, refusal)
        else:
            messages.success(
                request,
                _("Certificate verified: %(certificate)s.")
                % {"certificate": document.certification},
            )
            return redirect(_back(document.candidate))
    return render(request, "documents/document_verify.html", {"document": document, "form": form})


def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deleting a document, once confirmed: the page asks first, the form posts the
    confirmation (a POST without it deletes nothing)."""
    document = _document(request, pk, action="delete")
    if request.method == "POST":
        if not request.POST.get("sure"):
            messages.error(request, _("Tick the confirmation to delete the document."))
            return redirect("documents:delete", pk=document.pk)
        candidate = document.candidate
        services.document_delete(document=document, actor=request.user)
        messages.success(request, _("Document deleted."))
        return redirect(_back(candidate))
    return render(request, "documents/document_delete.html", {"document": document})


@require_GET
def candidate_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """All the candidate's documents the user may see, a page at a time."""
    candidate = get_for(request.user, Candidate, pk)
    audit_record(AuditEvent.Action.VIEW, candidate)
    listing = list_page(
        request,
        selectors.candidate_documents(actor=request.user, candidate=candidate),
        per_page=PER_PAGE,
    )
    for document in listing.page:
        document.candidate = candidate
    return render(
        request,
        "documents/document_list.html",
        {
            "candidate": candidate,
            "listing": listing,
            "page": listing.page,
            "rows": document_rows(request, listing.page),
            "can_upload": can(request.user, "upload", Document(candidate=candidate)),
        },
    )


@require_GET
@permission_required("list", Document)
def shared_cvs(request: HttpRequest) -> HttpResponse:
    """Company HR: the CVs of the candidates their company agreed an interview with, who
    consented to share them, each by the codes of its shortlist entries."""
    listing = list_page(request, selectors.shared_cvs(actor=request.user), per_page=PER_PAGE)
    return render(request, "documents/shared_list.html", {"listing": listing, "page": listing.page})
