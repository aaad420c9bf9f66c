import logging
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from accounts import selectors, services
from accounts.access import can, get_for, permission_required, scope
from accounts.forms import (
    OrganisationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SecondFactorForm,
    SetPasswordForm,
    UserFilterForm,
    UserForm,
    organisation_label,
)
from accounts.middleware import SECOND_FACTOR_SET_UP, session_touch
from accounts.models import Organisation, User
from accounts.network import client_ip
from focus.forms import form_submit
from focus.lists import Sorting, in_order, list_page, search_text
from focus.pickers import options_response

logger = logging.getLogger(__name__)


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Load balancers and monitoring ask this: 200 when the database answers, 503 if not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"db": "error"}, status=503)
    return JsonResponse({"db": "ok"})


def _link_context(request: HttpRequest) -> dict:
    """What a password link's e-mail takes from the page that asks for it: the portal's
    address as the user reached it (the link's scheme and host, checked against
    ALLOWED_HOSTS) and the page's language (the e-mail's)."""
    return {"portal_url": request.build_absolute_uri("/"), "language": request.LANGUAGE_CODE}


# Authentication pages: Django's views with the portal's templates and URL names.
login = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    form_class=PasswordChangeForm,
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, whose e-mail leaves from the background worker within limits
    (services.password_reset_request): the page answers alike for any address."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            services.password_reset_request(
                email=form.cleaned_data["email"],
                client_ip=client_ip(self.request),
                **_link_context(self.request),
            )
        except services.TooManyLinkRequests:
            form.add_error(
                None,
                _(
                    "Too many password resets were asked from this network in the last hour: "
                    "try again later, or ask the programme office."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return redirect(self.get_success_url())


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
    extra_context={"link_hours": settings.PASSWORD_LINK_HOURS},
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=SetPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """What django-axes answers once a username is locked out from this address (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay logged in" on the idle warning: the idle timeout starts again."""
    session_touch(request)
    return HttpResponse(status=204)


@permission_required("list", User)
def lockout_list(request: HttpRequest) -> HttpResponse:
    """The usernames locked out now, with the address and the failures, for the administrator."""
    listing = list_page(request, selectors.lockout_list(), per_page=50)
    return render(request, "accounts/lockout_list.html", {"listing": listing, "page": listing.page})


@require_POST
@permission_required("change", User)
def lockout_lift(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(selectors.lockout_list(), pk=pk)
    services.lockout_lift(attempt=attempt, actor=request.user)
    messages.success(request, _("%(user)s can try to log in again.") % {"user": attempt.username})
    return redirect("accounts:lockout_list")


USER_SORTING = Sorting(
    columns={
        "name": ("last_name", "first_name", "username"),
        "username": ("username",),
        "role": (in_order("role", User.Role.values),),
        "organisation": ("organisation__name",),
        "login": (F("last_login").asc(nulls_first=True),),
        "status": ("-is_active",),
    },
    default="name",
    descending_first=frozenset({"login"}),
)


@permission_required("list", User)
def user_list(request: HttpRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    users = selectors.user_list(actor=request.user, **criteria)
    listing = list_page(request, users, per_page=25, sorting=USER_SORTING)
    return render(
        request,
        "accounts/user_list.html",
        {"filters": filters, "listing": listing, "page": listing.page},
    )


@permission_required("create", User)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(**form.cleaned_data, **_link_context(request))
        messages.success(
            request,
            _("User %(user)s created. We sent %(email)s a link to choose a password.")
            % {"user": user.username, "email": user.email},
        )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


def user_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_for(
        request.user, User, pk, action="change", queryset=User.objects.with_organisation()
    )
    form = UserForm(request.POST or None, instance=user, is_self=user == request.user)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "username"}
        services.user_update(user=user, **data)
        messages.success(request, _("Changes to %(user)s saved.") % {"user": user.username})
        return redirect("accounts:user_list")
    context = {
        "form": form,
        "subject": user,
        "can_deactivate": can(request.user, "deactivate", user),
        "second_factor": selectors.second_factor_device(user),
        "second_factor_required": selectors.second_factor_required(user),
    }
    return render(request, "accounts/user_form.html", context)


@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_for(request.user, User, pk, action="deactivate")
    active = request.POST.get("active") == "1"
    services.user_set_active(user=user, active=active)
    if active:
        messages.success(request, _("%(user)s can log in again.") % {"user": user.username})
    else:
        messages.success(request, _("%(user)s can no longer log in.") % {"user": user.username})
    return redirect("accounts:user_update", pk=user.pk)


@require_POST
def user_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_for(
        request.user, User, pk, action="change", queryset=User.objects.filter(is_active=True)
    )
    try:
        services.user_send_invitation(
            user=user, client_ip=client_ip(request), **_link_context(request)
        )
    except services.TooManyLinkRequests:
        messages.error(
            request,
            _("%(user)s was sent several links in the last hour: wait before sending another.")
            % {"user": user.username},
        )
    else:
        messages.success(
            request,
            _("We sent %(email)s a new link to choose a password.") % {"email": user.email},
        )
    return redirect("accounts:user_update", pk=user.pk)


@require_POST
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A lost or replaced phone: the user's app and backup codes are forgotten, and they set
    up an app again at their next login."""
    user = get_for(request.user, User, pk, action="change")
    services.second_factor_reset(user=user, actor=request.user)
    messages.success(
        request,
        _("The second factor of %(user)s was reset: they will set it up again at their next login.")
        % {"user": user.username},
    )
    return redirect("accounts:user_update", pk=user.pk)


ORGANISATION_SORTING = Sorting(
    columns={
        "name": ("name",),
        "code": ("code",),
        "kind": (in_order("kind", Organisation.Kind.values), "name"),
        "members": ("active_members",),
        "status": ("-is_active", "name"),
    },
    default="kind",
    descending_first=frozenset({"members"}),
)


@permission_required("list", Organisation)
def organisation_options(request: HttpRequest) -> JsonResponse:
    """The organisations a picker offers for what was typed (focus.pickers)."""
    return options_response(
        request,
        scope(request.user, Organisation).order_by("name", "pk"),
        search=["name", "code"],
        label=organisation_label,
    )


@permission_required("list", Organisation)
def organisation_list(request: HttpRequest) -> HttpResponse:
    query = search_text(request)
    organisations = selectors.organisation_list(actor=request.user, q=query)
    listing = list_page(
        request, organisations, per_page=25, sorting=ORGANISATION_SORTING, query=query
    )
    return render(
        request,
        "accounts/organisation_list.html",
        {"listing": listing, "page": listing.page},
    )


@permission_required("create", Organisation)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form_submit(form, services.organisation_create, **form.cleaned_data)
        if organisation is not None:
            messages.success(request, _("Organisation %(name)s created.") % {"name": organisation})
            return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form})


def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_for(request.user, Organisation, pk, action="change")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if (
        request.method == "POST"
        and form.is_valid()
        and form_submit(
            form, services.organisation_update, organisation=organisation, **form.cleaned_data
        )
    ):
        messages.success(request, _("Changes to %(name)s saved.") % {"name": organisation})
        return redirect("accounts:organisation_list")
    return render(
        request, "accounts/organisation_form.html", {"form": form, "subject": organisation}
    )


# The user's own account and the second factor -----------------------------------------------


def account(request: HttpRequest) -> HttpResponse:
    """The user's own account: who they are, their password and their second factor."""
    user = request.user
    context = {
        "second_factor": selectors.second_factor_device(user),
        "second_factor_required": selectors.second_factor_required(user),
        "backup_codes_left": selectors.backup_codes_left(user),
    }
    return render(request, "accounts/account.html", context)


@never_cache
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app, or a backup code."""
    user = request.user
    if user.is_verified() or not user_has_device(user, confirmed=True):
        # Nothing to ask here; the middleware sends to the set-up page whoever needs it.
        return redirect(_next_url(request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(user=user, token=form.cleaned_data["token"])
        except services.CodeRefused as refusal:
            _code_refused(form, refusal)
        else:
            _second_factor_passed(request, device)
            return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/second_factor_verify.html", context)


@never_cache
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: its QR code and secret, then a first code from it, which
    gives the backup codes."""
    user = request.user
    if user_has_device(user, confirmed=True):
        # Another app only after an administrator's reset: never with the password alone.
        return redirect("accounts:account" if user.is_verified() else _next_url(request))
    device = services.second_factor_enrol_start(user=user)
    form = SecondFactorForm(request.POST or None, backup_codes=False)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_confirm(device=device, token=form.cleaned_data["token"])
        except services.CodeRefused as refusal:
            _code_refused(form, refusal, backup_codes=False)
        else:
            _second_factor_passed(request, device)
            return _backup_codes_page(request, codes, next_url=_next_url(request))
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": _qr_code(device),
        "secret": " ".join(_chunks(b32encode(device.bin_key).decode(), 4)),
        "required": selectors.second_factor_required(user),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@require_POST
@never_cache
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """New backup codes in place of the earlier ones, shown once."""
    if not request.user.is_verified():
        messages.error(request, _("Set up the second factor first: backup codes come with it."))
        return redirect("accounts:account")
    codes = services.backup_codes_regenerate(user=request.user)
    return _backup_codes_page(request, codes, next_url=reverse("accounts:account"))


def _next_url(request: HttpRequest) -> str:
    """Where the user meant to go (`next`) if it is an address of the portal; else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _second_factor_passed(request: HttpRequest, device) -> None:
    """This session counts as verified from now on, under a new session key."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[SECOND_FACTOR_SET_UP] = True


def _code_refused(
    form: SecondFactorForm, refusal: services.CodeRefused, *, backup_codes: bool = True
) -> None:
    if refusal.wait_seconds:
        message = ngettext(
            "Too many wrong codes: wait %(seconds)s second, then try again.",
            "Too many wrong codes: wait %(seconds)s seconds, then try again.",
            refusal.wait_seconds,
        ) % {"seconds": refusal.wait_seconds}
    elif backup_codes:
        message = _(
            "This code is wrong or was already used: type the one the app shows now, "
            "or a backup code you have not used yet."
        )
    else:
        message = _("This code is wrong: type the one the app shows now for Focus.")
    form.add_error("token", message)


def _backup_codes_page(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url})


def _qr_code(device) -> str:
    """The app's set-up address as an inline SVG QR code, drawn here: markup with neither a
    style attribute nor a data: URI, which the Content-Security-Policy would refuse."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        scale=5,
        dark="#000",
        light="#fff",
        svgclass="second-factor-qr",
        lineclass=None,
        title=_("QR code for your authenticator app"),
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup, from the device's own address  # nosec B308, B703


def _chunks(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]
