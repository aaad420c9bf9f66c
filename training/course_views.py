"""Pages of the training courses: the catalogue, a course with its sessions, enrolments and
attendance, what it would change (the what-if), and what member companies offer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, get_for, permission_required, require, scope
from accounts.models import User
from candidates.models import Candidate
from companies.models import Company, Need
from focus.lists import Sorting, in_order, list_page, search_text
from training import planning, selectors, services
from training.forms import (
    AttendanceForm,
    CourseFilterForm,
    CourseForm,
    CourseMoveForm,
    CourseOfferForm,
    CourseSessionForm,
    EnrolmentDropForm,
    EnrolmentFilterForm,
    EnrolmentProposeForm,
    GraduateInterestForm,
)
from training.models import Course, CourseOffer, CourseSession, Enrolment, GraduateInterest


def _course(request: HttpRequest, pk: int, action: str = "view") -> Course:
    course = get_for(
        request.user, Course, pk, action=action, queryset=Course.objects.with_details()
    )
    return course


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


COURSE_SORTING = Sorting(
    columns={
        "title": ("title",),
        "host": (F("host__organisation__name").asc(nulls_last=True), "title"),
        "starts": (F("starts_on").asc(nulls_last=True),),
        "taken": ("taken",),
        "completed": ("completed",),
        "status": (in_order("status", Course.Status.values), "title"),
    },
    default="-starts",
    descending_first=frozenset({"starts", "taken", "completed"}),
)


@permission_required("list", Course)
def course_list(request: HttpRequest) -> HttpResponse:
    filters = CourseFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    courses = selectors.course_list(
        actor=request.user,
        status=criteria.get("status", ""),
        profile=criteria.get("profile"),
        q=criteria.get("q", ""),
    )
    listing = list_page(request, courses, per_page=25, sorting=COURSE_SORTING)
    return render(
        request,
        "training/course_list.html",
        {
            "filters": filters,
            "listing": listing,
            "page": listing.page,
            "can_create": can(request.user, "create", Course),
        },
    )


ENROLMENT_SORTING = Sorting(
    columns={
        "candidate": ("candidate__last_name", "candidate__first_name"),
        "course": ("course__title",),
        "status": (in_order("status", Enrolment.Status.values),),
        "attendance": (F("attended_percent").asc(nulls_first=True),),
        "finished": (F("finished_on").asc(nulls_first=True), "created_at"),
    },
    default="-finished",
    descending_first=frozenset({"attendance", "finished"}),
)


@permission_required("list", Enrolment)
def enrolment_list(request: HttpRequest) -> HttpResponse:
    """The enrolments the user may see (their own candidates' for a caseworker), by status
    and reason: the dashboard's course outcomes link here."""
    filters = EnrolmentFilterForm(request.GET or None)
    rows = selectors.enrolment_list(actor=request.user, **filters.criteria())
    listing = list_page(request, rows, per_page=30, sorting=ENROLMENT_SORTING)
    return render(
        request,
        "training/enrolment_list.html",
        {"filters": filters, "listing": listing, "page": listing.page},
    )


def _save(request: HttpRequest, form: CourseForm, course: Course | None) -> HttpResponse:
    data = form.cleaned_data
    try:
        saved = services.course_save(
            course=form.instance,
            actor=request.user,
            profiles=data["profiles"],
            skills=data["skills"],
            certifications=data["certifications"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "training/course_form.html", {"form": form, "course": course})
    messages.success(request, _("Course saved."))
    return redirect(saved)


@permission_required("create", Course)
def course_create(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, None)
    return render(request, "training/course_form.html", {"form": form})


def course_update(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, course)
    return render(request, "training/course_form.html", {"form": form, "course": course})


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    user = request.user
    context = {
        "course": course,
        "sessions": selectors.course_sessions(course=course),
        "moves": course.next_steps() if can(user, "move", course) else [],
        "can_change": can(user, "change", course) and course.status != Course.Status.COMPLETED,
        "can_attend": can(user, "attend", course) and course.status == Course.Status.RUNNING,
        "can_enrol": can(user, "enrol", course),
        "session_form": CourseSessionForm() if can(user, "change", course) else None,
        "can_offer": can(user, "offer", course),
    }
    if not can(user, "view", Enrolment):
        # Those who may not read enrolments (company HR, `Enrolment.permits`) read codes,
        # statuses and attendance of the course's: never who is behind a code.
        context["codes"] = selectors.course_enrolment_codes(actor=user, course=course)
        context["interest_form"] = _interest_form(user, course)
    else:
        context["enrolments"] = selectors.course_enrolments(actor=user, course=course)
        if context["can_enrol"] and course.is_enrolling:
            context["suggestions"] = planning.course_suggestions(course=course)
        context["offers"] = (
            scope(user, CourseOffer).filter(course=course).select_related("company__organisation")
        )
        context["interests"] = (
            scope(user, Need)
            .filter(pk__in=GraduateInterest.objects.filter(course=course).values("need"))
            .select_related("company__organisation", "workplace")
        )
    return render(request, "training/course_detail.html", context)


@require_POST
def course_move(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "move")
    form = CourseMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That step is not possible."))
        return redirect(course)
    try:
        course = services.course_move(course=course, to=form.cleaned_data["to"], actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        if course.status == Course.Status.COMPLETED:
            done = course.enrolments.filter(status=Enrolment.Status.COMPLETED).count()
            messages.success(
                request,
                _("Course completed: %(n)d candidates got what it grants.") % {"n": done},
            )
        else:
            messages.success(request, _("Course updated."))
    return redirect(course)


@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    form = CourseSessionForm(request.POST)
    if form.is_valid():
        try:
            services.course_session_add(course=course, **form.cleaned_data)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Session added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(course)


@require_POST
def session_remove(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    course = _course(request, pk, "change")
    session = get_object_or_404(course.sessions, pk=session_pk)
    try:
        services.course_session_remove(session=session)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Session removed."))
    return redirect(course)


def attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    course = _course(request, pk, "attend")
    session = get_object_or_404(CourseSession.objects.filter(course=course), pk=session_pk)
    enrolled = course.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related(
        "candidate"
    )
    recorded = set(session.attendance.filter(present=True).values_list("enrolment", flat=True))
    form = AttendanceForm(
        request.POST or None, enrolments=enrolled, initial={"present": list(recorded)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                session=session, present=form.cleaned_data["present"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect(course)
    return render(
        request,
        "training/attendance_form.html",
        {"course": course, "session": session, "form": form},
    )


def course_what_if(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "enrol")
    what_if = planning.course_what_if(course=course)
    return render(request, "training/course_what_if.html", {"course": course, "what_if": what_if})


# Enrolments -----------------------------------------------------------------------------------


@require_POST
@permission_required("propose", Course)
def enrolment_propose(request: HttpRequest) -> HttpResponse:
    """Propose a candidate for a course, from the course's suggestions or the candidate's
    page; back to where the proposal was made."""
    user = request.user
    form = EnrolmentProposeForm(
        request.POST,
        candidates=scope(user, Candidate),
        courses=scope(user, Course).filter(status__in=Course.ENROLLING),
    )
    if not form.is_valid():
        messages.error(request, _("Choose the course and the candidate."))
        return redirect(_back(request, reverse("training:course_list")))
    course, candidate = form.cleaned_data["course"], form.cleaned_data["candidate"]
    require(user, "propose", course)
    try:
        services.enrolment_propose(
            course=course, candidate=candidate, actor=user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("%(candidate)s proposed for “%(course)s”.")
            % {"candidate": candidate, "course": course},
        )
    return redirect(_back(request, course.get_absolute_url()))


def _back(request: HttpRequest, default: str) -> str:
    """Where the form came from (`next`), if it is a page of this portal."""
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def _enrolment(request: HttpRequest, pk: int, action: str) -> Enrolment:
    enrolment = get_for(
        request.user,
        Enrolment,
        pk,
        action=action,
        queryset=Enrolment.objects.select_related("course", "candidate"),
    )
    return enrolment


@require_POST
def enrolment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment(request, pk, "enrol")
    try:
        services.enrolment_confirm(enrolment=enrolment, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Enrolment confirmed."))
    return redirect(enrolment.course)


def enrolment_drop(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment(request, pk, "drop")
    form = EnrolmentDropForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_drop(
                enrolment=enrolment,
                reason=form.cleaned_data["drop_reason"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The candidate left the course."))
            return redirect(enrolment.course)
    return render(request, "training/enrolment_drop.html", {"enrolment": enrolment, "form": form})


# What member companies offer -----------------------------------------------------------------


def _company(user: User) -> Company:
    return get_object_or_404(scope(user, Company))


OFFER_SORTING = Sorting(
    columns={
        "company": ("company__organisation__name", "-created_at"),
        "kind": (in_order("kind", CourseOffer.Kind.values), "-created_at"),
        "status": (in_order("status", CourseOffer.Status.values), "-created_at"),
        "created": ("created_at",),
    },
    default="-created",
)


@permission_required("list", CourseOffer)
def offer_list(request: HttpRequest) -> HttpResponse:
    query = search_text(request)
    offers = selectors.offer_list(actor=request.user, q=query)
    listing = list_page(request, offers, per_page=25, sorting=OFFER_SORTING, query=query)
    return render(
        request,
        "training/offer_list.html",
        {
            "listing": listing,
            "page": listing.page,
            "can_offer": can(request.user, "create", CourseOffer),
            "can_decide": can(request.user, "decide", CourseOffer),
        },
    )


@permission_required("create", CourseOffer)
def offer_create(request: HttpRequest) -> HttpResponse:
    company = _company(request.user)
    courses = scope(request.user, Course).filter(status__in=Course.ENROLLING)
    initial = {"course": request.GET.get("course")} if request.GET.get("course") else {}
    form = CourseOfferForm(request.POST or None, courses=courses, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_offer_make(company=company, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the programme office has your offer."))
            return redirect("training:offer_list")
    return render(request, "training/offer_form.html", {"form": form, "company": company})


@require_POST
def offer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_for(request.user, CourseOffer, pk, action="decide")
    try:
        services.course_offer_decide(
            offer=offer, status=request.POST.get("status", ""), actor=request.user
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Offer updated."))
    return redirect("training:offer_list")


def _interest_form(user: User, course: Course, data=None) -> GraduateInterestForm | None:
    if not can(user, "interest", course):
        return None
    needs = scope(user, Need).filter(status=Need.Status.OPEN, profile__in=course.profiles.all())
    return GraduateInterestForm(data, needs=needs.select_related("profile", "workplace"))


@require_POST
def interest_mark(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, "interest")
    form = _interest_form(request.user, course, request.POST)
    if form is not None and form.is_valid():
        try:
            services.graduate_interest_mark(
                course=course, need=form.cleaned_data["need"], actor=request.user
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(
                request, _("The programme office knows you are interested in the graduates.")
            )
    else:
        messages.error(request, _("Choose one of your open needs."))
    return redirect(course)
