from django.conf import settings

from accounts.navigation import menu_of, navigation_for


def navigation(request) -> dict:
    """The menu of the current user, built from the apps' declared entries and the policy:
    `nav_items` every entry (the home page's shortcuts), `nav_menu` as the menu bar shows
    them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_menu": []}
    entries = navigation_for(user, request.path)
    return {"nav_items": entries, "nav_menu": menu_of(entries)}


def session(request) -> dict:
    """How long a session lasts, for the warning before it expires (static/js/session.js)."""
    return {
        "session_idle_seconds": settings.SESSION_IDLE_MINUTES * 60,
        "session_max_seconds": settings.SESSION_MAX_HOURS * 3600,
    }
