from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate


class CandidateFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Candidate.Status.choices],
    )
