import datetime
import hashlib
from collections.abc import Iterable

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import scope
from accounts.models import User
from candidates.forms import DATE
from candidates.models import Candidate
from catalog.languages import ItalianLevel
from catalog.models import Certification, JobProfile, Skill
from catalog.versions import Change, VersionedForm
from focus.forms import ChoicePrompts
from focus.pickers import MultiPicker, Picker
from interviews.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    Assessment,
    EmployabilityClass,
    Interview,
    Obstacle,
    RecommendedAction,
    Tranche,
)
from interviews.selectors import PLANNED_STATUS
from interviews.services import ActionInput, ObstacleInput

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TrancheForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = Tranche
        fields = ["name", "starts_on", "ends_on", "target"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


def assignable_candidates(*, tranche: Tranche, actor: User):
    """Who staff may still give an interview in `tranche`: registered, not yet in it."""
    return (
        scope(actor, Candidate)
        .filter(status=Candidate.Status.REGISTERED)
        .exclude(interviews__tranche=tranche)
        .select_related("centre")
        .order_by("last_name", "first_name", "pk")
    )


def candidate_label(candidate: Candidate) -> str:
    """A candidate as staff tell them apart in a pick list: two people may share a name."""
    return f"{candidate} ({candidate.centre})"


class CandidateChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Candidate) -> str:
        return candidate_label(obj)


class AssignForm(ChoicePrompts, forms.Form):
    """Staff give a recruiter interviews with some candidates, back to back."""

    candidates = CandidateChoice(
        label=_("Candidates"),
        queryset=Candidate.objects.none(),
        widget=MultiPicker,
        help_text=_(
            "Registered candidates not yet in this tranche: type a name or a codice fiscale."
        ),
    )
    recruiter = forms.ModelChoiceField(
        label=_("Recruiter"), queryset=User.objects.none(), widget=Picker
    )
    first_at = forms.DateTimeField(
        label=_("First interview at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    minutes_each = forms.IntegerField(
        label=_("Minutes each"), min_value=15, max_value=180, initial=45
    )
    mode = forms.ChoiceField(label=_("How"), choices=Interview.Mode.choices)
    place = forms.CharField(label=_("Place or link"), max_length=200, required=False)

    def __init__(self, *args, tranche: Tranche, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = assignable_candidates(tranche=tranche, actor=actor)
        self.fields["candidates"].widget.source = reverse(
            "interviews:tranche_candidate_options", args=[tranche.pk]
        )
        self.fields["recruiter"].queryset = User.objects.filter(
            role=User.Role.RECRUITER, is_active=True
        ).select_related("organisation")


class AppointmentForm(forms.Form):
    """When and how an appointment takes place: a day, a time, how long, how and where.
    `starts_at` is the day and time in the portal's time zone."""

    date = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 15}),
    )
    mode = forms.ChoiceField(label=_("How"), choices=Interview.Mode.choices)
    place = forms.CharField(label=_("Place or link"), max_length=200, required=False)

    @property
    def starts_at(self) -> datetime.datetime:
        day, time = self.cleaned_data["date"], self.cleaned_data["time"]
        return timezone.make_aware(datetime.datetime.combine(day, time))

    @classmethod
    def initial_of(cls, starts_at: datetime.datetime, **values) -> dict:
        local = timezone.localtime(starts_at)
        return {"date": local.date(), "time": local.time().replace(second=0), **values}


class RescheduleForm(AppointmentForm):
    reason = forms.CharField(label=_("Why"), max_length=200, required=False)


class InterviewStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Interview.Status.NO_SHOW, Interview.Status.NO_SHOW.label),
            (Interview.Status.CANCELLED, Interview.Status.CANCELLED.label),
            (Interview.Status.SCHEDULED, Interview.Status.SCHEDULED.label),
        ]
    )


