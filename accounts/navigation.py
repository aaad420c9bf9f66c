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
    menu = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "url_name": item.url_name,
            "icon": item.icon,
            "active": False,
        }
        for item in entries
    ]
    # The entry whose address is the longest start of the current path is the active one:
    # on /companies/demand/ that is "Demand", not "Companies".
    holding = [entry for entry in menu if path.startswith(entry["url"])]
    if holding:
        max(holding, key=lambda entry: len(entry["url"]))["active"] = True
    return menu
