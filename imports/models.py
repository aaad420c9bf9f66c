"""Imports run in the background: a workbook too large to import within a web request is
kept privately and imported by the task worker, its page following how far it has gone."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ImportJobQuerySet":
        # A job's file and report hold the people it imports: only the user who started it
        # sees it, whatever their role.
        return self.filter(started_by=user)


class ImportJob(models.Model):
    """One workbook imported by the task worker (`imports.tasks.import_job_task`): who
    started it, which import (`kind`, a name of `imports.kinds`) with which choices
    (`params`), how far it has gone, and its report once over. The file waits under
    PRIVATE_MEDIA_ROOT (`file`, a name there, never an address) and is deleted when the job
    ends, whatever the outcome."""

    ACTIONS = frozenset({"view"})

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being imported")
        DONE = "done", _("Over")
        FAILED = "failed", _("Stopped by an error")
        REFUSED = "refused", _("File refused")

    class Stage(models.TextChoices):
        CHECKING = "checking", _("Checking the rows")
        WRITING = "writing", _("Writing the rows")

    started_by = models.ForeignKey(
        User, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("import"), max_length=30)
    params = models.JSONField(_("choices"), default=dict, blank=True)
    # The form's key of one upload: a double submit finds the job the first one started.
    upload_key = models.CharField(max_length=64)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file = models.CharField(_("file"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(
        _("stage"), max_length=8, choices=Stage.choices, default=Stage.CHECKING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    # The report (`ImportReport`, its problems by row and column and its counts) once over.
    result = models.JSONField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["started_by", "-created_at"], name="import_job_by_user")]
        constraints = [
            models.UniqueConstraint(fields=["started_by", "upload_key"], name="import_job_once"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed", "refused"]),
                name="import_job_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"]) | Q(finished_at__isnull=False),
                name="import_job_finished_when_over",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"]) | Q(file=""),
                name="import_job_file_gone_when_over",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job_detail", args=[self.pk])

    @classmethod
    def permits(cls, user: User, action: str, obj: "ImportJob | None" = None) -> bool:
        return action == "view" and (obj is None or obj.started_by_id == user.pk)

    @property
    def over(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0
