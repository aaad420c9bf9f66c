from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.selectors import record_types


class EventFilterForm(forms.Form):
    """The audit trail's filters; the page and its export read the same."""

    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AuditEvent.Action.choices],
    )
    record = forms.ChoiceField(label=_("Record type"), required=False)
    user = forms.CharField(
        label=_("User"),
        required=False,
        max_length=150,
        help_text=_("Username, or the user's number."),
    )
    candidate = forms.IntegerField(label=_("Candidate no."), required=False, min_value=1)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", _("Any record")), *record_types()]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The period cannot end before it starts."))
        return cleaned

    def criteria(self) -> dict | None:
        """The filters given ({} when none); None when they are not valid, so that a mistyped
        filter shows, and exports, nothing rather than everything."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
