from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.access import permission_required, require, scope
from candidates import selectors
from candidates.forms import CandidateFilterForm
from candidates.models import Candidate


@permission_required("list", Candidate)
def candidate_list(request: HttpRequest) -> HttpResponse:
    filters = CandidateFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    candidates = selectors.candidate_list(actor=request.user, **criteria)
    page = Paginator(candidates, 25).get_page(request.GET.get("page"))
    return render(request, "candidates/candidate_list.html", {"filters": filters, "page": page})


def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(
        scope(request.user, Candidate).select_related("centre", "caseworker"), pk=pk
    )
    require(request.user, "view", candidate)
    return render(request, "candidates/candidate_detail.html", {"candidate": candidate})
