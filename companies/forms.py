from collections.abc import Iterable

from django import forms
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from accounts.access import can, scope
from catalog.languages import CefrLevel
from catalog.models import AtecoCode, Certification, Comune, JobProfile, Skill
from catalog.versions import VersionedForm, stale_refuse
from companies import filters
from companies.models import Company, Need, SurveyCampaign
from companies.selectors import ACTIVE_STATUS, company_comuni
from companies.services import COMPANY_FIELDS, NEED_FIELDS
from companies.validators import normalise_partita_iva, validate_partita_iva
from focus.forms import ChoicePrompts
from focus.pickers import MultiPicker, Picker


class PartitaIvaInput:
    """A partita IVA as people type it: spaces and a leading IT are dropped before the
    model's rules (11 digits, check digit, one company each) are asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partita_iva"]
        field.max_length = 20
        field.widget.attrs["maxlength"] = 20
        field.validators = [validate_partita_iva]  # not the model's 11 characters, yet

    def clean_partita_iva(self) -> str:
        return normalise_partita_iva(self.cleaned_data["partita_iva"])


class CompanyForm(ChoicePrompts, PartitaIvaInput, VersionedForm, forms.ModelForm):
    """A company's registry data. The name lives on its organisation (HR users' employer).
    Saving a version somebody else changed meanwhile is refused."""

    name = forms.CharField(label=_("Company name"), max_length=200)
    ateco_code = forms.CharField(
        label=_("ATECO code"),
        max_length=10,
        required=False,
        help_text=_("The code of the main activity, e.g. 25.11.00 (ATECO 2025)."),
    )

    class Meta:
        model = Company
        # The registry fields the services save; the ATECO code is typed (ateco_code).
        fields = ["partita_iva", *(name for name in COMPANY_FIELDS if name != "ateco")]
        widgets = {"comune": Picker}
        help_texts = {"partita_iva": _("11 digits; spaces and a leading IT are ignored.")}

    field_order = ["name", "partita_iva", "ateco_code", "size"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune"].queryset = Comune.objects.local()
        if self.instance.pk:
            self.initial.setdefault("name", self.instance.name)
            self.initial.setdefault("ateco_code", getattr(self.instance.ateco, "code", ""))

    def clean_ateco_code(self) -> AtecoCode | None:
        code = self.cleaned_data["ateco_code"].strip()
        if not code:
            return None
        ateco = AtecoCode.objects.filter(code=code).first()
        if ateco is None:
            raise forms.ValidationError(_("“%(code)s” is not an ATECO 2025 code.") % {"code": code})
        return ateco

    def _post_clean(self):
        # The ATECO field is looked up from its code before the model is validated.
        self.instance.ateco = self.cleaned_data.get("ateco_code")
        super()._post_clean()


class CompanyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or partita IVA"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector (ATECO division)"),
        required=False,
        queryset=AtecoCode.objects.none(),
        empty_label=_("All sectors"),
    )
    comune = forms.ModelChoiceField(
        label=_("Comune"),
        required=False,
        queryset=Comune.objects.none(),
        empty_label=_("All"),
        widget=Picker(source="companies:comune_options"),
    )
    size = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", _("All sizes")), *Company.Size.choices]
    )
    surveyed = forms.ChoiceField(
        label=_("Survey"),
        required=False,
        choices=[("", _("All companies")), ("1", _("With needs (not cancelled)"))],
    )
    campaign = forms.ModelChoiceField(
        label=_("With needs in the campaign"),
        required=False,
        queryset=SurveyCampaign.objects.all(),
        empty_label=_("Any campaign"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the sectors and comuni that some company has: short, useful lists (the comuni
        # asked for as the user types, `company_comuni`).
        divisions = (
            Company.objects.exclude(ateco=None)
            .annotate(division=Substr("ateco__code", 1, 2))
            .values("division")
        )
        self.fields["sector"].queryset = AtecoCode.objects.filter(
            level=AtecoCode.Level.DIVISION, code__in=divisions
        )
        self.fields["comune"].queryset = company_comuni(Company.objects.all())


class SurveyCampaignForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = SurveyCampaign
        fields = ["name", "opens_on", "closes_on", "status"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class NeedForm(ChoicePrompts, VersionedForm, forms.ModelForm):
    """One need in a company's answer to a campaign, with its requirements. Each need carries
    the version it was opened with: the answer is refused if one moved on meanwhile. The
    rules of a need are checked where it is written (`companies.services.need_declare`), whose
    refusals show on the card's fields."""

    version_ignore = ("id", "DELETE")  # the formset's own fields

    mandatory_skills = forms.ModelMultipleChoiceField(
        label=_("Mandatory skills"),
        required=False,
        queryset=Skill.objects.filter(is_active=True),
        widget=MultiPicker,
    )
    preferred_skills = forms.ModelMultipleChoiceField(
        label=_("Preferred skills"),
        required=False,
        queryset=Skill.objects.filter(is_active=True),
        widget=MultiPicker,
    )
    mandatory_certifications = forms.ModelMultipleChoiceField(
        label=_("Mandatory certifications"),
        required=False,
        queryset=Certification.objects.filter(is_active=True),
        widget=MultiPicker,
    )
    preferred_certifications = forms.ModelMultipleChoiceField(
        label=_("Preferred certifications"),
        required=False,
        queryset=Certification.objects.filter(is_active=True),
        widget=MultiPicker,
    )

    class Meta:
        model = Need
        fields = list(NEED_FIELDS)
        widgets = {
            "profile": Picker,
            "workplace": Picker,
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = JobProfile.objects.filter(is_active=True)
        self.fields["workplace"].queryset = Comune.objects.local()
        self.fields["italian_level"].choices = [("", _("Not required")), *CefrLevel.choices]
        if self.instance.pk:
            requirements = self.instance.skill_requirements.all()
            self.initial.setdefault(
                "mandatory_skills", [r.skill_id for r in requirements if r.mandatory]
            )
            self.initial.setdefault(
                "preferred_skills", [r.skill_id for r in requirements if not r.mandatory]
            )
            certs = self.instance.certification_requirements.all()
            self.initial.setdefault(
                "mandatory_certifications", [r.certification_id for r in certs if r.mandatory]
            )
            self.initial.setdefault(
                "preferred_certifications", [r.certification_id for r in certs if not r.mandatory]
            )


class BaseNeedFormSet(forms.BaseModelFormSet):
    """The needs of a company's answer. A card opened on a need that somebody else removed
    meanwhile is `gone`: posted with the removed need's id, the answer is refused and says so;
    what was typed stays, and the card, posted again without it (its id is no longer sent),
    adds the need back as a new one unless it is ticked for deletion."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.gone = form.just_gone = False
        if self.is_bound and i < self.initial_form_count() and form.instance.pk is None:
            pk_name = self.model._meta.pk.name
            pk_field = form.fields[pk_name]
            form.gone = True
            form.just_gone = bool(form.data.get(form.add_prefix(pk_name)))
            pk_field.required = False
            pk_field.disabled = True  # drawn empty, and a browser does not post it again
        return form

    stale = False  # some need changed or went meanwhile: the answer was refused

    def expected_versions(self) -> dict[int, int | None]:
        """The version each existing need's card was opened with, by the need's key."""
        return {
            form.instance.pk: form.expected_version
            for form in self.forms
            if form.instance.pk is not None and hasattr(form, "cleaned_data")
        }

    def refuse(self, current: Iterable[Need]) -> None:
        """Prepare the refused answer for showing again, `current` being the company's needs
        in the campaign as they are now: each card whose need changed meanwhile says what
        changed (`stale_refuse`), each one whose need went says so; all keep what was typed."""
        self.stale = True
        current = {need.pk: need for need in current}
        for form in self.forms:
            if form.instance.pk is None:
                continue
            need = current.get(form.instance.pk)
            if need is None and self._should_delete_form(form):
                continue  # removed by somebody else as well
            if need is None:
                form.gone = True
                form.fields[self.model._meta.pk.name].disabled = True
                self._gone_error(form)
            elif need.version != form.expected_version:
                stale_refuse(form, NeedForm(instance=need, prefix=form.prefix))

    def _gone_error(self, form) -> None:
        self.stale = True
        form.add_error(
            None,
            _(
                "Meanwhile somebody else removed this need: nothing was saved. What you typed "
                "is still here: save again to add it back as a new need, or tick “Delete” to "
                "leave it out."
            ),
        )

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.just_gone and not self._should_delete_form(form):
                self._gone_error(form)
        seen = {}
        for index, form in enumerate(self.forms):
            if not form.cleaned_data or self._should_delete_form(form):
                continue  # an extra form left blank, or a need being removed
            key = (form.cleaned_data.get("profile"), form.cleaned_data.get("workplace"))
            if None in key:
                continue
            if key in seen:
                form.add_error(
                    "workplace",
                    _(
                        "Need %(other)s already asks for this profile at this workplace: "
                        "raise its number of people instead."
                    )
                    % {"other": seen[key] + 1},
                )
            else:
                seen[key] = index


NeedFormSet = forms.modelformset_factory(
    Need, form=NeedForm, formset=BaseNeedFormSet, extra=2, can_delete=True
)


class NeedFilterForm(forms.Form):
    """The needs page's filters. The choices follow the user's scope; only staff and admins
    pick a company (company HR see their own company's needs only)."""

    q = forms.CharField(label=_("Search by company, profile or workplace"), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        required=False,
        queryset=SurveyCampaign.objects.none(),
        empty_label=_("All campaigns"),
    )
    profile = forms.ModelChoiceField(
        label=_("Profile"),
        required=False,
        queryset=JobProfile.objects.none(),
        empty_label=_("All profiles"),
    )
    workplace = forms.ModelChoiceField(
        label=_("Workplace"),
        required=False,
        queryset=Comune.objects.none(),
        empty_label=_("All comuni"),
        widget=Picker(source="companies:workplace_options"),
    )
    company = forms.ModelChoiceField(
        label=_("Company"),
        required=False,
        queryset=Company.objects.none(),
        empty_label=_("All companies"),
        widget=Picker(source="companies:company_options"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), (ACTIVE_STATUS, _("Open or filled")), *Need.Status.choices],
    )
    contract = forms.ChoiceField(
        label=_("Contract"),
        required=False,
        choices=[("", _("Any contract")), *Need.Contract.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = scope(user, SurveyCampaign)
        # All profiles, retired ones too: old needs still refer to them.
        self.fields["profile"].queryset = scope(user, JobProfile)
        self.fields["workplace"].queryset = Comune.objects.local()
        if can(user, "list", Company):
            self.fields["company"].queryset = scope(user, Company).select_related("organisation")
        else:
            del self.fields["company"]
        if can(user, "demand", Need):  # the programme's people: the other apps' filters
            for extra in filters.extra_filters():
                self.fields[extra.name] = extra.field()


class CampaignFilterForm(forms.Form):
    """The campaign list's search and status (company HR's home links to the open ones)."""

    q = forms.CharField(label=_("Campaign name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *SurveyCampaign.Status.choices],
    )


class DemandFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        required=False,
        queryset=SurveyCampaign.objects.none(),
        empty_label=_("All campaigns"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = scope(user, SurveyCampaign)
