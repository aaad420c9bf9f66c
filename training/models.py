"""Support actions for the obstacles an assessment found, the funding channels that pay, and
the follow-up checks after a placement.

A support action belongs to one candidate and addresses obstacles of their assessments (no
car, care duties, documents...). It moves proposed -> agreed -> in progress -> done / not
achieved, or is cancelled; every move is kept in its history. Finishing it resolves its
obstacles (`training.services.support_action_move`).
"""

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
from catalog.models import BilingualName, Certification, Comune, JobProfile
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


class SupportActionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SupportActionQuerySet":
        """The support of the candidates the user may see (Candidate's own rule: caseworkers
        their centre's, recruiters those they interview); company HR see nobody's."""
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.none()
        return self.filter(candidate__in=Candidate.objects.visible_to(user).values("pk"))


class SupportAction(models.Model):
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

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT[self.Status(self.status)]

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
