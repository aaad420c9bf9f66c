import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import STAFF_ROLES, Organisation, User
from candidates.validators import codice_fiscale_facts, validate_codice_fiscale
from catalog.languages import ItalianLevel, Language
from catalog.models import AtecoCode, Certification, Comune, JobProfile, Skill
from catalog.versions import VersionedModel

# Citizens of these countries need no residence permit to work in Italy (EU and EEA,
# Switzerland).
# fmt: off
FREE_MOVEMENT_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    "IS", "LI", "NO", "CH",
})
# fmt: on


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    """Full years of age on `today`."""
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


# The age bands shown instead of a birth date, wherever one would narrow a person down (a
# company's cards, the programme's workbook): the lowest age of each, as in ISTAT's
# labour-force tables.
AGE_BANDS = (
    (55, "55+"),
    (45, "45\N{EN DASH}54"),
    (35, "35\N{EN DASH}44"),
    (25, "25\N{EN DASH}34"),
    (18, "18\N{EN DASH}24"),
)


def age_band(birth_date: datetime.date | None, today: datetime.date) -> str | None:
    """The band of the age on `today`; None without a birth date."""
    if birth_date is None:
        return None
    age = age_on(birth_date, today)
    return next((band for low, band in AGE_BANDS if age >= low), str(_("under 18")))


# The candidates matching may rank: registered (not drafts), still looking for work, and
# consenting to matching. One condition for the queryset and for the partial index under it.
# Registered and still looking for work; and consenting to matching as well.
LOOKING = ~Q(status__in=["draft", "placed", "suspended", "withdrawn"])
MATCHABLE = Q(consent_matching=True) & LOOKING


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CandidateQuerySet":
        if user.role in STAFF_ROLES:
            return self
        if user.role == User.Role.CASEWORKER:
            return self.filter(centre_id=user.organisation_id)
        if user.role == User.Role.RECRUITER:
            # The candidates with an interview assigned to them (interviews app), to come or
            # at most RECRUITER_ACCESS_DAYS old: their access ends that long after the last.
            since = timezone.now() - datetime.timedelta(days=settings.RECRUITER_ACCESS_DAYS)
            return self.filter(
                pk__in=self.model.objects.filter(
                    interviews__recruiter=user, interviews__scheduled_at__gte=since
                ).values("pk")
            )
        # Company HR see only the pseudonymised cards of shortlists shared with them
        # (matching): never this registry.
        return self.none()

    def matchable(self) -> "CandidateQuerySet":
        """The candidates matching may rank: registered (not drafts), still looking for work,
        and consenting to matching. A withdrawn consent takes effect at once."""
        return self.filter(MATCHABLE)


