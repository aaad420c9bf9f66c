"""The audit trail's section of the candidate page (candidates.panels), for those who read
the trail."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from accounts.access import can
from audit.models import AuditEvent


def candidate_trail(*, request: HttpRequest, candidate) -> tuple[str, dict] | None:
    if not can(request.user, "list", AuditEvent):
        return None
    url = f"{reverse('audit:event_list')}?{urlencode({'candidate': candidate.pk})}"
    return "audit/candidate_panel.html", {"url": url}
