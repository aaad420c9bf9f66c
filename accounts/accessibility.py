"""The portal's accessibility statement, and the programme office's contacts that every page's
footer gives.

The statement follows the shape of the Italian "dichiarazione di accessibilità": the standard
the portal is measured against, how far it conforms, how that was checked, what is known not
to conform, and whom to write to. It is public, like the privacy pages: anyone who meets the
portal may ask how to reach it another way. STATEMENT_DATE changes whenever its text does.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

# When the statement was last written: the checks it describes are those of the tests then.
STATEMENT_DATE = datetime.date(2026, 12, 3)


def programme_office() -> dict:
    """The programme office's name and contacts, as configured (PROGRAMME_OFFICE_* settings);
    `phone` is empty when none is set."""
    return {
        "name": settings.PROGRAMME_OFFICE,
        "address": settings.PROGRAMME_OFFICE_ADDRESS,
        "email": settings.PROGRAMME_OFFICE_EMAIL,
        "phone": settings.PROGRAMME_OFFICE_PHONE,
    }


@login_not_required
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, dated, with the office to write to."""
    context = {
        "office": programme_office(),
        "statement_date": STATEMENT_DATE,
        "portal_url": request.build_absolute_uri("/"),
    }
    return render(request, "accessibility/statement.html", context)
