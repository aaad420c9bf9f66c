from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for trainings and local development (the seed_demo command).

    It stands to the right of every domain app, since it fills all of them.
    """

    name = "demo"
    verbose_name = _("Demo data")
