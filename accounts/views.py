import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors, services
from accounts.access import can, permission_required, require, scope
from accounts.forms import OrganisationForm, PasswordResetForm, UserFilterForm, UserForm
from accounts.middleware import session_touch
from accounts.models import Organisation, User

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


# Authentication pages: Django's views with the portal's templates and URL names.
login = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
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
            services.password_reset_request(email=form.cleaned_data["email"], request=self.request)
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
    page = Paginator(selectors.lockout_list(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/lockout_list.html", {"page": page})


@require_POST
@permission_required("change", User)
def lockout_lift(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(selectors.lockout_list(), pk=pk)
    services.lockout_lift(attempt=attempt, actor=request.user)
    messages.success(request, _("%(user)s can try to log in again.") % {"user": attempt.username})
    return redirect("accounts:lockout_list")


@permission_required("list", User)
def user_list(request: HttpRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    users = selectors.user_list(actor=request.user, **criteria)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"filters": filters, "page": page})


@permission_required("create", User)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(**form.cleaned_data, request=request)
        messages.success(
            request,
            _("User %(user)s created. We sent %(email)s a link to choose a password.")
            % {"user": user.username, "email": user.email},
        )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


def user_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(scope(request.user, User).with_organisation(), pk=pk)
    require(request.user, "change", user)
    form = UserForm(request.POST or None, instance=user, is_self=user == request.user)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "username"}
        services.user_update(user=user, **data)
        messages.success(request, _("Changes to %(user)s saved.") % {"user": user.username})
        return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "subject": user, "can_deactivate": can(request.user, "deactivate", user)},
    )


@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(scope(request.user, User), pk=pk)
    require(request.user, "deactivate", user)
    active = request.POST.get("active") == "1"
    services.user_set_active(user=user, active=active)
    if active:
        messages.success(request, _("%(user)s can log in again.") % {"user": user.username})
    else:
        messages.success(request, _("%(user)s can no longer log in.") % {"user": user.username})
    return redirect("accounts:user_update", pk=user.pk)


@require_POST
def user_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(scope(request.user, User), pk=pk, is_active=True)
    require(request.user, "change", user)
    try:
        services.user_send_invitation(user=user, request=request)
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


@permission_required("list", Organisation)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_list(actor=request.user)
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@permission_required("create", Organisation)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, _("Organisation %(name)s created.") % {"name": organisation})
        return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form})


def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(scope(request.user, Organisation), pk=pk)
    require(request.user, "change", organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to %(name)s saved.") % {"name": organisation})
        return redirect("accounts:organisation_list")
    return render(
        request, "accounts/organisation_form.html", {"form": form, "subject": organisation}
    )
