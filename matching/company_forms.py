"""The form company HR post from a shortlist card (the staff's forms are in `forms.py`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Need
from matching.models import CHOSEN_REASONS, Entry

COMPANY_ACTIONS = [
    (status, label)
    for status, label in Entry.Status.choices
    if status
    in {
        Entry.Status.INTERESTED,
        Entry.Status.NOT_INTERESTED,
        Entry.Status.INTERVIEW_REQUESTED,
        Entry.Status.HIRED,
        Entry.Status.NOT_HIRED,
        Entry.Status.WITHDRAWN,
    }
]


class EntryFeedbackForm(forms.Form):
    """One move of a card. Whether the move is possible from the entry's status is the
    service's call (TRANSITIONS); the form checks what each move needs."""

    action = forms.ChoiceField(label=_("action"), choices=COMPANY_ACTIONS)
    reason = forms.ChoiceField(
        label=_("reason"), choices=[("", _("— choose —")), *CHOSEN_REASONS], required=False
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    contract = forms.ChoiceField(
        label=_("contract"), choices=[("", _("— choose —")), *Need.Contract.choices], required=False
    )
    start_date = forms.DateField(
        label=_("start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in {Entry.Status.NOT_INTERESTED, Entry.Status.NOT_HIRED} and not data.get(
            "reason"
        ):
            self.add_error("reason", _("Choose a reason."))
        if action == Entry.Status.HIRED:
            if not data.get("contract"):
                self.add_error("contract", _("Choose the contract."))
            if not data.get("start_date"):
                self.add_error("start_date", _("Give the start date."))
        return data
