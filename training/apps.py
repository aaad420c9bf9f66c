from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import PEOPLE, NavItem
from audit.registry import Audited


class TrainingConfig(AppConfig):
    """The pathway after the assessment: support actions for the obstacles found, training
    courses with member companies, the funding channels that pay for them, and the follow-up
    checks after a placement."""

    name = "training"
    verbose_name = _("Pathways and training")
    # Reference data `load_reference` loads with the catalogue's (catalog.services).
    reference_loader = "training.services.funding_channels_load"
    # A recruiter's recommendations become proposed support actions (interviews.services).
    assessment_recorded = "training.services.support_actions_from_assessment"
    # The Italian levels courses and support actions certified, which the candidate's
    # verified level counts (interviews.services.candidate_facts).
    italian_levels_certified = "training.selectors.italian_levels_certified"
    # A withdrawn consent to the programme ends the candidate's enrolments (candidates.services).
    consent_withdrawn = "training.services.enrolments_stop"
    # What the audit trail follows (audit.registry): what is done for a candidate and with
    # them (support actions, course enrolments and attendance, follow-up checks of a hire).
    audited = (
        "training.SupportAction",
        Audited("training.SupportActionEvent", candidate="action__candidate_id"),
        "training.Enrolment",
        Audited("training.Attendance", candidate="enrolment__candidate_id"),
        Audited("training.FollowUp", candidate="entry__candidate_id"),
    )
    # A candidate's data export and erasure (candidates.rights): an enrolment's code is no
    # free text.
    subject_data = {
        "training.SupportAction": {"labels": {"recommendation": _("recommended action")}},
        "training.Enrolment": {"kept": ("code",)},
        "training.GapCandidate": {
            "title": _("Training plan"),
            "labels": {"closer": _("what closes the gap"), "italian_level": _("Italian level")},
        },
    }
    # A hire schedules its follow-up checks at 1, 3 and 6 months (matching.services).
    placement_recorded = "training.services.follow_ups_schedule"
    # Follow-up checks and support actions coming due (notifications.reminders).
    reminders_due = ("training.notices.follow_ups_due", "training.notices.actions_due")
    candidate_panel = (
        "training.panels.candidate_support_actions",
        "training.panels.candidate_follow_ups",
    )
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
        NavItem(
            _("Training courses"),
            "training:course_list",
            "training.Course",
            "list",
            "mortarboard",
            order=28,
            group=PEOPLE,
        ),
        NavItem(
            _("The gap and the plan"),
            "training:gap",
            "training.GapAnalysis",
            "view",
            "bar-chart-steps",
            order=29,
            group=PEOPLE,
        ),
        NavItem(
            _("Follow-up"),
            "training:follow_up_list",
            "training.FollowUp",
            "list",
            "calendar-check",
            order=30,
            group=PEOPLE,
        ),
    )
