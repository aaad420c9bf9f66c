import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.utils import ErrorDict
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, get_for, permission_required, require
from accounts.ratelimit import rate_refusal
from audit.models import AuditEvent
from audit.services import audit_record
from candidates import importing, selectors, services
from candidates.forms import (
    CandidateFilterForm,
    CandidateForm,
    CertificationFormSet,
    ConsentChangeForm,
    ExperienceFormSet,
    LanguageFormSet,
    StatusChangeForm,
    formset_kept,
)
from candidates.models import Candidate, Consent, DuplicateReview
from candidates.panels import candidate_panels
from catalog.models import Comune
from catalog.versions import StaleEdit, stale_refuse
from focus.lists import Sorting, in_order, list_page
from focus.pickers import options_response
from focus.spreadsheets import import_page, template_response
from imports.views import background_import

CANDIDATE_SORTING = Sorting(
    columns={
        "name": ("last_name", "first_name"),
        "comune": (F("residence_comune__name").asc(nulls_last=True), "last_name", "first_name"),
        "centre": ("centre__name", "last_name", "first_name"),
        "caseworker": (
            F("caseworker__last_name").asc(nulls_last=True),
            "caseworker__first_name",
            "last_name",
            "first_name",
        ),
        "status": (in_order("status", Candidate.Status.values), "last_name", "first_name"),
    },
    default="name",
)


@permission_required("list", Candidate)
def candidate_list(request: HttpRequest) -> HttpResponse:
    filters = CandidateFilterForm(request.GET or None, actor=request.user)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    candidates = selectors.candidate_list(actor=request.user, **criteria)
    listing = list_page(request, candidates, per_page=25, sorting=CANDIDATE_SORTING)
    return render(
        request,
        "candidates/candidate_list.html",
        {
            "filters": filters,
            "listing": listing,
            "page": listing.page,
            "can_create": can(request.user, "create", Candidate),
            "can_import": can(request.user, "import", Candidate),
        },
    )


@permission_required("list", Candidate)
def comune_options(request: HttpRequest) -> JsonResponse:
    """The comuni of residence the candidate list's filter offers for what was typed
    (focus.pickers): those of the programme's provinces, as the filter accepts."""
    return options_response(request, Comune.objects.local().order_by("name", "pk"), search=["name"])


def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_for(
        request.user, Candidate, pk, queryset=selectors.candidate_detail(actor=request.user)
    )
    audit_record(AuditEvent.Action.VIEW, candidate)
    return render(
        request,
        "candidates/candidate_detail.html",
        {
            "candidate": candidate,
            "today": timezone.localdate(),
            "can_change": can(request.user, "change", candidate),
            "show_sensitive": can(request.user, "view_sensitive", candidate),
            "status_form": StatusChangeForm(candidate=candidate),
            "panels": candidate_panels(request=request, candidate=candidate),
            "consent_rows": [
                (purpose, purpose.label, getattr(candidate, field))
                for purpose, field in services.CONSENT_FIELDS.items()
            ],
        },
    )


@permission_required("create", Candidate)
def candidate_create(request: HttpRequest) -> HttpResponse:
    return _intake(request, Candidate())


