from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import ADMINISTRATION, NavItem
from audit.registry import Audited


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    # Each workbook asked for is an "export" event of the audit trail, with the address; each
    # download of it a "download" event.
    audited = (Audited("reports.ExportRecord", created="export"),)
    # The workbooks kept for the download page go after EXPORT_FILE_HOURS (the reminders' run).
    daily_tidy = "reports.services.export_files_expire"
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
        self._export_files_follow_their_records()

    def _export_files_follow_their_records(self) -> None:
        from django.db.models.signals import post_delete

        from reports.models import ExportRecord
        from reports.services import export_file_delete

        # An export erased, however (the admin site, a user's erasure, a shell), takes its
        # file with it once that commits.
        post_delete.connect(
            lambda sender, instance, **kwargs: export_file_delete(instance),
            sender=ExportRecord,
            weak=False,
            dispatch_uid="reports.export_file_delete",
        )
