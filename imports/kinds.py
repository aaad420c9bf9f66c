"""The imports that may run in the background, as the apps declare them: on their AppConfig,
`import_kinds = {"name": "dotted.path.to.KIND"}`, each an `ImportKind` (so this app never
imports the apps whose workbooks it runs)."""

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.apps import apps
from django.utils.module_loading import import_string

from accounts.models import User
from focus.spreadsheets import ImportReport, SheetSpec


@dataclass(frozen=True)
class ImportKind:
    """An import the task worker may run: its title, its specs (to count a file's rows), how
    to run it on a file with the choices made at upload (`run(file, params, actor)`, which
    raises ImportRefused or PermissionDenied as the synchronous import does), and the pages
    its upload leads back to (URL names)."""

    title: Any
    specs: tuple[SheetSpec, ...]
    run: Callable[[IO[bytes], Mapping[str, Any], User], ImportReport]
    again_url: str
    done_url: str


@functools.cache
def import_kinds() -> dict[str, ImportKind]:
    kinds = {}
    for config in apps.get_app_configs():
        for name, path in getattr(config, "import_kinds", {}).items():
            kinds[name] = import_string(path)
    return kinds
