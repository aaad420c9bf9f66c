"""What matching tells the data subject's rights (candidates.rights), which cannot ask it:
the companies a candidate was proposed to, and who is in post."""

from django.db.models import QuerySet

from candidates.models import Candidate
from matching.models import Entry


def shared_with(*, candidate: Candidate) -> list[dict]:
    """The candidate's shortlist entries, oldest first: the company, the need, the entry's
    status and when the shortlist was shared with the company (None: it never was, the
    company saw nothing). One query."""
    entries = (
        Entry.objects.filter(candidate=candidate)
        .select_related(
            "shortlist__need__company__organisation",
            "shortlist__need__profile",
            "shortlist__need__workplace",
        )
        .order_by("added_at", "pk")
    )
    return [
        {
            "company": str(entry.shortlist.need.company),
            "need": f"{entry.shortlist.need.profile} ({entry.shortlist.need.workplace.name})",
            "status": entry.get_status_display(),
            "shared_at": entry.shortlist.shared_at,
            "added_at": entry.added_at,
        }
        for entry in entries
    ]


def in_post() -> QuerySet:
    """The ids of the candidates in post: hired, and the job not ended."""
    return (
        Entry.objects.filter(status=Entry.Status.HIRED, ended_on__isnull=True)
        .order_by()
        .values("candidate")
    )
