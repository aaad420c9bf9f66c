"""Support actions for the obstacles an assessment found, training courses hosted by member
companies, the funding channels that pay for both, the gap analysis, and the follow-up
checks after a placement.

A support action belongs to one candidate and addresses obstacles of their assessments (no
car, care duties, documents...). It moves proposed -> agreed -> in progress -> done / not
achieved, or is cancelled; every move is kept in its history. Finishing it resolves its
obstacles (`training.services.support_action_move`).

A course grants skills, certifications or an Italian level to those who attend enough of its
sessions (`training.services.course_complete`), as verified qualifications of the candidate.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import STAFF_ROLES, Organisation, User
from candidates.models import Candidate, TravelArrangement
from catalog.languages import ItalianLevel
from catalog.models import BilingualName, Certification, Comune, JobProfile, Skill
from companies.models import Company, Need, SurveyCampaign
from interviews.models import Assessment, Obstacle, RecommendedAction
from matching.models import Entry


class FundingChannel(BilingualName):
    """Who pays for an action or a course: a public scheme, a fund, a company or the charity.

    Reference data the programme office manages; `funding_channels_load` seeds the channels
    this field uses.
    """

    eligibility = models.TextField(_("eligibility"), blank=True)
    requires_did = models.BooleanField(
        _("needs the DID"),
        default=False,
        help_text=_(
            "The person must have declared immediate availability (DID) at a job centre (CPI)."
        ),
    )

    class Meta(BilingualName.Meta):
        verbose_name = _("funding channel")
        verbose_name_plural = _("funding channels")


class StatusFlow:
    """A record whose `status` moves along `NEXT`: each status -> those it may go to."""

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT[self.Status(self.status)]

    def check_move_to(self, status: str, refusal: str) -> None:
        """Refuse a step `NEXT` does not allow, as `invalid_move`: `refusal` says why, with
        the statuses as `%(now)s` and `%(next)s`."""
        if not self.can_move_to(status):
            raise ValidationError(
                refusal
                % {
                    "now": self.get_status_display().lower(),
                    "next": self.Status(status).label.lower(),
                },
                code="invalid_move",
            )


class SupportActionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SupportActionQuerySet":
        """The support of the candidates the user may see (Candidate's own rule: caseworkers
        their centre's, recruiters those they interview); company HR see nobody's."""
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.none()
        return self.filter(candidate__in=Candidate.objects.visible_to(user).values("pk"))


class SupportAction(StatusFlow, models.Model):
    class Kind(models.TextChoices):
        TRANSPORT = "transport", _("Transport support")
        TRANSPORT_PASS = "transport_pass", _("Bus or train pass")
        CAR_POOLING = "car_pooling", _("Car-pooling")
        COMPANY_SHUTTLE = "company_shuttle", _("Company shuttle")
        BICYCLE = "bicycle", _("Bicycle")
        CARE = "care", _("Care support")
        CHILDCARE = "childcare", _("Childcare")
        RELATIVE_CARE = "relative_care", _("Care of a relative")
        ITALIAN_COURSE = "italian_course", _("Italian language course")
        DOCUMENTS = "documents", _("Documents and residence permit")
        HOUSING = "housing", _("Housing")
        HEALTH_REFERRAL = "health_referral", _("Health service referral")
        SOCIAL_REFERRAL = "social_referral", _("Social services referral")
        WORK_CLOTHING = "work_clothing", _("Work clothing and PPE")
        DIGITAL_SKILLS = "digital_skills", _("Digital skills")
        TRAINING = "training", _("Training course")
        OTHER = "other", _("Other support")

    class Status(models.TextChoices):
        # An action is feminine in Italian: its statuses have a context of their own.
        PROPOSED = "proposed", pgettext_lazy("support action", "Proposed")
        AGREED = "agreed", pgettext_lazy("support action", "Agreed")
        IN_PROGRESS = "in_progress", pgettext_lazy("support action", "In progress")
        DONE = "done", pgettext_lazy("support action", "Done")
        NOT_ACHIEVED = "not_achieved", pgettext_lazy("support action", "Not achieved")
        CANCELLED = "cancelled", pgettext_lazy("support action", "Cancelled")

    # The obstacles each kind usually addresses (what a new action offers to link).
    ADDRESSES = {
        Kind.TRANSPORT: {Obstacle.Kind.TRANSPORT, Obstacle.Kind.NO_LICENCE},
        Kind.TRANSPORT_PASS: {Obstacle.Kind.TRANSPORT},
        Kind.CAR_POOLING: {Obstacle.Kind.TRANSPORT, Obstacle.Kind.NO_LICENCE},
        Kind.COMPANY_SHUTTLE: {Obstacle.Kind.TRANSPORT, Obstacle.Kind.NO_LICENCE},
        Kind.BICYCLE: {Obstacle.Kind.TRANSPORT},
        Kind.CARE: {Obstacle.Kind.CARE},
        Kind.CHILDCARE: {Obstacle.Kind.CARE},
        Kind.RELATIVE_CARE: {Obstacle.Kind.CARE},
        Kind.ITALIAN_COURSE: {Obstacle.Kind.LANGUAGE},
        Kind.DOCUMENTS: {Obstacle.Kind.DOCUMENTS},
        Kind.HOUSING: {Obstacle.Kind.HOUSING},
        Kind.HEALTH_REFERRAL: {Obstacle.Kind.HEALTH},
        Kind.SOCIAL_REFERRAL: {Obstacle.Kind.OTHER},
        Kind.WORK_CLOTHING: {Obstacle.Kind.OTHER},
        Kind.DIGITAL_SKILLS: {Obstacle.Kind.DIGITAL},
        Kind.TRAINING: {Obstacle.Kind.SKILLS_GAP},
        Kind.OTHER: set(Obstacle.Kind),
    }
    # Where each status may go next. Done, not achieved and cancelled are final.
    NEXT = {
        Status.PROPOSED: {Status.AGREED, Status.CANCELLED},
        Status.AGREED: {Status.IN_PROGRESS, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.DONE, Status.NOT_ACHIEVED, Status.CANCELLED},
        Status.DONE: set(),
        Status.NOT_ACHIEVED: set(),
        Status.CANCELLED: set(),
    }
    FINAL = frozenset({Status.DONE, Status.NOT_ACHIEVED, Status.CANCELLED})
    # The transport supports, and the way of travelling each gives once done.
    TRAVEL_MODES = {
        Kind.TRANSPORT: TravelArrangement.Mode.OTHER,
        Kind.TRANSPORT_PASS: TravelArrangement.Mode.TRANSPORT_PASS,
        Kind.COMPANY_SHUTTLE: TravelArrangement.Mode.COMPANY_SHUTTLE,
        Kind.CAR_POOLING: TravelArrangement.Mode.CAR_POOLING,
        Kind.BICYCLE: TravelArrangement.Mode.BICYCLE,
    }
    # What the button that takes an action to each status says.
    MOVE_LABELS = {
        Status.AGREED: _("Agreed with the candidate"),
        Status.IN_PROGRESS: _("Started"),
        Status.DONE: _("Mark as done"),
        Status.NOT_ACHIEVED: _("Mark as not achieved"),
        Status.CANCELLED: _("Cancel it"),
    }

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="support_actions",
    )
    kind = models.CharField(_("support"), max_length=20, choices=Kind.choices)
    obstacles = models.ManyToManyField(
        Obstacle,
        verbose_name=_("obstacles addressed"),
        blank=True,
        related_name="support_actions",
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_actions",
        help_text=_("The caseworker or matching officer who follows it."),
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_actions",
        help_text=_("The organisation that carries it out, when it is not one of ours."),
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    # Transport support: where it takes the candidate. Once done, the candidate has a travel
    # arrangement there, and the ranking counts workplaces within reach of it as reachable.
    destination = models.ForeignKey(
        Comune,
        verbose_name=_("takes them to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For transport support: the comune of the workplace or of the zone served."),
    )
    reach_km = models.PositiveSmallIntegerField(
        _("workplaces within (km)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(50)],
        help_text=_("How far from that comune the workplaces it reaches may be (5 if empty)."),
    )
    # Where a proposal came from: a recruiter's recommendation at an assessment.
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("proposed at the assessment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_actions",
    )
    recommendation = models.OneToOneField(
        RecommendedAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_action",
        editable=False,
    )
    # What a recruiter's recommendation of a course pointed at (kind "training").
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
    # An Italian course: the level the candidate reached, verified, once it is done.
    level_reached = models.CharField(
        _("Italian level reached"),
        max_length=6,
        choices=ItalianLevel.choices,
        blank=True,
        help_text=_("For an Italian course: the level certified at its end (verified)."),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding = models.ForeignKey(
        FundingChannel,
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_actions",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupportActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(partner__isnull=False),
                name="support_action_has_an_owner",
                violation_error_message=_(
                    "Say who follows the action: a person or a partner organisation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(due_on__gte=F("starts_on")),
                name="support_action_due_after_start",
                violation_error_message=_("An action cannot be due before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="support_action_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "proposed",
                        "agreed",
                        "in_progress",
                        "done",
                        "not_achieved",
                        "cancelled",
                    ]
                ),
                name="support_action_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    finished_on__isnull=True, status__in=["proposed", "agreed", "in_progress"]
                )
                | Q(finished_on__isnull=False, status__in=["done", "not_achieved", "cancelled"]),
                name="support_action_finished_when_final",
            ),
        ]
        indexes = [models.Index(fields=["candidate", "status"], name="support_action_by_candidate")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("training:action_detail", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "list", "move", "propose", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "SupportAction | None" = None) -> bool:
        """Which actions each role may take; which objects, the scope says.

        Staff and the candidate's caseworkers run actions; recruiters propose them.
        """
        if user.role in STAFF_ROLES or user.role == User.Role.CASEWORKER:
            # Which step is possible is the action's state's business (next_steps), checked
            # again by the service: a second click on a finished action gets a message.
            return action in {"list", "view", "propose", "change", "move"}
        if user.role == User.Role.RECRUITER:
            return action in {"list", "view", "propose"}
        return False  # company HR: nothing of anybody's support

    def clean(self):
        if self.destination_id and self.kind not in self.TRAVEL_MODES:
            raise ValidationError(
                {"destination": _("Only transport support takes the candidate somewhere.")}
            )
        if self.level_reached and self.kind != self.Kind.ITALIAN_COURSE:
            raise ValidationError(
                {"level_reached": _("Only an Italian course certifies a level of Italian.")}
            )

    def next_steps(self) -> list[tuple[str, str, bool]]:
        """(status, button label, whether it ends the action), in the statuses' order."""
        steps = self.NEXT[self.Status(self.status)]
        return [
            (status.value, self.MOVE_LABELS[status], status in self.FINAL)
            for status in self.Status
            if status in steps
        ]

    @property
    def is_open(self) -> bool:
        return self.status not in self.FINAL


class SupportActionEvent(models.Model):
    """One step of an action's history: who moved it, when, from and to which status."""

    action = models.ForeignKey(SupportAction, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("from"), max_length=12, choices=SupportAction.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=SupportAction.Status.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("support action step")
        verbose_name_plural = _("support action steps")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CourseQuerySet":
        """Staff, recruiters and caseworkers see the catalogue of courses (they propose and
        follow enrolments); company HR see the courses their company hosts, and those still
        being planned or open, to which they may offer a teacher, a lab or placements."""
        if user.role == User.Role.COMPANY_HR:
            return self.filter(
                Q(host__organisation_id=user.organisation_id)
                | Q(status__in=[Course.Status.PLANNED, Course.Status.OPEN])
            )
        return self

    def with_details(self) -> "CourseQuerySet":
        return self.select_related("host", "comune", "funding").prefetch_related(
            "profiles", "skills", "certifications"
        )


class Course(StatusFlow, models.Model):
    """A training course for the programme's candidates, often hosted by a member company that
    lends a teacher and a lab, and paid through a funding channel."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("course", "Planned")
        OPEN = "open", pgettext_lazy("course", "Open for enrolment")
        RUNNING = "running", pgettext_lazy("course", "Running")
        COMPLETED = "completed", pgettext_lazy("course", "Completed")
        CANCELLED = "cancelled", pgettext_lazy("course", "Cancelled")

    NEXT = {
        Status.PLANNED: {Status.OPEN, Status.CANCELLED},
        Status.OPEN: {Status.RUNNING, Status.CANCELLED},
        Status.RUNNING: {Status.COMPLETED, Status.CANCELLED},
        Status.COMPLETED: set(),
        Status.CANCELLED: set(),
    }
    MOVE_LABELS = {
        Status.OPEN: _("Open the enrolment"),
        Status.RUNNING: _("Start the course"),
        Status.COMPLETED: _("Close the course and grant what it grants"),
        Status.CANCELLED: _("Cancel the course"),
    }
    # The statuses in which candidates may still be proposed and enrolled.
    ENROLLING = frozenset({Status.PLANNED, Status.OPEN, Status.RUNNING})

    title = models.CharField(_("title"), max_length=200)
    profiles = models.ManyToManyField(
        JobProfile,
        verbose_name=_("target profiles"),
        related_name="courses",
        help_text=_("The job profiles the course prepares for."),
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills it grants"), related_name="courses", blank=True
    )
    certifications = models.ManyToManyField(
        Certification,
        verbose_name=_("certifications it grants"),
        related_name="courses",
        blank=True,
        help_text=_("Obtained on the last day of the course; valid as long as the catalogue says."),
    )
    italian_level = models.CharField(
        _("Italian level it certifies"),
        max_length=6,
        choices=ItalianLevel.choices,
        blank=True,
        help_text=_("For an Italian course: the level those who complete it reach (verified)."),
    )
    host = models.ForeignKey(
        Company,
        verbose_name=_("host company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_courses",
        help_text=_("The member company that lends the teacher or the lab."),
    )
    teacher = models.CharField(_("teacher"), max_length=200, blank=True)
    lab = models.CharField(_("lab or classroom"), max_length=200, blank=True)
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("where"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    providers = models.CharField(
        _("other providers"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the accredited training body that runs it."),
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    cost_per_seat = models.DecimalField(
        _("cost per seat (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding = models.ForeignKey(
        FundingChannel,
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance needed (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of the course's hours a candidate must attend to complete it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "open", "running", "completed", "cancelled"]),
                name="course_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(attendance_threshold__gte=1, attendance_threshold__lte=100),
                name="course_threshold_a_share",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="course_has_seats"),
            models.CheckConstraint(
                condition=Q(cost_per_seat__isnull=True) | Q(cost_per_seat__gte=0),
                name="course_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status="completed"),
                name="course_completed_on_when_completed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset(
        {
            "attend",
            "change",
            "create",
            "enrol",
            "interest",
            "list",
            "move",
            "offer",
            "propose",
            "view",
        }
    )

    @classmethod
    def permits(cls, user: User, action: str, obj: "Course | None" = None) -> bool:
        """Staff run courses; recruiters and caseworkers see them and propose their
        candidates; company HR see them (hosted or still planned) and offer what they can."""
        if user.role in STAFF_ROLES:
            return action in {
                "list", "view", "create", "change", "move", "propose", "enrol", "attend",
            }  # fmt: skip
        if user.role in {User.Role.RECRUITER, User.Role.CASEWORKER}:
            return action in {"list", "view", "propose"}
        if user.role == User.Role.COMPANY_HR:
            if action == "offer":
                return obj is None or obj.status in cls.ENROLLING
            if action == "interest":
                return (
                    obj is not None
                    and obj.host_id is not None
                    and obj.status
                    in {
                        cls.Status.RUNNING,
                        cls.Status.COMPLETED,
                    }
                )
            return action in {"list", "view"}
        return False

    def next_steps(self) -> list[tuple[str, str]]:
        steps = self.NEXT[self.Status(self.status)]
        return [(s.value, self.MOVE_LABELS[s]) for s in self.Status if s in steps]

    @property
    def is_enrolling(self) -> bool:
        return self.status in self.ENROLLING


class CourseSession(models.Model):
    """One day of a course: its date and hours, on which attendance is recorded."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="course_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["course", "date", "starts_at"],
                name="course_session_once",
                violation_error_message=_("The course already has a session then."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    @property
    def minutes(self) -> int:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        return self.ends_at.hour * 60 + self.ends_at.minute - start

    @property
    def hours(self) -> float:
        return self.minutes / 60


def _enrolment_code() -> str:
    return "F-" + secrets.token_hex(3).upper()


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "EnrolmentQuerySet":
        """Staff see every enrolment; recruiters and caseworkers those of the candidates they
        may see; company HR those of the courses their company hosts (as codes only)."""
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.filter(course__host__organisation_id=user.organisation_id)
        return self.filter(candidate__in=Candidate.objects.visible_to(user).values("pk"))


class Enrolment(models.Model):
    """A candidate on a course: proposed, enrolled, then completed or not; or dropped out."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("enrolment", "Proposed")
        ENROLLED = "enrolled", pgettext_lazy("enrolment", "Enrolled")
        COMPLETED = "completed", pgettext_lazy("enrolment", "Completed")
        NOT_COMPLETED = "not_completed", pgettext_lazy("enrolment", "Not completed")
        DROPPED = "dropped", pgettext_lazy("enrolment", "Dropped out")

    class DropReason(models.TextChoices):
        FOUND_WORK = "found_work", _("Found a job")
        HEALTH = "health", _("Health")
        CARE = "care", _("Care duties")
        TRANSPORT = "transport", _("Could not get there")
        NOT_INTERESTED = "not_interested", _("Lost interest")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        UNREACHABLE = "unreachable", _("No longer reachable")
        OTHER = "other", _("Other reason")

    # The enrolments that take a seat and may attend.
    ACTIVE = frozenset({Status.PROPOSED, Status.ENROLLED})

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("candidate")
    )
    code = models.CharField(_("code"), max_length=10, unique=True, default=_enrolment_code)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PROPOSED
    )
    drop_reason = models.CharField(
        _("reason"), max_length=20, choices=DropReason.choices, blank=True
    )
    attended_percent = models.PositiveSmallIntegerField(
        _("attendance (%)"), null=True, blank=True, editable=False
    )
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "candidate"],
                name="enrolment_once",
                violation_error_message=_("The candidate is already on this course."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["proposed", "enrolled", "completed", "not_completed", "dropped"]
                ),
                name="enrolment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="dropped", drop_reason__gt="")
                | (~Q(status="dropped") & Q(drop_reason="")),
                name="enrolment_dropped_with_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["candidate", "status"], name="enrolment_by_candidate")]

    def __str__(self) -> str:
        return self.code

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"drop", "enrol", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Enrolment | None" = None) -> bool:
        if user.role in STAFF_ROLES:
            return action in {"list", "view", "enrol", "drop"}
        if user.role == User.Role.CASEWORKER:
            return action in {"list", "view", "drop"}
        return action in {"list", "view"} and user.role == User.Role.RECRUITER

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Attendance(models.Model):
    """Whether an enrolled candidate attended one session."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.session}: {self.present}"


class CourseOfferQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CourseOfferQuerySet":
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.filter(company__organisation_id=user.organisation_id)
        return self.none()


class CourseOffer(models.Model):
    """What a member company offers the programme's training: a teacher, a lab, placements."""

    class Kind(models.TextChoices):
        TEACHER = "teacher", _("A teacher")
        LAB = "lab", _("A lab or classroom")
        PLACEMENTS = "placements", _("Work placements")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("offer", "New")
        ACCEPTED = "accepted", pgettext_lazy("offer", "Accepted")
        DECLINED = "declined", pgettext_lazy("offer", "Declined")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="course_offers"
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("for the course"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offers",
    )
    profile = models.ForeignKey(
        JobProfile,
        verbose_name=_("for the profile"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("When the offer is not for a course yet: the profile it would train for."),
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    places = models.PositiveSmallIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("For placements: how many people the company can take."),
    )
    comune = models.ForeignKey(
        Comune, verbose_name=_("where"), on_delete=models.PROTECT, null=True, blank=True
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    description = models.TextField(_("details"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    offered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CourseOfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("course offer")
        verbose_name_plural = _("course offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False) | Q(profile__isnull=False),
                name="course_offer_for_something",
                violation_error_message=_("Say which course or which profile the offer is for."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "accepted", "declined"]),
                name="course_offer_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.get_kind_display()}"

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"create", "decide", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "CourseOffer | None" = None) -> bool:
        if user.role in STAFF_ROLES:
            return action in {"list", "view", "decide"}
        return user.role == User.Role.COMPANY_HR and action in {"list", "view", "create"}


class GraduateInterest(models.Model):
    """A company's interest in a course's graduates for one of its needs: staff then put those
    who completed the course on the need's shortlist."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="interests")
    need = models.ForeignKey(
        Need, verbose_name=_("for the need"), on_delete=models.CASCADE, related_name="+"
    )
    marked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("interest in graduates")
        verbose_name_plural = _("interest in graduates")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "need"],
                name="graduate_interest_once",
                violation_error_message=_("This need is already interested in the course."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} -> {self.need}"


class GapAnalysisQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "GapAnalysisQuerySet":
        return self if user.role in STAFF_ROLES else self.none()


class GapAnalysis(models.Model):
    """The gap between the open needs and the candidates, as the ranking saw it at one moment:
    per profile, who is ready, who is one closable gap away (and which), who is far.

    Ranking every open need takes a while on a regional programme, so it runs in the
    background (`training.tasks.gap_analyse`), asked for by staff or by a completed course or
    support action, and is kept: the pages read it at once, and earlier analyses show who
    moved from near-ready to ready."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("analysis", "Being computed")
        DONE = "done", pgettext_lazy("analysis", "Done")
        FAILED = "failed", pgettext_lazy("analysis", "Failed")

    campaign = models.ForeignKey(
        SurveyCampaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the open needs of every campaign."),
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    ready_score = models.PositiveSmallIntegerField(_("ready score"), null=True, blank=True)
    weights_version = models.PositiveIntegerField(null=True, blank=True)
    needs = models.PositiveIntegerField(_("open needs analysed"), null=True, blank=True)

    objects = GapAnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("gap analysis")
        verbose_name_plural = _("gap analyses")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "done", "failed"]),
                name="gap_analysis_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(computed_at__isnull=False),
                name="gap_analysis_computed_when_finished",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "-computed_at"], name="gap_analysis_latest")
        ]

    def __str__(self) -> str:
        return f"{self.campaign or _('All campaigns')} · {self.requested_at:%d/%m/%Y %H:%M}"

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"compute", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "GapAnalysis | None" = None) -> bool:
        return user.role in STAFF_ROLES and action in {"list", "view", "compute"}


class GapProfile(models.Model):
    """One profile's line of an analysis: its open needs and places, and how many candidates
    are ready, near-ready and far."""

    analysis = models.ForeignKey(GapAnalysis, on_delete=models.CASCADE, related_name="lines")
    profile = models.ForeignKey(JobProfile, on_delete=models.CASCADE, related_name="+")
    open_needs = models.PositiveIntegerField(_("open needs"))
    open_places = models.PositiveIntegerField(_("open places"))
    ready = models.PositiveIntegerField(_("ready"))
    near = models.PositiveIntegerField(_("near-ready"))
    far = models.PositiveIntegerField(_("far"))

    class Meta:
        ordering = ["-open_places", "profile__name_it", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "profile"], name="gap_profile_once")
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.ready}/{self.near}/{self.far}"


