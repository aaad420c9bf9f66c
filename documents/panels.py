from django.http import HttpRequest

from accounts.access import can
from candidates.models import Candidate
from documents import selectors
from documents.forms import DocumentUploadForm
from documents.models import Document

# The latest documents the candidate page lists; the others are on the documents' own list.
PANEL_ROWS = 5


def document_rows(request: HttpRequest, documents: list[Document]) -> list[dict]:
    """Each of `documents` with what the user may do with it (the candidate's own rows: the
    rules read the candidate, which they share)."""
    user = request.user
    return [
        {
            "document": document,
            "name": document.original_name if can(user, "view_name", document) else "",
            "can_delete": can(user, "delete", document),
            "can_verify": bool(document.certification_id) and can(user, "verify", document),
        }
        for document in documents
    ]


def candidate_documents(*, request: HttpRequest, candidate: Candidate) -> tuple | None:
    """The candidate's documents on their page: the latest PANEL_ROWS the user may see (one
    query), a link to all of them when there are more, and the upload form for those who may
    add one. Nothing for a user with neither."""
    may_upload = can(request.user, "upload", Document(candidate=candidate))
    documents = list(
        selectors.candidate_documents(actor=request.user, candidate=candidate)[: PANEL_ROWS + 1]
    )
    if not documents and not may_upload:
        return None
    for document in documents:
        document.candidate = candidate
    return "documents/candidate_panel.html", {
        "candidate": candidate,
        "rows": document_rows(request, documents[:PANEL_ROWS]),
        "more": len(documents) > PANEL_ROWS,
        "form": DocumentUploadForm(candidate=candidate) if may_upload else None,
    }
