"""The pages a benchmark and the tests open in a demo world, whatever its size.

`measured_pages()` lists the main list, detail, dashboard and ranking pages of every role as
(role, page name, path), the records opened chosen alike in a world of any size built by
`seed_demo` or `seed_demo --scale N` (demo/scale.py): the demo company's open need of the
current campaign and its shortlist, the latest tranche begun, the first candidate
interviewed and assessed... . bench/pages.py times them, bench/explain.py explains their
slowest queries and tests/demo/test_page_queries.py pins how many queries each makes.
"""

# The demo's users that open the pages, one a role (their usernames are the roles' names).
ROLES = ("admin", "staff", "recruiter", "caseworker", "hr")


def measured_pages() -> list[tuple[str, str, str]]:
    """(role, page name, path) of every page measured, in the order they are measured."""
    from django.utils import timezone

    from accounts.models import User
    from candidates.models import Candidate
    from companies.models import Company, Need, SurveyCampaign
    from interviews.models import Interview, Tranche
    from matching.models import Shortlist
    from training.models import Course, SupportAction

    users = {role: User.objects.get(username=role) for role in ROLES}
    company = Company.objects.get(organisation=users["hr"].organisation)
    need = (
        Need.objects.filter(company=company, status="open", campaign__status="open")
        .order_by("pk")
        .first()
    )
    shortlist = Shortlist.objects.get(need=need)
    campaign = SurveyCampaign.objects.filter(status="open").order_by("pk").first()
    tranche = Tranche.objects.filter(starts_on__lte=timezone.localdate()).order_by("-starts_on")[0]
    interview = Interview.objects.filter(status="done").order_by("pk").first()
    candidate = interview.candidate
    own_interview = (
        Interview.objects.visible_to(users["recruiter"]).filter(status="done").order_by("pk")[0]
    )
    centre_candidate = Candidate.objects.visible_to(users["caseworker"]).order_by("pk")[0]
    action = SupportAction.objects.order_by("pk").first()
    course = Course.objects.order_by("pk").first()
    staff_pages = [
        ("home", "/"),
        ("dashboard", "/dashboard/"),
        ("candidate list", "/candidates/"),
        ("candidate", f"/candidates/{candidate.pk}/"),
        ("company list", "/companies/"),
        ("company", f"/companies/{company.pk}/"),
        ("need list", f"/companies/needs/?campaign={campaign.pk}"),
        ("need", f"/companies/needs/{need.pk}/"),
        ("campaign list", "/companies/campaigns/"),
        ("campaign", f"/companies/campaigns/{campaign.pk}/"),
        ("demand", "/companies/demand/"),
        ("ranking", f"/matching/needs/{need.pk}/"),
        ("interview list", "/interviews/all/"),
        ("interview", f"/interviews/{interview.pk}/"),
        ("tranche list", "/interviews/tranches/"),
        ("tranche dashboard", f"/interviews/tranches/{tranche.pk}/"),
        ("shortlist list", "/matching/shortlists/"),
        ("shortlist", f"/matching/shortlists/{shortlist.pk}/"),
        ("entry list", "/matching/entries/"),
        ("support action list", "/training/actions/"),
        ("support action", f"/training/actions/{action.pk}/"),
        ("course list", "/training/courses/"),
        ("course", f"/training/courses/{course.pk}/"),
        ("enrolment list", "/training/enrolments/"),
        ("follow-up list", "/training/follow-ups/"),
        ("search", "/search/?q=Rossi"),
        ("notifications", "/notifications/"),
    ]
    pages = [("staff", name, path) for name, path in staff_pages]
    pages += [
        ("admin", name, path)
        for name, path in [
            ("home", "/"),
            ("dashboard", "/dashboard/"),
            ("candidate list", "/candidates/"),
            ("ranking", f"/matching/needs/{need.pk}/"),
            ("user list", "/accounts/users/"),
            ("organisation list", "/accounts/organisations/"),
            ("audit trail", "/audit/"),
        ]
    ]
    pages += [
        ("recruiter", name, path)
        for name, path in [
            ("home", "/"),
            ("agenda", "/interviews/"),
            ("interview list", "/interviews/all/"),
            ("interview", f"/interviews/{own_interview.pk}/"),
            ("candidate list", "/candidates/"),
            ("candidate", f"/candidates/{own_interview.candidate_id}/"),
        ]
    ]
    pages += [
        ("caseworker", name, path)
        for name, path in [
            ("home", "/"),
            ("candidate list", "/candidates/"),
            ("candidate", f"/candidates/{centre_candidate.pk}/"),
            ("support action list", "/training/actions/"),
            ("enrolment list", "/training/enrolments/"),
            ("follow-up list", "/training/follow-ups/"),
        ]
    ]
    pages += [
        ("hr", name, path)
        for name, path in [
            ("home", "/"),
            ("company", f"/companies/{company.pk}/"),
            ("shortlist list", "/matching/shortlists/"),
            ("shortlist cards", f"/matching/shortlists/{shortlist.pk}/cards/"),
            ("entry list", "/matching/entries/"),
        ]
    ]
    return pages


def chosen(pages: list[tuple[str, str, str]], names: str) -> list[tuple[str, str, str]]:
    """The `pages` named in `names`, comma-separated page names ("dashboard,tranche list"),
    each optionally of one role ("admin:home"): all of them when it is empty."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    if not wanted:
        return pages
    return [
        (role, name, path)
        for role, name, path in pages
        if any(want in (name, f"{role}:{name}") for want in wanted)
    ]
