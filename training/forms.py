from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, Organisation, User
from candidates.forms import DATE, OrderedPeriod, PrimaryFilters
from candidates.models import Candidate
from catalog.models import Comune
from interviews.models import Obstacle
from training.models import FundingChannel, SupportAction
from training.selectors import NO_FUNDING


class ObstacleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Obstacle) -> str:
        return f"{obj.get_kind_display()} ({obj.get_severity_display().lower()})" + (
            f": {obj.note}" if obj.note else ""
        )


class SupportActionForm(forms.ModelForm):
    """A new support action for one candidate: what, for which of their open obstacles, who
    follows it, when, and who pays."""

    obstacles = ObstacleChoice(
        label=_("Obstacles addressed"),
        queryset=Obstacle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SupportAction
        fields = [
            "kind",
            "obstacles",
            "owner",
            "partner",
            "provider",
            "destination",
            "reach_km",
            "starts_on",
            "due_on",
            "cost",
            "funding",
            "note",
        ]
        widgets = {"starts_on": DATE, "due_on": DATE}

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.candidate = candidate
        self.fields["obstacles"].queryset = Obstacle.objects.filter(
            assessment__interview__candidate=candidate, resolved_on__isnull=True
        ).order_by("-severity", "kind")
        # Who may follow it: the candidate's centre's caseworkers, and the programme's staff.
        self.fields["owner"].queryset = User.objects.filter(is_active=True).filter(
            Q(role__in=STAFF_ROLES)
            | Q(role=User.Role.CASEWORKER, organisation_id=candidate.centre_id)
        )
        self.fields["owner"].initial = candidate.caseworker_id
        self.fields["partner"].queryset = Organisation.objects.filter(
            is_active=True, kind__in=[Organisation.Kind.CENTRE, Organisation.Kind.AGENCY]
        )
        self.fields["funding"].queryset = FundingChannel.objects.filter(is_active=True)
        self.fields["destination"].queryset = Comune.objects.local()
        self.fields["destination"].empty_label = _("Nowhere in particular")
        self.fields["kind"].choices = [("", _("Choose the support")), *SupportAction.Kind.choices]
        self.fields["owner"].empty_label = _("Nobody: a partner organisation follows it")
        self.fields["partner"].empty_label = _("None")
        self.fields["funding"].empty_label = _("Not decided yet")


class SupportActionMoveForm(forms.Form):
    to = forms.ChoiceField(choices=SupportAction.Status.choices, widget=forms.HiddenInput)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    finished_on = forms.DateField(label=_("Finished on"), required=False, widget=DATE)


class SupportActionFilterForm(PrimaryFilters, OrderedPeriod, forms.Form):
    """What the action list shows: open actions by default, or those due this week; of a
    kind, in some statuses, paid by a channel, proposed within a period. The dashboard's
    support figures link here with the very conditions they count."""

    OPEN, DUE, ALL = "open", "due", "all"
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (OPEN, _("Open actions")),
            (DUE, _("Due by the end of this week")),
            (ALL, _("All, finished ones too")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Support"),
        required=False,
        choices=[("", _("Any kind")), *SupportAction.Kind.choices],
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=SupportAction.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    funding = forms.ChoiceField(label=_("Paid by"), required=False)
    date_from = forms.DateField(label=_("Proposed from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Proposed until"), required=False, widget=DATE)

    primary = ("show", "kind")  # in the row; the others under "More filters"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every channel, those no longer in use too: older actions are paid by them.
        self.fields["funding"].choices = [
            ("", _("Any funding")),
            (NO_FUNDING, _("Not decided yet")),
            *((str(channel.pk), channel.name) for channel in FundingChannel.objects.all()),
        ]

    def criteria(self) -> dict:
        """The list selector's arguments for what was asked: open actions when nothing is, or
        when the form is wrong."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"show": self.OPEN, **{name: value for name, value in data.items() if value}}
