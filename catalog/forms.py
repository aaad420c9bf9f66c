from django import forms

from catalog.models import Certification, JobProfile, Skill
from focus.forms import ChoicePrompts


class JobProfileForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = JobProfile
        fields = [
            "code",
            "name_it",
            "name_en",
            "isco_codes",
            "cp2021_codes",
            "family",
            "description",
            "skills",
            "certifications",
            "is_active",
        ]
        widgets = {
            "skills": forms.CheckboxSelectMultiple,
            "certifications": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class SkillForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["code", "name_it", "name_en", "is_active"]


class CertificationForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["code", "name_it", "name_en", "validity_years", "reference", "is_active"]


class CatalogFilterForm(forms.Form):
    q = forms.CharField(required=False)
