"""What each kind of notification says, to whom it may go, and whether it comes by e-mail
unless the user chose otherwise.

A notification's sentence is written when it is sent, in the recipient's language: each
kind's `text` is called inside `translation.override` with the event's values already
written out (`notifications.services`). A candidate is a `Person`: named in the portal to
those who may read the name, by a code in e-mails, which leave the portal. Company HR are
given the shortlist's code only (the notices pass a plain string)."""

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from notifications.models import Notification

# Two full stops in a row, not an ellipsis: a sentence that ends with "... S.p.A.".
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")

Kind = Notification.Kind
Role = User.Role
STAFF = frozenset({Role.ADMIN, Role.STAFF})


@dataclass(frozen=True)
class Person:
    """A candidate as a notification names them: `name` in the portal, `code` (their code on
    a shortlist) or else their number in e-mails."""

    name: str
    number: int
    code: str = ""

    def in_mail(self) -> str:
        return self.code or _("candidate no. %(number)s") % {"number": self.number}


@dataclass(frozen=True)
class KindSpec:
    roles: frozenset[str]
    email: bool  # sent by e-mail too, unless the user chose otherwise
    text: Callable[[dict], str]
    # A paragraph the e-mail adds under the sentence.
    more: Callable[[], str] | None = None


def _shared_more() -> str:
    return _(
        "The profiles are anonymous: you see experience, skills, availability and distance, "
        "not names. Mark the ones you are interested in and ask for an interview: we will "
        "arrange it with the candidate."
    )


def _assigned(p: dict) -> str:
    return (
        ngettext(
            "%(count)s interview assigned to you in %(tranche)s, on %(when)s.",
            "%(count)s interviews assigned to you in %(tranche)s, the first on %(when)s.",
            p["count"],
        )
        % p
    )


CASEWORKER = frozenset({Role.CASEWORKER})

KINDS: dict[str, KindSpec] = {
    Kind.SHORTLISTED: KindSpec(
        CASEWORKER,
        email=False,
        text=lambda p: _("%(who)s is on a shortlist shared with %(company)s, for %(need)s.") % p,
    ),
    Kind.INTERVIEW_AGREED: KindSpec(
        CASEWORKER,
        email=True,
        text=lambda p: _("Interview agreed: %(who)s with %(company)s, for %(need)s.") % p,
    ),
    Kind.HIRED: KindSpec(
        CASEWORKER,
        email=True,
        text=lambda p: _("Hired: %(who)s by %(company)s as %(need)s, from %(date)s.") % p,
    ),
    Kind.FOLLOW_UP_DUE: KindSpec(
        CASEWORKER,
        email=True,
        text=lambda p: (
            _(
                "Follow-up check of %(who)s (%(months)s after the hire at %(company)s) due on "
                "%(date)s."
            )
            % p
        ),
    ),
    Kind.ACTION_DUE: KindSpec(
        CASEWORKER | STAFF,
        email=False,
        text=lambda p: _("Support action for %(who)s due by %(date)s: %(action)s.") % p,
    ),
    Kind.INTERVIEWS_ASSIGNED: KindSpec(frozenset({Role.RECRUITER}), email=True, text=_assigned),
    Kind.INTERVIEW_MOVED: KindSpec(
        frozenset({Role.RECRUITER}),
        email=True,
        text=lambda p: _("Your interview with %(who)s is now on %(when)s.") % p,
    ),
    Kind.INTERVIEW_REQUESTED: KindSpec(
        STAFF,
        email=True,
        text=lambda p: _("%(company)s asks for an interview with %(who)s, for %(need)s.") % p,
    ),
    Kind.OUTCOME_RECORDED: KindSpec(
        STAFF,
        email=True,
        text=lambda p: _("%(outcome)s: %(who)s at %(company)s, for %(need)s.") % p,
    ),
    Kind.PERMIT_EXPIRING: KindSpec(
        STAFF,
        email=True,
        text=lambda p: (
            _(
                "The residence permit of %(who)s, on the shortlist for %(need)s, expires on "
                "%(date)s."
            )
            % p
        ),
    ),
    Kind.REVIEW_DUE: KindSpec(
        STAFF,
        email=False,
        text=lambda p: _("Next review of %(who)s due on %(date)s.") % p,
    ),
    Kind.SHORTLIST_SHARED: KindSpec(
        frozenset({Role.COMPANY_HR}),
        email=True,
        text=lambda p: _("Candidates for your need %(need)s are ready to look at.") % p,
        more=_shared_more,
    ),
    Kind.INTERVIEW_CONFIRMED: KindSpec(
        frozenset({Role.COMPANY_HR}),
        email=True,
        text=lambda p: (
            _(
                "Interview with candidate %(who)s for %(need)s agreed: the programme office will "
                "tell you the day."
            )
            % p
        ),
    ),
    Kind.COMPANY_INTERVIEW_SET: KindSpec(
        STAFF | frozenset({Role.COMPANY_HR}),
        email=True,
        text=lambda p: _("Interview with candidate %(who)s for %(need)s: %(when)s, %(place)s.") % p,
    ),
    Kind.EXPORT_READY: KindSpec(
        STAFF,
        email=False,
        text=lambda p: (
            _("The programme workbook you asked for on %(when)s is ready to download.") % p
        ),
    ),
    Kind.IMPORT_OVER: KindSpec(
        STAFF | frozenset({Role.CASEWORKER}),
        email=False,
        text=lambda p: (
            _("The import of “%(file)s” you started on %(when)s is over: %(outcome)s.") % p
        ),
    ),
}


def kinds_for(role: str) -> list[tuple[str, str, KindSpec]]:
    """(kind, label, spec) of the kinds a user of `role` may receive, in the model's order."""
    return [
        (value, label, KINDS[value]) for value, label in Kind.choices if role in KINDS[value].roles
    ]


def _written(value: object, *, mail: bool) -> object:
    if isinstance(value, Person):
        return value.in_mail() if mail else value.name
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, int):
        return value
    return str(value)


def sentence(spec: KindSpec, params: Mapping[str, object], *, mail: bool) -> str:
    """The kind's sentence with the event's values, in the active language."""
    text = spec.text({name: _written(value, mail=mail) for name, value in params.items()})
    return _DOUBLE_STOP.sub(".", text)
