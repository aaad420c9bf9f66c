from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from candidates.models import Candidate


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "NotificationQuerySet":
        """Everyone sees their own notifications, and nobody anyone else's: the administrator
        neither (a notification is a message to one person)."""
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """What the portal told one user about an event or a due date: a short text written when
    it was sent, in the recipient's language, and the page it concerns.

    `key` names the event (or the reminder and its due date): one user is told of one event
    once, however many times the path that records it runs (a database rule)."""

    class Kind(models.TextChoices):
        # A caseworker's candidates
        SHORTLISTED = "shortlisted", _("A candidate of yours is on a shortlist")
        INTERVIEW_AGREED = "interview_agreed", _("A company interview agreed for a candidate")
        HIRED = "hired", _("A candidate of yours is hired")
        FOLLOW_UP_DUE = "follow_up_due", _("A follow-up check after a hire is due")
        ACTION_DUE = "action_due", _("A support action is due")
        # A recruiter's interviews
        INTERVIEWS_ASSIGNED = "interviews_assigned", _("Interviews assigned to you")
        INTERVIEW_MOVED = "interview_moved", _("An interview of yours moved")
        # The programme office
        INTERVIEW_REQUESTED = "interview_requested", _("A company asks for an interview")
        OUTCOME_RECORDED = "outcome_recorded", _("The outcome of a company interview")
        PERMIT_EXPIRING = "permit_expiring", _("A shortlisted candidate's permit expires soon")
        REVIEW_DUE = "review_due", _("A candidate's next review is due")
        # Company HR
        SHORTLIST_SHARED = "shortlist_shared", _("A shortlist shared with your company")
        INTERVIEW_CONFIRMED = "interview_confirmed", _("An interview you asked for is agreed")
        # The programme office and company HR
        COMPANY_INTERVIEW_SET = (
            "company_interview_set",
            _("A company interview's day and time, set or changed"),
        )
        # The person who asked
        EXPORT_READY = "export_ready", _("A programme workbook you asked for is ready")
        IMPORT_OVER = "import_over", _("An import you started is over")

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("about"), max_length=30, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=400)
    link = models.CharField(_("page"), max_length=300, blank=True)
    # The candidate it concerns, when there is one: their data export lists it and their
    # erasure blanks its text (candidates.rights).
    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("candidate"),
    )
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
            # The menu's count of unread notifications, on every page.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"list", "open"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Notification | None" = None) -> bool:
        if obj is not None:
            return action == "open" and obj.recipient_id == user.pk
        return action in {"list", "open"}


class Preferences(models.Model):
    """How one user wants to be told: the language of their notifications and e-mails, and
    which kinds of notification come by e-mail as well (the others stay in the portal). A
    kind the user never chose keeps its default (notifications.kinds)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    language = models.CharField(_("language of notifications and e-mails"), max_length=8)
    by_email = models.JSONField(_("kinds sent by e-mail"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Preferences | None" = None) -> bool:
        """Everyone sets their own (the page knows no other user's)."""
        return action == "change" and (obj is None or obj.user_id == user.pk)
