from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, Organisation, User
from candidates.forms import DATE
from candidates.models import Candidate
from catalog.models import Comune, JobProfile
from companies.models import Company
from interviews.models import EmployabilityClass, Obstacle
from training.models import FollowUp, FundingChannel, SupportAction
from training.selectors import FollowUpShow


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


class SupportActionFilterForm(forms.Form):
    """What the action list shows: open actions by default, or those due this week."""

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


class FollowUpFilterForm(forms.Form):
    """What the follow-up list shows: every check still to make by default, those due this
    week, those overdue, or those made. The company filter comes from the dashboard's links."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (FollowUpShow.PENDING, _("All still to make")),
            (FollowUpShow.WEEK, _("Due this week")),
            (FollowUpShow.OVERDUE, _("Overdue")),
            (FollowUpShow.DONE, _("Made or no longer needed")),
            (FollowUpShow.ALL, _("All")),
        ],
    )
    months = forms.TypedChoiceField(
        label=_("Check after"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("1, 3 or 6 months")), *FollowUp.Months.choices],
    )
    profile = forms.ModelChoiceField(
        label=_("Profile"),
        required=False,
        queryset=JobProfile.objects.all(),
        empty_label=_("Any profile"),
    )
    employability = forms.ChoiceField(
        label=_("Employability class"),
        required=False,
        choices=[("", _("Any class")), *EmployabilityClass.choices],
    )
    company = forms.ModelChoiceField(
        queryset=Company.objects.all(), required=False, widget=forms.HiddenInput
    )

    primary = ("show", "months")  # in the row; the others under "More filters"

    @property
    def more_in_use(self) -> int:
        if not self.is_bound:
            return 0
        return sum(1 for name in ("profile", "employability") if any(self.data.getlist(name)))


class FollowUpRecordForm(forms.Form):
    """What a check found: still in the job (on which contract), or the job ended, and how
    it is going."""

    outcome = forms.ChoiceField(
        label=_("Is the person still in the job?"),
        choices=FollowUp.Outcome.choices,
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(
        label=_("The job ended on"),
        required=False,
        widget=DATE,
        help_text=_("Only when the job ended: the last day of work."),
    )
    done_on = forms.DateField(label=_("Check made on"), widget=DATE)
    difficulties = forms.CharField(
        label=_("Difficulties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At work or around it: hours, transport, tasks, colleagues, care duties."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        ended = cleaned.get("outcome") == FollowUp.Outcome.ENDED
        if ended and not cleaned.get("ended_on"):
            self.add_error("ended_on", _("Give the date the job ended."))
        elif not ended and cleaned.get("ended_on"):
            self.add_error("ended_on", _("Only a job that ended has an end date."))
        return cleaned
