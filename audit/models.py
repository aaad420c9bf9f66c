"""The audit trail: who did what to which record, when and from where. Append-only.

An event names the object (type and id) and, for a change, the names of the fields that
changed: never their values, so that the trail itself holds nothing personal beyond the
pseudonymous ids, and outlives an erasure unchanged."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "AuditEventQuerySet":
        # The programme office (admin) reads the trail; nobody else.
        return self if user.role == User.Role.ADMIN else self.none()


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        CONSENT = "consent", _("Consent changed")
        ERASE = "erase", _("Erased")
        PURGE = "purge", _("Purged")

    at = models.DateTimeField(_("when (UTC)"), default=timezone.now, db_index=True)
    # No foreign-key constraint and nothing done on delete: an event is never updated, so the
    # user's id stays even if the account goes.
    actor = models.ForeignKey(
        User,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record"), max_length=40, blank=True)
    # The candidate the event concerns, whatever the record (an assessment, a consent, a
    # document): the programme office reads the trail per person.
    candidate_id = models.PositiveIntegerField(_("candidate"), null=True, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    # How many records an export wrote or a purge deleted (none for the other actions).
    count = models.PositiveBigIntegerField(_("how many"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["candidate_id", "at"], name="audit_by_candidate"),
            models.Index(fields=["actor", "at"], name="audit_by_actor"),
            models.Index(fields=["object_type", "object_id"], name="audit_by_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("An audit event is never changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("An audit event is deleted only by the retention purge.")

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"export", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "AuditEvent | None" = None) -> bool:
        return user.role == User.Role.ADMIN and action in {"list", "view", "export"}
