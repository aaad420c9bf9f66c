from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from companies.validators import validate_partita_iva


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CompanyQuerySet":
        if user.role in {User.Role.ADMIN, User.Role.STAFF}:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Company(models.Model):
    """A member company. Its HR users belong to its organisation."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="company",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    partita_iva = models.CharField(
        _("partita IVA"), max_length=11, unique=True, validators=[validate_partita_iva]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.CheckConstraint(
                condition=Q(partita_iva__regex=r"^[0-9]{11}$"), name="company_partita_iva_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", args=[self.pk])

    @property
    def name(self) -> str:
        return self.organisation.name

    @classmethod
    def permits(cls, user: User, action: str, obj: "Company | None" = None) -> bool:
        if user.role in {User.Role.ADMIN, User.Role.STAFF}:
            return action in {"list", "create", "view", "change"}
        if user.role == User.Role.COMPANY_HR:
            if action == "view_own":
                return True
            own = obj is not None and obj.organisation_id == user.organisation_id
            return own and action in {"view", "change"}
        return False
