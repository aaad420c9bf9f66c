from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import STAFF_ROLES, Organisation, User
from catalog.languages import CefrLevel
from catalog.licences import NEEDED
from catalog.models import AtecoCode, Certification, Comune, JobProfile, Skill
from catalog.versions import VersionedModel
from companies.validators import validate_partita_iva


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CompanyQuerySet":
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Company(VersionedModel):
    """A member company. Its HR users belong to its organisation."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="company",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )

    class Size(models.TextChoices):
        MICRO = "micro", _("Micro (fewer than 10 employees)")
        SMALL = "small", _("Small (10-49 employees)")
        MEDIUM = "medium", _("Medium (50-249 employees)")
        LARGE = "large", _("Large (250 employees or more)")

    partita_iva = models.CharField(
        _("partita IVA"),
        max_length=11,
        unique=True,
        validators=[validate_partita_iva],
        error_messages={"unique": _("A company with this partita IVA is already registered.")},
    )
    ateco = models.ForeignKey(
        AtecoCode,
        verbose_name=_("ATECO sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
    )
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
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
            models.CheckConstraint(
                condition=Q(size__in=["", "micro", "small", "medium", "large"]),
                name="company_size_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", args=[self.pk])

    @property
    def name(self) -> str:
        return self.organisation.name

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "create", "import", "list", "view", "view_own"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Company | None" = None) -> bool:
        if user.role in STAFF_ROLES:
            return action in {"list", "create", "view", "change", "import"}
        if user.role == User.Role.COMPANY_HR:
            if action == "view_own":
                return True
            own = obj is not None and obj.organisation_id == user.organisation_id
            return own and action in {"view", "change"}
        return False


class SurveyCampaignQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SurveyCampaignQuerySet":
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.exclude(status=SurveyCampaign.Status.DRAFT)
        return self.none()


class SurveyCampaign(models.Model):
    """A round of the survey in which member companies declare the profiles they need."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("campaign", "Draft")
        OPEN = "open", pgettext_lazy("campaign", "Open")
        CLOSED = "closed", pgettext_lazy("campaign", "Closed")

    name = models.CharField(_("name"), max_length=120, unique=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SurveyCampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "name"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_opening",
                violation_error_message=_("A campaign cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed"]), name="campaign_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("companies:campaign_detail", args=[self.pk])

    @property
    def accepts_answers(self) -> bool:
        return self.status == self.Status.OPEN

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"answer", "change", "create", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "SurveyCampaign | None" = None) -> bool:
        if user.role in STAFF_ROLES:
            return action in {"list", "view", "create", "change"}
        if user.role == User.Role.COMPANY_HR:
            if action == "list":
                return True
            if action == "view":
                return obj is None or obj.status != cls.Status.DRAFT
            if action == "answer":
                return obj is not None and obj.accepts_answers
        return False


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "NeedQuerySet":
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.filter(company__organisation_id=user.organisation_id)
        return self.none()

    def active(self) -> "NeedQuerySet":
        """Needs that count as demand: open or filled, not cancelled."""
        return self.exclude(status=Need.Status.CANCELLED)

    def with_details(self) -> "NeedQuerySet":
        return self.select_related(
            "company__organisation", "campaign", "profile", "workplace"
        ).prefetch_related("skill_requirements__skill", "certification_requirements__certification")


