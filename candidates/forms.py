from django import forms
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.access import can, scope
from accounts.models import Organisation, User
from candidates import filters
from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateLanguage,
    Consent,
    Experience,
)
from candidates.selectors import candidate_duplicates
from candidates.services import (
    CONSENT_FIELDS,
    certificate_expiry,
    consent_problems,
    registration_problems,
)
from candidates.validators import normalise_codice_fiscale
from catalog.licences import licences_parse
from catalog.models import AtecoCode, Certification, Comune, JobProfile, Skill
from catalog.versions import VersionedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderedPeriod:
    """For a form with `date_from` and `date_to`: the end may not come before the start."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end comes before the start."))
        return cleaned


class PrimaryFilters:
    """For a list's filter form whose `primary` fields show in the row and the others under
    "More filters" (templates/includes/filter_form.html)."""

    primary: tuple[str, ...] = ()

    @property
    def more_in_use(self) -> int:
        """How many of the other filters have a value (they open "More filters")."""
        if not self.is_bound:
            return 0
        return sum(
            1 for name in self.fields if name not in self.primary and any(self.data.getlist(name))
        )


# What a draft may leave out but a registration needs: enough to match on and to reach
# the person.

# The form's sections, in order: (title, fields). The template draws one fieldset each.
SECTIONS = (
    (
        _("Identity"),
        ("first_name", "last_name", "sex", "birth_date", "birth_country", "nationality",
         "codice_fiscale"),
    ),
    (_("Residence and contacts"), ("residence_comune", "address", "phone", "email")),
    (_("Referral"), ("centre", "caseworker")),
    (
        _("Languages and education"),
        ("italian_level", "education", "education_title",
         "education_abroad", "education_recognised"),
    ),
    (
        _("Skills and mobility"),
        ("skills", "driving_licences", "own_car", "motorbike", "bicycle", "public_transport",
         "lift", "max_commute_km", "max_commute_minutes"),
    ),
    (
        _("Availability"),
        ("available_from", "hours", "shifts", "nights", "weekends", "care_duties", "did_on",
         "did_cpi"),
    ),
    (_("Notes"), ("notes",)),
)  # fmt: skip
SENSITIVE_SECTION = (
    _("Confidential: residence permit, health, care and social services"),
    (
        "permit_type",
        "permit_expiry",
        "permit_renewal_requested_on",
        "care_notes",
        "health_notes",
        "social_service_notes",
    ),
)
CONSENT_SECTION = (_("Consents"), tuple(CONSENT_FIELDS.values()))


class CandidateForm(VersionedForm, forms.ModelForm):
    """The caseworker's intake form. A draft needs only the name; registering needs what
    matching and the programme need (the services' rule, `registration_problems`: the
    fields of REQUIRED_TO_REGISTER, a phone or e-mail, the consent to the programme).
    Saving a version somebody else changed meanwhile is refused."""

    version_ignore = ("confirm_duplicates",)

    skills = forms.ModelMultipleChoiceField(
        label=_("Declared skills"),
        required=False,
        queryset=Skill.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    confirm_duplicates = forms.BooleanField(
        label=_("I checked: this is a different person, register anyway"), required=False
    )

    class Meta:
        model = Candidate
        fields = [
            *(name for _title, names in SECTIONS for name in names if name != "skills"),
            *SENSITIVE_SECTION[1],
            *CONSENT_SECTION[1],
        ]
        widgets = {
            "birth_date": DATE,
            "available_from": DATE,
            "did_on": DATE,
            "permit_expiry": DATE,
            "permit_renewal_requested_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "care_notes": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 2}),
            "social_service_notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "consent_programme": Consent.PROGRAMME.label,
            "consent_matching": Consent.MATCHING.label,
            "consent_share_profile": Consent.SHARE_PROFILE.label,
            "consent_share_contacts": Consent.SHARE_CONTACTS.label,
        }

    def __init__(self, *args, actor: User, register: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.register = actor, register
        self.duplicates = []
        self.fields["residence_comune"].queryset = Comune.objects.local()
        centres = Organisation.objects.filter(kind=Organisation.Kind.CENTRE, is_active=True)
        if actor.role == User.Role.CASEWORKER:
            centres = centres.filter(pk=actor.organisation_id)
        self.fields["centre"].queryset = centres
        self.fields["caseworker"].queryset = User.objects.filter(
            role=User.Role.CASEWORKER, is_active=True, organisation__in=centres
        )
        if actor.role == User.Role.CASEWORKER:
            # A caseworker registers people of their own centre only.
            self.initial["centre"] = actor.organisation_id
            self.fields["centre"].disabled = True
            if self.instance.pk is None:
                self.initial["caseworker"] = actor.pk
        if self.instance.pk:
            self.initial.setdefault(
                "skills", [link.skill_id for link in self.instance.skill_links.all()]
            )
            if not can(actor, "view_sensitive", self.instance):
                for name in Candidate.SENSITIVE_FIELDS:
                    del self.fields[name]  # neither shown nor overwritten

    def clean_caseworker(self) -> User | None:
        chosen = self.cleaned_data["caseworker"]
        if chosen is None and self.actor.role == User.Role.CASEWORKER:
            return self.actor  # whoever registers a person follows them, unless told otherwise
        return chosen

    def clean_driving_licences(self) -> str:
        return licences_parse(self.cleaned_data["driving_licences"])

    def clean_codice_fiscale(self) -> str:
        return normalise_codice_fiscale(self.cleaned_data["codice_fiscale"])

    def _check_codice_fiscale(self, cleaned: dict) -> None:
        """The same codice fiscale among the people the user sees is an error, with a link.
        A person of another centre is none of the user's business: the save goes through and
        the programme office reviews the pair (services.duplicate_reviews_open), so that this
        form answers the same whether or not the code is known elsewhere."""
        code = cleaned.get("codice_fiscale")
        if not code:
            return
        existing = (
            scope(self.actor, Candidate)
            .filter(codice_fiscale=code)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing is not None:
            self.add_error(
                "codice_fiscale",
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("This codice fiscale is already registered:"),
                    reverse("candidates:detail", args=[existing.pk]),
                    existing,
                ),
            )

    def clean(self):
        cleaned = super().clean()
        for name, problem in consent_problems(cleaned).items():
            self.add_error(name, problem)
        if self.register:
            self._check_complete(cleaned)
        self._check_codice_fiscale(cleaned)
        self._check_possible_duplicates(cleaned)
        return cleaned

    def _check_complete(self, cleaned: dict) -> None:
        for name, problem in registration_problems(cleaned).items():
            if name not in self.errors:  # what is wrong with a field is said first
                self.add_error(name, problem)

    def _check_possible_duplicates(self, cleaned: dict) -> None:
        """People the user sees with the same name and birth date, phone or e-mail: listed,
        to be confirmed. Those of other centres are left to the programme office's review."""
        if cleaned.get("confirm_duplicates"):
            return
        self.duplicates = list(
            candidate_duplicates(
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                birth_date=cleaned.get("birth_date"),
                phone=cleaned.get("phone", ""),
                email=cleaned.get("email", ""),
                exclude_pk=self.instance.pk,
            ).filter(pk__in=scope(self.actor, Candidate).values("pk"))[:5]
        )
        if self.duplicates:
            raise forms.ValidationError(
                _(
                    "This may be a person already registered (same name and birth date, phone "
                    "or e-mail). Check below, then tick the confirmation to register anyway."
                ),
                code="possible_duplicate",
            )

    def sections(self):
        """(title, bound fields) for the template, the confidential one only for those who
        may see it."""
        sections = [*SECTIONS, SENSITIVE_SECTION, CONSENT_SECTION]
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in sections
            if any(name in self.fields for name in names)
        ]


