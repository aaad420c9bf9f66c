"""Pages that answer an action in place: a form marked with `hx-post` (htmx, served from
static/vendor/htmx) sends its request with the `HX-Request` header and swaps the answer into
the page, so the user keeps their place; without JavaScript the same form posts and the view
redirects back to the row it came from."""

from dataclasses import dataclass

from django.http import HttpRequest


def in_place(request: HttpRequest) -> bool:
    """Whether the request came from htmx and wants a fragment, not a redirect."""
    return request.headers.get("HX-Request") == "true"


@dataclass(frozen=True)
class Said:
    """What an action answered, told beside what it changed: `ok` for done, else refused."""

    text: str
    ok: bool = True
