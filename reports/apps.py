from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import ADMINISTRATION, NavItem
from audit.registry import Audited


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    # Each workbook written is an "export" event of the audit trail, with the address.
    audited = (Audited("reports.ExportRecord", created="export"),)
    navigation = (
        NavItem(
            _("Dashboard"),
            "reports:dashboard",
            "reports.models.Dashboard",
            "view",
            "speedometer2",
            order=10,
        ),
        NavItem(
            _("Workbook exports"),
            "reports:export_log",
            "reports.ExportRecord",
            "list",
            "file-earmark-spreadsheet",
            order=93,
            group=ADMINISTRATION,
        ),
    )

    def ready(self) -> None:
        from candidates.models import Candidate
        from catalog.models import Comune, JobProfile
        from companies.models import Need, SurveyCampaign
        from focus.cache import invalidated_by
        from focus.figures import KEPT
        from interviews.models import Assessment, Interview, Obstacle, SuitableProfile, Tranche
        from matching.models import Entry, PipelineEvent
        from training.models import Course, Enrolment, SupportAction

        # Every table the kept counts are read from (reports.figures, companies.selectors'
        # demand, interviews.selectors' tranches): the candidates (their status, class, sex,
        # nationality, centre), their interviews and assessments with the obstacles and
        # suitable profiles, the tranches, the shortlist entries and their steps, the
        # support actions, the courses and the enrolments, the needs and their campaigns, and
        # the profiles and comuni the demand is ordered by.
        invalidated_by(
            KEPT,
            Candidate,
            Interview,
            Assessment,
            Obstacle,
            SuitableProfile,
            Tranche,
            Entry,
            PipelineEvent,
            SupportAction,
            Enrolment,
            Course,
            Need,
            SurveyCampaign,
            JobProfile,
            Comune,
        )
