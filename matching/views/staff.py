"""The matching officers' pages: ranking a need, explaining and comparing candidates,
managing a shortlist and its pipeline, and the weights of the ranking."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, get_for, permission_required, require, scope
from candidates.models import Candidate
from companies.models import Need
from focus.htmx import Said, in_place
from matching import ranking, services
from matching.forms import (
    EntryMoveForm,
    ExplainForm,
    RankFilterForm,
    ShortlistAddForm,
    WeightsForm,
)
from matching.models import Entry, MatchingWeights, PipelineEvent, Shortlist
from matching.ranking import rank

COMPARE_MIN, COMPARE_MAX = 2, 3


def _rankable_need(request: HttpRequest, pk: int) -> Need:
    """The need, if in the user's scope (404 otherwise), and only for those who rank (403)."""
    need = get_for(
        request.user,
        Need,
        pk,
        queryset=Need.objects.select_related(
            "company__organisation", "campaign", "profile", "workplace"
        ),
    )
    require(request.user, "rank", Shortlist)
    return need


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def need_rank(request: HttpRequest, pk: int) -> HttpResponse:
    need = _rankable_need(request, pk)
    if request.method == "POST":
        return _shortlist_add(request, need)
    filters = RankFilterForm(request.GET or None)
    # The order is kept in the shared cache; the rows are read within the user's scope.
    ranking = rank(
        need,
        filters=filters.filters(),
        top=50,
        near_misses=True,
        visible=scope(request.user, Candidate),
    )
    shortlist, on_list = _shortlist_of(need)
    context = {
        "need": need,
        "filters": filters,
        "ranking": ranking,
        "shortlist": shortlist,
        "on_list": on_list,
        "explain_form": ExplainForm(),
        "add_form": ShortlistAddForm(user=request.user),
    }
    return render(request, "matching/need_rank.html", context)


def _shortlist_of(need: Need) -> tuple[Shortlist | None, set[int]]:
    """The need's shortlist, if any, and the numbers of the candidates on it: what the ranking
    marks, on the whole page and in a cell answered in place."""
    shortlist = Shortlist.objects.filter(need=need).first()
    on_list = set(shortlist.entries.values_list("candidate_id", flat=True)) if shortlist else set()
    return shortlist, on_list


