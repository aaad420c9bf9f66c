"""Sections other apps add to the candidate page, without this app importing them.

An app names a function on its AppConfig as `candidate_panel = "app.module.function"` (or
a tuple of such paths, for sections of its own each); the function takes the request and the
candidate and returns (template, context), or None when it has nothing to show that user.
"""

from django.apps import apps
from django.http import HttpRequest
from django.utils.module_loading import import_string

from candidates.models import Candidate


def candidate_panels(*, request: HttpRequest, candidate: Candidate) -> list[tuple[str, dict]]:
    panels = []
    for config in apps.get_app_configs():
        paths = getattr(config, "candidate_panel", None) or ()
        for path in (paths,) if isinstance(paths, str) else paths:
            panel = import_string(path)(request=request, candidate=candidate)
            if panel is not None:
                panels.append(panel)
    return panels
