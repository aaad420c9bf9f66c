from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, get_for, permission_required, require
from audit.models import AuditEvent
from audit.services import audit_record
from catalog.versions import StaleEdit, stale_refuse
from focus.forms import form_submit
from focus.lists import Sorting, in_order, list_page, search_text
from focus.pickers import options_response
from interviews import selectors, services
from interviews.forms import (
    ActionFormSet,
    AssessmentForm,
    AssignForm,
    InterviewFilterForm,
    InterviewStatusForm,
    RescheduleForm,
    TrancheForm,
    action_initial,
    action_inputs,
    actions_refuse,
    assignable_candidates,
    candidate_label,
)
from interviews.models import Assessment, Interview, Tranche


@permission_required("agenda", Interview)
def agenda(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when", "")
    if when not in selectors.AgendaShow.CHOICES:
        when = selectors.AgendaShow.UPCOMING
    interviews = selectors.agenda(actor=request.user, when=when)
    listing = list_page(request, interviews, per_page=30)
    page = listing.page
    # The agenda is the recruiters' page (`Interview.permits`): their past interviews leave
    # it with their access to the person, and the page says after how long.
    return render(
        request,
        "interviews/agenda.html",
        {
            "listing": listing,
            "page": page,
            "when": when,
            "past": when in {selectors.AgendaShow.PAST, selectors.AgendaShow.MISSING},
            "access_days": settings.RECRUITER_ACCESS_DAYS,
        },
    )


INTERVIEW_SORTING = Sorting(
    columns={
        "when": ("scheduled_at",),
        "candidate": ("candidate__last_name", "candidate__first_name", "scheduled_at"),
        "recruiter": ("recruiter__last_name", "recruiter__first_name", "scheduled_at"),
        "tranche": ("-tranche__starts_on", "tranche__name", "scheduled_at"),
        "status": (in_order("status", Interview.Status.values), "scheduled_at"),
        "class": (F("assessment__employability").asc(nulls_last=True), "scheduled_at"),
    },
    default="when",
)


@permission_required("list", Interview)
def interview_list(request: HttpRequest) -> HttpResponse:
    filters = InterviewFilterForm(request.GET or None, actor=request.user)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    interviews = selectors.interview_list(actor=request.user, **criteria)
    listing = list_page(request, interviews, per_page=30, sorting=INTERVIEW_SORTING)
    return render(
        request,
        "interviews/interview_list.html",
        {"filters": filters, "listing": listing, "page": listing.page},
    )


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
            "can_change": can(request.user, "change", interview),
            "moves": interview.moves.select_related("by"),
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
        try:
            services.interview_set_status(interview=interview, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Interview marked as: %(status)s.") % {"status": interview.get_status_display()},
            )
    return redirect(interview)


def interview_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an interview to another day or time; refused, with when the other appointment
    is, when it clashes."""
    interview = get_for(
        request.user, Interview, pk, action="change", queryset=Interview.objects.with_people()
    )
    initial = RescheduleForm.initial_of(
        interview.scheduled_at,
        duration=interview.duration,
        mode=interview.mode,
        place=interview.place,
    )
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.interview_reschedule(
                interview=interview,
                starts_at=form.starts_at,
                duration=values["duration"],
                mode=values["mode"],
                place=values["place"],
                reason=values["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview moved."))
            return redirect(interview)
    return render(
        request, "interviews/interview_reschedule.html", {"interview": interview, "form": form}
    )


@permission_required("list", Tranche)
def tranche_list(request: HttpRequest) -> HttpResponse:
    query = search_text(request)
    tranches = selectors.tranche_list(actor=request.user, q=query)
    listing = list_page(request, tranches, per_page=10, query=query)
    return render(
        request,
        "interviews/tranche_list.html",
        {
            "listing": listing,
            "page": listing.page,
            "figures": selectors.tranches_figures(listing.page),
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
    interviews = tranche.interviews.select_related("candidate", "recruiter", "assessment")
    listing = list_page(request, interviews, per_page=50, sorting=INTERVIEW_SORTING)
    return render(
        request,
        "interviews/tranche_detail.html",
        {
            "tranche": tranche,
            "figures": selectors.tranche_figures(tranche=tranche),
            "form": form,
            "listing": listing,
            "page": listing.page,
        },
    )


@permission_required("create", Tranche)
def tranche_create(request: HttpRequest) -> HttpResponse:
    form = TrancheForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tranche = form_submit(form, services.tranche_create, **form.cleaned_data)
        if tranche is not None:
            messages.success(request, _("Tranche %(name)s created.") % {"name": tranche})
            return redirect(tranche)
    return render(request, "interviews/tranche_form.html", {"form": form})


def tranche_update(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = get_for(request.user, Tranche, pk, action="change")
    form = TrancheForm(request.POST or None, instance=tranche)
    if (
        request.method == "POST"
        and form.is_valid()
        and form_submit(form, services.tranche_update, tranche=tranche, **form.cleaned_data)
    ):
        messages.success(request, _("Changes to %(name)s saved.") % {"name": tranche})
        return redirect(tranche)
    return render(request, "interviews/tranche_form.html", {"form": form, "tranche": tranche})


def tranche_candidate_options(request: HttpRequest, pk: int) -> JsonResponse:
    """The candidates the tranche's pick list offers for what was typed (focus.pickers)."""
    tranche = get_for(request.user, Tranche, pk, action="assign")
    return options_response(
        request,
        assignable_candidates(tranche=tranche, actor=request.user),
        search=["first_name", "last_name", "codice_fiscale"],
        label=candidate_label,
    )
