"""Writes on users and organisations."""

from django.db import transaction
from django.http import HttpRequest

from accounts.forms import PasswordResetForm
from accounts.models import Organisation, User


def _apply_role(user: User, *, role: str, organisation: Organisation) -> None:
    user.role = role
    user.organisation = organisation
    user.organisation_kind = organisation.kind
    # Administrators of the programme also manage the raw tables in Django's admin site.
    user.is_staff = user.is_superuser = role == User.Role.ADMIN


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    organisation: Organisation,
    request: HttpRequest,
) -> User:
    """Create a user without a password and e-mail them a link to choose one.

    The administrator never types or sees the new user's password.
    """
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    _apply_role(user, role=role, organisation=organisation)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    transaction.on_commit(lambda: user_send_invitation(user=user, request=request))
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    organisation: Organisation,
) -> User:
    user.email, user.first_name, user.last_name = email, first_name, last_name
    _apply_role(user, role=role, organisation=organisation)
    user.full_clean()
    user.save(
        update_fields=[
            "email",
            "first_name",
            "last_name",
            "role",
            "organisation",
            "organisation_kind",
            "is_staff",
            "is_superuser",
        ]
    )
    return user


def user_set_active(*, user: User, active: bool) -> User:
    """Deactivate or reactivate an account. A deactivated user is logged out at their next
    request (Django's authentication backend refuses inactive users)."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def user_send_invitation(*, user: User, request: HttpRequest) -> None:
    """E-mail `user` a one-time link to choose their password (valid PASSWORD_RESET_TIMEOUT)."""
    form = PasswordResetForm(data={"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            domain_override=request.get_host(),
            subject_template_name="accounts/email/invitation_subject.txt",
            email_template_name="accounts/email/invitation.txt",
        )
