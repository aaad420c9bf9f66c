from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews.forms import AppointmentForm
from matching.models import CompanyInterview, Entry


class CompanyInterviewForm(AppointmentForm):
    """The matching officers arrange a company interview: when, how, where, who attends."""

    attendees = forms.ModelMultipleChoiceField(
        label=_("For the company"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The company's HR users who attend: they get the invitation."),
    )
    other_attendees = forms.CharField(
        label=_("Other attendees"),
        max_length=200,
        required=False,
        help_text=_("Anyone else attending, by role (for example: the production manager)."),
    )

    def __init__(self, *args, entry: Entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(
            role=User.Role.COMPANY_HR,
            is_active=True,
            organisation_id=entry.shortlist.need.company.organisation_id,
        ).order_by("last_name", "first_name", "pk")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CompanyInterview.Status.choices)


class CalendarFilterForm(forms.Form):
    """What the calendar page is asked for, from its address: the view, a day, and for the
    programme office a recruiter."""

    view = forms.ChoiceField(choices=[("week", "week"), ("month", "month")], required=False)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    recruiter = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, recruiters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruiter"].choices = [("", _("All")), *((u.pk, str(u)) for u in recruiters)]
