from django import forms
from django.contrib import admin

from companies.forms import PartitaIvaInput
from companies.models import Company
from companies.services import COMPANY_FIELDS, company_update


class CompanyAdminForm(PartitaIvaInput, forms.ModelForm):
    pass


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    """A company's registry data. Companies are registered on the portal or by the survey's
    import (`company_register`, which creates the organisation their HR users belong to), so
    the admin only corrects them, through the same service as the company's page."""

    form = CompanyAdminForm
    list_display = ["__str__", "partita_iva", "created_at"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "partita_iva"]
    fields = ["organisation", "partita_iva", *COMPANY_FIELDS]
    readonly_fields = ["organisation"]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj: Company, form, change: bool) -> None:
        company_update(
            company=obj,
            name=obj.organisation.name,
            partita_iva=form.cleaned_data["partita_iva"],
            **{name: form.cleaned_data[name] for name in COMPANY_FIELDS},
        )