class GapCandidate(models.Model):
    """A candidate ready for a profile (for `needs` of its open needs), or near-ready with the
    one gap that closes it: a certification, a skill, the Italian level, transport to a
    workplace. A candidate near-ready in several ways has one row for each."""

    class Closer(models.TextChoices):
        READY = "ready", _("Ready")
        CERTIFICATION = "certification", _("A certification")
        SKILL = "skill", _("A skill")
        ITALIAN = "italian", _("Italian level")
        TRANSPORT = "transport", _("Transport")

    analysis = models.ForeignKey(GapAnalysis, on_delete=models.CASCADE, related_name="entries")
    profile = models.ForeignKey(JobProfile, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    closer = models.CharField(max_length=14, choices=Closer.choices)
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    italian_level = models.CharField(max_length=6, choices=ItalianLevel.choices, blank=True)
    destination = models.ForeignKey(
        Comune, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    needs = models.PositiveIntegerField(_("open needs"))

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["analysis", "profile", "closer"], name="gap_candidate_by_line"),
            models.Index(fields=["candidate", "closer"], name="gap_candidate_by_candidate"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.profile_id} {self.closer}"


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "FollowUpQuerySet":
        """The checks of the people the user follows: staff everybody's, caseworkers their
        centre's (Candidate's own rule). Recruiters, whose work ends at the assessment, and
        company HR see nobody's."""
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.CASEWORKER:
            return self.filter(entry__candidate__in=Candidate.objects.visible_to(user).values("pk"))
        return self.none()

    def pending(self) -> "FollowUpQuerySet":
        return self.filter(status=FollowUp.Status.PENDING)


class FollowUp(models.Model):
    """A check on a placement 1, 3 and 6 months after the hire's start date: is the person
    still employed, on which contract, with which difficulties? The candidate's charity centre
    makes it. A hire schedules its three checks (`training.services.follow_ups_schedule`);
    a check found the job ended closes the placement's remaining ones as not needed."""

    class Months(models.IntegerChoices):
        ONE = 1, _("1 month")
        THREE = 3, _("3 months")
        SIX = 6, _("6 months")

    class Status(models.TextChoices):
        # A check ("verifica") is feminine in Italian: its statuses have a context of their own.
        PENDING = "pending", pgettext_lazy("follow-up", "To do")
        DONE = "done", pgettext_lazy("follow-up", "Done")
        NOT_NEEDED = "not_needed", pgettext_lazy("follow-up", "Not needed")

    class Outcome(models.TextChoices):
        STILL_EMPLOYED = "still_employed", _("Still employed, same contract")
        EXTENDED = "extended", _("Contract extended")
        PERMANENT = "permanent", _("Made permanent")
        ENDED = "ended", _("The job ended")

    EMPLOYED = frozenset({Outcome.STILL_EMPLOYED, Outcome.EXTENDED, Outcome.PERMANENT})

    entry = models.ForeignKey(
        Entry, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(_("check after"), choices=Months.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    ended_on = models.DateField(_("the job ended on"), null=True, blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        constraints = [
            models.UniqueConstraint(fields=["entry", "months"], name="follow_up_once_per_month"),
            models.CheckConstraint(
                condition=Q(months__in=[1, 3, 6]), name="follow_up_months_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", done_on__isnull=True, outcome="")
                | (Q(status="done", done_on__isnull=False) & ~Q(outcome=""))
                | Q(status="not_needed", done_on__isnull=False, outcome=""),
                name="follow_up_outcome_when_done",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "still_employed", "extended", "permanent", "ended"]),
                name="follow_up_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome="ended", ended_on__isnull=False)
                | (~Q(outcome="ended") & Q(ended_on__isnull=True)),
                name="follow_up_end_date_when_ended",
                violation_error_message=_("Give the date the job ended, and only then."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__lte=F("done_on")),
                name="follow_up_ended_by_the_check",
                violation_error_message=_("The job cannot end after the check that found it."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="follow_up_by_due_date")]

    def __str__(self) -> str:
        return f"{self.entry.candidate}: {self.get_months_display()}"

    def get_absolute_url(self) -> str:
        return reverse("training:follow_up_detail", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"list", "record", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "FollowUp | None" = None) -> bool:
        """Staff and the candidate's caseworkers make the checks; which checks, the scope says,
        and whether one is still to be made, the check itself (services.follow_up_record)."""
        if user.role in STAFF_ROLES or user.role == User.Role.CASEWORKER:
            return action in {"list", "view", "record"}
        return False  # recruiters and company HR: nothing of anybody's follow-up

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.due_on < timezone.localdate()

    @property
    def still_employed(self) -> bool:
        return self.outcome in self.EMPLOYED
