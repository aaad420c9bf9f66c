from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, User
from companies.models import SurveyCampaign


class ExportRecordQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ExportRecordQuerySet":
        # The log of who took which data out is the programme office's to audit; staff see
        # the exports they asked for.
        if user.role == User.Role.ADMIN:
            return self
        if user.role == User.Role.STAFF:
            return self.filter(user=user)
        return self.none()

    def asked_by(self, user: User) -> "ExportRecordQuerySet":
        """The exports `user` asked for on the download page: the only ones whose page and
        file are theirs (reading the log shows that a workbook was taken, never the
        workbook). The command line's have neither: their file is where it was written."""
        return self.filter(user=user, source=ExportRecord.Source.WEB)


class ExportRecord(models.Model):
    """One programme workbook asked for: who, when, which version, why, for which period, and
    how many rows each sheet held. From the download page it is written by the task worker
    (`reports.tasks.report_export_task`): the record follows it from queued to done (or
    failed, with what to tell the user), and names the file under PRIVATE_MEDIA_ROOT that
    only its user downloads, until `EXPORT_FILE_HOURS` after it was written. From the command
    line it is written at once (`reports.services.report_export`). What was asked is never
    edited.

    The full version (names, contacts, fiscal codes) needs a reason, which stays here: the
    programme office must be able to say why personal data of vulnerable people left the
    portal (GDPR art. 5(2), accountability)."""

    class Kind(models.TextChoices):
        PSEUDONYMISED = "pseudonymised", _("Pseudonymised")
        FULL = "full", _("Full data")

    class Source(models.TextChoices):
        WEB = "web", _("Download page")
        COMMAND = "command", _("Command line")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Not written")

    user = models.ForeignKey(
        User, verbose_name=_("exported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    kind = models.CharField(_("version"), max_length=15, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("exported through"), max_length=10, choices=Source.choices)
    # The period's filters. PROTECT: the record must keep saying which campaign it covered.
    campaign = models.ForeignKey(
        SurveyCampaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    rows = models.JSONField(_("rows per sheet"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # The workbook's name in the private storage (documents.storage), never an address; empty
    # before it is written, for the command line's (written where the command was told) and
    # once the file is deleted.
    file = models.CharField(_("file"), max_length=100, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("what went wrong"), max_length=300, blank=True)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("workbook export")
        verbose_name_plural = _("workbook exports")
        indexes = [models.Index(fields=["user", "-created_at"], name="export_by_user")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["pseudonymised", "full"]), name="export_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="export_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"]) | Q(finished_at__isnull=False),
                name="export_finished_when_over",
            ),
            models.CheckConstraint(
                condition=Q(file="") | Q(status="done"), name="export_file_when_done"
            ),
            models.CheckConstraint(
                condition=~Q(kind="full") | ~Q(reason=""),
                name="export_full_has_reason",
                violation_error_message=_("Say why the full data are needed."),
            ),
            models.CheckConstraint(
                condition=Q(date_from=None)
                | Q(date_to=None)
                | Q(date_to__gte=models.F("date_from")),
                name="export_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} - {self.user} - {self.created_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("reports:export_detail", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def error_text(self) -> str:
        """What went wrong, in the reader's language: the record keeps the English sentence
        (`reports.services`)."""
        return gettext(self.error) if self.error else ""

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"download", "export", "export_full", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "ExportRecord | None" = None) -> bool:
        """Admin and staff export the programme workbook (DESIGN.md's role table); only admin
        the full version, and only admin read the log. Recruiters, caseworkers and company HR
        see slices of the programme, never the whole of it. "download": the page and the file
        of an export, for the person who asked for it alone (views reach it through
        `asked_by`, so anybody else's is not found)."""
        if action == "download":
            mine = obj is None or obj.user_id == user.pk
            return user.role in {User.Role.ADMIN, User.Role.STAFF} and mine
        if user.role == User.Role.ADMIN:
            return action in {"export", "export_full", "list", "view"}
        if user.role == User.Role.STAFF:
            return action == "export"
        return False


class Dashboard:
    """The dashboard page's rule. The page has no model of its own, so this plain class is its
    subject in the access policy, beside the workbook's (`ExportRecord`): `can(user, "view",
    Dashboard)`, as for any model.

    - "view": the dashboard page: the programme's people, charity centres (their own
      candidates) and company HR (their own needs and shortlists); recruiters work from
      their agenda and tranches instead.
    - "view_programme": the programme's figures (`reports.figures.programme_figures`);
      company HR get their company's instead (`company_figures`).
    """

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"view", "view_programme"})

    @classmethod
    def permits(cls, user: User, action: str, obj=None) -> bool:
        programme = STAFF_ROLES | {User.Role.CASEWORKER}
        if action == "view":
            return user.role in programme | {User.Role.COMPANY_HR}
        if action == "view_programme":
            return user.role in programme
        return False
