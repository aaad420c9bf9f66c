"""Navigation entries that each app declares on its AppConfig.

An app lists what it offers as `navigation = (NavItem(...), ...)`; the menu shows an entry
only when `can(user, action, Model)` says yes, so the menu follows the same policy as the views.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from accounts.access import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    model: str  # "app_label.ModelName"
    action: str
    icon: str = ""
    order: int = 50


def navigation_for(user, path: str = "") -> list[dict]:
    """The menu entries `user` may open, in display order; the one holding `path` is active."""
    entries = []
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", ()):
            if can(user, item.action, apps.get_model(item.model)):
                entries.append(item)
    entries.sort(key=lambda item: item.order)
    menu = []
    for item in entries:
        url = reverse(item.url_name)
        menu.append(
            {
                "label": item.label,
                "url": url,
                "url_name": item.url_name,
                "icon": item.icon,
                "active": path.startswith(url),
            }
        )
    return menu
