import datetime
import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.models import STAFF_ROLES, User
from candidates.models import Candidate
from companies.models import Company, Need
from interviews.models import MAX_MINUTES, MIN_MINUTES, Interview

WEIGHT = [MinValueValidator(0), MaxValueValidator(100)]


class WeightsQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "WeightsQuerySet":
        return self if user.role in STAFF_ROLES else self.none()

    def current(self) -> "MatchingWeights":
        """The newest version; the defaults when nobody changed them yet."""
        return self.order_by("-version").first() or MatchingWeights()


class MatchingWeights(models.Model):
    """One version of the ranking's weights. A change is a new version, never an edit, so a
    shortlist can say which weights it was built with."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    profile = models.PositiveSmallIntegerField(_("profile"), default=30, validators=WEIGHT)
    skills = models.PositiveSmallIntegerField(
        _("skills and certifications"), default=20, validators=WEIGHT
    )
    language = models.PositiveSmallIntegerField(_("Italian"), default=10, validators=WEIGHT)
    # Shifts, hours and the start date are a gate of the ranking: what availability still
    # scores (how soon, for a need without a start date) weighs little, and the recruiter's
    # class more.
    employability = models.PositiveSmallIntegerField(
        _("employability class"), default=20, validators=WEIGHT
    )
    commute = models.PositiveSmallIntegerField(_("commute"), default=15, validators=WEIGHT)
    availability = models.PositiveSmallIntegerField(_("availability"), default=5, validators=WEIGHT)
    max_km_with_car = models.PositiveSmallIntegerField(
        _("acceptable distance with a car (km)"), default=35, validators=[MinValueValidator(1)]
    )
    max_km_without_car = models.PositiveSmallIntegerField(
        _("acceptable distance without a car (km)"), default=10, validators=[MinValueValidator(1)]
    )
    ready_score = models.PositiveSmallIntegerField(
        _("score that counts as ready"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "A candidate ranked at this score or above counts as ready for the need "
            "in the training plan."
        ),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WeightsQuerySet.as_manager()

    COMPONENTS = ("profile", "skills", "language", "employability", "commute", "availability")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(profile__gt=0)
                | Q(skills__gt=0)
                | Q(language__gt=0)
                | Q(employability__gt=0)
                | Q(commute__gt=0)
                | Q(availability__gt=0),
                name="weights_not_all_zero",
                violation_error_message=_("At least one weight must be above zero."),
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version or 0}"

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in self.COMPONENTS)

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj=None) -> bool:
        if user.role == User.Role.ADMIN:
            return action in {"view", "change"}
        return user.role == User.Role.STAFF and action == "view"


class ShortlistQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ShortlistQuerySet":
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.COMPANY_HR:
            return self.filter(
                need__company__organisation_id=user.organisation_id, shared_at__isnull=False
            )
        return self.none()


class Shortlist(models.Model):
    """The candidates staff propose for one need, shared with the company when ready."""

    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="shortlist")
    weights = models.ForeignKey(
        MatchingWeights,
        verbose_name=_("weights version"),
        on_delete=models.PROTECT,
        null=True,
        related_name="shortlists",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    shared_at = models.DateTimeField(_("shared on"), null=True, blank=True)
    shared_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ShortlistQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")

    def __str__(self) -> str:
        return str(self.need)

    def get_absolute_url(self) -> str:
        return reverse("matching:shortlist_detail", args=[self.pk])

    @property
    def company(self) -> Company:
        return self.need.company

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "feedback", "list", "rank", "share", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Shortlist | None" = None) -> bool:
        if user.role in STAFF_ROLES:
            return action in {"list", "view", "change", "share", "rank"}
        if user.role == User.Role.COMPANY_HR:
            return action in {"list", "view", "feedback"} and (
                obj is None or obj.shared_at is not None
            )
        return False


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "EntryQuerySet":
        """The entries of the shortlists the user sees."""
        return self.filter(shortlist__in=Shortlist.objects.visible_to(user))


def _pseudonym() -> str:
    return "C-" + secrets.token_hex(3).upper()


class Entry(models.Model):
    """One candidate on a shortlist, known to the company only by `code` until an interview is
    agreed and the candidate consented to share their contacts."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        INTERESTED = "interested", _("Company interested")
        NOT_INTERESTED = "not_interested", _("Company not interested")
        INTERVIEW_REQUESTED = "interview_requested", _("Interview requested")
        INTERVIEW_AGREED = "interview_agreed", _("Interview agreed")
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Reason(models.TextChoices):
        PROFILE = "profile", _("Profile does not fit")
        EXPERIENCE = "experience", _("Not enough experience")
        LANGUAGE = "language", _("Italian not sufficient")
        DISTANCE = "distance", _("Lives too far")
        AVAILABILITY = "availability", _("Availability does not fit")
        FILLED = "filled", _("Position already filled")
        OTHER = "other", _("Other")
        # Set by the portal, never chosen: the candidate withdrew a consent the entry needed.
        CONSENT = "consent", _("Consent withdrawn")

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="shortlist_entries"
    )
    code = models.CharField(_("code"), max_length=10, unique=True, default=_pseudonym)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    contract = models.CharField(
        _("contract"), max_length=20, choices=Need.Contract.choices, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    # A hire whose job has ended stays a hire (its history), but no longer counts as in post:
    # the need may reopen and the candidate looks for work again (services.placement_end).
    ended_on = models.DateField(_("job ended on"), null=True, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("shortlisted candidate")
        verbose_name_plural = _("shortlisted candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "candidate"], name="entry_once_per_shortlist"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(status="hired"),
                name="entry_only_a_hire_ends",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(start_date__isnull=True)
                | Q(ended_on__gte=F("start_date")),
                name="entry_ends_after_start",
                violation_error_message=_("A job cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "feedback"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "Entry | None" = None) -> bool:
        """An entry's rule is its shortlist's: "change" (staff moves) and "feedback"
        (company moves)."""
        return Shortlist.permits(user, action, obj.shortlist if obj is not None else None)

    @property
    def in_post(self) -> bool:
        """Hired, and the job has not ended."""
        return self.status == self.Status.HIRED and self.ended_on is None

    @property
    def contacts_visible(self) -> bool:
        """Whether the company reads the candidate's name and contacts now: the rule is
        `matching.disclosure.contacts_disclosed`."""
        from matching.disclosure import contacts_disclosed  # it reads the ranking's models

        return contacts_disclosed(self)


# Which steps each status allows, and whose they are: the matching officers' ("staff"), the
# company's ("company") or either's. Who is on which side is the policy's (`entry_side`).
TRANSITIONS = {
    Entry.Status.PROPOSED: {
        Entry.Status.INTERESTED: "company",
        Entry.Status.NOT_INTERESTED: "company",
        Entry.Status.INTERVIEW_REQUESTED: "company",
        Entry.Status.WITHDRAWN: "staff",
    },
    Entry.Status.INTERESTED: {
        Entry.Status.INTERVIEW_REQUESTED: "company",
        Entry.Status.NOT_INTERESTED: "company",
        Entry.Status.WITHDRAWN: "staff",
    },
    Entry.Status.INTERVIEW_REQUESTED: {
        Entry.Status.INTERVIEW_AGREED: "staff",
        Entry.Status.WITHDRAWN: "staff",
    },
    Entry.Status.INTERVIEW_AGREED: {
        Entry.Status.HIRED: "either",
        Entry.Status.NOT_HIRED: "either",
        Entry.Status.WITHDRAWN: "either",
    },
}


def entry_side(user: User, entry: Entry) -> str | None:
    """Whose steps `user` records on `entry` (one in their scope): the matching officers'
    ("staff") when the policy lets them change it, on any shortlist, shared or not; the
    company's ("company") when it lets them give feedback on it, once it is shared with
    them; None when neither."""
    if can(user, "change", entry):
        return "staff"
    if can(user, "feedback", entry):
        return "company"
    return None


def entry_steps(user: User, entry: Entry) -> list[str]:
    """The steps `user` may record on `entry` from its status now, in TRANSITIONS' order."""
    side = entry_side(user, entry)
    if side is None:
        return []
    return [
        to for to, whose in TRANSITIONS.get(entry.status, {}).items() if whose in {side, "either"}
    ]


# The reasons people choose for a step; "consent withdrawn" is set by the portal only.
CHOSEN_REASONS = [
    (value, label) for value, label in Entry.Reason.choices if value != Entry.Reason.CONSENT
]


class PipelineEvent(models.Model):
    """Every change of a shortlisted candidate's status: who, when, from, to."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Entry.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Entry.Status.choices)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class CompanyInterviewQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CompanyInterviewQuerySet":
        """Those of the entries the user sees (the programme office all, company HR their
        company's shared shortlists'), and a caseworker those of their centre's candidates."""
        if user.role == User.Role.CASEWORKER:
            return self.filter(entry__candidate__centre_id=user.organisation_id)
        return self.filter(entry__in=Entry.objects.visible_to(user))

    def with_people(self) -> "CompanyInterviewQuerySet":
        return self.select_related(
            "entry__candidate",
            "entry__shortlist__need__profile",
            "entry__shortlist__need__company__organisation",
        )


class CompanyInterview(models.Model):
    """The interview of a shortlisted candidate with the company: a day, a time, a place or
    a link, and who attends for the company."""

    # The ways and the statuses of a programme interview: the calendar and the clash check
    # read both kinds alike.
    Mode = Interview.Mode
    Status = Interview.Status

    entry = models.ForeignKey(
        Entry,
        verbose_name=_("shortlisted candidate"),
        on_delete=models.CASCADE,
        related_name="company_interviews",
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place or link"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        User,
        verbose_name=_("for the company"),
        related_name="company_interviews",
        blank=True,
        limit_choices_to={"role": User.Role.COMPANY_HR},
    )
    other_attendees = models.CharField(_("other attendees"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    organised_by = models.ForeignKey(
        User, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    # Raised at each move to another time: the invitations' SEQUENCE (appointments.ics).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyInterviewQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("company interview")
        verbose_name_plural = _("company interviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "done", "no_show", "cancelled"]),
                name="company_interview_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration__gte=MIN_MINUTES, duration__lte=MAX_MINUTES),
                name="company_interview_duration_bounded",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.entry.code} - {self.starts_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("appointments:company_interview_detail", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration)

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"change", "list", "schedule", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "CompanyInterview | None" = None) -> bool:
        """The matching officers schedule, move and close company interviews; company HR and
        the candidate's caseworker read them."""
        if user.role in STAFF_ROLES:
            return action in {"list", "view", "change", "schedule"}
        if user.role in {User.Role.COMPANY_HR, User.Role.CASEWORKER}:
            return action in {"list", "view"}
        return False


class CompanyInterviewMove(models.Model):
    """A company interview moved to another time: who moved it, from when to when, and why."""

    interview = models.ForeignKey(CompanyInterview, on_delete=models.CASCADE, related_name="moves")
    from_at = models.DateTimeField(_("from"))
    to_at = models.DateTimeField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("company interview moved")
        verbose_name_plural = _("company interviews moved")

    def __str__(self) -> str:
        return f"{self.from_at:%d/%m/%Y %H:%M} → {self.to_at:%d/%m/%Y %H:%M}"