def _shortlist_add(request: HttpRequest, need: Need) -> HttpResponse:
    form = ShortlistAddForm(request.POST, user=request.user)
    if not form.is_valid():
        if in_place(request):
            raise Http404  # a candidate outside the user's scope, or none
        messages.error(request, _("Choose a candidate from the ranking."))
        return redirect(request.get_full_path())
    candidate = form.cleaned_data["candidate"]
    try:
        services.shortlist_add(
            need=need, candidate=candidate, actor=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        said = Said(" ".join(error.messages), ok=False)
    else:
        said = Said(_("%(name)s added to the shortlist.") % {"name": candidate})
    if in_place(request):
        return _shortlist_cell(request, need, candidate, said, note=form.cleaned_data["note"])
    (messages.success if said.ok else messages.error)(request, said.text)
    back = request.POST.get("back", "")
    if back.startswith(reverse("matching:compare", args=[need.pk])):
        return redirect(back)  # the comparison it was added from
    # Back to the same place in the ranking, not to its top: the row of whom was added.
    return redirect(f"{request.get_full_path()}#rank-{candidate.pk}")


def _shortlist_cell(
    request: HttpRequest, need: Need, candidate: Candidate, said: Said, *, note: str
) -> HttpResponse:
    """The ranking's shortlist cell of `candidate` after an add, and the page's link to the
    shortlist with its new size (swapped out of band); a refused add keeps the note typed."""
    shortlist, on_list = _shortlist_of(need)
    context = {
        "candidate": candidate,
        "on_list": on_list,
        "shortlist": shortlist,
        "said": said,
        "note": "" if said.ok else note,
        "oob": True,
    }
    return render(request, "matching/_rank_shortlist_cell.html", context)


def need_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """Where one candidate stands for the need and why, or why they are not ranked at all."""
    need = _rankable_need(request, pk)
    form = ExplainForm(request.GET or None)
    number, matches = form.lookup(request.user)
    candidate = ranking = None
    if number is not None:
        candidate = get_for(request.user, Candidate, number)
        ranking = rank(need, candidate=candidate)
    context = {
        "need": need,
        "form": form,
        "matches": matches,
        "candidate": candidate,
        "ranking": ranking,
        "row": ranking.rows[0] if ranking and ranking.rows else None,
    }
    return render(request, "matching/need_explain.html", context)


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two or three candidates side by side, each explained against the need."""
    need = _rankable_need(request, pk)
    try:
        wanted = list(dict.fromkeys(int(value) for value in request.GET.getlist("c")))
    except ValueError as error:
        raise Http404 from error
    columns = []
    if COMPARE_MIN <= len(wanted) <= COMPARE_MAX:
        candidates = scope(request.user, Candidate).select_related("residence_comune")
        candidates = candidates.prefetch_related("experiences__profile").in_bulk(wanted)
        if len(candidates) != len(wanted):
            raise Http404
        for number in wanted:
            ranking = rank(need, candidate=candidates[number])
            row = ranking.rows[0] if ranking.rows else None
            columns.append({"candidate": candidates[number], "row": row, "ranking": ranking})
    else:
        messages.warning(request, _("Choose two or three candidates to compare."))
    on_list = set(
        Entry.objects.filter(shortlist__need=need, candidate__in=wanted).values_list(
            "candidate_id", flat=True
        )
    )
    return render(
        request,
        "matching/compare.html",
        {"need": need, "columns": columns, "on_list": on_list},
    )


def _managed_shortlist(request: HttpRequest, pk: int, action: str = "change") -> Shortlist:
    """A shortlist in the user's scope (404 otherwise) that they may manage (403 otherwise:
    company HR see theirs on the cards page)."""
    shortlist = get_for(
        request.user,
        Shortlist,
        pk,
        action=action,
        queryset=Shortlist.objects.select_related(
            "need__company__organisation", "need__profile", "need__workplace", "weights"
        ),
    )
    return shortlist


def shortlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist = _managed_shortlist(request, pk)
    entries = shortlist.entries.select_related("candidate").prefetch_related(
        Prefetch("events", queryset=PipelineEvent.objects.select_related("by"))
    )
    context = {
        "shortlist": shortlist,
        "entries": entries,
        "move_form": EntryMoveForm(),
        "can_share": can(request.user, "share", shortlist),
    }
    return render(request, "matching/shortlist_detail.html", context)


@require_POST
def shortlist_share(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist = _managed_shortlist(request, pk, "share")
    services.shortlist_share(
        shortlist=shortlist,
        actor=request.user,
        portal_url=request.build_absolute_uri(reverse("matching:shortlist_cards", args=[pk])),
    )
    if shortlist.shared_at is None:
        messages.warning(
            request,
            _(
                "Nobody on the shortlist consents to share a profile: it was not shared, and "
                "the company was told nothing."
            ),
        )
        return redirect(shortlist)
    # The company's name ends the sentence in no language: "S.p.A." takes no second stop.
    messages.success(
        request,
        _("Shortlist shared: %(company)s can see it now.") % {"company": shortlist.need.company},
    )
    return redirect(shortlist)


@require_POST
def entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_for(
        request.user,
        Entry,
        pk,
        action="change",
        queryset=Entry.objects.select_related("shortlist__need__company", "candidate"),
    )
    form = EntryMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the step: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect(entry.shortlist)
    try:
        services.entry_move(entry=entry, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": entry.candidate, "status": entry.get_status_display()},
        )
    return redirect(entry.shortlist)


@permission_required("view", MatchingWeights)
def weights_edit(request: HttpRequest) -> HttpResponse:
    """Administrators save a new version of the weights; matching officers read them."""
    can_change = can(request.user, "change", MatchingWeights)
    current = MatchingWeights.objects.current()
    form = WeightsForm(request.POST or None, initial=_values(current))
    if request.method == "POST":
        require(request.user, "change", MatchingWeights)
        if form.is_valid():
            try:
                weights = services.weights_update(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Weights %(version)s saved.") % {"version": weights})
                return redirect("matching:weights")
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "form": form,
        "current": current,
        "can_change": can_change,
        "versions": scope(request.user, MatchingWeights).select_related("created_by"),
    }
    return render(request, "matching/weights_form.html", context)


@permission_required("view", MatchingWeights)
def ranking_rules(request: HttpRequest) -> HttpResponse:
    """How the ranking works, in plain words, with the figures it uses now."""
    weights = MatchingWeights.objects.current()
    total = weights.total or 1
    context = {
        "weights": weights,
        "shares": [
            (
                MatchingWeights._meta.get_field(name).verbose_name,
                round(100 * getattr(weights, name) / total),
            )
            for name in MatchingWeights.COMPONENTS
        ],
        "rules": ranking.RULES,
    }
    return render(request, "matching/ranking_rules.html", context)


def _values(weights: MatchingWeights) -> dict:
    return {name: getattr(weights, name) for name in WeightsForm._meta.fields}
