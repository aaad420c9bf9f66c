"""The reports' forms: the dashboard's filters, and the workbook's period and full version."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import can, scope
from candidates.forms import DATE, OrderedPeriod
from companies.models import Need, SurveyCampaign
from reports.figures import Period
from reports.models import Dashboard, ExportRecord


class PeriodForm(OrderedPeriod, forms.Form):
    """The dashboard's filters: a survey campaign for the demand, a period for the rest."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        required=False,
        queryset=SurveyCampaign.objects.none(),
        empty_label=_("All campaigns"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = scope(user, SurveyCampaign)
        if not can(user, "view_programme", Dashboard):
            # A company's figures are its needs by campaign: dates would filter nothing.
            del self.fields["date_from"], self.fields["date_to"]
        elif not can(user, "demand", Need):
            # A centre's figures are its candidates: a campaign would filter nothing.
            del self.fields["campaign"]

    def period(self) -> Period:
        """The period asked for; the whole programme when the form is empty or invalid."""
        if not self.is_bound or not self.is_valid():
            return Period()
        return Period(**{name: value for name, value in self.cleaned_data.items() if value})


class ExportForm(PeriodForm):
    """The workbook's period (as the dashboard reads it) and, for those who may have it, the
    full version with the reason it is needed."""

    full = forms.BooleanField(
        label=_("Full data"),
        required=False,
        help_text=_(
            "Adds the candidates' names, contacts, fiscal codes and birth dates, and the "
            "providers and outcomes of support actions. Only when the pseudonymised workbook "
            "is not enough: the reason is recorded with the export."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the full data are needed for, e.g. “calls for the second tranche”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if not can(user, "export_full", ExportRecord):
            del self.fields["full"], self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("full") and not cleaned.get("reason"):
            self.add_error(
                "reason",
                _("Say why the full data are needed: the reason is recorded with the export."),
            )
        return cleaned

    def period(self) -> Period:
        """The period asked for (the base form reads every field as one of the period's)."""
        if not self.is_bound or not self.is_valid():
            return Period()
        fields = ("campaign", "date_from", "date_to")
        return Period(**{name: self.cleaned_data.get(name) for name in fields})
