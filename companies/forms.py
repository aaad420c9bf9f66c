from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from companies.models import Company
from companies.validators import normalise_partita_iva, validate_partita_iva


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    partita_iva = forms.CharField(
        label=_("Partita IVA"),
        max_length=20,
        validators=[validate_partita_iva],
        help_text=_("11 digits; spaces and a leading IT are ignored."),
    )

    def __init__(self, *args, instance: Company | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial", {"name": instance.name, "partita_iva": instance.partita_iva}
            )
        super().__init__(*args, **kwargs)

    def clean_partita_iva(self) -> str:
        value = normalise_partita_iva(self.cleaned_data["partita_iva"])
        others = Company.objects.filter(partita_iva=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A company with this partita IVA is already registered."))
        return value

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Organisation.objects.filter(kind=Organisation.Kind.COMPANY, name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.organisation_id)
        if others.exists():
            raise forms.ValidationError(_("A company with this name is already registered."))
        return name


class CompanyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or partita IVA"), required=False)
