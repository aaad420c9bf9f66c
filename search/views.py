from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from focus.lists import SEARCH_MAX_CHARS, search_text
from search import selectors

# The search page's address holds what was typed (names, codici fiscali): a page opened
# from it is told only the portal's origin, never the address. Not "no-referrer": a form
# posted from the page (log out, the language) would then say its origin is "null", which
# the CSRF check refuses.
REFERRER_POLICY = "strict-origin"


@require_GET
def search_results(request: HttpRequest) -> HttpResponse:
    """What the user finds with `?q=`, grouped by kind, each group linking to its list."""
    if not selectors.searchable(request.user):
        raise PermissionDenied
    text = search_text(request)
    groups = selectors.portal_search(actor=request.user, text=text) if text else []
    response = render(
        request,
        "search/results.html",
        {"query": text, "groups": groups, "max_chars": SEARCH_MAX_CHARS},
    )
    response.headers["Referrer-Policy"] = REFERRER_POLICY
    patch_cache_control(response, no_store=True, private=True)
    return response
