from accounts.navigation import navigation_for


def navigation(request) -> dict:
    """The menu of the current user, built from the apps' declared entries and the policy."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": navigation_for(user, request.path)}
