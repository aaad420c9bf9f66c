from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.selectors import home_figures


def home(request: HttpRequest) -> HttpResponse:
    """Each role's starting page: who and where the user is, and the figures of their scope."""
    return render(
        request,
        "reports/home.html",
        {"figures": home_figures(request.user), "organisation": request.user.organisation},
    )
