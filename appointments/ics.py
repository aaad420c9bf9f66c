"""Appointments as iCalendar (RFC 5545): one invitation to download, or a user's feed.

Times carry the portal's zone (TZID Europe/Rome, with its VTIMEZONE), so a calendar shows
them right whatever the zone of the device. The invitation names the programme office as
organiser and the participants who are users as attendees; the feed names nobody, as it
leaves the portal for whatever calendar app the user subscribes with."""

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from appointments.selectors import Appointment, mail_appointment

PRODID = "-//Confindustria Bergamo//Focus//IT"
STATUS = {"scheduled": "CONFIRMED", "done": "CONFIRMED", "no_show": "CONFIRMED"}


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def _event(appointment: Appointment, *, summary: str, portal_url: str) -> Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", appointment.uid)
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    event.add("dtend", appointment.ends_at.astimezone(zone))
    event.add("summary", summary)
    if appointment.place:
        event.add("location", appointment.place)
    event.add("status", STATUS.get(appointment.status, "CANCELLED"))
    event.add("url", f"{portal_url}{appointment.url}")
    event.add("description", f"{appointment.mode}. {portal_url}{appointment.url}")
    return event


def invitation(appointment: Appointment, *, portal_url: str) -> bytes:
    """The invitation to one appointment (METHOD:REQUEST), with the portal's title."""
    calendar = _calendar("REQUEST")
    event = _event(appointment, summary=appointment.title, portal_url=portal_url)
    organizer = vCalAddress(f"mailto:{settings.PROGRAMME_OFFICE_EMAIL}")
    organizer.params["cn"] = vText(_("Programme office"))
    event.add("organizer", organizer)
    for email in appointment.attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed(appointments: Iterable[Appointment], *, portal_url: str) -> bytes:
    """A user's feed (METHOD:PUBLISH): their role's appointments, naming nobody."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", "Focus")
    for appointment in appointments:
        calendar.add_component(
            _event(appointment, summary=appointment.feed_title, portal_url=portal_url)
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def response(body: bytes, *, filename: str = "", attachment: bool = True) -> HttpResponse:
    answer = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        disposition = "attachment" if attachment else "inline"
        answer["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    answer["Cache-Control"] = "private, no-store"
    return answer


def mail_invitation(kind: str, pk: int, portal_url: str) -> tuple[str, str] | None:
    """The invitation an e-mail about appointment `kind` `pk` carries (the notifications'
    `mail_invitation` hook): (file name, iCalendar text), naming nobody; None if there is no
    such appointment."""
    appointment = mail_appointment(kind, pk)
    if appointment is None:
        return None
    name = "colloquio" if kind == "interview" else "colloquio-azienda"
    return f"{name}-{pk}.ics", invitation(appointment, portal_url=portal_url).decode()
