"""Navigation entries that each app declares on its AppConfig.

An app lists what it offers as `navigation = (NavItem(...), ...)`; the menu shows an entry
only when `can(user, action, Model)` says yes, so the menu follows the same policy as the views.
A short menu shows its entries side by side; a long one (the programme office's) gathers them
under the few `NavGroup`s below, so that it fits a laptop's or a tablet's width.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.access import can


@dataclass(frozen=True)
class NavGroup:
    label: str
    icon: str


COMPANIES = NavGroup(_("Companies and needs"), "building")
PEOPLE = NavGroup(_("Candidates"), "person-vcard")
ADMINISTRATION = NavGroup(_("Administration"), "gear")
MAX_FLAT = 4  # more entries than this are gathered under their groups


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    model: str  # "app_label.ModelName", or the dotted path of a class with `permits`
    action: str
    icon: str = ""
    order: int = 50
    group: NavGroup | None = None


def _subject(name: str) -> type:
    """What an entry's permission is asked of: a model, or a page without a model of its own
    (such as the dashboard) that declares `permits` on a plain class."""
    if name.count(".") == 1:
        return apps.get_model(name)
    return import_string(name)


def navigation_for(user, path: str = "") -> list[dict]:
    """The menu entries `user` may open, in display order; the one holding `path` is active."""
    entries = []
    for config in apps.get_app_configs():
        for item in getattr(config, "navigation", ()):
            if can(user, item.action, _subject(item.model)):
                entries.append(item)
    entries.sort(key=lambda item: item.order)
    menu = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "url_name": item.url_name,
            "icon": item.icon,
            "group": item.group,
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


def menu_of(entries: list[dict]) -> list[dict]:
    """`entries` (from navigation_for) as the menu bar shows them: side by side when they are
    few; else each group's entries under one dropdown (`children`) in the place of its first,
    active when one of them is, and a group of one shown as its entry alone."""
    if len(entries) <= MAX_FLAT:
        return entries
    members = {}
    for entry in entries:
        if entry["group"] is not None:
            members.setdefault(entry["group"], []).append(entry)
    menu, placed = [], set()
    for entry in entries:
        group = entry["group"]
        if group is None or len(members[group]) == 1:
            menu.append(entry)
        elif group not in placed:
            placed.add(group)
            children = members[group]
            menu.append(
                {
                    "label": group.label,
                    "icon": group.icon,
                    "children": children,
                    "active": any(child["active"] for child in children),
                }
            )
    return menu
