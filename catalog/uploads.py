"""Request bodies larger than the largest upload, refused before the portal reads them.

A workbook is checked (`focus.spreadsheets.check_upload`) only once Django has received it.
Before that, RequestSizeLimitMiddleware answers 413 to a request that announces a body past
settings.UPLOAD_MAX_BYTES, and UploadLimitHandler stops a multipart body that grows past it
whatever it announced, so that no worker spools a body it would refuse anyway.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from accounts.middleware import request_language


class UploadTooLarge(RequestDataTooBig):
    """A multipart body grew past settings.UPLOAD_MAX_BYTES (answered 400, and logged as a
    suspicious request: a body larger than it announced is not a browser's)."""


class RequestSizeLimitMiddleware:
    """Answer 413, with a page in the user's language, to a request whose Content-Length
    exceeds settings.UPLOAD_MAX_BYTES, without reading its body. First in MIDDLEWARE, so that
    nothing before it reads the body either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _announced_length(request) > settings.UPLOAD_MAX_BYTES:
            return too_large_response(request)
        return self.get_response(request)


def _announced_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body it cannot measure


def too_large_response(request: HttpRequest) -> HttpResponse:
    """The 413 page. It is answered before the other middleware runs: it sets itself the
    headers they would have set."""
    language = request_language(request)
    with translation.override(language):
        content = render_to_string(
            "413.html",
            {"limit": settings.IMPORT_MAX_BYTES, "document_limit": settings.DOCUMENT_MAX_BYTES},
        )
    response = HttpResponse(content, status=413)
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "DENY"
    response["Referrer-Policy"] = "same-origin"
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
    return response


class UploadLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: refuses a multipart body announcing more than
    settings.UPLOAD_MAX_BYTES, and stops one whose files grow past it, before the handlers
    after it keep a byte more. The middleware answers the first case sooner; this one holds
    when a body says nothing of its length or says less than it carries."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length > settings.UPLOAD_MAX_BYTES:
            raise UploadTooLarge("The request body is larger than UPLOAD_MAX_BYTES.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = getattr(self, "received", 0) + len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            raise UploadTooLarge("The uploaded files grew larger than UPLOAD_MAX_BYTES.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file
