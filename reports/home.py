"""Each role's home page: what to do next, as a short list of task panels.

A panel counts the rows of one list page of the portal, shows the first PANEL_ROWS of them
(the newest or the most urgent first), each linking to its record, and links to that list
filtered to exactly those rows. The count and the list come from the same selector, called
with the same filters the link gives the list, so the two always agree; and every selector
starts from the user's scope (`accounts.access.scope`). What company HR read of a candidate
comes from `matching.disclosure`: the entry's code, and the name only once the contacts are
released.

Two queries a panel (its count, and its first rows with what they show), however many rows
there are; the programme office's figures are two more.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import can
from accounts.models import User
from candidates.models import Candidate
from candidates.selectors import candidate_list, duplicate_list
from candidates.services import REQUIRED_TO_REGISTER, registration_problems
from companies.models import Need, SurveyCampaign
from companies.selectors import campaign_list, need_list, newest_open_campaign
from focus.figures import MEANINGS, Figure
from interviews.models import Interview
from interviews.selectors import AgendaShow, agenda
from matching.disclosure import entry_line
from matching.filters import NOBODY_SHORTLISTED
from matching.models import Entry
from matching.selectors import COMPANY_TO_ANSWER, WAITING_FOR_COMPANY, entry_list, shortlist_list
from reports.figures import funnel_figures
from reports.selectors import list_url
from training import planning
from training.models import GapCandidate
from training.selectors import FollowUpShow, follow_up_list, support_action_list

PANEL_ROWS = 5


@dataclass(frozen=True)
class PanelRow:
    """One row of a panel: what it is (`label`, linking to `url`), a line about it, when, and
    a warning (an interview whose outcome is missing, an overdue action), all as read."""

    label: str
    url: str
    note: str = ""
    when: str = ""
    flag: str = ""


@dataclass(frozen=True)
class Panel:
    """One task of a home page: how many there are (`count`), the first rows, the list of
    them all (`url`), and what to say when there is none (`empty`). Its title and what it
    counts are the meaning `panel_<key>` of `focus.figures.MEANINGS`."""

    key: str
    title: str
    count: int
    rows: list[PanelRow]
    url: str
    empty: str

    @property
    def figure(self) -> Figure:
        return Figure.of(f"panel_{self.key}", self.count, self.url)


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    icon: str


@dataclass(frozen=True)
class Home:
    """A home page: its buttons, its panels, and for the programme office the programme's
    figures (`figures`, each linking to what it counts) with the dashboard's address."""

    panels: list[Panel]
    actions: list[Action] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    figures_url: str = ""


