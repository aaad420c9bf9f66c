import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import can, get_for, permission_required
from accounts.models import STAFF_ROLES
from appointments import grid, ics, selectors, services
from appointments.forms import CalendarFilterForm, CompanyInterviewForm, StatusForm
from appointments.models import CalendarFeed, CalendarPage, token_hash
from interviews.forms import RescheduleForm
from interviews.models import Interview
from matching import services as matching_services
from matching.models import CompanyInterview, Entry

# How far the feed reaches: back a month, ahead half a year.
FEED_PAST_DAYS, FEED_FUTURE_DAYS = 31, 186


@permission_required("view", CalendarPage)
def calendar(request: HttpRequest) -> HttpResponse:
    """A week or a month of the interviews the user's role shows them, Monday first."""
    staff = request.user.role in STAFF_ROLES
    recruiters = selectors.recruiters() if staff else []
    form = CalendarFilterForm(request.GET, recruiters=recruiters)
    values = form.cleaned_data if form.is_valid() else {}
    page = grid.page(values.get("view") or grid.WEEK, values.get("date") or timezone.localdate())
    recruiter = values.get("recruiter") if staff else None
    page.fill(
        selectors.appointments(
            user=request.user, starts=page.starts, ends=page.ends, recruiter=recruiter
        )
    )
    return render(
        request,
        "appointments/calendar.html",
        {
            "page": page,
            "links": _links(page, recruiter),
            "recruiters": recruiters,
            "recruiter": recruiter,
        },
    )


def _links(page: grid.Page, recruiter: int | None) -> dict[str, str]:
    """The addresses of the pages around this one, keeping its view and recruiter."""
    mine = {"recruiter": recruiter} if recruiter else {}

    def link(view: str, day: datetime.date | None) -> str:
        return "?" + urlencode({"view": view, **({"date": day.isoformat()} if day else {}), **mine})

    return {
        "previous": link(page.view, page.previous),
        "next": link(page.view, page.next),
        "today": link(page.view, None),
        "week": link(grid.WEEK, page.day),
        "month": link(grid.MONTH, page.day),
    }


def _portal_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation to a programme interview, for the user's calendar."""
    interview = get_for(
        request.user,
        Interview,
        pk,
        queryset=Interview.objects.select_related("candidate", "recruiter"),
    )
    appointment = selectors.interview_appointment(interview)
    body = ics.invitation(appointment, portal_url=_portal_url(request))
    return ics.response(body, filename=f"colloquio-{interview.pk}.ics")


def _company_interview(request: HttpRequest, pk: int, action: str = "view") -> CompanyInterview:
    return get_for(
        request.user,
        CompanyInterview,
        pk,
        action=action,
        queryset=selectors.company_interviews(request.user),
    )


def company_interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation to a company interview, for the user's calendar."""
    interview = _company_interview(request, pk)
    appointment = selectors.company_appointment(interview, request.user)
    body = ics.invitation(appointment, portal_url=_portal_url(request))
    return ics.response(body, filename=f"colloquio-azienda-{interview.pk}.ics")


def company_interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _company_interview(request, pk)
    can_change = can(request.user, "change", interview)
    return render(
        request,
        "appointments/company_interview_detail.html",
        {
            "interview": interview,
            "appointment": selectors.company_appointment(interview, request.user),
            "can_change": can_change,
            "status_form": StatusForm(initial={"status": interview.status}),
            "moves": interview.moves.select_related("by") if can_change else [],
        },
    )


def company_interview_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The matching officers arrange the interview a company asked for."""
    entry = get_for(
        request.user,
        Entry,
        pk,
        action="change",
        queryset=Entry.objects.select_related(
            "candidate", "shortlist__need__company", "shortlist__need__profile"
        ),
    )
    form = CompanyInterviewForm(request.POST or None, entry=entry, initial={"duration": 60})
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            interview = matching_services.company_interview_schedule(
                entry=entry,
                starts_at=form.starts_at,
                duration=values["duration"],
                mode=values["mode"],
                place=values["place"],
                attendees=values["attendees"],
                other_attendees=values["other_attendees"],
                actor=request.user,
                portal_url=_portal_url(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview arranged."))
            return redirect(interview)
    return render(
        request, "appointments/company_interview_form.html", {"entry": entry, "form": form}
    )


def company_interview_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _company_interview(request, pk, action="change")
    initial = RescheduleForm.initial_of(
        interview.starts_at, duration=interview.duration, mode=interview.mode, place=interview.place
    )
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            matching_services.company_interview_reschedule(
                interview=interview,
                starts_at=form.starts_at,
                duration=values["duration"],
                mode=values["mode"],
                place=values["place"],
                reason=values["reason"],
                actor=request.user,
                portal_url=_portal_url(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview moved."))
            return redirect(interview)
    return render(
        request,
        "appointments/company_interview_reschedule.html",
        {"interview": interview, "form": form},
    )


@require_POST
def company_interview_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _company_interview(request, pk, action="change")
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            matching_services.company_interview_set_status(
                interview=interview, status=form.cleaned_data["status"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Interview marked as: %(status)s.") % {"status": interview.get_status_display()},
            )
    return redirect(interview)


@permission_required("change", CalendarFeed)
def feed_manage(request: HttpRequest) -> HttpResponse:
    """The user's feed address: made (or made anew, which revokes the old one) on a POST and
    shown on that answer only, as only its hash is kept."""
    token = None
    if request.method == "POST":
        token = services.feed_create(user=request.user)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("appointments:feed", args=[token])) if token else ""
    answer = render(request, "appointments/feed_manage.html", {"feed": feed, "feed_url": url})
    answer["Cache-Control"] = "private, no-store"
    return answer


@require_POST
@permission_required("change", CalendarFeed)
def feed_revoke(request: HttpRequest) -> HttpResponse:
    if services.feed_revoke(user=request.user):
        messages.success(request, _("The calendar address no longer works."))
    return redirect("appointments:feed_manage")


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A user's feed, read by calendar apps without a login: the secret address is the key.
    An unknown or revoked address, or a deactivated user's, answers 404."""
    found = (
        CalendarFeed.objects.select_related("user", "user__organisation")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    if found is None or not can(found.user, "view", CalendarPage):
        raise Http404("No calendar here.")
    now = timezone.now()
    CalendarFeed.objects.filter(pk=found.pk).update(last_read_at=now)
    found_appointments = selectors.appointments(
        user=found.user,
        starts=now - datetime.timedelta(days=FEED_PAST_DAYS),
        ends=now + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )
    body = ics.feed(found_appointments, portal_url=settings.PORTAL_URL.rstrip("/"))
    return ics.response(body, filename="focus.ics", attachment=False)
