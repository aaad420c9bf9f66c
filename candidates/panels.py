"""Sections other apps add to the candidate page, without this app importing them.

An app names a function on its AppConfig as `candidate_panel = "app.module.function"` (or
a tuple of such paths, for sections of its own each); the function takes the request and the
candidate and returns (template, context), or None when it has nothing to show that user.
"""

from django.http import HttpRequest

from accounts.hooks import panels
from candidates.models import Candidate


def candidate_panels(*, request: HttpRequest, candidate: Candidate) -> list[tuple[str, dict]]:
    return panels("candidate_panel", request=request, candidate=candidate)