class Candidate(VersionedModel):
    """A person available to work, registered by a caseworker of a charity centre."""

    # The fields only caseworkers of the candidate's centre, staff and admin may read:
    # health and care constraints, residence permit, social-service notes. Pages, exports and
    # forms hide them from everybody else (see `permits(user, "view_sensitive", obj)`).
    SENSITIVE_FIELDS = (
        "care_notes",
        "health_notes",
        "permit_type",
        "permit_expiry",
        "permit_renewal_requested_on",
        "social_service_notes",
    )

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REGISTERED = "registered", _("Registered")
        INTERVIEWED = "interviewed", _("Interviewed")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        PLACED = "placed", _("Placed")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Education(models.TextChoices):
        NONE = "none", _("No formal education")
        PRIMARY = "primary", _("Primary school")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary (licenza media)")
        VOCATIONAL = "vocational", _("Vocational qualification")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary diploma")
        TERTIARY = "tertiary", _("University degree")

    class Hours(models.TextChoices):
        FULL_TIME = "full_time", _("Full time")
        PART_TIME = "part_time", _("Part time")
        EITHER = "either", _("Full or part time")

    class Shifts(models.TextChoices):
        DAY = "day", _("Day shift only")
        TWO = "two", _("Up to two shifts")
        THREE = "three", _("Up to three shifts")

    class Permit(models.TextChoices):
        WORK = "work", _("Work (lavoro subordinato)")
        FAMILY = "family", _("Family reasons")
        INTERNATIONAL_PROTECTION = "protection", _("International protection (asylum, subsidiary)")
        SPECIAL_PROTECTION = "special", _("Special protection")
        ASYLUM_REQUEST = "asylum_request", _("Asylum request pending")
        LONG_TERM = "long_term", _("EU long-term resident")
        JOB_SEEKING = "job_seeking", _("Waiting for employment (attesa occupazione)")
        STUDY = "study", _("Study")
        OTHER = "other", _("Other")

    # Identity
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_country = CountryField(_("country of birth"), blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, blank=True, validators=[validate_codice_fiscale]
    )
    # Contacts and residence
    residence_comune = models.ForeignKey(
        Comune,
        verbose_name=_("comune of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Programme
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
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Languages and education
    italian_level = models.CharField(
        _("Italian level"), max_length=6, choices=ItalianLevel.choices, blank=True
    )
    # Set by a recruiter's assessment or a certified course (interviews.services.candidate_facts);
    # outranks the declared level wherever both exist.
    italian_level_verified = models.CharField(
        _("Italian level (verified)"),
        max_length=6,
        choices=ItalianLevel.choices,
        blank=True,
        editable=False,
    )
    # The class of the latest assessment (by interview date), kept by
    # interviews.services.candidate_facts_refresh; blank when never assessed. The ranking reads it.
    employability = models.CharField(
        _("employability class"),
        max_length=1,
        choices=[("A", "A"), ("B", "B"), ("C", "C")],
        blank=True,
        editable=False,
    )
    # Whether that assessment records a severe obstacle still open, kept with the class: the
    # ranking halves the class's score while it is.
    severe_obstacle = models.BooleanField(_("severe obstacle open"), default=False, editable=False)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    education_title = models.CharField(_("title obtained"), max_length=200, blank=True)
    education_abroad = models.BooleanField(_("obtained abroad"), default=False)
    education_recognised = models.BooleanField(_("recognised in Italy"), default=False)
    # Skills and mobility
    skills = models.ManyToManyField(
        Skill, through="CandidateSkill", related_name="candidates", blank=True
    )
    certifications = models.ManyToManyField(
        Certification, through="CandidateCertification", related_name="candidates", blank=True
    )
    driving_licences = models.CharField(
        _("driving licences"),
        max_length=60,
        blank=True,
        help_text=_("Categories, comma-separated: B, C, CQC…"),
    )
    # How the candidate travels to work (more than one may hold), and how far or how long
    # they accept to travel; the ranking reads both (matching.ranking._limit).
    own_car = models.BooleanField(_("has a car"), default=False)
    motorbike = models.BooleanField(_("has a motorbike or moped"), default=False)
    bicycle = models.BooleanField(_("cycles to work"), default=False)
    public_transport = models.BooleanField(_("uses public transport"), default=False)
    lift = models.BooleanField(_("can get a lift"), default=False)
    max_commute_km = models.PositiveSmallIntegerField(
        _("maximum commute (km)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(300)],
        help_text=_("By road, one way."),
    )
    max_commute_minutes = models.PositiveSmallIntegerField(
        _("maximum commute (minutes)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(180)],
        help_text=_("One way, by the means the candidate uses."),
    )
    # Availability
    available_from = models.DateField(_("available from"), null=True, blank=True)
    # The declaration of immediate availability (DID) at a job centre: active-labour-policy
    # funds such as GOL pay for a course only for a person who made it.
    did_on = models.DateField(
        _("DID declared on"),
        null=True,
        blank=True,
        help_text=_("Declaration of immediate availability to work, made at a job centre."),
    )
    did_cpi = models.CharField(_("job centre (CPI) of the DID"), max_length=100, blank=True)
    hours = models.CharField(_("hours"), max_length=10, choices=Hours.choices, default=Hours.EITHER)
    shifts = models.CharField(
        _("shifts"), max_length=10, choices=Shifts.choices, default=Shifts.DAY
    )
    nights = models.BooleanField(_("available at night"), default=False)
    weekends = models.BooleanField(_("available at weekends"), default=False)
    care_duties = models.BooleanField(_("care duties (children, relatives)"), default=False)
    # Sensitive
    care_notes = models.TextField(_("care constraints"), blank=True)
    health_notes = models.TextField(_("health constraints"), blank=True)
    permit_type = models.CharField(
        _("residence permit"), max_length=20, choices=Permit.choices, blank=True
    )
    permit_expiry = models.DateField(_("permit expiry"), null=True, blank=True)
    # The receipt (ricevuta) of a renewal requested in time lets the person keep working
    # while the permit is renewed (art. 5 c. 9-bis D.Lgs. 286/98).
    permit_renewal_requested_on = models.DateField(
        _("permit renewal requested on"),
        null=True,
        blank=True,
        help_text=_("The date on the receipt of the renewal request."),
    )
    social_service_notes = models.TextField(_("social-service notes"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Current consents, kept in step with the ConsentRecord log by the consent service.
    consent_programme = models.BooleanField(_("consent: programme"), default=False)
    consent_matching = models.BooleanField(_("consent: matching"), default=False)
    consent_share_profile = models.BooleanField(_("consent: pseudonymised profile"), default=False)
    consent_share_contacts = models.BooleanField(_("consent: contact details"), default=False)
    consent_share_cv = models.BooleanField(_("consent: CV"), default=False)

    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When the person's data were erased (anonymised): the record stays for the programme's
    # figures and the proof of consent, with nothing left that identifies them.
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
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
            # Unique within a centre only: a person registered by two centres is caught as a
            # possible duplicate and reviewed by the programme office (DuplicateReview), without
            # telling the second centre that the first one knows them.
            models.UniqueConstraint(
                fields=["centre", "codice_fiscale"],
                condition=~Q(codice_fiscale=""),
                name="candidate_codice_fiscale_unique_in_centre",
                violation_error_message=_("A candidate with this codice fiscale already exists."),
            ),
            models.CheckConstraint(condition=Q(sex__in=["", "F", "M"]), name="candidate_sex_valid"),
            models.CheckConstraint(
                condition=Q(consent_matching=False) | Q(consent_programme=True),
                name="candidate_matching_needs_programme_consent",
                violation_error_message=_(
                    "The other consents need the consent to the programme first."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
            # The pool matching ranks: ranking and counting it read this small index alone,
            # with the columns of the gates and of the score (on PostgreSQL), not the wide
            # rows of the table.
            models.Index(
                fields=["permit_expiry"],
                include=[
                    "id",
                    "permit_renewal_requested_on",
                    "available_from",
                    "shifts",
                    "hours",
                    "nights",
                    "weekends",
                    "care_duties",
                    "own_car",
                    "driving_licences",
                    "motorbike",
                    "bicycle",
                    "public_transport",
                    "lift",
                    "max_commute_km",
                    "max_commute_minutes",
                    "residence_comune",
                    "employability",
                    "severe_obstacle",
                    "italian_level",
                    "italian_level_verified",
                ],
                condition=MATCHABLE,
                name="candidate_pool",
            ),
            # The candidates of a class (the dashboard's suitable supply by profile, the list
            # filtered by class): only the assessed have one, so a class is a selective filter.
            models.Index(fields=["employability"], name="candidate_employability"),
            # A caseworker's scope (`candidate__in` their centre's candidates, in every list of
            # their records): the keys read from the index alone, not from the table's rows.
            models.Index(fields=["centre", "id"], name="candidate_by_centre"),
            # The splits of a tranche's assessments by sex and nationality (interviews.
            # selectors.tranches_figures): its few hundred candidates read by key from this
            # small index (on PostgreSQL), where the plan otherwise reads the whole table.
            models.Index(fields=["id"], include=["sex", "nationality"], name="candidate_origin"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:detail", args=[self.pk])

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset(
        {
            "change",
            "create",
            "erase",
            "export_data",
            "follow",
            "import",
            "list",
            "list_all_centres",
            "view",
            "view_sensitive",
        }
    )

    @classmethod
    def permits(cls, user: User, action: str, obj: "Candidate | None" = None) -> bool:
        if obj is not None and obj.erased_at is not None and action in {"change", "erase"}:
            return False  # nothing is left to edit or erase (candidates.rights)
        if user.role in STAFF_ROLES:
            # The data subject's rights (candidates.rights) are the programme office's: the
            # export of everything held about the person, and their erasure.
            return action in {
                "list",
                "list_all_centres",
                "view",
                "view_sensitive",
                "create",
                "change",
                "import",
                "export_data",
                "erase",
            }
        if user.role == User.Role.CASEWORKER:
            # A caseworker registers and imports people of their own centre only (asked of a
            # candidate not saved yet, with its centre), and follows those they register.
            if obj is None:
                return action in {"list", "create", "import", "follow"}
            own = obj.centre_id == user.organisation_id
            return own and action in {
                "view",
                "view_sensitive",
                "change",
                "create",
                "import",
                "follow",
            }
        if user.role == User.Role.RECRUITER:
            # Which candidates: those of their interviews (the scope). Never the confidential
            # fields, never edits to the registry: their findings go into assessments.
            return action in {"list", "view"}
        return False

    def clean(self):
        """The codice fiscale encodes birth date and sex: when both are given they must agree."""
        facts = codice_fiscale_facts(self.codice_fiscale)
        if facts is None:
            return
        birth_date, sex = facts
        errors = {}
        if self.birth_date and self.birth_date != birth_date:
            errors["birth_date"] = _(
                "The codice fiscale says %(date)s: check the birth date or the code."
            ) % {"date": birth_date.strftime("%d/%m/%Y")}
        if self.sex and self.sex != sex:
            errors["sex"] = _("The codice fiscale belongs to a person of the other sex.")
        if errors:
            raise ValidationError(errors)

    @property
    def needs_permit(self) -> bool:
        """Citizens of countries without free movement need a residence permit to work."""
        return bool(self.nationality) and self.nationality.code not in FREE_MOVEMENT_COUNTRIES

    @property
    def licence_list(self) -> list[str]:
        return [part.strip() for part in self.driving_licences.split(",") if part.strip()]

    TRAVEL_MODES = ("own_car", "motorbike", "bicycle", "public_transport", "lift")

    @property
    def travel_modes(self) -> list[str]:
        """How the candidate travels to work, in words."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.TRAVEL_MODES
            if getattr(self, name)
        ]


class Experience(models.Model):
    """A job the candidate did: a catalogue profile when it fits, free text otherwise."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="experiences")
    profile = models.ForeignKey(
        JobProfile,
        verbose_name=_("profile"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experiences",
        db_index=False,  # indexed first in `experience_by_profile`
    )
    description = models.CharField(_("job (as described)"), max_length=200, blank=True)
    # The economic sector (an ATECO division) of the job: what a company reads of a job the
    # catalogue has no profile for, instead of the description.
    sector = models.ForeignKey(
        AtecoCode,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": AtecoCode.Level.DIVISION},
    )
    years = models.DecimalField(
        _("years"), max_digits=4, decimal_places=1, default=0, validators=[MaxValueValidator(60)]
    )
    # Recent work counts more in the ranking (matching.ranking.RECENCY).
    ended_in = models.PositiveSmallIntegerField(
        _("last year in the job"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
        help_text=_("Leave empty if the candidate still does this job."),
    )
    country = CountryField(_("country"), blank=True)

    class Meta:
        ordering = ["-years", "pk"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        constraints = [
            models.CheckConstraint(
                condition=~Q(profile=None) | ~Q(description=""),
                name="experience_has_profile_or_description",
            ),
            models.CheckConstraint(condition=Q(years__gte=0), name="experience_years_positive"),
        ]
        # The ranking asks "who has experience as this profile, and how many years, how
        # recent?": answered from the index alone (the years are included on PostgreSQL).
        indexes = [
            models.Index(
                fields=["profile", "candidate"],
                include=["years", "ended_in"],
                name="experience_by_profile",
            )
        ]

    def __str__(self) -> str:
        return str(self.profile or self.description)


class CandidateLanguage(models.Model):
    """A language other than Italian the candidate speaks, with its CEFR level (or native)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=3, choices=Language.choices)
    level = models.CharField(_("level"), max_length=6, choices=ItalianLevel.choices)

    class Meta:
        ordering = ["candidate", "language"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "language"],
                name="candidate_language_once",
                violation_error_message=_("This language is already listed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.get_level_display()}"


class CandidateSkill(models.Model):
    """A skill the candidate declared at intake; a recruiter may verify it later."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="skill_links")
    # Indexed first in `candidate_skill_by_skill`, which serves the lookups by skill.
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="candidate_links", db_index=False
    )
    since = models.DateField(_("since"), null=True, blank=True)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "skill"], name="candidate_skill_once")
        ]
        # The ranking asks "who has this skill, verified or not?": answered from the index.
        indexes = [
            models.Index(fields=["skill", "candidate", "verified"], name="candidate_skill_by_skill")
        ]

    def __str__(self) -> str:
        return str(self.skill)


class CandidateCertification(models.Model):
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="certification_links"
    )
    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="candidate_links",
        db_index=False,  # indexed first in `candidate_cert_by_cert`
    )
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "certification"], name="candidate_certification_once"
            ),
            models.CheckConstraint(
                condition=Q(expires_on=None)
                | Q(obtained_on=None)
                | Q(expires_on__gte=models.F("obtained_on")),
                name="certification_expires_after_obtained",
            ),
        ]
        # As for skills: who holds this certification, verified or not, valid until when.
        indexes = [
            models.Index(
                fields=["certification", "candidate", "verified", "expires_on"],
                name="candidate_cert_by_cert",
            )
        ]

    def __str__(self) -> str:
        return str(self.certification)


class TravelArrangement(models.Model):
    """A way the candidate now has to reach a place without a car of their own: a bus pass to
    a zone, a company shuttle, a lift, a bicycle. The ranking treats a workplace within
    `within_km` of `destination` as reachable, as it would by car. Made when a transport
    support action is done (training), through `candidates.services`."""

    class Mode(models.TextChoices):
        TRANSPORT_PASS = "transport_pass", _("Bus or train pass")
        COMPANY_SHUTTLE = "company_shuttle", _("Company shuttle")
        CAR_POOLING = "car_pooling", _("Car-pooling")
        BICYCLE = "bicycle", _("Bicycle")
        OTHER = "other", _("Other transport")

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="travel_arrangements"
    )
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices)
    destination = models.ForeignKey(
        Comune, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    within_km = models.PositiveSmallIntegerField(
        _("workplaces within (km)"),
        default=5,
        validators=[MaxValueValidator(50)],
        help_text=_("How far from that comune the workplaces it reaches may be."),
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = _("travel arrangement")
        verbose_name_plural = _("travel arrangements")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="travel_arrangement_ends_after_start",
                violation_error_message=_("An arrangement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(within_km__lte=50), name="travel_arrangement_within_50_km"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} → {self.destination}"


class Consent(models.TextChoices):
    PROGRAMME = "programme", _("Processing of personal data for the programme")
    MATCHING = "matching", _("Matching with companies' needs")
    SHARE_PROFILE = "share_profile", _("Sharing a pseudonymised profile with companies")
    SHARE_CONTACTS = "share_contacts", _("Sharing contact details for an agreed interview")
    SHARE_CV = "share_cv", _("Sharing the CV with a company for an agreed interview")


class ConsentRecord(models.Model):
    """One consent given or withdrawn: the log from which the candidate's current consents
    (Candidate.consent_*) are kept. Never edited, never deleted."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Consent.choices)
    granted = models.BooleanField(_("granted"))
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.granted}"


class DuplicateReviewQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "DuplicateReviewQuerySet":
        return self if user.role in STAFF_ROLES else self.none()


class DuplicateReview(models.Model):
    """A possible duplicate across centres, for the programme office to settle: the same
    person registered (or imported) by a second centre. The caseworker who registered them is
    told only that the office will check; the office merges the records or keeps them apart."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        KEPT_APART = "kept_apart", _("Different people")

    class Reason(models.TextChoices):
        CODICE_FISCALE = "codice_fiscale", _("Same codice fiscale")
        NAME_BIRTH = "name_birth", _("Same name and birth date")
        PHONE = "phone", _("Same phone")
        EMAIL = "email", _("Same e-mail")

    # The record just registered, and the one of another centre it may be. A merge folds the
    # first into the second and deletes it: the review stays, as the office's decision, with
    # the number the merged record had.
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("new record"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="duplicate_reviews",
    )
    existing = models.ForeignKey(
        Candidate,
        verbose_name=_("earlier record"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    merged_number = models.PositiveIntegerField(_("merged record"), null=True, blank=True)
    reasons = models.JSONField(_("why"), default=list)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("found on"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    objects = DuplicateReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "existing"], name="duplicate_review_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(candidate=models.F("existing")), name="duplicate_review_two_records"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "merged", "kept_apart"]),
                name="duplicate_review_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="duplicate_review_open")]

    def __str__(self) -> str:
        return f"{self.candidate_id or self.merged_number} ~ {self.existing_id}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:duplicate_review", args=[self.pk])

    @property
    def reason_labels(self) -> list[str]:
        return [str(self.Reason(reason).label) for reason in self.reasons]

    # The actions `permits` answers for: any other name is an error (accounts.access).
    ACTIONS = frozenset({"decide", "list", "view"})

    @classmethod
    def permits(cls, user: User, action: str, obj: "DuplicateReview | None" = None) -> bool:
        # The programme office settles them; the centres never learn of them.
        return user.role in STAFF_ROLES and action in {"list", "view", "decide"}


class StatusChange(models.Model):
    """Every change of a candidate's status: who, when, from, to and why."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Candidate.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Candidate.Status.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        User, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
