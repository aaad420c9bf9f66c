from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, get_for, permission_required, require, scope
from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from catalog.versions import StaleEdit, stale_refuse
from interviews import selectors, services
from interviews.forms import (
    ActionFormSet,
    AssessmentForm,
    AssignForm,
    InterviewFilterForm,
    InterviewStatusForm,
    TrancheForm,
    action_initial,
    action_inputs,
    actions_refuse,
)
from interviews.models import Assessment, Interview, Tranche


@permission_required("agenda", Interview)
def agenda(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    interviews = selectors.agenda(actor=request.user, past=past)
    page = Paginator(interviews, 30).get_page(request.GET.get("page"))
    # A recruiter's past interviews leave the agenda with their access to the person: the
    # page says after how long.
    access_days = settings.RECRUITER_ACCESS_DAYS if request.user.role == User.Role.RECRUITER else 0
    return render(
        request,
        "interviews/agenda.html",
        {"page": page, "past": past, "access_days": access_days},
    )


@permission_required("list", Interview)
def interview_list(request: HttpRequest) -> HttpResponse:
    filters = InterviewFilterForm(request.GET or None, actor=request.user)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    interviews = selectors.interview_list(actor=request.user, **criteria)
    page = Paginator(interviews, 30).get_page(request.GET.get("page"))
    return render(request, "interviews/interview_list.html", {"filters": filters, "page": page})


def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_for(
        request.user, Interview, pk, action="view", queryset=Interview.objects.with_people()
    )
    assessment = (
        Assessment.objects.filter(interview=interview)
        .prefetch_related(
            "obstacles", "suitable_profiles__profile", "actions__profile", "actions__certification"
        )
        .first()
    )
    audit_record(
        AuditEvent.Action.VIEW, assessment or interview, candidate_id=interview.candidate_id
    )
    return render(
        request,
        "interviews/interview_detail.html",
        {
            "interview": interview,
            "assessment": assessment,
            "can_assess": can(request.user, "assess", interview),
            "status_form": InterviewStatusForm(),
        },
    )


def interview_assess(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_for(
        request.user, Interview, pk, action="assess", queryset=Interview.objects.with_people()
    )
    assessment = Assessment.objects.filter(interview=interview).first()
    candidate = interview.candidate
    if request.method == "GET" and assessment is not None:  # the form shows what it holds
        audit_record(AuditEvent.Action.VIEW, assessment, candidate_id=candidate.pk)
    form = AssessmentForm(
        request.POST or None,
        initial=AssessmentForm.initial_from(assessment, candidate),
        instance=assessment,
    )
    # Posted, every row not left blank nor ticked for deletion is an action: compared with
    # the actions as they are now, a row the user left as it was would count as none.
    actions = (
        ActionFormSet(request.POST, prefix="actions")
        if request.method == "POST"
        else ActionFormSet(
            prefix="actions",
            initial=action_initial(assessment.actions.all() if assessment else []),
        )
    )
    if request.method == "POST" and all([form.is_valid(), actions.is_valid()]):
        try:
            _assessment_save(request, interview, form, actions)
        except StaleEdit:
            fresh = _assessment_form(
                get_for(
                    request.user,
                    Interview,
                    pk,
                    action="assess",
                    queryset=Interview.objects.with_people(),
                )
            )
            stale_refuse(form, fresh)
            actions = actions_refuse(form, actions, fresh.instance)
        else:
            messages.success(request, _("Assessment of %(name)s recorded.") % {"name": candidate})
            return redirect(interview)
    return render(
        request,
        "interviews/assessment_form.html",
        {"interview": interview, "form": form, "actions": actions, "assessment": assessment},
    )


def _assessment_save(request, interview: Interview, form: AssessmentForm, actions) -> None:
    data = form.cleaned_data
    services.assessment_record(
        interview=interview,
        actor=request.user,
        employability=data["employability"],
        obstacles=form.obstacles(),
        suitable_profiles=form.suitable_profiles(),
        actions=action_inputs(actions),
        verified_skills=data["verified_skills"],
        verified_certifications=data["verified_certifications"],
        verified_italian_level=data["verified_italian_level"],
        confidential_notes=data["confidential_notes"],
        next_review_on=data["next_review_on"],
        expected_version=form.expected_version,
    )


def _assessment_form(interview: Interview) -> AssessmentForm:
    """The assessment form opened now on `interview`'s assessment, as it is now."""
    assessment = Assessment.objects.filter(interview=interview).first()
    return AssessmentForm(
        initial=AssessmentForm.initial_from(assessment, interview.candidate),
        instance=assessment,
    )


@require_POST
def interview_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_for(request.user, Interview, pk, action="change")
    form = InterviewStatusForm(request.POST)
    if form.is_valid():
        services.interview_set_status(interview=interview, status=form.cleaned_data["status"])
        messages.success(
            request,
            _("Interview marked as: %(status)s.") % {"status": interview.get_status_display()},
        )
    return redirect(interview)


@permission_required("list", Tranche)
def tranche_list(request: HttpRequest) -> HttpResponse:
    tranches = scope(request.user, Tranche)
    return render(
        request,
        "interviews/tranche_list.html",
        {
            "figures": selectors.tranches_figures(tranches),
            "can_create": can(request.user, "create", Tranche),
        },
    )


def tranche_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = get_for(request.user, Tranche, pk, action="view")
    form = AssignForm(request.POST or None, tranche=tranche, actor=request.user)
    if request.method == "POST":
        require(request.user, "assign", tranche)
        if form.is_valid():
            try:
                created = services.tranche_assign(tranche=tranche, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("%(count)d interviews scheduled.") % {"count": len(created)}
                )
                return redirect(tranche)
    return render(
        request,
        "interviews/tranche_detail.html",
        {
            "tranche": tranche,
            "figures": selectors.tranche_figures(tranche=tranche),
            "form": form,
            "interviews": tranche.interviews.select_related("candidate", "recruiter", "assessment"),
        },
    )


@permission_required("create", Tranche)
def tranche_create(request: HttpRequest) -> HttpResponse:
    form = TrancheForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tranche = form.save()
        messages.success(request, _("Tranche %(name)s created.") % {"name": tranche})
        return redirect(tranche)
    return render(request, "interviews/tranche_form.html", {"form": form})


def tranche_update(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = get_for(request.user, Tranche, pk, action="change")
    form = TrancheForm(request.POST or None, instance=tranche)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to %(name)s saved.") % {"name": tranche})
        return redirect(tranche)
    return render(request, "interviews/tranche_form.html", {"form": form, "tranche": tranche})
