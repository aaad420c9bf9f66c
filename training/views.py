from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, get_for, permission_required, require
from candidates.models import Candidate
from focus.lists import Sorting, in_order, list_page
from training import selectors, services
from training.forms import (
    FollowUpFilterForm,
    FollowUpRecordForm,
    SupportActionFilterForm,
    SupportActionForm,
    SupportActionMoveForm,
)
from training.models import FollowUp, SupportAction
from training.selectors import FollowUpShow

ACTION_SORTING = Sorting(
    columns={
        "due": (F("due_on").asc(nulls_last=True), "-created_at"),
        "candidate": ("candidate__last_name", "candidate__first_name"),
        "kind": (in_order("kind", SupportAction.Kind.values),),
        "status": (in_order("status", SupportAction.Status.values),),
        "cost": (F("cost").asc(nulls_first=True),),
        "funding": (F("funding__name").asc(nulls_last=True),),
    },
    default="due",
    descending_first=frozenset({"cost"}),
)


@permission_required("list", SupportAction)
def action_list(request: HttpRequest) -> HttpResponse:
    filters = SupportActionFilterForm(request.GET or None)
    actions = selectors.support_action_list(actor=request.user, **filters.criteria())
    # How many and what they cost, in one query: the dashboard's cost figures link here.
    totals = actions.aggregate(count=Count("pk"), cost=Sum("cost"))
    # Counted already: the paginator need not count again.
    listing = list_page(
        request, actions, per_page=30, sorting=ACTION_SORTING, count=totals["count"]
    )
    return render(
        request,
        "training/action_list.html",
        {"filters": filters, "listing": listing, "page": listing.page, **totals},
    )


def action_create(request: HttpRequest, candidate_pk: int) -> HttpResponse:
    candidate = get_for(
        request.user,
        Candidate,
        candidate_pk,
        queryset=Candidate.objects.select_related("centre"),
    )
    require(request.user, "propose", SupportAction)
    form = SupportActionForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.support_action_propose(
                candidate=candidate, actor=request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Support action proposed."))
            return redirect(action)
    return render(request, "training/action_form.html", {"form": form, "candidate": candidate})


def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_for(
        request.user,
        SupportAction,
        pk,
        action="change",
        queryset=SupportAction.objects.select_related("candidate"),
    )
    if not action.is_open:
        messages.error(request, _("A finished action can no longer be changed."))
        return redirect(action)
    form = SupportActionForm(request.POST or None, instance=action, candidate=action.candidate)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.support_action_update(action=action, actor=request.user, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Support action updated."))
            return redirect(action)
    return render(
        request,
        "training/action_form.html",
        {"form": form, "candidate": action.candidate, "action": action},
    )


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_for(
        request.user,
        SupportAction,
        pk,
        action="view",
        queryset=SupportAction.objects.select_related(
            "candidate", "owner", "partner", "funding", "profile", "certification"
        ),
    )
    return render(
        request,
        "training/action_detail.html",
        {
            "action": action,
            "obstacles": action.obstacles.all(),
            "events": action.events.select_related("actor"),
            "moves": action.next_steps() if can(request.user, "move", action) else [],
            "can_change": action.is_open and can(request.user, "change", action),
        },
    )


@require_POST
def action_move(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_for(request.user, SupportAction, pk, action="move")
    form = SupportActionMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That step is not possible."))
        return redirect(action)
    data = form.cleaned_data
    try:
        services.support_action_move(
            action=action,
            to=data["to"],
            actor=request.user,
            outcome=data["outcome"],
            on=data["finished_on"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Support action updated."))
    return redirect(action)


FOLLOW_UP_SORTING = Sorting(
    columns={
        "due": ("due_on",),
        "check": ("months", "due_on"),
        "candidate": ("entry__candidate__last_name", "entry__candidate__first_name", "due_on"),
        "company": ("entry__shortlist__need__company__organisation__name", "due_on"),
        "done": (F("done_on").asc(nulls_first=True),),
    },
    default="due",
)


@permission_required("list", FollowUp)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    filters = FollowUpFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    checks = selectors.follow_up_list(
        actor=request.user,
        show=criteria.get("show") or FollowUpShow.PENDING,
        months=criteria.get("months"),
        profile=criteria.get("profile"),
        company=criteria.get("company"),
        employability=criteria.get("employability", ""),
        q=criteria.get("q", ""),
    )
    # The checks made open on the latest made; those to make, on the next due.
    sorting = FOLLOW_UP_SORTING
    if criteria.get("show") == FollowUpShow.DONE:
        sorting = replace(sorting, default="-done")
    listing = list_page(request, checks, per_page=30, sorting=sorting)
    return render(
        request,
        "training/follow_up_list.html",
        {
            "filters": filters,
            "listing": listing,
            "page": listing.page,
            "can_record": can(request.user, "record", FollowUp),
        },
    )


def _follow_up(request: HttpRequest, pk: int, action: str) -> FollowUp:
    return get_for(
        request.user,
        FollowUp,
        pk,
        action=action,
        queryset=FollowUp.objects.select_related(
            "entry__candidate",
            "entry__shortlist__need__company__organisation",
            "entry__shortlist__need__profile",
            "recorded_by",
        ),
    )


def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up(request, pk, "view")
    return render(
        request,
        "training/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "placement": follow_up.entry,
            "checks": follow_up.entry.follow_ups.order_by("months"),
            "can_record": follow_up.is_pending and can(request.user, "record", follow_up),
        },
    )


def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up(request, pk, "record")
    try:
        services.follow_up_check_pending(follow_up=follow_up)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(follow_up)
    form = FollowUpRecordForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(follow_up=follow_up, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) in services.CLOSED:  # recorded meanwhile
                messages.error(request, " ".join(error.messages))
                return redirect(follow_up)
            form.add_error(None, error)
        else:
            messages.success(request, _("Follow-up check recorded."))
            return redirect(follow_up)
    return render(
        request,
        "training/follow_up_form.html",
        {"form": form, "follow_up": follow_up, "placement": follow_up.entry},
    )
