import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Italian unless the user chose another language with the switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: office
    computers often ship with an English browser, and the programme works in Italian.
    The switcher (Django's set_language view) stores the choice in a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
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
