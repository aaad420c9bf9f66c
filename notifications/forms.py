from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.kinds import kinds_for
from notifications.models import Preferences
from notifications.services import wants_email

PORTAL, EMAIL = "portal", "email"
HOW = [(PORTAL, _("In the portal only")), (EMAIL, _("In the portal and by e-mail"))]


class PreferencesForm(forms.Form):
    """The language of a user's notifications, and for each kind they may receive whether
    it comes by e-mail too (a field per kind, `kind_<kind>`)."""

    language = forms.ChoiceField(
        label=_("Language of notifications and e-mails"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, user: User, preferences: Preferences | None, language: str, **kw):
        super().__init__(*args, **kw)
        self.kinds = kinds_for(user.role)
        self.fields["language"].initial = preferences.language if preferences else language
        for kind, label, _spec in self.kinds:
            self.fields[f"kind_{kind}"] = forms.ChoiceField(
                label=label,
                choices=HOW,
                widget=forms.RadioSelect,
                initial=EMAIL if wants_email(preferences, kind) else PORTAL,
                # A kind left unanswered (a page opened before it was added) keeps its default.
                required=False,
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[f"kind_{kind}"] for kind, _label, _spec in self.kinds]

    def by_email(self) -> dict[str, bool]:
        """E-mail or not for each kind answered."""
        answers = {kind: self.cleaned_data[f"kind_{kind}"] for kind, _l, _s in self.kinds}
        return {kind: answer == EMAIL for kind, answer in answers.items() if answer}
