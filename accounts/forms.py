from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import ROLE_ORGANISATION_KINDS, Organisation, User
from focus.forms import ChoicePrompts
from focus.pickers import Picker


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also reaches users who never chose a password (invited, link expired)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = User._meta.get_field("email").verbose_name

    def get_users(self, email):
        return (
            user
            for user in User._default_manager.filter(email__iexact=email, is_active=True)
            if user.email.lower() == email.lower()
        )


# Django 5.2 words its refusal of a short password anew and its Italian catalogue has not
# caught up: the portal's catalogue gives it, as django.contrib.auth.password_validation asks.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)


def new_password_help() -> str:
    """What a new password must be, in the portal's words (Django's validators, as
    AUTH_PASSWORD_VALIDATORS configures them, list their rules one by one)."""
    length = next(
        (
            validator.min_length
            for validator in password_validation.get_default_password_validators()
            if isinstance(validator, password_validation.MinimumLengthValidator)
        ),
        8,
    )
    return _(
        "At least %(length)s characters, not digits only. Avoid common passwords and "
        "anything close to your name, username or e-mail address."
    ) % {"length": length}


class NewPassword:
    """For Django's forms that choose a new password (reset link, invitation, change): the
    rules and the confirmation said as the portal says them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = new_password_help()
        self.fields["new_password2"].help_text = _("Type the new password again, to check it.")


class SetPasswordForm(NewPassword, auth_forms.SetPasswordForm):
    """The password chosen from a reset or invitation link."""


class PasswordChangeForm(NewPassword, auth_forms.PasswordChangeForm):
    """The password changed by its user, who types the current one first."""


def organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} ({organisation.get_kind_display()})"


class OrganisationChoiceField(forms.ModelChoiceField):
    """An organisation, picked by typing its name: there is one for each member company."""

    widget = Picker(source="accounts:organisation_options")

    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_label(obj)


class UserForm(ChoicePrompts, forms.ModelForm):
    """Identity, role and organisation of a user. Passwords are chosen by the user."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "organisation"]
        field_classes = {"organisation": OrganisationChoiceField}

    def __init__(self, *args, is_self: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "kind", "name"
        )
        self.fields["username"].help_text = _(
            "What the user types to log in, e.g. mario.rossi: letters, digits and . @ + - _ "
            "only, at most 150 characters. It cannot change later."
        )
        if self.instance.pk:
            self.fields["username"].disabled = True
            self.fields["username"].help_text = _("The username cannot change.")
        if is_self:
            # An administrator cannot take away their own role: someone else must.
            self.fields["role"].disabled = True
            self.fields["organisation"].disabled = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another user already has this e-mail address."))
        return email

    def clean(self):
        cleaned = super().clean()
        role, organisation = cleaned.get("role"), cleaned.get("organisation")
        if role and organisation and organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
            allowed = ", ".join(
                str(Organisation.Kind(kind).label) for kind in ROLE_ORGANISATION_KINDS[role]
            )
            self.add_error(
                "organisation",
                _("A user with the role “%(role)s” must belong to: %(kinds)s.")
                % {"role": User.Role(role).label, "kinds": allowed},
            )
        return cleaned


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *User.Role.choices]
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.all(),
        empty_label=_("All organisations"),
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and inactive")), ("1", _("Active")), ("0", _("Inactive"))],
    )


class OrganisationForm(ChoicePrompts, forms.ModelForm):
    """Programme office, agencies and charity centres. Companies are created with their
    partita IVA from the companies pages."""

    class Meta:
        model = Organisation
        fields = ["name", "code", "kind", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Users' roles were checked against this kind: it never changes.
            self.fields["kind"].disabled = True
        else:
            self.fields["kind"].choices = [
                choice for choice in Organisation.Kind.choices if choice[0] != "company"
            ]


class OneTimeCodeInput(forms.TextInput):
    """A code's field that never shows a code again: a page answering a wrong one is empty."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class SecondFactorForm(forms.Form):
    """A code from the authenticator app, or a backup code. The view checks it against the
    user's devices (services.second_factor_verify), which this form cannot see."""

    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=OneTimeCodeInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, backup_codes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].help_text = (
            _("The six digits your authenticator app shows now, or one of your backup codes.")
            if backup_codes
            else _("The six digits the app shows for Focus now.")
        )
