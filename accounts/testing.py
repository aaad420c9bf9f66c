"""Logging a user in without the login form, for the tests and the benchmarks (never imported
by the portal itself)."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.selectors import second_factor_expected


def logged_in(client: Client, user: User) -> Client:
    """`client` logged in as `user`. A user who must give a second factor (their role requires
    it, or they set one up) is logged in past it too, as a code from their app leaves them:
    with a confirmed authenticator app, and the session verified with it as django_otp.login
    does."""
    client.force_login(user)
    if second_factor_expected(user):
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