class AssessmentForm(ChoicePrompts, VersionedForm, forms.Form):
    """The recruiter's findings. Obstacles are one row per kind with a severity, so the ten
    kinds are always in front of the recruiter.

    Given the interview's assessment as `instance` (None before the first one), with
    `initial_from` for its values: the save is refused if the assessment changed meanwhile,
    or if somebody else recorded the first one meanwhile (version 0: none existed)."""

    new_version = 0
    # The recommended actions (a formset beside this form) as they were when it was opened.
    version_ignore = ("actions_opened",)
    actions_opened = forms.CharField(widget=forms.HiddenInput, required=False)

    employability = forms.ChoiceField(
        label=_("Employability class"), choices=EmployabilityClass.choices, widget=forms.RadioSelect
    )
    verified_italian_level = forms.ChoiceField(
        label=_("Italian level (verified)"),
        choices=[("", _("Not assessed")), *ItalianLevel.choices],
        required=False,
    )
    verified_skills = forms.ModelMultipleChoiceField(
        label=_("Skills verified"),
        queryset=Skill.objects.filter(is_active=True),
        required=False,
        widget=MultiPicker,
    )
    verified_certifications = forms.ModelMultipleChoiceField(
        label=_("Certifications verified"),
        queryset=Certification.objects.filter(is_active=True),
        required=False,
        widget=MultiPicker,
    )
    profile_1 = forms.ModelChoiceField(
        label=_("Most suitable profile"),
        queryset=JobProfile.objects.filter(is_active=True),
        required=False,
    )
    profile_2 = forms.ModelChoiceField(
        label=_("Second profile"),
        queryset=JobProfile.objects.filter(is_active=True),
        required=False,
    )
    profile_3 = forms.ModelChoiceField(
        label=_("Third profile"), queryset=JobProfile.objects.filter(is_active=True), required=False
    )
    confidential_notes = forms.CharField(
        label=_("Confidential notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by recruiters and staff, never by the caseworker."),
    )
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        severities = [("", _("Not an obstacle")), *Obstacle.Severity.choices]
        for kind, label in Obstacle.Kind.choices:
            self.fields[f"obstacle_{kind}"] = forms.TypedChoiceField(
                label=label, choices=severities, coerce=int, empty_value=None, required=False
            )
            self.fields[f"obstacle_{kind}_note"] = forms.CharField(
                label=_("Note"), max_length=200, required=False
            )

    def obstacle_rows(self):
        return [
            (self[f"obstacle_{kind}"], self[f"obstacle_{kind}_note"])
            for kind in Obstacle.Kind.values
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"profile_{n}") for n in (1, 2, 3) if cleaned.get(f"profile_{n}")]
        if len(chosen) != len(set(chosen)):
            self.add_error("profile_2", _("Each profile once."))
        return cleaned

    def obstacles(self) -> list[ObstacleInput]:
        return [
            ObstacleInput(
                kind,
                self.cleaned_data[f"obstacle_{kind}"],
                self.cleaned_data[f"obstacle_{kind}_note"],
            )
            for kind in Obstacle.Kind.values
            if self.cleaned_data.get(f"obstacle_{kind}")
        ]

    def suitable_profiles(self) -> list[JobProfile]:
        return [
            self.cleaned_data[f"profile_{n}"]
            for n in (1, 2, 3)
            if self.cleaned_data.get(f"profile_{n}")
        ]

    @classmethod
    def initial_from(cls, assessment, candidate: Candidate) -> dict:
        """What the form shows: the assessment being corrected, else the intake's data."""
        if assessment is None:
            return {
                "verified_skills": [link.skill_id for link in candidate.skill_links.all()],
                "verified_italian_level": candidate.italian_level,
                "actions_opened": actions_digest([]),
            }
        initial = {
            "actions_opened": actions_digest(assessment.actions.all()),
            "employability": assessment.employability,
            "verified_italian_level": assessment.verified_italian_level,
            "confidential_notes": assessment.confidential_notes,
            "next_review_on": assessment.next_review_on,
            "verified_skills": [
                link.skill_id for link in candidate.skill_links.all() if link.verified
            ],
            "verified_certifications": [
                link.certification_id
                for link in candidate.certification_links.all()
                if link.verified
            ],
        }
        for profile in assessment.suitable_profiles.all()[:3]:
            initial[f"profile_{profile.rank}"] = profile.profile_id
        for obstacle in assessment.obstacles.all():
            initial[f"obstacle_{obstacle.kind}"] = obstacle.severity
            initial[f"obstacle_{obstacle.kind}_note"] = obstacle.note
        return initial


class ActionForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = RecommendedAction
        fields = ["kind", "profile", "certification", "note"]

    def to_input(self) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            data["kind"], data.get("profile"), data.get("certification"), data.get("note", "")
        )


ActionFormSet = forms.formset_factory(ActionForm, extra=2, can_delete=True)


def action_initial(actions: Iterable[RecommendedAction]) -> list[dict]:
    """The actions formset's rows for an assessment's recommended actions."""
    return [
        {
            "kind": a.kind,
            "profile": a.profile_id,
            "certification": a.certification_id,
            "note": a.note,
        }
        for a in actions
    ]


def action_inputs(actions) -> list[ActionInput]:
    """The recommended actions of a valid actions formset."""
    return [
        form.to_input()
        for form in actions.forms
        if form.has_changed() and not actions._should_delete_form(form)
    ]


def actions_digest(actions: Iterable[RecommendedAction | ActionInput]) -> str:
    """A short digest of a set of recommended actions: the same actions, the same digest."""
    rows = sorted(
        f"{a.kind}|{getattr(a.profile, 'pk', '')}|{getattr(a.certification, 'pk', '')}|{a.note}"
        for a in actions
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]


def actions_refuse(form: AssessmentForm, actions, current: Assessment | None):
    """The refused assessment's actions, to show again after `stale_refuse(form, ...)`:
    `current` is the interview's assessment as it is now. Returns the actions formset.

    Actions changed meanwhile are listed with the form's other changes; the formset then
    shows them as they are now, unless the user changed the actions too (theirs are kept)."""
    now = list(current.actions.select_related("profile", "certification")) if current else []
    opened = form.cleaned_data.get("actions_opened")
    if actions_digest(now) == opened:
        return actions
    conflict = actions_digest(action_inputs(actions)) != opened
    shown = "; ".join(
        " · ".join(str(part) for part in (a.get_kind_display(), a.profile, a.certification) if part)
        for a in now
    )
    form.stale_changes.append(Change(str(_("Recommended actions")), shown or "—", conflict))
    form.data[form.add_prefix("actions_opened")] = actions_digest(now)
    if conflict:
        return actions
    return ActionFormSet(prefix=actions.prefix, initial=action_initial(now))


class InterviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by candidate name"), required=False, max_length=100)
    tranche = forms.ModelChoiceField(
        label=_("Tranche"),
        queryset=Tranche.objects.none(),
        required=False,
        empty_label=_("All tranches"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (PLANNED_STATUS, _("Planned (not cancelled)")),
            *Interview.Status.choices,
        ],
    )
    employability = forms.ChoiceField(
        label=_("Class"),
        required=False,
        choices=[("", _("Any class")), *EmployabilityClass.choices],
    )
    obstacle = forms.ChoiceField(
        label=_("Obstacle"),
        required=False,
        choices=[("", _("Any obstacle")), *Obstacle.Kind.choices],
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", _("Any")), *Candidate.Sex.choices]
    )
    origin = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        choices=[("", _("Any")), ("italian", _("Italian")), ("foreign", _("Foreign"))],
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].queryset = scope(actor, Tranche)
