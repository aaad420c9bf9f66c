"""How an app lets apps to its right act on its events without importing them.

Dependencies point one way (accounts <- catalog <- companies, candidates <- interviews <-
matching <- training <- reports). When an app to the left needs those to its right to do
their part (training turns an assessment's recommendations into support actions, stops a
course enrolment when a consent is withdrawn...), the app to the right names a function on
its AppConfig, `<hook> = "app.module.function"` (or a tuple of them), and the app to the
left calls every function named so, in the apps' order.
"""

from collections.abc import Callable, Iterator

from django.apps import apps
from django.utils.module_loading import import_string


def hooked(name: str) -> Iterator[tuple[str, Callable]]:
    """(app label, function) for every app that names a function as `name`."""
    for config in apps.get_app_configs():
        paths = getattr(config, name, None) or ()
        for path in (paths,) if isinstance(paths, str) else paths:
            yield config.label, import_string(path)


def panels(name: str, **about) -> list[tuple[str, dict]]:
    """The sections apps add to a page through the hook `name`: each function takes the
    `about` keywords (the request and the page's record) and returns (template, context), or
    None when it has nothing to show that user."""
    found = []
    for _label, panel_of in hooked(name):
        panel = panel_of(**about)
        if panel is not None:
            found.append(panel)
    return found
