from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CandidateQuerySet":
        if user.role in {User.Role.ADMIN, User.Role.STAFF}:
            return self
        if user.role == User.Role.CASEWORKER:
            return self.filter(centre_id=user.organisation_id)
        # Recruiters see the candidates they interview (interviews), company HR only
        # pseudonymised shortlists (matching): neither reads this registry directly.
        return self.none()


class Candidate(models.Model):
    """A person available to work, registered by a caseworker of a charity centre."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        INTERVIEWED = "interviewed", _("Interviewed")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        PLACED = "placed", _("Placed")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    centre = models.ForeignKey(
        Organisation,
        verbose_name=_("referral centre"),
        on_delete=models.PROTECT,
        related_name="candidates",
        limit_choices_to={"kind": Organisation.Kind.CENTRE},
    )
    caseworker = models.ForeignKey(
        User,
        verbose_name=_("caseworker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        limit_choices_to={"role": User.Role.CASEWORKER},
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "registered",
                        "interviewed",
                        "shortlisted",
                        "placed",
                        "suspended",
                        "withdrawn",
                    ]
                ),
                name="candidate_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:detail", args=[self.pk])

    @classmethod
    def permits(cls, user: User, action: str, obj: "Candidate | None" = None) -> bool:
        if user.role in {User.Role.ADMIN, User.Role.STAFF}:
            return action in {"list", "view"}
        if user.role == User.Role.CASEWORKER:
            if obj is None:
                return action == "list"
            return action == "view" and obj.centre_id == user.organisation_id
        return False