class ExperienceForm(forms.ModelForm):
    class Meta:
        model = Experience
        fields = ["profile", "sector", "description", "years", "ended_in", "country"]
        help_texts = {
            "description": _("For the programme's staff only: companies read the profile or "
                             "the sector, never this text."),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = JobProfile.objects.filter(is_active=True)
        self.fields["sector"].queryset = AtecoCode.objects.filter(
            level=AtecoCode.Level.DIVISION
        ).order_by("code")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("profile") and not cleaned.get("description"):
            raise forms.ValidationError(_("Choose a profile or describe the job."))
        return cleaned


class CertificateDates:
    """For a model form of a candidate's certificate (certification, obtained_on,
    expires_on): the expiry is `certificate_expiry`'s, and `expiry_note()` tells the user
    when a later date they typed was brought back to the end of the validity."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.typed_expiry = None  # the later date typed, once brought back

    def clean(self):
        cleaned = super().clean()
        certification = cleaned.get("certification")
        obtained, expires = cleaned.get("obtained_on"), cleaned.get("expires_on")
        if certification is None or "obtained_on" in self.errors or "expires_on" in self.errors:
            return cleaned
        if self._expiry_left_as_it_was():
            expires = None  # it was for the other date or certification: worked out again
        try:
            cleaned["expires_on"] = certificate_expiry(certification, obtained, expires)
        except forms.ValidationError as error:
            self.add_error(None, error)
            return cleaned
        if expires and cleaned["expires_on"] != expires:
            self.typed_expiry = expires
        return cleaned

    def _expiry_left_as_it_was(self) -> bool:
        """Whether a saved certificate's date or certification changed but not its expiry."""
        changed = set(self.changed_data)
        return bool(
            self.instance.pk
            and "expires_on" not in changed
            and {"certification", "obtained_on"} & changed
        )

    def expiry_note(self) -> str | None:
        if self.typed_expiry is None:
            return None
        certification = self.cleaned_data["certification"]
        return ngettext(
            "“%(certification)s” lasts %(years)s year from when it was obtained: it expires "
            "on %(date)s, not on %(typed)s.",
            "“%(certification)s” lasts %(years)s years from when it was obtained: it expires "
            "on %(date)s, not on %(typed)s.",
            certification.validity_years,
        ) % {
            "certification": certification,
            "years": certification.validity_years,
            "date": date_format(self.cleaned_data["expires_on"], "SHORT_DATE_FORMAT"),
            "typed": date_format(self.typed_expiry, "SHORT_DATE_FORMAT"),
        }


class CertificationLinkForm(CertificateDates, forms.ModelForm):
    class Meta:
        model = CandidateCertification
        fields = ["certification", "obtained_on", "expires_on"]
        widgets = {"obtained_on": DATE, "expires_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = Certification.objects.filter(is_active=True)


class LanguageForm(forms.ModelForm):
    class Meta:
        model = CandidateLanguage
        fields = ["language", "level"]


LanguageFormSet = forms.inlineformset_factory(
    Candidate, CandidateLanguage, form=LanguageForm, extra=1, can_delete=True
)
ExperienceFormSet = forms.inlineformset_factory(
    Candidate, Experience, form=ExperienceForm, extra=2, can_delete=True
)
CertificationFormSet = forms.inlineformset_factory(
    Candidate, CandidateCertification, form=CertificationLinkForm, extra=1, can_delete=True
)


class CandidateFilterForm(PrimaryFilters, OrderedPeriod, forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    codice_fiscale = forms.CharField(label=_("Codice fiscale"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Candidate.Status.choices],
    )
    profile = forms.ModelChoiceField(
        label=_("Experience as"),
        required=False,
        queryset=JobProfile.objects.all(),
        empty_label=_("Any profile"),
    )
    comune = forms.ModelChoiceField(
        label=_("Comune of residence"),
        required=False,
        queryset=Comune.objects.local(),
        empty_label=_("Any comune"),
    )
    centre = forms.ModelChoiceField(
        label=_("Referral centre"),
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.CENTRE),
        empty_label=_("Any centre"),
    )
    employability = forms.MultipleChoiceField(
        label=_("Employability class"),
        required=False,
        choices=Candidate._meta.get_field("employability").choices,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(label=_("Reached"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DATE,
        help_text=_("The dates refer to the stage reached; without one, to the registration."),
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            ("", _("Any stage")),
            *((stage.value, stage.label) for stage in filters.stages()),
        ]
        for extra in filters.extra_filters():
            self.fields[extra.name] = extra.field()
        if not can(actor, "list_all_centres", Candidate):
            del self.fields["centre"]  # their own centre's candidates only, nothing to choose

    primary = ("q", "codice_fiscale", "status")  # in the row; the others under "More filters"


class StatusChangeForm(forms.Form):
    """A manual change of status. Interviews, shortlists and placements move the status
    themselves; here a caseworker suspends, withdraws or reactivates a candidate."""

    MANUAL = (
        Candidate.Status.REGISTERED,
        Candidate.Status.SUSPENDED,
        Candidate.Status.WITHDRAWN,
    )
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Why"), max_length=300)

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label)
            for value, label in Candidate.Status.choices
            if value in self.MANUAL and value != candidate.status
        ]


class ConsentChangeForm(forms.Form):
    purpose = forms.ChoiceField(choices=Consent.choices)
    granted = forms.BooleanField(required=False)
