from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import scope
from candidates.models import Candidate
from companies.models import Need
from interviews.models import EmployabilityClass
from matching.models import CHOSEN_REASONS, Entry, MatchingWeights
from matching.ranking import NOT_ASSESSED, Filters
from matching.selectors import WAITING_FOR_COMPANY

CAR_CHOICES = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class RankFilterForm(forms.Form):
    """The ranking page's filters, turned into the engine's `Filters`."""

    employability = forms.ChoiceField(
        label=_("Employability class"),
        required=False,
        choices=[
            ("", _("Any class")),
            *EmployabilityClass.choices,
            (NOT_ASSESSED, _("Not assessed")),
        ],
    )
    max_km = forms.FloatField(label=_("Maximum distance (km)"), required=False, min_value=0)
    has_car = forms.ChoiceField(label=_("Has a car"), required=False, choices=CAR_CHOICES)
    available_by = forms.DateField(
        label=_("Available by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> Filters:
        """The filters chosen; none when the form is unbound or invalid."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            employability=data["employability"],
            max_km=data["max_km"],
            has_car={"yes": True, "no": False}.get(data["has_car"]),
            available_by=data["available_by"],
        )


class ShortlistAddForm(forms.Form):
    """Put one ranked candidate on the need's shortlist; the candidate comes from the user's
    scope."""

    candidate = forms.ModelChoiceField(queryset=Candidate.objects.none(), widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = scope(user, Candidate)


class ExplainForm(forms.Form):
    """Ask why a candidate is (not) in the ranking: by number or by name."""

    c = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    q = forms.CharField(
        label=_("Candidate (number or name)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 42 or Rossi")}),
    )

    MATCHES_SHOWN = 20

    def lookup(self, user) -> tuple[int | None, list[Candidate]]:
        """The candidate number asked for, or the candidates in the user's scope whose name
        matches the search (the number when just one does)."""
        if not self.is_bound or not self.is_valid():
            return None, []
        number, text = self.cleaned_data["c"], self.cleaned_data["q"].strip()
        if number or text.isdigit():
            return number or int(text), []
        if not text:
            return None, []
        matching = Q()
        for word in text.split():
            matching &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        found = list(
            scope(user, Candidate)
            .filter(matching)
            .order_by("last_name", "first_name")[: self.MATCHES_SHOWN]
        )
        return (found[0].pk, []) if len(found) == 1 else (None, found)


class EntryMoveForm(forms.Form):
    """A staff step along a shortlisted candidate's pipeline."""

    to = forms.ChoiceField(label=_("New status"), choices=Entry.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("— choose —")), *CHOSEN_REASONS]
    )
    contract = forms.ChoiceField(
        label=_("Contract"), required=False, choices=[("", _("— choose —")), *Need.Contract.choices]
    )
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class WeightsForm(forms.ModelForm):
    """The values of a new weights version (the version number and author are set by the
    service)."""

    class Meta:
        model = MatchingWeights
        fields = [
            *MatchingWeights.COMPONENTS,
            "max_km_with_car",
            "max_km_without_car",
            "ready_score",
        ]


class ShortlistFilterForm(forms.Form):
    """The shortlist list's search, and the shortlists waiting for the company's answer
    (company HR's home links to those)."""

    q = forms.CharField(label=_("Company, profile or workplace"), required=False, max_length=100)
    waiting = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All shortlists")), (WAITING_FOR_COMPANY, _("Waiting for the company"))],
    )


class EntryFilterForm(forms.Form):
    """The shortlisted candidates' list: by step, and searched by code (the matching officers
    search names and companies too). Company HR are never offered the withdrawn, whom their
    list leaves out."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Step"), required=False)

    def __init__(self, *args, company_view: bool, **kwargs):
        super().__init__(*args, **kwargs)
        steps = Entry.Status.choices
        if company_view:
            steps = [(value, label) for value, label in steps if value != Entry.Status.WITHDRAWN]
            self.fields["q"].label = _("Candidate code")
        else:
            self.fields["q"].label = _("Code, name or company")
        self.fields["status"].choices = [("", _("Any step")), *steps]
