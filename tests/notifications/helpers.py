"""What the notifications tests ask of the database."""

from notifications.models import Notification, Preferences


def told(user, kind: str | None = None):
    """The notifications `user` received (of `kind`), oldest first."""
    found = Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    return list(found.filter(kind=kind) if kind else found)


def prefer(user, language: str = "it", **by_email: bool) -> Preferences:
    return Preferences.objects.create(user=user, language=language, by_email=by_email)
