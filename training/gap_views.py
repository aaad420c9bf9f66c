"""The gap between open needs and candidates, and the training plan that closes it (staff)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import permission_required, scope
from catalog.models import Comune, JobProfile
from companies.models import SurveyCampaign
from companies.selectors import newest_open_campaign
from focus.lists import list_page
from training import planning, services
from training.forms import GapCampaignForm
from training.models import Course, GapAnalysis, GapCandidate


def _campaign(request: HttpRequest) -> tuple[GapCampaignForm, SurveyCampaign | None]:
    """The campaign asked for (none: all campaigns); by default the newest open one."""
    data = request.GET if "campaign" in request.GET else None
    form = GapCampaignForm(data)
    if data is None:
        campaign = newest_open_campaign()
        form = GapCampaignForm(initial={"campaign": campaign})
        return form, campaign
    return form, form.cleaned_data["campaign"] if form.is_valid() else None


def _pk(request: HttpRequest, name: str) -> int:
    """A primary key from the query string; 0 (which matches nothing) when it is not one."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else 0


def _context(request: HttpRequest) -> dict:
    form, campaign = _campaign(request)
    analysis, pending = planning.latest_analysis(campaign=campaign)
    return {
        "filters": form,
        "campaign": campaign,
        "analysis": analysis,
        "pending": pending,
        "campaign_query": urlencode({"campaign": campaign.pk if campaign else ""}),
    }


@permission_required("view", GapAnalysis)
def gap(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    if context["analysis"] is not None:
        context["lines"] = planning.gap_lines(analysis=context["analysis"])
    return render(request, "training/gap.html", context)


@permission_required("view", GapAnalysis)
def plan(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    if context["analysis"] is not None:
        lines = planning.training_plan(analysis=context["analysis"])
        context["plan"] = lines
        context["total_seats"] = sum(line.seats for line in lines if line.closer != "transport")
        context["total_cost"] = sum(line.cost for line in lines if line.cost is not None)
    return render(request, "training/plan.html", context)


@require_POST
@permission_required("compute", GapAnalysis)
def gap_analyse(request: HttpRequest) -> HttpResponse:
    form = GapCampaignForm(request.POST)
    campaign = form.cleaned_data["campaign"] if form.is_valid() else None
    services.gap_analysis_request(campaign=campaign, actor=request.user)
    messages.success(
        request, _("The analysis is being computed: this page shows it when it is ready.")
    )
    query = urlencode({"campaign": campaign.pk if campaign else ""})
    return redirect(f"{reverse('training:gap')}?{query}")


@permission_required("view", GapAnalysis)
def gap_candidates(request: HttpRequest) -> HttpResponse:
    """The candidates behind a figure of the gap, the plan, the dashboard or a home: of one
    profile; those who moved from near-ready to ready, and the near-ready, may be listed for
    every profile at once (each candidate once)."""
    context = _context(request)
    analysis = context["analysis"]
    closer = request.GET.get("closer", "")
    if closer not in {planning.NEAR, planning.MOVED, *GapCandidate.Closer.values}:
        closer = ""
    profile = None
    if request.GET.get("profile") or closer not in {planning.MOVED, planning.NEAR}:
        profile = get_object_or_404(JobProfile, pk=_pk(request, "profile"))
    target = request.GET.get("target") or None
    if closer in planning.TARGET_FIELD:
        target = _pk(request, "target") or None
    entries = (
        planning.gap_candidates(analysis=analysis, profile=profile, closer=closer, target=target)
        if analysis
        else GapCandidate.objects.none()
    )
    entries = planning.in_scope(request.user, entries)
    listing = list_page(request, entries, per_page=30)
    context |= {
        "profile": profile,
        "closer": closer,
        "listing": listing,
        "page": listing.page,
        "courses": scope(request.user, Course)
        .filter(status__in=Course.ENROLLING, profiles=profile)
        .order_by("title")
        if profile is not None
        else Course.objects.none(),
    }
    return render(request, "training/gap_candidates.html", context)


@permission_required("view", GapAnalysis)
def transport_what_if(request: HttpRequest) -> HttpResponse:
    """With a way to a comune's workplaces, which near-ready candidates would reach the
    ready score for which open needs: the ranking asked with the transport assumed."""
    context = _context(request)
    destination = get_object_or_404(Comune, pk=_pk(request, "destination"))
    analysis = context["analysis"]
    candidates = (
        list(
            analysis.entries.filter(closer=GapCandidate.Closer.TRANSPORT, destination=destination)
            .values_list("candidate", flat=True)
            .distinct()
        )
        if analysis
        else []
    )
    context |= {
        "destination": destination,
        "what_if": planning.transport_what_if(destination=destination, candidates=candidates),
    }
    return render(request, "training/transport_what_if.html", context)
