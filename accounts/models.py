from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganisationQuerySet":
        if user.role == User.Role.ADMIN:
            return self
        return self.filter(pk=user.organisation_id)

    def annotate_members(self) -> "OrganisationQuerySet":
        return self.annotate(
            active_members=models.Count("members", filter=Q(members__is_active=True))
        )


class Organisation(models.Model):
    """Where a user works: the programme office, an agency, a charity centre or a company."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme office")
        AGENCY = "agency", _("Recruitment agency")
        CENTRE = "centre", _("Charity centre")
        COMPANY = "company", _("Company")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short unique code, used in imports (for example diakonia-bergamo)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["programme", "agency", "centre", "company"]),
                name="organisation_kind_valid",
            ),
            models.UniqueConstraint(
                Lower("name"), "kind", name="organisation_name_unique_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation_update", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "create", "list"})

    @classmethod
    def permits(cls, user, action: str, obj=None) -> bool:
        return user.role == User.Role.ADMIN and action in {"list", "create", "change"}


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> "UserQuerySet":
        if user.role == User.Role.ADMIN:
            return self
        return self.filter(pk=user.pk)

    def with_organisation(self) -> "UserQuerySet":
        return self.select_related("organisation")


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    """Creates users with their role and organisation, keeping the two consistent."""

    def _create_user(self, username, email, password, **extra_fields):
        organisation = extra_fields.get("organisation")
        if organisation is not None:
            extra_fields["organisation_kind"] = organisation.kind
        return super()._create_user(username, email, password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.ADMIN)
        organisation = extra_fields.get("organisation")
        if isinstance(organisation, int | str):
            extra_fields["organisation"] = Organisation.objects.get(pk=organisation)
        return super().create_superuser(username, email, password, **extra_fields)


# Which kinds of organisation each role may belong to. The same table is a database
# constraint (see User.Meta) and the check the user form runs.
ROLE_ORGANISATION_KINDS = {
    "admin": ("programme",),
    "staff": ("programme", "agency"),
    "recruiter": ("agency",),
    "caseworker": ("centre",),
    "company_hr": ("company",),
}


class User(AbstractUser):
    """A person who logs in. Every user has one role and belongs to one organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Matching officer")
        RECRUITER = "recruiter", _("Recruiter")
        CASEWORKER = "caseworker", _("Caseworker")
        COMPANY_HR = "company_hr", _("Company HR")

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    # A copy of organisation.kind, so that the database itself can refuse a role that does
    # not fit the organisation. An organisation's kind never changes once it exists.
    organisation_kind = models.CharField(
        max_length=20, choices=Organisation.Kind.choices, editable=False
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "organisation"]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=list(ROLE_ORGANISATION_KINDS)),
                name="user_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(role=role, organisation_kind__in=kinds)
                        for role, kinds in ROLE_ORGANISATION_KINDS.items()
                    ],
                    _connector=Q.OR,
                ),
                name="user_role_fits_organisation",
                violation_error_message=_("This role does not fit this kind of organisation."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                condition=~Q(email=""),
                violation_error_message=_("Another user already has this e-mail address."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_update", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "create", "deactivate", "list"})

    @classmethod
    def permits(cls, user, action: str, obj=None) -> bool:
        if action == "deactivate" and obj is not None and obj.pk == user.pk:
            return False  # nobody locks themselves out
        return user.role == cls.Role.ADMIN and action in {"list", "create", "change", "deactivate"}

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    def role_fits_organisation(self) -> bool:
        return self.organisation_kind in ROLE_ORGANISATION_KINDS.get(self.role, ())


# The programme's own people (project office and matching officers): they see all demand and
# all candidates. The apps' access rules start from this set.
STAFF_ROLES = frozenset({User.Role.ADMIN, User.Role.STAFF})


class LinkRequest(models.Model):
    """One request for a password link (a reset asked on the login page, or an invitation sent
    by an administrator), kept a day to limit how often one address or one network may ask.
    The address is kept only as a keyed digest: the table says how often, never who."""

    class Kind(models.TextChoices):
        RESET = "reset", _("Password reset")
        INVITATION = "invitation", _("Invitation")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    address_digest = models.CharField(max_length=64)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["kind", "address_digest", "requested_at"], name="link_request_address"
            ),
            models.Index(fields=["kind", "client_ip", "requested_at"], name="link_request_ip"),
            models.Index(fields=["requested_at"], name="link_request_age"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.requested_at:%Y-%m-%d %H:%M}"


class RateEvent(models.Model):
    """One action of a user that the portal limits in number (an import, a duplicate check of
    the intake form), kept a day: `accounts.ratelimit` counts them over the last hour."""

    action = models.CharField(max_length=40)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["action", "user", "at"], name="rate_event_count"),
            models.Index(fields=["at"], name="rate_event_age"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
