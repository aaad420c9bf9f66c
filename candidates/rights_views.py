"""The data subject's rights on a candidate's page (candidates.rights): the programme office
downloads everything held about the person, or erases their data."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import can, get_for
from audit.models import AuditEvent
from audit.services import audit_record
from candidates import rights
from candidates.models import Candidate
from focus.spreadsheets.writing import workbook_response


def candidate_rights_panel(*, request: HttpRequest, candidate: Candidate) -> tuple | None:
    """The rights section of the candidate's page, for those who may act on them. Asks the
    database nothing."""
    can_export = can(request.user, "export_data", candidate)
    can_erase = can(request.user, "erase", candidate)
    if not (can_export or can_erase):
        return None
    return "candidates/candidate_rights_panel.html", {
        "candidate": candidate,
        "can_export": can_export,
        "can_erase": can_erase,
    }


def _exported(request: HttpRequest, pk: int) -> tuple[Candidate, list[rights.Section]]:
    """The candidate's data for an export, recorded in the audit trail with how many records."""
    candidate = get_for(request.user, Candidate, pk, action="export_data")
    sections = rights.subject_data(candidate)
    audit_record(AuditEvent.Action.EXPORT, candidate, count=rights.records_count(sections))
    return candidate, sections


@require_GET
def candidate_data(request: HttpRequest, pk: int) -> HttpResponse:
    """What the portal holds about the person, to read or print and hand to them."""
    candidate, sections = _exported(request, pk)
    consents = candidate.consents.select_related("recorded_by").order_by("recorded_at", "pk")
    return render(
        request,
        "candidates/candidate_data.html",
        {
            "candidate": candidate,
            "identity": sections[0].entries()[0],
            "sections": sections[1:],
            "consents": consents,
            "shared": rights.shared_with(candidate),
            "retention": rights.retention_of(candidate),
        },
    )


@require_GET
def candidate_data_workbook(request: HttpRequest, pk: int) -> FileResponse:
    candidate, sections = _exported(request, pk)
    return workbook_response(
        lambda target: rights.workbook_write(target, candidate, sections),
        f"focus-dati-candidato-{candidate.pk}.xlsx",
    )


@require_GET
def candidate_data_json(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, sections = _exported(request, pk)
    response = HttpResponse(
        rights.subject_json(candidate, sections), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="focus-dati-candidato-{candidate.pk}.json"'
    )
    return response


@require_POST
def candidate_erase(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_for(request.user, Candidate, pk, action="erase")
    if not request.POST.get("sure"):
        messages.error(request, _("Tick the confirmation to erase the person's data."))
        return redirect(candidate)
    try:
        rights.candidate_erase(candidate=candidate, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The data of candidate no. %(number)s were erased: what is left counts in the "
                "programme's figures and proves the consents given."
            )
            % {"number": candidate.pk},
        )
    return redirect(candidate)
