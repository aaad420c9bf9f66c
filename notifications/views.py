"""Each user's notifications, their preferences, and the programme office's list of what is
due."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import get_for, permission_required
from focus.lists import ListPage, list_page
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Notification, Preferences
from notifications.reminders import DueList, due_items

PER_PAGE = 25


@permission_required("list", Notification)
def notification_list(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("order", "")
    order = order if order in selectors.ORDERS else "newest"
    notifications = selectors.notification_list(actor=request.user, order=order)
    listing = list_page(request, notifications, per_page=PER_PAGE)
    return render(
        request,
        "notifications/notification_list.html",
        {"listing": listing, "page": listing.page, "order": order},
    )


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the page a notification is about, marking it read."""
    notification = get_for(request.user, Notification, pk, action="open")
    services.notification_open(notification=notification, actor=request.user)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect("notifications:list")


@require_POST
@permission_required("list", Notification)
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    marked = services.notifications_mark_read(actor=request.user)
    if marked:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.",
                "%(count)s notifications marked as read.",
                marked,
            )
            % {"count": marked},
        )
    return redirect("notifications:list")


@permission_required("change", Preferences)
def preferences(request: HttpRequest) -> HttpResponse:
    """Which notifications also come by e-mail, and in which language."""
    stored = Preferences.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST or None,
        user=request.user,
        preferences=stored,
        language=getattr(request, "LANGUAGE_CODE", ""),
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            actor=request.user,
            language=form.cleaned_data["language"],
            by_email=form.by_email(),
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@permission_required("view", DueList)
def due_list(request: HttpRequest) -> HttpResponse:
    """The reminders due now, by date, as `reminders_send` finds them."""
    listing = ListPage(page=Paginator(due_items(), 30).get_page(request.GET.get("page")))
    return render(
        request, "notifications/due_list.html", {"listing": listing, "page": listing.page}
    )