def _panel(
    key: str,
    listed: QuerySet,
    row: Callable[[object], PanelRow],
    *,
    url: str,
    empty: str,
    first: QuerySet | None = None,
) -> Panel:
    """The panel of the rows `listed` (what `url` lists), titled as its meaning
    (`panel_<key>`); `first`, the same rows in the panel's order when it is not the list's."""
    shown = (listed if first is None else first)[:PANEL_ROWS]
    title = str(MEANINGS[f"panel_{key}"].label)
    return Panel(key, title, listed.count(), [row(item) for item in shown], url, empty)


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _moment(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _time(value: datetime.datetime) -> str:
    return formats.time_format(timezone.localtime(value), "TIME_FORMAT")


def _overdue(day: datetime.date | None) -> str:
    return _("overdue") if day is not None and day < timezone.localdate() else ""


# Company HR ------------------------------------------------------------------------------------


def _campaign_row(campaign: SurveyCampaign) -> PanelRow:
    declared = campaign.need_count
    note = (
        ngettext("%(count)s need declared", "%(count)s needs declared", declared)
        % {"count": intcomma(declared)}
        if declared
        else _("No need declared yet")
    )
    return PanelRow(
        label=campaign.name,
        url=reverse("companies:campaign_answer", args=[campaign.pk]),
        note=note,
        when=_("closes on %(day)s") % {"day": _day(campaign.closes_on)},
    )


def _shortlist_row(shortlist) -> PanelRow:
    waiting = sum(getattr(shortlist, f"n_{status}") for status in COMPANY_TO_ANSWER)
    need = shortlist.need
    return PanelRow(
        label=f"{need.profile} · {need.workplace.name}",
        url=reverse("matching:shortlist_cards", args=[shortlist.pk]),
        note=ngettext(
            "%(count)s candidate waiting for your answer",
            "%(count)s candidates waiting for your answer",
            waiting,
        )
        % {"count": intcomma(waiting)},
        when=_("shared on %(day)s") % {"day": _day(shortlist.shared_at)},
    )


def _entry_row(company_view: bool) -> Callable[[Entry], PanelRow]:
    def row(entry: Entry) -> PanelRow:
        line = entry_line(entry, company_view=company_view)
        if company_view:
            label = f"{line.code} · {line.name}" if line.name else line.code
            note = f"{line.profile} · {line.workplace}"
        else:
            label, note = line.name, f"{line.company} · {line.profile}"
        return PanelRow(label=label, url=line.url, note=note, when=_day(line.moved_at))

    return row


def _company_hr_home(user: User) -> Home:
    open_status = SurveyCampaign.Status.OPEN
    agreed = Entry.Status.INTERVIEW_AGREED
    return Home(
        panels=[
            _panel(
                "campaigns",
                campaign_list(actor=user, status=open_status),
                _campaign_row,
                url=list_url("companies:campaign_list", {"status": open_status}),
                empty=_("No survey campaign is open now: nothing to answer."),
            ),
            _panel(
                "shortlists",
                shortlist_list(actor=user, waiting=WAITING_FOR_COMPANY),
                _shortlist_row,
                url=list_url("matching:shortlist_list", {"waiting": WAITING_FOR_COMPANY}),
                empty=_("No candidate is waiting for your answer."),
            ),
            _panel(
                "interviews",
                entry_list(actor=user, status=agreed),
                _entry_row(company_view=True),
                url=list_url("matching:entry_list", {"status": agreed}),
                empty=_("No interview agreed at the moment."),
            ),
        ]
    )


# Recruiters ------------------------------------------------------------------------------------


def _interview_row(when: Callable[[datetime.datetime], str]) -> Callable[[Interview], PanelRow]:
    def row(interview: Interview) -> PanelRow:
        place = f" · {interview.place}" if interview.place else ""
        return PanelRow(
            label=str(interview.candidate),
            url=interview.get_absolute_url(),
            note=f"{interview.get_mode_display()}{place}",
            when=when(interview.scheduled_at),
            flag=_("Outcome missing") if interview.outcome_missing else "",
        )

    return row


def _recruiter_home(user: User) -> Home:
    """The agenda's tabs that call for the recruiter: today, this week, outcomes missing."""
    tabs = [
        ("today", AgendaShow.TODAY, _time, _("No interview today.")),
        ("week", AgendaShow.WEEK, _moment, _("No interview between today and Sunday.")),
        (
            "missing",
            AgendaShow.MISSING,
            _moment,
            _("Every past interview has its outcome: nothing to record."),
        ),
    ]
    return Home(
        panels=[
            _panel(
                key,
                agenda(actor=user, when=when),
                _interview_row(moment),
                url=list_url("interviews:agenda", {"when": when}),
                empty=empty,
            )
            for key, when, moment, empty in tabs
        ]
    )


# Caseworkers -----------------------------------------------------------------------------------


def _missing(candidate: Candidate) -> str:
    """What registering the candidate still lacks, in words (`registration_problems`)."""
    values = {
        name: candidate.serializable_value(name)
        for name in (*REQUIRED_TO_REGISTER, "phone", "email", "consent_programme")
    }
    labels = {"phone": _("phone or e-mail"), "consent_programme": _("consent to the programme")}
    names = [
        labels.get(name) or str(Candidate._meta.get_field(name).verbose_name)
        for name in registration_problems(values)
    ]
    if not names:
        return _("Nothing missing: ready to register")
    return _("Missing: %(fields)s") % {"fields": ", ".join(names)}


def _draft_row(candidate: Candidate) -> PanelRow:
    return PanelRow(
        label=str(candidate),
        url=candidate.get_absolute_url(),
        note=_missing(candidate),
        when=_("saved on %(day)s") % {"day": _day(candidate.updated_at)},
    )


def _action_row(action) -> PanelRow:
    return PanelRow(
        label=f"{action.get_kind_display()} · {action.candidate}",
        url=action.get_absolute_url(),
        note=action.get_status_display(),
        when=_day(action.due_on),
        flag=_overdue(action.due_on),
    )


def _follow_up_row(check) -> PanelRow:
    return PanelRow(
        label=str(check.entry.candidate),
        url=check.get_absolute_url(),
        note=_("%(months)s check · %(company)s")
        % {"months": check.get_months_display(), "company": check.entry.shortlist.need.company},
        when=_day(check.due_on),
        flag=_overdue(check.due_on),
    )


def _caseworker_home(user: User) -> Home:
    draft = Candidate.Status.DRAFT
    drafts = candidate_list(actor=user, status=draft)
    actions = []
    if can(user, "create", Candidate):
        actions.append(
            Action(_("Register a candidate"), reverse("candidates:create"), "person-plus")
        )
    return Home(
        actions=actions,
        panels=[
            _panel(
                "drafts",
                drafts,
                _draft_row,
                url=list_url("candidates:list", {"status": draft}),
                empty=_("No draft to complete: everyone is registered."),
                first=drafts.order_by("-updated_at", "-pk"),
            ),
            _panel(
                "actions",
                support_action_list(actor=user, show="due"),
                _action_row,
                url=list_url("training:action_list", {"show": "due"}),
                empty=_("No support action due by Sunday."),
            ),
            _panel(
                "follow_ups",
                follow_up_list(actor=user, show=FollowUpShow.DUE),
                _follow_up_row,
                url=list_url("training:follow_up_list", {"show": FollowUpShow.DUE}),
                empty=_("No follow-up check due by Sunday."),
            ),
        ],
    )


# Matching officers -----------------------------------------------------------------------------


def _need_row(need: Need) -> PanelRow:
    return PanelRow(
        label=f"{need.profile} · {need.company}",
        url=reverse("matching:need_rank", args=[need.pk]),
        note=ngettext(
            "%(count)s person needed in %(place)s",
            "%(count)s people needed in %(place)s",
            need.headcount,
        )
        % {"count": intcomma(need.headcount), "place": need.workplace.name},
        when=_("from %(day)s") % {"day": _day(need.start_date)} if need.start_date else "",
    )


def _gap(line: GapCandidate) -> str:
    """The one gap that would make the candidate ready, in words."""
    if line.certification_id:
        return str(line.certification)
    if line.skill_id:
        return str(line.skill)
    if line.italian_level:
        return _("Italian %(level)s") % {"level": line.italian_level}
    if line.destination_id:
        return _("Transport to %(place)s") % {"place": line.destination.name}
    return line.get_closer_display()


def _near_row(line: GapCandidate) -> PanelRow:
    return PanelRow(
        label=str(line.candidate),
        url=line.candidate.get_absolute_url(),
        note=f"{line.profile} · {_gap(line)}",
        when=ngettext("%(count)s open need", "%(count)s open needs", line.needs)
        % {"count": intcomma(line.needs)},
    )


def _staff_home(user: User) -> Home:
    open_status = Need.Status.OPEN
    needs = need_list(actor=user, status=open_status, shortlist=NOBODY_SHORTLISTED)
    requested = Entry.Status.INTERVIEW_REQUESTED
    campaign = newest_open_campaign()
    near = planning.near_ready(actor=user, campaign=campaign)
    return Home(
        panels=[
            _panel(
                "needs",
                needs,
                _need_row,
                url=list_url(
                    "companies:need_list",
                    {"status": open_status, "shortlist": NOBODY_SHORTLISTED, "sort": "start"},
                ),
                empty=_("Every open need has someone on its shortlist."),
                first=needs.order_by(F("start_date").asc(nulls_last=True), "pk"),
            ),
            _panel(
                "requests",
                entry_list(actor=user, status=requested),
                _entry_row(company_view=False),
                url=list_url("matching:entry_list", {"status": requested}),
                empty=_("No company is waiting for an interview to be agreed."),
            ),
            _panel(
                "near_ready",
                near,
                _near_row,
                url=list_url(
                    "training:gap_candidates",
                    {"campaign": campaign.pk if campaign else "", "closer": planning.NEAR},
                ),
                empty=_("Nobody is one gap away in the latest gap analysis."),
                first=near.order_by("-needs", "pk"),
            ),
        ]
    )


# The programme office --------------------------------------------------------------------------


def _duplicate_row(review) -> PanelRow:
    return PanelRow(
        label=f"{review.candidate or '—'} ~ {review.existing}",
        url=review.get_absolute_url(),
        note=", ".join(review.reason_labels),
        when=_day(review.created_at),
    )


def _admin_home(user: User) -> Home:
    return Home(
        figures=funnel_figures(user),
        figures_url=reverse("reports:dashboard"),
        panels=[
            _panel(
                "duplicates",
                duplicate_list(actor=user),
                _duplicate_row,
                url=list_url("candidates:duplicate_list"),
                empty=_("No possible duplicate to review."),
            )
        ],
    )


HOMES = {
    User.Role.ADMIN: _admin_home,
    User.Role.STAFF: _staff_home,
    User.Role.RECRUITER: _recruiter_home,
    User.Role.CASEWORKER: _caseworker_home,
    User.Role.COMPANY_HR: _company_hr_home,
}


def home_page(user: User) -> Home:
    """What `user`'s home page shows, by role (see the module's docstring)."""
    build = HOMES.get(user.role)
    return build(user) if build else Home(panels=[])
