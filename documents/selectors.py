"""Reads of candidates' documents that views share, each from the user's scope."""

from django.db.models import Prefetch, QuerySet

from accounts.access import scope
from accounts.models import User
from candidates.models import Candidate
from documents.models import Document, cv_shared_entries


def candidate_documents(*, actor: User, candidate: Candidate) -> QuerySet:
    """The documents of `candidate` that `actor` may see, newest first, with who uploaded and
    verified them and the certificate each proves: one query."""
    return (
        scope(actor, Document)
        .filter(candidate=candidate)
        .select_related("uploaded_by", "verified_by", "certification__certification")
        .order_by("-uploaded_at", "-pk")
    )


def shared_cvs(*, actor: User) -> QuerySet:
    """The CVs company HR may download (their scope), newest first, each with the entries of
    their company's shortlists it is shared on (`shared_entries`), with the need's profile and
    workplace: two queries for a page (and the paginator's count)."""
    entries = cv_shared_entries(actor).select_related(
        "shortlist__need__profile", "shortlist__need__workplace"
    )
    return (
        scope(actor, Document)
        .select_related("candidate")
        .prefetch_related(
            Prefetch("candidate__shortlist_entries", queryset=entries, to_attr="shared_entries")
        )
        .order_by("-uploaded_at", "-pk")
    )
