from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem


class TrainingConfig(AppConfig):
    """The pathway after the assessment: support actions for the obstacles found, training
    courses with member companies, and the funding channels that pay for them."""

    name = "training"
    verbose_name = _("Pathways and training")
    # Reference data `load_reference` loads with the catalogue's (catalog.services).
    reference_loader = "training.services.funding_channels_load"
    # A recruiter's recommendations become proposed support actions (interviews.services).
    assessment_recorded = "training.services.support_actions_from_assessment"
    candidate_panel = "training.panels.candidate_support_actions"
    candidate_filters = "training.filters.CANDIDATE_FILTERS"
    navigation = (
        NavItem(
            _("Support actions"),
            "training:action_list",
            "training.SupportAction",
            "list",
            "life-preserver",
            order=27,
            group=PEOPLE,
        ),
    )