def candidate_update(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_for(request.user, Candidate, pk, action="change")
    return _intake(request, candidate)


def _intake(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """The sectioned intake form with its languages, experiences and certifications. "Save
    as draft" keeps an incomplete record; "Register" asks for everything matching needs."""
    register = request.POST.get("action") != "draft"
    data = request.POST or None
    form = CandidateForm(data, instance=candidate, actor=request.user)
    formsets = {
        name: formset(data, instance=candidate, prefix=name)
        for name, formset in (
            ("languages", LanguageFormSet),
            ("experiences", ExperienceFormSet),
            ("certifications", CertificationFormSet),
        )
    }
    if request.method == "POST" and (refusal := rate_refusal(request.user, "intake_check")):
        # The duplicate check says whether a person is known: not at any pace. What was
        # typed is shown again, unsaved and unchecked (the form is not validated at all).
        form._errors, form.cleaned_data = ErrorDict(), {}
        messages.error(request, refusal)
        response = _intake_page(request, form, formsets, candidate)
        response.status_code = 429
        return response
    if request.method == "POST" and _all_valid(form, *formsets.values()):
        try:
            saved = _save(request, form, formsets, register=register)
        except StaleEdit:
            fresh = get_for(request.user, Candidate, candidate.pk, action="change")
            stale_refuse(form, CandidateForm(instance=fresh, actor=request.user))
            return _intake_page(request, form, formsets, candidate)
        except ValidationError as refusal:
            form.refusal_show(refusal, certifications=formsets["certifications"])
            return _intake_page(request, form, formsets, candidate)
        if saved.status == Candidate.Status.DRAFT:
            messages.success(request, _("Draft of %(name)s saved.") % {"name": saved})
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": saved})
        certifications = formsets["certifications"]
        kept = formset_kept(certifications)
        for link in certifications.forms:
            if link.instance in kept and (note := link.expiry_note()):
                messages.warning(request, note)
        return redirect(saved)
    if request.method == "POST":
        _problems_too(request, form, formsets, register=register)
    return _intake_page(request, form, formsets, candidate)


def _problems_too(request: HttpRequest, form, formsets, *, register: bool) -> None:
    """A form refused for what was typed hears at once what the services would refuse of the
    rest (completeness, consents, duplicates), rather than on the next try: one round of
    corrections. A field already wrong keeps its own message only."""
    cleaned = form.cleaned_data
    problems = services.candidate_problems(
        candidate=form.instance,
        actor=request.user,
        register=register,
        consents={
            purpose: cleaned[field]
            for purpose, field in services.CONSENT_FIELDS.items()
            if field in cleaned
        },
        confirm_duplicates=cleaned.get("confirm_duplicates", False),
    )
    fresh = {field: errors for field, errors in problems.items() if field not in form.errors}
    if fresh:
        form.refusal_show(ValidationError(fresh), certifications=formsets["certifications"])


def _intake_page(request, form, formsets, candidate) -> HttpResponse:
    return render(
        request,
        "candidates/candidate_form.html",
        {
            "form": form,
            **formsets,
            "formset_errors": sum(formset.total_error_count() for formset in formsets.values()),
            "notice_version": settings.PRIVACY_NOTICE_VERSION,
            "candidate": candidate if candidate.pk else None,
        },
    )


def _all_valid(*forms_and_formsets) -> bool:
    results = [item.is_valid() for item in forms_and_formsets]  # every one, for all errors
    return all(results)


def _save(request, form, formsets, *, register: bool) -> Candidate:
    """Write what the forms read through the services. The candidate is `form.instance`,
    which the form's validation built from what was typed (`construct_instance`); the rows
    of the formsets likewise."""
    kept = {name: formset_kept(formset) for name, formset in formsets.items()}
    writes = {
        "actor": request.user,
        "register": register,
        "skills": form.cleaned_data["skills"],
        "languages": kept["languages"],
        "experiences": kept["experiences"],
        "certifications": kept["certifications"],
        "consents": {
            purpose: form.cleaned_data[field] for purpose, field in services.CONSENT_FIELDS.items()
        },
        "confirm_duplicates": form.cleaned_data["confirm_duplicates"],
    }
    if form.instance.pk is None:
        return services.candidate_register(candidate=form.instance, **writes)
    return services.candidate_update(
        candidate=form.instance, expected_version=form.expected_version, **writes
    )


@require_POST
def candidate_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_for(request.user, Candidate, pk, action="change")
    form = StatusChangeForm(request.POST, candidate=candidate)
    if form.is_valid():
        services.candidate_set_status(
            candidate=candidate,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
    return redirect(candidate)


@require_POST
def candidate_set_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """A consent given, or withdrawn once the page that says what the withdrawal does was
    confirmed (`candidate_consent_withdraw`): a withdrawal is never one stray click."""
    candidate = get_for(request.user, Candidate, pk, action="change")
    form = ConsentChangeForm(request.POST)
    if not form.is_valid():
        return redirect(candidate)
    purpose, granted = form.cleaned_data["purpose"], form.cleaned_data["granted"]
    if not granted and not form.cleaned_data["confirmed"]:
        url = reverse("candidates:consent_withdraw", args=[candidate.pk])
        return redirect(f"{url}?{urlencode({'purpose': purpose})}")
    services.consents_apply(candidate=candidate, consents={purpose: granted}, actor=request.user)
    label = Consent(purpose).label
    if granted:
        messages.success(request, _("Consent recorded: %(purpose)s.") % {"purpose": label})
    else:
        messages.success(
            request,
            _("Consent withdrawn: %(purpose)s. %(effect)s")
            % {"purpose": label, "effect": services.withdrawal_effect(purpose)},
        )
    return redirect(candidate)


def candidate_consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """What withdrawing each of the candidate's consents does, to confirm before it is done
    (the one asked for with `?purpose=`, or every consent given)."""
    candidate = get_for(request.user, Candidate, pk, action="change")
    given = [p for p, field in services.CONSENT_FIELDS.items() if getattr(candidate, field)]
    asked = [p for p in given if p == request.GET.get("purpose")] or given
    rows = [(p, Consent(p).label, services.withdrawal_effect(p)) for p in asked]
    return render(
        request, "candidates/consent_withdraw.html", {"candidate": candidate, "rows": rows}
    )


@permission_required("import", Candidate)
def candidate_import(request: HttpRequest) -> HttpResponse:
    """A centre's list of people from Excel: all of it is imported, or the problems are
    listed. Caseworkers import into their own centre, staff choose one. A file refused as a
    whole answers with its status (ImportRefused.status)."""
    form = importing.CandidateImportForm(
        request.POST or None, request.FILES or None, actor=request.user
    )
    return import_page(
        request,
        form=form,
        run=lambda data: importing.import_candidates(
            data["file"],
            centre=form.import_centre(),
            actor=request.user,
            dry_run=data["dry_run"],
            confirm_duplicates=data["confirm_duplicates"],
        ),
        template="candidates/candidate_import.html",
        again_url=reverse("candidates:import"),
        done_url=reverse("candidates:list"),
        template_url=reverse("candidates:import_template"),
        too_many=lambda: rate_refusal(request.user, "candidate_import"),
        queue=lambda data: background_import(
            request,
            kind="candidates",
            data=data,
            params={
                "centre": form.import_centre().pk,
                "confirm_duplicates": data["confirm_duplicates"],
            },
        ),
    )


@permission_required("import", Candidate)
def candidate_import_template(request: HttpRequest) -> FileResponse:
    return template_response(importing.SPECS, "focus-candidati.xlsx")


# Possible duplicates across centres: the programme office's review ---------------------------


@permission_required("list", DuplicateReview)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    settled = request.GET.get("show") == "settled"
    reviews = selectors.duplicate_list(actor=request.user, settled=settled)
    listing = list_page(request, reviews, per_page=30)
    return render(
        request,
        "candidates/duplicate_list.html",
        {"listing": listing, "page": listing.page, "settled": settled},
    )


DUPLICATE_FIELDS = (
    "codice_fiscale",
    "first_name",
    "last_name",
    "birth_date",
    "phone",
    "email",
    "residence_comune",
    "status",
    "created_at",
)


def duplicate_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_for(
        request.user,
        DuplicateReview,
        pk,
        action="view",
        queryset=DuplicateReview.objects.select_related(
            "candidate__centre",
            "candidate__residence_comune",
            "existing__centre",
            "existing__residence_comune",
            "decided_by",
        ),
    )
    if request.method == "POST":
        require(request.user, "decide", review)
        decide = {"merge": services.duplicate_merge, "apart": services.duplicate_keep_apart}
        action = decide.get(request.POST.get("decision", ""))
        if action is None:
            return HttpResponseBadRequest()
        if action is services.duplicate_merge and not request.POST.get("sure"):
            messages.error(request, _("Tick the confirmation to merge the two records."))
            return redirect(review)
        try:
            action(review=review, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The possible duplicate is settled."))
        return redirect("candidates:duplicate_list")
    rows = []
    for name in DUPLICATE_FIELDS:
        field = Candidate._meta.get_field(name)
        values = [
            _shown(record, field) if record is not None else "—"
            for record in (review.candidate, review.existing)
        ]
        rows.append((field.verbose_name, values, len(set(values)) == 1))
    return render(request, "candidates/duplicate_review.html", {"review": review, "rows": rows})


def _shown(record: Candidate, field) -> str:
    value = getattr(record, field.name)
    if field.choices:
        return str(getattr(record, f"get_{field.name}_display")())
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value) if value not in (None, "") else "—"