class Need(VersionedModel):
    """A company's need for people of one profile at one workplace, in one campaign."""

    class Contract(models.TextChoices):
        PERMANENT = "permanent", _("Permanent (tempo indeterminato)")
        FIXED_TERM = "fixed_term", _("Fixed-term (tempo determinato)")
        AGENCY = "agency", _("Agency work (somministrazione)")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship (apprendistato)")
        TRAINEESHIP = "traineeship", _("Traineeship (tirocinio)")

    class Hours(models.TextChoices):
        FULL_TIME = "full_time", _("Full time")
        PART_TIME = "part_time", _("Part time")

    class Shifts(models.TextChoices):
        DAY = "day", _("Day shift only")
        TWO = "two", _("Two shifts")
        THREE = "three", _("Three shifts")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CANCELLED = "cancelled", _("Cancelled")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="needs"
    )
    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="needs"
    )
    profile = models.ForeignKey(
        JobProfile, verbose_name=_("profile"), on_delete=models.PROTECT, related_name="needs"
    )
    headcount = models.PositiveSmallIntegerField(
        _("people needed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    workplace = models.ForeignKey(
        Comune, verbose_name=_("workplace"), on_delete=models.PROTECT, related_name="needs"
    )
    contract = models.CharField(_("contract"), max_length=20, choices=Contract.choices)
    hours = models.CharField(
        _("hours"), max_length=10, choices=Hours.choices, default=Hours.FULL_TIME
    )
    shifts = models.CharField(
        _("shifts"), max_length=10, choices=Shifts.choices, default=Shifts.DAY
    )
    nights = models.BooleanField(_("night work"), default=False)
    weekends = models.BooleanField(_("weekend work"), default=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    italian_level = models.CharField(
        _("minimum Italian level"), max_length=2, choices=CefrLevel.choices, blank=True
    )
    # The licence categories a need may ask for (catalog.licences), their codes as labels.
    Licence = models.TextChoices("Licence", [(code, (code, code)) for code in NEEDED])

    driving_licence = models.CharField(
        _("driving licence required"),
        max_length=3,
        blank=True,
        choices=Licence.choices,
        help_text=_("The category: higher categories include B; a moped licence does not."),
    )
    own_car_required = models.BooleanField(_("own car required"), default=False)
    duration_months = models.PositiveSmallIntegerField(
        _("expected duration (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Leave empty for a permanent contract."),
    )
    min_experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(50)]
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    skills = models.ManyToManyField(Skill, through="NeedSkill", related_name="needs", blank=True)
    certifications = models.ManyToManyField(
        Certification, through="NeedCertification", related_name="needs", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["company__organisation__name", "profile__name_it", "pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "campaign", "profile", "workplace"],
                name="need_unique_per_profile_and_workplace",
                violation_error_message=_(
                    "This company already has a need for this profile at this workplace in this "
                    "campaign: change its headcount instead."
                ),
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="need_headcount_positive"),
            models.CheckConstraint(
                condition=Q(min_experience_years__lte=50), name="need_experience_plausible"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "filled", "cancelled"]), name="need_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "profile"])]

    def __str__(self) -> str:
        return f"{self.profile}, {self.headcount} - {self.company} ({self.workplace.name})"

    def clean(self):
        """The programme's rule for a workplace, whatever the way in (the needs form, the
        companies import, the admin): a comune of the programme's provinces."""
        super().clean()
        workplace = self.workplace if self.workplace_id else None
        if workplace is not None and workplace.province not in settings.PORTAL_PROVINCES:
            raise ValidationError(
                {
                    "workplace": _(
                        "%(comune)s is not in the programme's area (%(provinces)s): the "
                        "programme matches people with workplaces there only."
                    )
                    % {"comune": workplace, "provinces": ", ".join(settings.PORTAL_PROVINCES)}
                },
                code="workplace_outside",
            )

    def get_absolute_url(self) -> str:
        return reverse("companies:need_detail", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "demand", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Need | None" = None) -> bool:
        if user.role in STAFF_ROLES:
            return action in {"list", "view", "change", "demand"}
        if user.role == User.Role.COMPANY_HR:
            if action == "list":
                return True  # the list itself is scoped to their company
            own = obj is None or obj.company.organisation_id == user.organisation_id
            if action == "view":
                return own
            if action == "change":
                return own and obj is not None and obj.campaign.accepts_answers
        return False

    # How many people a shortlist presents for each place: agencies send the company two or
    # three per position, so that it can choose and a refusal does not leave the need empty.
    SHORTLIST_PER_PLACE = (2, 3)

    @property
    def shortlist_size(self) -> tuple[int, int]:
        """The shortlist size to aim at for the need's headcount (from, to)."""
        low, high = self.SHORTLIST_PER_PLACE
        return low * self.headcount, high * self.headcount


class Requirement(models.Model):
    """A skill or certification a need asks for: mandatory knocks candidates out, preferred
    only adds to their score."""

    mandatory = models.BooleanField(_("mandatory"), default=False)

    class Meta:
        abstract = True

    def get_kind_display(self) -> str:
        return str(_("mandatory") if self.mandatory else _("preferred"))


class NeedSkill(Requirement):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="skill_requirements")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="need_requirements")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "skill"], name="need_skill_once")]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_kind_display()})"


class NeedCertification(Requirement):
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="certification_requirements"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="need_requirements"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["need", "certification"], name="need_certification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification} ({self.get_kind_display()})"
