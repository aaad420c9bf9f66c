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
