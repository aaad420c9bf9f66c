from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import can, scope
from candidates.forms import DATE, OrderedPeriod
from companies.models import Need, SurveyCampaign
from reports.figures import Dashboard, Period


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
