from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, User
from companies.models import SurveyCampaign


class ExportRecordQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ExportRecordQuerySet":
        # The log of who took which data out is the programme office's to audit.
        return self if user.role == User.Role.ADMIN else self.none()


class ExportRecord(models.Model):
    """One programme workbook written: who, when, which version, why, for which period, and
    how many rows each sheet held. Written by `reports.services.report_export`, never edited.

    The full version (names, contacts, fiscal codes) needs a reason, which stays here: the
    programme office must be able to say why personal data of vulnerable people left the
    portal (GDPR art. 5(2), accountability)."""

    class Kind(models.TextChoices):
        PSEUDONYMISED = "pseudonymised", _("Pseudonymised")
        FULL = "full", _("Full data")

    class Source(models.TextChoices):
        WEB = "web", _("Download page")
        COMMAND = "command", _("Command line")

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

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("workbook export")
        verbose_name_plural = _("workbook exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["pseudonymised", "full"]), name="export_kind_valid"
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

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"export", "export_full", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "ExportRecord | None" = None) -> bool:
        """Admin and staff export the programme workbook (DESIGN.md's role table); only admin
        the full version, and only admin read the log. Recruiters, caseworkers and company HR
        see slices of the programme, never the whole of it."""
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
