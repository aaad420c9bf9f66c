from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, Organisation, User
from candidates.forms import DATE, OrderedPeriod, PrimaryFilters
from candidates.models import Candidate
from catalog.models import Certification, Comune, JobProfile, Skill
from companies.models import Company, Need, SurveyCampaign
from focus.forms import ChoicePrompts
from focus.pickers import MultiPicker, Picker
from interviews.models import EmployabilityClass, Obstacle
from training.models import (
    Course,
    CourseOffer,
    CourseSession,
    Enrolment,
    FollowUp,
    FundingChannel,
    SupportAction,
)
from training.selectors import NO_FUNDING, FollowUpShow


class ObstacleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Obstacle) -> str:
        return f"{obj.get_kind_display()} ({obj.get_severity_display().lower()})" + (
            f": {obj.note}" if obj.note else ""
        )


class SupportActionForm(ChoicePrompts, forms.ModelForm):
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
            "level_reached",
            "starts_on",
            "due_on",
            "cost",
            "funding",
            "note",
        ]
        widgets = {
            "destination": Picker,
            "owner": Picker,
            "partner": Picker,
            "starts_on": DATE,
            "due_on": DATE,
        }

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
    q = forms.CharField(label=_("Search by candidate name"), required=False, max_length=100)
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

    primary = ("q", "show", "kind")  # in the row; the others under "More filters"

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


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CourseForm(ChoicePrompts, forms.ModelForm):
    """A course: what it prepares for and grants, who hosts and runs it, seats, cost, funding."""

    class Meta:
        model = Course
        fields = [
            "title",
            "profiles",
            "skills",
            "certifications",
            "italian_level",
            "host",
            "teacher",
            "lab",
            "comune",
            "providers",
            "seats",
            "cost_per_seat",
            "funding",
            "attendance_threshold",
            "note",
        ]
        widgets = {
            "profiles": forms.CheckboxSelectMultiple,
            "skills": MultiPicker,
            "certifications": MultiPicker,
            "host": Picker(source="companies:company_options"),
            "comune": Picker,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profiles"].queryset = JobProfile.objects.filter(is_active=True)
        self.fields["skills"].queryset = Skill.objects.filter(is_active=True)
        self.fields["certifications"].queryset = Certification.objects.filter(is_active=True)
        self.fields["host"].queryset = Company.objects.select_related("organisation").order_by(
            "organisation__name"
        )
        self.fields["host"].empty_label = _("No host company")
        self.fields["comune"].queryset = Comune.objects.local()
        self.fields["funding"].queryset = FundingChannel.objects.filter(is_active=True)
        self.fields["funding"].empty_label = _("Not decided yet")
        self.fields["italian_level"].choices = [
            ("", _("No level")),
            *Course._meta.get_field("italian_level").choices,
        ]


class CourseSessionForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = CourseSession
        fields = ["date", "starts_at", "ends_at", "topic"]
        widgets = {"date": DATE, "starts_at": TIME, "ends_at": TIME}


class CourseMoveForm(forms.Form):
    to = forms.ChoiceField(choices=Course.Status.choices, widget=forms.HiddenInput)


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by title or host"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Course.Status.choices],
    )
    profile = forms.ModelChoiceField(
        label=_("Profile"),
        required=False,
        queryset=JobProfile.objects.filter(is_active=True),
        empty_label=_("Any profile"),
    )


class EnrolmentFilterForm(PrimaryFilters, OrderedPeriod, forms.Form):
    """What the enrolment list shows: enrolments in some statuses, dropped for a reason,
    proposed within a period. The dashboard's course outcomes link here."""

    q = forms.CharField(label=_("Search by candidate or course"), required=False, max_length=100)
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=Enrolment.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    drop_reason = forms.ChoiceField(
        label=_("Reason for dropping out"),
        required=False,
        choices=[("", _("Any reason")), *Enrolment.DropReason.choices],
    )
    date_from = forms.DateField(label=_("Proposed from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Proposed until"), required=False, widget=DATE)

    primary = ("q", "drop_reason")  # in the row; the others under "More filters"

    def criteria(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: value for name, value in data.items() if value}


class EnrolmentProposeForm(ChoicePrompts, forms.Form):
    """Propose a candidate the user may see for a course: from the course's suggestions (the
    candidate is a hidden field) or from the candidate's page (the course is chosen)."""

    candidate = forms.ModelChoiceField(queryset=Candidate.objects.none(), widget=forms.HiddenInput)
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, candidates, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates
        self.fields["course"].queryset = courses
        self.fields["course"].empty_label = _("Choose the course")


class EnrolmentDropForm(forms.Form):
    drop_reason = forms.ChoiceField(
        label=_("Why they leave"),
        choices=[("", _("Choose a reason")), *Enrolment.DropReason.choices],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class EnrolledChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return str(obj.candidate)


class AttendanceForm(forms.Form):
    """Who attended a session, among the enrolled: ticked present, the others absent."""

    present = EnrolledChoice(
        label=_("Present"),
        queryset=Enrolment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = enrolments


class CourseOfferForm(ChoicePrompts, forms.ModelForm):
    """What a member company's HR can offer the programme's training, in a few fields."""

    class Meta:
        model = CourseOffer
        fields = ["kind", "course", "profile", "places", "comune", "available_from", "description"]
        widgets = {
            "comune": Picker,
            "available_from": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["course"].empty_label = _("No course yet: for a profile")
        self.fields["profile"].queryset = JobProfile.objects.filter(is_active=True)
        self.fields["profile"].empty_label = _("Choose the profile")
        self.fields["comune"].queryset = Comune.objects.local()
        self.fields["comune"].empty_label = _("At the company")

    def clean(self):
        data = super().clean()
        if not data.get("course") and not data.get("profile"):
            self.add_error("profile", _("Say which course or which profile the offer is for."))
        return data


class GraduateInterestForm(ChoicePrompts, forms.Form):
    need = forms.ModelChoiceField(label=_("For the need"), queryset=Need.objects.none())

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs
        self.fields["need"].empty_label = _("Choose one of your open needs")


class GapCampaignForm(forms.Form):
    """Which campaign's open needs the gap and the plan are about."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        required=False,
        queryset=SurveyCampaign.objects.exclude(status=SurveyCampaign.Status.DRAFT).order_by(
            "-opens_on", "-pk"
        ),
        empty_label=_("All campaigns"),
    )


class FollowUpFilterForm(forms.Form):
    """What the follow-up list shows: every check still to make by default, those due this
    week, those overdue, or those made. The company filter comes from the dashboard's links."""

    q = forms.CharField(label=_("Search by candidate or company"), required=False, max_length=100)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (FollowUpShow.PENDING, _("All still to make")),
            (FollowUpShow.WEEK, _("Due this week")),
            (FollowUpShow.OVERDUE, _("Overdue")),
            (FollowUpShow.DUE, _("Due by the end of the week, overdue included")),
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

    primary = ("q", "show", "months")  # in the row; the others under "More filters"

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
