"""Writes of the notifications app: telling users of what happened (`notify`, from the
services where it happens), marking what they read, and their preferences.

A notification is written once its event is committed, never for work that was rolled back,
and once per recipient and event (`Notification.key`, a database rule): a path that runs
twice, or a reminder found due again, tells nobody anything new. Its text, and the e-mail a
user may want as well, are written in the recipient's language. Neither ever reaches the
logs: they name candidates."""

from collections.abc import Iterable, Mapping
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from accounts.hooks import hooked
from accounts.models import User
from accounts.tasks import mail_send_on_commit
from candidates.models import Candidate
from notifications.kinds import KINDS, KindSpec, sentence
from notifications.models import Notification, Preferences

SUBJECT_MAX_CHARS = 150


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    key: str,
    link: str = "",
    params: Mapping[str, object] | None = None,
    candidate: Candidate | None = None,
    actor: User | None = None,
    portal_url: str = "",
    invitation: tuple[str, int] | None = None,
) -> None:
    """Tell `recipients` of an event of `kind` once the current transaction commits (at once
    outside one). `key` names the event: a recipient already told of it is not told again.
    `params` are the values the kind's sentence names (a `Person`, dates, names), written
    out for each recipient in their language; `link` the portal's page it concerns. The
    actor is not told of what they did, and a recipient whose role the kind is not for is
    left out. Nothing waits for the commit when nobody is left to tell. `invitation` names
    an appointment (its kind and number) whose calendar invitation the e-mail carries, as
    the apps answering the `mail_invitation` hook write it."""
    spec = KINDS[kind]
    user_ids = sorted(
        {
            user.pk
            for user in recipients
            if user.is_active and user.role in spec.roles and (actor is None or user.pk != actor.pk)
        }
    )
    if not user_ids:
        return
    transaction.on_commit(
        partial(
            notifications_send,
            kind=kind,
            user_ids=user_ids,
            key=key,
            link=link,
            params=dict(params or {}),
            candidate_id=candidate.pk if candidate is not None else None,
            portal_url=portal_url,
            invitation=invitation,
        ),
        robust=True,
    )


@transaction.atomic
def notifications_send(
    *,
    kind: str,
    user_ids: Iterable[int],
    key: str,
    link: str = "",
    params: Mapping[str, object] | None = None,
    candidate_id: int | None = None,
    portal_url: str = "",
    invitation: tuple[str, int] | None = None,
) -> int:
    """Write the notification of `key` for each of `user_ids` not yet told of it, and queue
    the e-mail of those who want this kind by e-mail. Returns how many were told."""
    spec = KINDS[kind]
    users = User.objects.filter(
        pk__in=list(user_ids), is_active=True, role__in=spec.roles
    ).select_related("notification_preferences")
    told = 0
    attachments = None
    for user in users:
        preferences = _preferences(user)
        with translation.override(_language(preferences)):
            text = sentence(spec, params or {}, mail=False)
            _notification, created = Notification.objects.get_or_create(
                recipient=user,
                key=key,
                defaults={
                    "kind": kind,
                    "text": Truncator(text).chars(400),
                    "link": link,
                    "candidate_id": candidate_id,
                },
            )
            if not created:
                continue
            told += 1
            if user.email and wants_email(preferences, kind):
                portal = portal_url or settings.PORTAL_URL
                if attachments is None:  # the same for every recipient: written once
                    attachments = _invitations(invitation, portal) if invitation else []
                _mail(user, spec, params or {}, link, portal, attachments)
    return told


def _invitations(invitation: tuple[str, int], portal_url: str) -> list[list[str]]:
    """The calendar invitation of the appointment `invitation` names, as the e-mail task
    attaches it: [file name, content, MIME type], from the apps that write invitations (the
    `mail_invitation` hook: `(kind, pk, portal_url)` -> `(file name, text)` or None)."""
    kind, pk = invitation
    found = []
    for _label, write in hooked("mail_invitation"):
        written = write(kind, pk, portal_url)
        if written is not None:
            filename, text = written
            found.append([filename, text, "text/calendar; method=REQUEST; charset=utf-8"])
    return found


def _preferences(user: User) -> Preferences | None:
    # A user who never saved their preferences has no row: the reverse one-to-one raises
    # Preferences.DoesNotExist, an AttributeError.
    return getattr(user, "notification_preferences", None)


def _language(preferences: Preferences | None) -> str:
    language = preferences.language if preferences is not None else ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def wants_email(preferences: Preferences | None, kind: str) -> bool:
    """Whether this kind comes by e-mail too: the user's choice, else the kind's default."""
    chosen = preferences.by_email if preferences is not None else {}
    value = chosen.get(kind)
    return KINDS[kind].email if value is None else bool(value)


def _mail(
    user: User,
    spec: KindSpec,
    params: Mapping,
    link: str,
    portal_url: str,
    attachments: list[list[str]],
) -> None:
    """The e-mail of a notification (in the active language): the sentence with candidates
    by their codes, the page, and where to choose what comes by e-mail."""
    text = sentence(spec, params, mail=True)
    body = render_to_string(
        "notifications/email/notification.txt",
        {
            "text": text,
            "more": spec.more() if spec.more else "",
            "url": f"{portal_url}{link}" if link else portal_url,
            "preferences_url": f"{portal_url}{reverse('notifications:preferences')}",
        },
    )
    subject = Truncator(f"Focus: {text}").chars(SUBJECT_MAX_CHARS)
    mail_send_on_commit(
        subject=subject, body=body, recipients=[user.email], attachments=attachments or None
    )


def notification_open(*, notification: Notification, actor: User) -> Notification:
    """Mark the notification read (once: a second opening keeps the first time)."""
    if notification.read_at is None and notification.recipient_id == actor.pk:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_read(*, actor: User) -> int:
    """Mark every unread notification of `actor` read; returns how many were unread."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, actor: User, language: str, by_email: Mapping[str, bool]) -> Preferences:
    """Store `actor`'s language and, for each kind they may receive, whether it comes by
    e-mail too. Kinds that are not theirs are ignored."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    theirs = {kind: bool(value) for kind, value in by_email.items() if kind in KINDS}
    theirs = {kind: value for kind, value in theirs.items() if actor.role in KINDS[kind].roles}
    preferences, _created = Preferences.objects.update_or_create(
        user=actor, defaults={"language": language, "by_email": theirs}
    )
    return preferences
