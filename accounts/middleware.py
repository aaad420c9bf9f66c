import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device

from accounts.selectors import second_factor_required


def request_language(request) -> str:
    """The language the user chose with the switcher (its cookie), or the portal's."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Italian unless the user chose another language with the switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: office
    computers often ship with an English browser, and the programme works in Italian.
    The switcher (Django's set_language view) stores the choice in a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.LANGUAGE_CODE = request_language(request)
        # For this request only: the thread goes back to the portal's language after it, so
        # that what runs next in it (a command, a task, a test) does not inherit a choice.
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


SESSION_STARTED = "focus_session_started"
SESSION_SEEN = "focus_session_seen"
# The last request is written to the session at most this often: a page and the files it
# loads do not each write the session again.
SEEN_PRECISION_SECONDS = 60


class SessionExpiryMiddleware:
    """Log out a user SESSION_IDLE_MINUTES after their last request, and SESSION_MAX_HOURS
    after they logged in, whichever comes first.

    Django's session cookie expires only at a fixed age; this keeps the time of the login and
    of the latest request in the session. An expired session is flushed before the view runs,
    so LoginRequiredMiddleware sends the user to the login page, back to this page after it,
    and the login page says why. A POST that arrives too late changes nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        now = time.time()
        session = request.session
        started = session.setdefault(SESSION_STARTED, now)
        seen = session.get(SESSION_SEEN, started)
        idle = now - seen > settings.SESSION_IDLE_MINUTES * 60
        if idle or now - started > settings.SESSION_MAX_HOURS * 3600:
            logout(request)
            messages.info(
                request,
                _("Your session expired after %(minutes)s minutes without activity: log in again.")
                % {"minutes": settings.SESSION_IDLE_MINUTES}
                if idle
                else _("Your session expired after %(hours)s hours: log in again.")
                % {"hours": settings.SESSION_MAX_HOURS},
            )
            return
        if now - seen >= SEEN_PRECISION_SECONDS or SESSION_SEEN not in session:
            session[SESSION_SEEN] = now


def session_start(sender, request, user, **kwargs) -> None:
    """At login (user_logged_in): the session's lifetime and idle time count from now."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = time.time()


def session_touch(request) -> None:
    """The user is here: the idle timeout starts again from now."""
    request.session[SESSION_SEEN] = time.time()


class NoStoreMiddleware:
    """Nothing the portal's views answer is kept by the browser or a proxy.

    Pages and downloads show health, residence-permit and social-service data, and the
    portal is used on shared computers: after a logout, the browser's back button or its
    cache must not show them to the next person. A view that chose its own Cache-Control
    keeps it. Static files never get here: WhiteNoise answers them earlier, with their
    long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


# Whether the user had set up a second factor when they logged in (see second_factor_remember).
SECOND_FACTOR_SET_UP = "focus_second_factor"
# What a user who has given their password but not yet their second factor may open.
SECOND_FACTOR_OPEN = frozenset(
    {
        "accounts:second_factor_verify",
        "accounts:second_factor_enrol",
        "accounts:logout",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "set_language",
        "healthz",
        "privacy:notice",
        "privacy:notice_version",
        "privacy:rights",
    }
)


class SecondFactorMiddleware:
    """After the password, nothing but the second factor: a user who must give one (their
    role is in MFA_REQUIRED_ROLES, or they set one up) and has not yet in this session is sent
    to the page asking for the code, or to the page setting up an app if they have none yet,
    with the address they asked for as `next`. That holds for every address, the admin site's
    and the missing ones too, except the few of SECOND_FACTOR_OPEN and static files.

    Whether a user of an optional role set one up is read once, at login, and kept in the
    session: their every request does not ask the database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        page = self._pending_page(request)
        if page is not None:
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _pending_page(self, request) -> str | None:
        user = request.user
        if not user.is_authenticated or user.is_verified() or self._open(request):
            return None
        required = second_factor_required(user)
        if not required and not request.session.get(SECOND_FACTOR_SET_UP):
            return None
        if user_has_device(user, confirmed=True):
            return "accounts:second_factor_verify"
        if required:
            return "accounts:second_factor_enrol"
        request.session.pop(SECOND_FACTOR_SET_UP)  # reset by an administrator meanwhile
        return None

    @staticmethod
    def _open(request) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in SECOND_FACTOR_OPEN


def second_factor_remember(sender, request, user, **kwargs) -> None:
    """At login (user_logged_in): whether the user has a second factor, for the middleware."""
    if request is not None and hasattr(request, "session"):
        request.session[SECOND_FACTOR_SET_UP] = user_has_device(user, confirmed=True)
