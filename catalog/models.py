import datetime
from calendar import monthrange

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, User


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 28 February for a 29 February that year lacks. A plain
    function, so that a data migration's historical models can use it too."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31 January + 1
    month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


class ReferenceQuerySet(models.QuerySet):
    """Reference data is the shared vocabulary: every logged-in user reads it."""

    def visible_to(self, user: User) -> "ReferenceQuerySet":
        return self


class BilingualNameQuerySet(ReferenceQuerySet):
    def add_missing(self, code: str, names: tuple[str, str], **details) -> tuple:
        """The entry `code`, created with its Italian and English `names` and `details` when
        it is missing; one that exists is left as the programme office edited it. Returns the
        entry and whether it was created, as `get_or_create` does."""
        name_it, name_en = names
        return self.get_or_create(
            code=code, defaults={"name_it": name_it, "name_en": name_en, **details}
        )


class BilingualName(models.Model):
    """An Italian and an English name; `name` follows the active language."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_it = models.CharField(_("Italian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = BilingualNameQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name_it"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "it").startswith("en") else self.name_it

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "create", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj=None) -> bool:
        if action == "view":
            return True
        if action == "list":
            return user.role in STAFF_ROLES
        return user.role == User.Role.ADMIN and action in {"create", "change"}


class JobFamily(BilingualName):
    """Related profiles (same family) rank as partial matches of each other."""

    class Meta(BilingualName.Meta):
        verbose_name = _("job family")
        verbose_name_plural = _("job families")


class Skill(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def get_absolute_url(self) -> str:
        return reverse("catalog:skill_update", args=[self.pk])


class Certification(BilingualName):
    """A certificate or licence. Some expire: a worker must renew them."""

    validity_years = models.PositiveSmallIntegerField(
        _("validity (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when it never expires."),
    )
    reference = models.CharField(
        _("legal or technical reference"),
        max_length=200,
        blank=True,
        help_text=_("For example: art. 73 D.Lgs. 81/08, EN ISO 9606-1."),
    )

    class Meta(BilingualName.Meta):
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(validity_years__isnull=True) | Q(validity_years__gte=1),
                name="certification_validity_positive",
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("catalog:certification_update", args=[self.pk])


class JobProfile(BilingualName):
    """A job profile companies ask for and candidates can do, with its official codes."""

    isco_codes = models.CharField(
        _("ISCO-08 codes"), max_length=60, help_text=_("Comma-separated, e.g. 8211, 8219.")
    )
    cp2021_codes = models.CharField(
        _("ISTAT CP2021 codes"),
        max_length=60,
        blank=True,
        help_text=_("Comma-separated, e.g. 6.2.1.2.0."),
    )
    family = models.ForeignKey(
        JobFamily, verbose_name=_("family"), on_delete=models.PROTECT, related_name="profiles"
    )
    description = models.TextField(_("description"), blank=True)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("typical skills"), blank=True, related_name="profiles"
    )
    certifications = models.ManyToManyField(
        Certification,
        verbose_name=_("typical certifications"),
        blank=True,
        related_name="profiles",
    )

    class Meta(BilingualName.Meta):
        verbose_name = _("job profile")
        verbose_name_plural = _("job profiles")

    def get_absolute_url(self) -> str:
        return reverse("catalog:profile_update", args=[self.pk])


class ComuneQuerySet(ReferenceQuerySet):
    def local(self) -> "ComuneQuerySet":
        """The comuni offered in pick lists: those of the programme's provinces."""
        return self.filter(province__in=settings.PORTAL_PROVINCES)


class Comune(models.Model):
    """An Italian comune (ISTAT), with its postal codes and a reference point."""

    istat_code = models.CharField(_("ISTAT code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=120)
    province = models.CharField(_("province"), max_length=2, db_index=True)
    province_name = models.CharField(_("province name"), max_length=60)
    region = models.CharField(_("region"), max_length=60)
    belfiore_code = models.CharField(_("cadastral code"), max_length=4, db_index=True)
    caps = models.TextField(_("postal codes"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    objects = ComuneQuerySet.as_manager()

    class Meta:
        ordering = ["name", "province"]
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        indexes = [models.Index(fields=["province", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__range=(35, 48), longitude__range=(6, 19)),
                name="comune_coordinates_in_italy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.province})"

    @property
    def cap_list(self) -> list[str]:
        return self.caps.split()

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"view"})

    @classmethod
    def permits(cls, user: User, action: str, obj=None) -> bool:
        return action == "view"


class AtecoCode(models.Model):
    """A node of the ATECO 2025 classification of economic activities (ISTAT)."""

    class Level(models.TextChoices):
        SECTION = "section", _("section")
        DIVISION = "division", _("division")
        GROUP = "group", _("group")
        CLASS = "class", _("class")
        CATEGORY = "category", _("category")
        SUBCATEGORY = "subcategory", _("subcategory")

    code = models.CharField(_("code"), max_length=10, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    title = models.CharField(_("title"), max_length=500)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    section = models.CharField(_("section"), max_length=1, db_index=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("ATECO code")
        verbose_name_plural = _("ATECO codes")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"view"})

    @classmethod
    def permits(cls, user: User, action: str, obj=None) -> bool:
        return action == "view"
