"""Writes of the calendar: a user's secret feed address, made, replaced and revoked."""

import secrets

from django.db import transaction

from accounts.models import User
from appointments.models import CalendarFeed, token_hash


@transaction.atomic
def feed_create(*, user: User) -> str:
    """A new secret address for `user`'s feed, replacing (revoking) any earlier one. Returns
    the token, which is not kept: only its hash is."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    return token


@transaction.atomic
def feed_revoke(*, user: User) -> bool:
    """`user`'s feed address stops answering. Returns whether there was one."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
