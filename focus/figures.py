"""A figure: the one shape every dashboard and overview of the portal shows a number in, what
each figure means (`MEANINGS`), and the colours the pages draw figures in."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The namespace of focus.cache the counts behind the dashboards and overviews are kept in
# (numbers and ids only: labels, links and names are made from them at each visit); the
# tables they are counted from are declared in reports.apps.
KEPT = "figures"


def viewer_key(user) -> tuple:
    """Whose figures they are, for the key they are kept under: the users the rules of
    `scope` show the same candidates, needs and interviews to share it. The programme's
    people see everything, a caseworker their centre's candidates, company HR their
    company's needs (role and organisation); a recruiter the candidates they interview
    (their own key)."""
    from accounts.models import User

    return (user.role, user.organisation_id, user.pk if user.role == User.Role.RECRUITER else 0)


@dataclass(frozen=True)
class Tone:
    """A colour of the pages, by its Bootstrap name (`text-bg-success`, `bg-success`), with
    what the browser shows for it: the background and the text on it (`text-bg-...`), as hex
    RGB, for what draws it outside a page (the workbook's charts and cells)."""

    name: str
    background: str
    text: str


# Bootstrap 5.3's colours, but for primary, which static/css/focus.css sets to the portal's
# blue (`.bg-primary`). tests/browser/test_dashboard.py reads them back from the page.
TONES = {
    tone.name: tone
    for tone in (
        Tone("primary", "0B4F8A", "FFFFFF"),
        Tone("success", "198754", "FFFFFF"),
        Tone("warning", "FFC107", "000000"),
        Tone("danger", "DC3545", "FFFFFF"),
    )
}


@dataclass(frozen=True)
class Figure:
    """How many of something there are: `label` says what, `url` opens the list of exactly
    those (empty when no list can show them), `key` names it for code that picks one out (the
    workbook, tests) and, where it is one of `MEANINGS`, says what it counts (`definition`);
    `total` is what it is a share of (0: no share)."""

    label: str
    value: int
    url: str = ""
    key: str = ""
    total: int = 0
    tone: str = ""  # the colour it is drawn in (a name of TONES), where it has one of its own

    @classmethod
    def of(cls, key: str, value: int, url: str = "", *, label: str = "", **fields) -> "Figure":
        """The figure `key` of MEANINGS, with the label every page gives it; `label` only for
        a meaning named by what it counts (an employability class goes by the class's name)."""
        return cls(label or MEANINGS[key].label, value, url, key, **fields)

    @property
    def percent(self) -> int:
        return round(100 * self.value / self.total) if self.total else 0

    @property
    def definition(self) -> str:
        meaning = MEANINGS.get(self.key)
        return meaning.definition if meaning else ""


@dataclass(frozen=True)
class Meaning:
    """What a figure counts: `label`, the words every page and the workbook show it with, and
    `definition`, one sentence that says what is counted, in the words of those who read it.

    One meaning, one key, one label: two pages that count different things give them
    different keys and labels, and the pages show each figure's definition beside it."""

    key: str
    label: str
    definition: str


MEANINGS = {
    meaning.key: meaning
    for meaning in (
        # The demand (companies.selectors.demand_figures): the dashboard, the programme
        # office's home, the demand overview and a campaign's page.
        Meaning(
            "companies",
            _("Companies with needs"),
            _("Companies with at least one need that is not cancelled (open or filled)."),
        ),
        Meaning(
            "needs",
            _("Needs"),
            _("Needs declared by the companies, open or filled: cancelled ones are not counted."),
        ),
        Meaning(
            "headcount",
            _("People needed"),
            _("How many people those needs ask for: the sum of the people each one asks for."),
        ),
        Meaning(
            "suitable",
            _("Suitable candidates"),
            _(
                "Candidates of class A or B whose assessment names the profile among the "
                "suitable ones."
            ),
        ),
        # The candidates' path (reports.figures): the dashboard and the programme office's home.
        Meaning(
            "registered",
            _("Candidates registered"),
            _(
                "People registered by a charity centre, whatever their status now; drafts are "
                "not counted."
            ),
        ),
        Meaning(
            "interviewed",
            _("Candidates interviewed"),
            _("Candidates with at least one assessment recorded after an interview."),
        ),
        Meaning(
            "class_a",
            _("Candidates of class A"),
            _("Candidates interviewed whose latest assessment gives class A."),
        ),
        Meaning(
            "class_b",
            _("Candidates of class B"),
            _("Candidates interviewed whose latest assessment gives class B."),
        ),
        Meaning(
            "class_c",
            _("Candidates of class C"),
            _("Candidates interviewed whose latest assessment gives class C."),
        ),
        Meaning(
            "shortlisted",
            _("Candidates shortlisted"),
            _("Candidates put on at least one shortlist, whatever happened next."),
        ),
        Meaning(
            "company_interview",
            _("Candidates interviewed by a company"),
            _("Shortlisted candidates with an interview agreed with the company, hired or not."),
        ),
        Meaning(
            "hired",
            _("Candidates hired"),
            _("Candidates hired by a company through one of the programme's shortlists."),
        ),
        Meaning(
            "obstacles",
            _("Obstacles"),
            _(
                "Candidates interviewed whose assessment found each obstacle: one person may "
                "have more than one."
            ),
        ),
        # Retention after placement (reports.figures.retention_figures).
        Meaning(
            "retention_3",
            _("Still in the job at 3 months"),
            _(
                "Of the placements whose 3-month check is closed, the share still in the job "
                "by then: a job that ended before the check counts as lost."
            ),
        ),
        Meaning(
            "retention_6",
            _("Still in the job at 6 months"),
            _(
                "Of the placements whose 6-month check is closed, the share still in the job "
                "by then: a job that ended before the check counts as lost."
            ),
        ),
        # The pathway after the assessment (reports.figures.pathway_figures).
        Meaning(
            "support_actions",
            _("Support actions proposed"),
            _("Support actions proposed for candidates, in any status, cancelled ones too."),
        ),
        Meaning(
            "hired_after_support",
            _("Hired after a support action"),
            _("Candidates hired with a support action done for them before the hire."),
        ),
        Meaning(
            "courses",
            _("Courses"),
            _(
                "Training courses in any status, with their seats; the dates chosen do not "
                "restrict them."
            ),
        ),
        Meaning(
            "completion_rate",
            _("Completion rate"),
            _(
                "Enrolments completed, out of the enrolments that are over: completed, not "
                "completed or dropped out."
            ),
        ),
        Meaning(
            "hired_after_course",
            _("Hired after a course"),
            _("Candidates hired who completed a training course before the hire."),
        ),
        Meaning(
            "moved_to_ready",
            _("Moved from near-ready to ready"),
            _(
                "Candidates ready for a profile in the newest gap analysis who were near-ready "
                "for it in an earlier one."
            ),
        ),
        # A tranche of interviews (interviews.selectors.tranche_counts): its own page, the
        # tranches' page and the dashboard's table of tranches.
        Meaning("target", _("Target"), _("How many interviews the tranche sets out to hold.")),
        Meaning(
            "planned",
            _("Interviews planned"),
            _("Interviews of the tranche that are not cancelled, held or still to be held."),
        ),
        Meaning("done", _("Interviews done"), _("Interviews of the tranche that took place.")),
        Meaning(
            "no_show",
            _("No-shows"),
            _("Interviews of the tranche the candidate did not come to."),
        ),
        Meaning(
            "assessed",
            _("People assessed"),
            _("Interviews of the tranche with an assessment recorded."),
        ),
        Meaning(
            "tranche_class_a",
            _("Class A"),
            _("People assessed in the tranche whose assessment gives class A."),
        ),
        Meaning(
            "tranche_class_b",
            _("Class B"),
            _("People assessed in the tranche whose assessment gives class B."),
        ),
        Meaning(
            "tranche_class_c",
            _("Class C"),
            _("People assessed in the tranche whose assessment gives class C."),
        ),
        Meaning(
            "tranche_groups",
            _("By sex and nationality"),
            _(
                "The classes of the people assessed in the tranche, women and men, Italians "
                "and foreigners apart, each as a share of its group."
            ),
        ),
        Meaning(
            "tranche_obstacles",
            _("Obstacles (share of the assessed)"),
            _(
                "People assessed in the tranche whose assessment found each obstacle, as a "
                "share of the people assessed."
            ),
        ),
        # A company's own dashboard (reports.figures.company_figures).
        Meaning(
            "company_hired",
            _("People hired"),
            _("Candidates of the need's shortlist whom the company hired."),
        ),
        Meaning(
            "company_steps",
            _("Candidates by step"),
            _(
                "The candidates proposed to you on each shortlist, counted at the step each "
                "one has reached."
            ),
        ),
        # The task panels of each role's home (reports.home): each counts its list.
        Meaning(
            "panel_campaigns",
            _("Survey to answer"),
            _("Survey campaigns open now, which your company may answer."),
        ),
        Meaning(
            "panel_shortlists",
            _("Shortlists to review"),
            _("Shortlists shared with your company where a candidate waits for your answer."),
        ),
        Meaning(
            "panel_interviews",
            _("Interviews agreed"),
            _("Candidates of your shortlists whose interview with you is agreed."),
        ),
        Meaning(
            "panel_today",
            _("Today's interviews"),
            _("Your interviews scheduled for today, cancelled ones left out."),
        ),
        Meaning(
            "panel_week",
            _("This week's interviews"),
            _("Your interviews from today to Sunday, cancelled ones left out."),
        ),
        Meaning(
            "panel_missing",
            _("Outcome missing"),
            _("Your interviews whose time has passed with no outcome recorded."),
        ),
        Meaning(
            "panel_drafts",
            _("Data to complete"),
            _("Candidates of your centre saved as drafts and not registered yet."),
        ),
        Meaning(
            "panel_actions",
            _("Support actions due"),
            _("Open support actions due by Sunday, overdue ones included."),
        ),
        Meaning(
            "panel_follow_ups",
            _("Follow-up checks due"),
            _("Checks after a placement still to make, due by Sunday, overdue ones included."),
        ),
        Meaning(
            "panel_needs",
            _("Needs without a shortlist"),
            _("Open needs with nobody on their shortlist yet, or everyone on it withdrawn."),
        ),
        Meaning(
            "panel_requests",
            _("Interview requests waiting"),
            _("Candidates a company asked to interview, waiting for the interview to be agreed."),
        ),
        Meaning(
            "panel_near_ready",
            _("Candidates near-ready"),
            _(
                "Candidates one gap away from a profile in the newest gap analysis of the "
                "open campaign."
            ),
        ),
        Meaning(
            "panel_duplicates",
            _("Possible duplicates to review"),
            _("Registrations that may be a person already registered, waiting for a decision."),
        ),
    )
}


def meanings(*keys: str) -> list[Meaning]:
    """The meanings of `keys`, in that order: what a table's columns count."""
    return [MEANINGS[key] for key in keys]
