from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.access import can
from accounts.models import Organisation, User
from candidates import filters
from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateLanguage,
    Consent,
    Experience,
)
from candidates.selectors import registration_centres
from candidates.services import CONSENT_FIELDS
from candidates.validators import normalise_codice_fiscale
from catalog.licences import licences_parse
from catalog.models import AtecoCode, Certification, Comune, JobProfile, Skill
from catalog.versions import VersionedForm
from focus.forms import ChoicePrompts
from focus.pickers import MultiPicker, Picker

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


class CandidateForm(ChoicePrompts, VersionedForm, forms.ModelForm):
    """The caseworker's intake form: it reads what was typed and shows what the services
    refuse (`refusal_show`). A draft needs only the name; registering needs what matching
    and the programme need (`candidates.services.registration_problems`). Saving a version
    somebody else changed meanwhile is refused."""

    version_ignore = ("confirm_duplicates",)

    skills = forms.ModelMultipleChoiceField(
        label=_("Declared skills"),
        required=False,
        queryset=Skill.objects.filter(is_active=True),
        widget=MultiPicker,
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
            "residence_comune": Picker,
            "birth_country": Picker,
            "nationality": Picker,
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
            "consent_share_cv": Consent.SHARE_CV.label,
        }

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.duplicates = []
        self.fields["residence_comune"].queryset = Comune.objects.local()
        centres = registration_centres(actor)
        self.fields["centre"].queryset = centres
        self.fields["caseworker"].queryset = User.objects.filter(
            role=User.Role.CASEWORKER, is_active=True, organisation__in=centres
        )
        if not can(actor, "list_all_centres", Candidate) and centres:
            # Who works with one centre's people has nothing to choose: the policy's centre.
            self.initial["centre"] = centres[0].pk
            self.fields["centre"].disabled = True
        if self.instance.pk is None and can(actor, "follow", Candidate):
            self.initial["caseworker"] = actor.pk  # who registers a person follows them
        if self.instance.pk:
            self.initial.setdefault(
                "skills", [link.skill_id for link in self.instance.skill_links.all()]
            )
            if not can(actor, "view_sensitive", self.instance):
                for name in Candidate.SENSITIVE_FIELDS:
                    del self.fields[name]  # neither shown nor overwritten

    def clean_driving_licences(self) -> str:
        return licences_parse(self.cleaned_data["driving_licences"])

    def clean_codice_fiscale(self) -> str:
        return normalise_codice_fiscale(self.cleaned_data["codice_fiscale"])

    def _get_validation_exclusions(self) -> set[str]:
        # The database's rules across fields (a codice fiscale once in a centre, no consent
        # without the programme's) are the services' to check and to say, by field, with
        # the others: here the fields are read.
        return {*super()._get_validation_exclusions(), "centre", *CONSENT_FIELDS.values()}

    def refusal_show(
        self, refusal: ValidationError, certifications: forms.BaseFormSet | None = None
    ) -> None:
        """Show what the services refused (`candidate_register`, `candidate_update`), what
        was typed staying as it was: each problem at its field (above the form for one the
        form does not show); the codice fiscale already registered with a link to that
        person; the possible duplicates listed above the form, with the confirmation; a
        certificate's problem on its row of `certifications`."""
        problems = [(field, e) for field, errors in refusal.error_dict.items() for e in errors]
        for _field, error in problems:
            if error.code == "possible_duplicate" and error.params["name"] not in self.duplicates:
                self.duplicates.append(error.params["name"])
        if self.duplicates:
            self.add_error(None, ValidationError(POSSIBLE_DUPLICATE, code="possible_duplicate"))
        for field, error in problems:
            if error.code == "possible_duplicate":
                continue
            if error.code == "codice_fiscale_registered":
                error = _linked(error)
            elif field == "certifications" and certificate_problem_show(certifications, error):
                continue
            self.add_error(field if field in self.fields else None, error)

    def sections(self):
        """(title, bound fields) for the template, the confidential one only for those who
        may see it."""
        sections = [*SECTIONS, SENSITIVE_SECTION, CONSENT_SECTION]
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in sections
            if any(name in self.fields for name in names)
        ]


class ExperienceForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = Experience
        fields = ["profile", "sector", "description", "years", "ended_in", "country"]
        widgets = {"profile": Picker, "sector": Picker, "country": Picker}
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


POSSIBLE_DUPLICATE = _(
    "This may be a person already registered (same name and birth date, phone or e-mail). "
    "Check below, then tick the confirmation to register anyway."
)


def _linked(error: ValidationError) -> str:
    """The refusal of a codice fiscale already registered, the person's name a link to them."""
    existing = error.params["name"]
    before, _name, after = str(error.message).partition("%(name)s")
    url = reverse("candidates:detail", args=[existing.pk])
    return format_html('{}<a href="{}">{}</a>{}', before, url, existing, after)


def certificate_problem_show(
    certifications: forms.BaseFormSet | None, error: ValidationError
) -> bool:
    """Show a certificate's problem (`candidates.services.certificates_problems`) at the
    dates of its row of `certifications`; whether it has one there."""
    rows = certifications.forms if certifications is not None else ()
    row = next((f for f in rows if f.instance is error.params["certificate"]), None)
    if row is not None:
        row.add_error("expires_on", ValidationError(error.message, code=error.code))
    return row is not None


def formset_kept(formset: forms.BaseInlineFormSet) -> list:
    """The records of `formset`'s rows that stay (valid, not deleted, typed or saved
    before), as its forms read them: what a service is given to write."""
    return [
        form.instance
        for form in formset.forms
        if form.cleaned_data
        and not formset._should_delete_form(form)
        and (form.has_changed() or form.instance.pk is not None)
    ]


class CertificateDates:
    """For a model form of a candidate's certificate (certification, obtained_on,
    expires_on) once the services saved it: `expiry_note()` tells the user when the later
    expiry they typed was brought back to the end of the validity (`certificate_expiry`)."""

    def _get_validation_exclusions(self) -> set[str]:
        # The expiry is the services' to work out and to check against the date obtained
        # (`certificate_expiry`): one typed or left as it was is not the one saved.
        return {*super()._get_validation_exclusions(), "expires_on"}

    def expiry_note(self) -> str | None:
        typed, saved = self.cleaned_data.get("expires_on"), self.instance.expires_on
        if not typed or not saved or saved >= typed or "expires_on" not in self.changed_data:
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
            "date": date_format(saved, "SHORT_DATE_FORMAT"),
            "typed": date_format(typed, "SHORT_DATE_FORMAT"),
        }


class CertificationLinkForm(ChoicePrompts, CertificateDates, forms.ModelForm):
    class Meta:
        model = CandidateCertification
        fields = ["certification", "obtained_on", "expires_on"]
        widgets = {"certification": Picker, "obtained_on": DATE, "expires_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = Certification.objects.filter(is_active=True)


class LanguageForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = CandidateLanguage
        fields = ["language", "level"]
        widgets = {"language": Picker}


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
    q = forms.CharField(label=_("Name, phone, e-mail or number"), required=False)
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
        widget=Picker(source="candidates:comune_options"),
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
    confirmed = forms.BooleanField(required=False)  # a withdrawal, from its confirmation page
