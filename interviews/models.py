import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, Organisation, User
from candidates.models import Candidate
from catalog.languages import ItalianLevel
from catalog.models import Certification, JobProfile
from catalog.versions import VersionedModel

# How long an appointment may last, in minutes: an interview's or a company's (matching).
MIN_MINUTES = 15
MAX_MINUTES = 240


class TrancheQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "TrancheQuerySet":
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.RECRUITER:
            return self.filter(interviews__recruiter=user).distinct()
        return self.none()


class Tranche(models.Model):
    """A round of interviews (46 people in the first, about 50 in the second)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    target = models.PositiveSmallIntegerField(
        _("people to interview"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )

    objects = TrancheQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="tranche_ends_after_start",
                violation_error_message=_("A tranche cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("interviews:tranche_detail", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"assign", "change", "create", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj=None) -> bool:
        if user.role in STAFF_ROLES:
            return action in {"list", "view", "create", "change", "assign"}
        return False


class InterviewQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "InterviewQuerySet":
        """Staff see every interview; caseworkers those of their centre's candidates.
        Recruiters see their own interviews of the candidates still within their reach
        (`CandidateQuerySet.visible_to`: up to RECRUITER_ACCESS_DAYS after their last
        interview with them): once that access ends, the interviews and assessments answer
        404 and leave the agenda, as what they show is the person."""
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.RECRUITER:
            return self.filter(
                recruiter=user, candidate__in=Candidate.objects.visible_to(user).values("pk")
            )
        if user.role == User.Role.CASEWORKER:
            return self.filter(candidate__centre_id=user.organisation_id)
        return self.none()

    def with_people(self) -> "InterviewQuerySet":
        return self.select_related(
            "candidate__residence_comune", "recruiter", "agency", "tranche", "assessment"
        )


class Interview(models.Model):
    """An employability interview of one candidate by one recruiter, in a tranche."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    tranche = models.ForeignKey(
        Tranche, verbose_name=_("tranche"), on_delete=models.PROTECT, related_name="interviews"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="interviews"
    )
    recruiter = models.ForeignKey(
        User,
        verbose_name=_("recruiter"),
        on_delete=models.PROTECT,
        related_name="interviews",
        limit_choices_to={"role": User.Role.RECRUITER},
    )
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="interviews",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place or link"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # Raised at each move to another time: the invitations' SEQUENCE (appointments.ics).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at", "pk"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            models.UniqueConstraint(
                fields=["tranche", "candidate"],
                name="interview_once_per_tranche",
                violation_error_message=_(
                    "This candidate already has an interview in this tranche."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "done", "no_show", "cancelled"]),
                name="interview_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration__gte=MIN_MINUTES, duration__lte=MAX_MINUTES),
                name="interview_duration_bounded",
            ),
        ]
        indexes = [
            models.Index(fields=["recruiter", "scheduled_at"]),
            # The interview list's order (by time): its first page is read off this index
            # instead of joining and sorting every interview with its candidate.
            models.Index(fields=["scheduled_at", "id"], name="interview_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} - {self.scheduled_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:interview_detail", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"agenda", "assess", "change", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Interview | None" = None) -> bool:
        if user.role in STAFF_ROLES:
            return action in {"list", "view", "assess", "change"}
        if user.role == User.Role.RECRUITER:
            if obj is None:
                return action in {"agenda", "list"}
            mine = obj.recruiter_id == user.pk
            return mine and action in {"view", "assess", "change"}
        if user.role == User.Role.CASEWORKER:
            return action == "view" and (
                obj is None or obj.candidate.centre_id == user.organisation_id
            )
        return False

    @property
    def outcome_missing(self) -> bool:
        """Its time has passed and it is still "scheduled": nobody recorded whether it took
        place (the rule of `outcome_missing`)."""
        return self.status == self.Status.SCHEDULED and self.scheduled_at < timezone.now()

    @property
    def ends_at(self) -> datetime.datetime:
        return self.scheduled_at + datetime.timedelta(minutes=self.duration)


class InterviewMove(models.Model):
    """An interview moved to another time: who moved it, from when to when, and why."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="moves")
    from_at = models.DateTimeField(_("from"))
    to_at = models.DateTimeField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("interview moved")
        verbose_name_plural = _("interviews moved")

    def __str__(self) -> str:
        return f"{self.from_at:%d/%m/%Y %H:%M} → {self.to_at:%d/%m/%Y %H:%M}"


def outcome_missing(now: datetime.datetime) -> Q:
    """The interviews whose time had passed at `now` while they are still "scheduled": done,
    missed or cancelled, nobody said. What the agenda marks "outcome missing"."""
    return Q(status=Interview.Status.SCHEDULED, scheduled_at__lt=now)


class EmployabilityClass(models.TextChoices):
    """The pilot's classes, with the public pathway each corresponds to."""

    A = "A", _("A - placeable now")
    B = "B", _("B - needs support or training")
    C = "C", _("C - low employability")

    @property
    def pathway(self) -> str:
        return str(PATHWAYS[self])


PATHWAYS = {
    EmployabilityClass.A: _("GOL pathway 1: reinserimento lavorativo"),
    EmployabilityClass.B: _("GOL pathways 2-3: upskilling / reskilling"),
    EmployabilityClass.C: _("GOL pathway 4: lavoro e inclusione, with social services"),
}

# Each class's colour wherever it is drawn (a name of focus.figures.TONES): the dashboard's
# bars and the workbook's charts and cells alike, green, amber, red.
CLASS_TONES = {
    EmployabilityClass.A: "success",
    EmployabilityClass.B: "warning",
    EmployabilityClass.C: "danger",
}


class Assessment(VersionedModel):
    """What the recruiter concluded after the interview. Verified skills, certifications and
    Italian level outrank what was declared at intake."""

    # What the candidate's caseworker sees (not the confidential notes).
    SUMMARY_FIELDS = ("employability", "obstacles", "suitable_profiles", "actions")

    interview = models.OneToOneField(
        Interview, on_delete=models.CASCADE, related_name="assessment", verbose_name=_("interview")
    )
    employability = models.CharField(
        _("employability class"), max_length=1, choices=EmployabilityClass.choices
    )
    verified_italian_level = models.CharField(
        _("Italian level (verified)"), max_length=6, choices=ItalianLevel.choices, blank=True
    )
    confidential_notes = models.TextField(
        _("confidential notes"), blank=True, help_text=_("Seen only by recruiters and staff.")
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(employability__in=["A", "B", "C"]), name="assessment_class_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.interview.candidate}: {self.employability}"

    @property
    def pathway(self) -> str:
        return EmployabilityClass(self.employability).pathway


class Obstacle(models.Model):
    class Kind(models.TextChoices):
        TRANSPORT = "transport", _("Transport / no car")
        NO_LICENCE = "no_licence", _("No driving licence")
        LANGUAGE = "language", _("Italian language")
        CARE = "care", _("Care duties")
        DOCUMENTS = "documents", _("Documents or residence permit")
        HEALTH = "health", _("Health")
        HOUSING = "housing", _("Housing")
        DIGITAL = "digital", _("Digital skills")
        SKILLS_GAP = "skills_gap", _("Skills gap")
        OTHER = "other", _("Other")

    class Severity(models.IntegerChoices):
        LOW = 1, _("Low")
        MEDIUM = 2, _("Medium")
        HIGH = 3, _("High")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="obstacles")
    kind = models.CharField(_("obstacle"), max_length=12, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.MEDIUM
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set when a support action that addresses the obstacle is done (training app).
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["-severity", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="obstacle_once"),
            models.CheckConstraint(
                condition=Q(severity__in=[1, 2, 3]), name="obstacle_severity_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_severity_display()})"


class SuitableProfile(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="suitable_profiles"
    )
    profile = models.ForeignKey(
        JobProfile,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # indexed first in `suitable_profile_by_profile`
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    # The assessment's candidate, copied when the assessment is recorded (interviews.services):
    # the ranking asks "who is suitable for this profile?" of every candidate, and answers
    # from one index instead of three tables.
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="+", editable=False
    )

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "profile"], name="suitable_profile_once")
        ]
        indexes = [
            models.Index(fields=["profile", "candidate"], name="suitable_profile_by_profile")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.profile}"


class RecommendedAction(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training course")
        LANGUAGE = "language", _("Italian course")
        TRANSPORT = "transport", _("Transport support")
        CARE = "care", _("Care support")
        DOCUMENTS = "documents", _("Help with documents")
        SOCIAL = "social", _("Social services")
        OTHER = "other", _("Other support")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=12, choices=Kind.choices)
    profile = models.ForeignKey(
        JobProfile,
        verbose_name=_("for the profile"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    certification = models.ForeignKey(
        Certification,
        verbose_name=_("leading to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
