"""What company HR see: the shortlists shared with their company, as pseudonymised cards,
and the moves they make on them. Staff reach the list and the cards too ("the company's
view"), but make their moves on the staff pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, get_for, permission_required
from focus.htmx import Said, in_place
from focus.lists import InLanguage, Sorting, in_order, list_page
from matching import selectors, services
from matching.company_forms import EntryFeedbackForm
from matching.disclosure import entry_line
from matching.forms import EntryFilterForm, ShortlistFilterForm
from matching.models import CHOSEN_REASONS, Entry, Shortlist

# Both sides sort by what the list shows of the need and by the counts of its entries; a
# shortlist not shared yet comes first among the newest, as it waits for staff.
SHORTLIST_SORTING = Sorting(
    columns={
        "profile": (InLanguage("need__profile__name"), "need__company__organisation__name"),
        "company": ("need__company__organisation__name", InLanguage("need__profile__name")),
        "workplace": ("need__workplace__name",),
        "shared": (F("shared_at").asc(nulls_last=True), "created_at"),
        "candidates": ("n_shown",),
        "hired": ("n_hired",),
    },
    default="-shared",
    descending_first=frozenset({"shared", "candidates", "hired"}),
)


@permission_required("list", Shortlist)
def shortlist_list(request: HttpRequest) -> HttpResponse:
    filters = ShortlistFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    shortlists = selectors.shortlist_list(actor=request.user, **criteria)
    listing = list_page(
        request, shortlists, per_page=25, sorting=SHORTLIST_SORTING, query=criteria.get("q", "")
    )
    return render(
        request,
        "matching/shortlist_list.html",
        {
            "filters": filters,
            "listing": listing,
            "page": listing.page,
            "is_staff_view": can(request.user, "change", Shortlist),
        },
    )


# Never by the candidate's name: the company reads codes, and an order by name would tell.
ENTRY_SORTING = Sorting(
    columns={
        "moved": (F("moved_at").asc(nulls_first=True),),
        "code": ("code",),
        "profile": (InLanguage("shortlist__need__profile__name"), "-moved_at"),
        "status": (in_order("status", Entry.Status.values), "-moved_at"),
    },
    default="-moved",
    descending_first=frozenset({"moved"}),
)


@permission_required("list", Shortlist)
def entry_list(request: HttpRequest) -> HttpResponse:
    """The shortlisted candidates across shortlists, by step: for company HR by code (the
    name once the contacts are released), for the matching officers by name."""
    company_view = selectors.company_view(request.user)
    filters = EntryFilterForm(request.GET or None, company_view=company_view)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.entry_list(actor=request.user, **criteria)
    listing = list_page(
        request, entries, per_page=30, sorting=ENTRY_SORTING, query=criteria.get("q", "")
    )
    return render(
        request,
        "matching/entry_list.html",
        {
            "filters": filters,
            "listing": listing,
            "page": listing.page,
            "lines": [entry_line(e, company_view=company_view) for e in listing.page],
            "company_view": company_view,
        },
    )


def shortlist_cards(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist = get_for(
        request.user,
        Shortlist,
        pk,
        action="view",
        queryset=Shortlist.objects.select_related(
            "need__company__organisation", "need__profile", "need__workplace"
        ),
    )
    status = request.GET.get("status", "")
    if status not in Entry.Status.values or status == Entry.Status.WITHDRAWN:
        status = ""  # the company never sees withdrawn entries: an unknown step shows all
    return render(
        request,
        "matching/shortlist_cards.html",
        {
            **_cards_context(request, shortlist),
            "cards": selectors.shortlist_cards(shortlist=shortlist, status=status),
            "status_label": Entry.Status(status).label if status else "",
        },
    )


def _cards_context(request: HttpRequest, shortlist: Shortlist) -> dict:
    return {
        "shortlist": shortlist,
        "can_feedback": can(request.user, "feedback", shortlist),
        "reasons": CHOSEN_REASONS,
        "contracts": shortlist.need.Contract.choices,
    }


@require_POST
def entry_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_for(
        request.user,
        Entry,
        pk,
        action="feedback",
        queryset=Entry.objects.select_related(
            "shortlist__need__company__organisation", "candidate"
        ),
    )
    shortlist = entry.shortlist
    form = EntryFeedbackForm(request.POST)
    if not form.is_valid():
        said = Said(_errors(form), ok=False)
    else:
        data = form.cleaned_data
        try:
            services.entry_move(
                entry=entry,
                to=data["action"],
                actor=request.user,
                note=data["note"],
                reason=data["reason"],
                contract=data["contract"],
                start_date=data["start_date"],
                portal_url=request.build_absolute_uri(
                    reverse("matching:shortlist_detail", args=[shortlist.pk])
                ),
            )
        except ValidationError as error:
            said = Said(" ".join(error.messages), ok=False)
        else:
            said = Said(
                _("%(code)s: %(status)s.")
                % {"code": entry.code, "status": entry.get_status_display()}
            )
    if in_place(request):
        return _card(request, shortlist, entry, said)
    (messages.success if said.ok else messages.error)(request, said.text)
    return redirect(f"{reverse('matching:shortlist_cards', args=[shortlist.pk])}#card-{entry.pk}")


def _card(request: HttpRequest, shortlist: Shortlist, entry: Entry, said: Said) -> HttpResponse:
    """The card of `entry` as it is now, with what the move did told in it; the whole page
    again should the entry no longer have a card."""
    cards = selectors.shortlist_cards(shortlist=shortlist, entry=entry.pk)
    if not cards:
        url = reverse("matching:shortlist_cards", args=[shortlist.pk])
        return HttpResponse(headers={"HX-Redirect": url})
    context = {**_cards_context(request, shortlist), "card": cards[0], "said": said}
    return render(request, "matching/_card.html", context)


def _errors(form: EntryFeedbackForm) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)
