"""The matching officers' pages: ranking, explanation, comparison, shortlist, weights."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate, Consent, Experience, StatusChange
from candidates.services import consent_set
from catalog.models import Comune, Skill
from companies.models import Need, NeedSkill
from matching import services
from matching.models import Entry, MatchingWeights, PipelineEvent, Shortlist
from tests.factories import CandidateFactory, NeedFactory

BERGAMO, ALBINO, SERIATE = "016024", "016004", "016198"


pytestmark = pytest.mark.usefixtures("english_pages")


@pytest.fixture
def need(company):
    """One person wanted in Bergamo (the workplace), as an assembly worker."""
    return NeedFactory(company=company, headcount=1)


def _candidate(need, *, comune=BERGAMO, expert=False, **fields):
    candidate = CandidateFactory(
        residence_comune=Comune.objects.get(istat_code=comune),
        consent_share_profile=True,
        **fields,
    )
    if expert:
        Experience.objects.create(candidate=candidate, profile=need.profile, years=3)
    return candidate


@pytest.fixture
def expert(need):
    """Did this job before, but lives in Albino (about 17 km by road) without a car."""
    return _candidate(need, comune=ALBINO, expert=True, last_name="Esperta")


@pytest.fixture
def neighbour(need):
    """Never did this job, lives next to the workplace."""
    return _candidate(need, comune=BERGAMO, last_name="Vicina")


def _rank_url(need):
    return reverse("matching:need_rank", args=[need.pk])


def _ranked(response) -> list[Candidate]:
    return [row.candidate for row in response.context["ranking"].rows]


@pytest.mark.django_db
def test_ranking_page_lists_candidates_in_the_engines_order_with_breakdown_and_gaps(
    login, staff, need, expert, neighbour
):
    response = login(staff).get(_rank_url(need))

    assert response.status_code == 200
    assert _ranked(response) == [expert, neighbour]
    assert response.context["ranking"].eligible == 2
    html = response.content.decode()
    assert html.index("Esperta") < html.index("Vicina")
    assert html.count('data-testid="ranking-row"') == 2
    assert "Skills and certifications" in html  # the six components, labelled
    assert "Default weights." in html
    expert_row = response.context["ranking"].rows[0]
    assert expert_row.components["profile"] == 1
    assert expert_row.components["commute"] == 0
    assert "transport support (car sharing, company shuttle, bus pass)" in html
    assert "no experience as" in html  # the neighbour's gap


@pytest.mark.django_db
def test_ranking_filters_by_car_distance_class_and_availability(
    login, staff, need, expert, neighbour
):
    driver = _candidate(need, comune=SERIATE, own_car=True)
    late = _candidate(need, available_from=datetime.date(2030, 1, 1))
    client = login(staff)

    def ranked(**params):
        return set(_ranked(client.get(_rank_url(need), params)))

    assert ranked(has_car="yes") == {driver}
    assert ranked(has_car="no") == {expert, neighbour, late}
    assert ranked(max_km=10) == {neighbour, driver, late}
    assert ranked(employability="A") == set()
    assert ranked(employability="none") == {expert, neighbour, driver, late}
    assert late not in ranked(available_by="2029-12-31")


@pytest.mark.django_db
def test_staff_add_a_ranked_candidate_to_the_shortlist_and_the_row_is_marked(
    login, staff, need, expert, neighbour
):
    client = login(staff)
    response = client.post(
        _rank_url(need), {"candidate": expert.pk, "note": "Molto motivata"}, follow=True
    )

    entry = Entry.objects.get(shortlist__need=need)
    assert (entry.candidate, entry.note, entry.status) == (expert, "Molto motivata", "proposed")
    assert PipelineEvent.objects.filter(entry=entry, to_status="proposed", by=staff).exists()
    assert "added to the shortlist" in response.content.decode()
    assert response.context["on_list"] == {expert.pk}
    assert response.content.decode().count('data-testid="on-shortlist"') == 1
    # back where staff were in the ranking: at the row of whom they added
    assert response.redirect_chain[-1][0].endswith(f"#rank-{expert.pk}")
    assert f'id="rank-{expert.pk}"' in response.content.decode()


@pytest.mark.django_db
def test_a_knocked_out_candidate_is_refused_with_the_reason(login, staff, need, expert):
    refused = _candidate(need, consent_matching=False)
    response = login(staff).post(_rank_url(need), {"candidate": refused.pk}, follow=True)

    assert not Entry.objects.filter(candidate=refused).exists()
    assert "has not consented to matching" in response.content.decode()


@pytest.mark.django_db
def test_why_not_page_explains_a_ranked_and_a_knocked_out_candidate(
    login, staff, need, expert, neighbour
):
    refused = _candidate(need, consent_matching=False, last_name="Senzaconsenso")
    client = login(staff)
    url = reverse("matching:need_explain", args=[need.pk])

    ranked = client.get(url, {"q": str(neighbour.pk)})
    assert ranked.context["row"].position == 2
    assert 'data-testid="explanation"' in ranked.content.decode()

    excluded = client.get(url, {"q": "Senzaconsenso"})
    assert excluded.context["candidate"] == refused
    assert "has not consented to matching" in excluded.content.decode()

    assert client.get(url, {"q": "999999"}).status_code == 404


@pytest.mark.django_db
def test_why_not_names_a_missing_mandatory_skill(login, staff, need, expert):
    skill = Skill.objects.get(code="conduzione-carrello")
    NeedSkill.objects.create(need=need, skill=skill, mandatory=True)
    url = reverse("matching:need_explain", args=[need.pk])

    response = login(staff).get(url, {"c": expert.pk})

    assert response.context["row"] is None
    with translation.override("en"):  # the page's language (the test client's cookie)
        name = str(skill)
    assert f"lacks the mandatory skill “{name}”" in response.content.decode()


@pytest.mark.django_db
def test_why_not_search_finds_only_candidates_the_user_may_see(login, staff, need):
    _candidate(need, last_name="Rossi", first_name="Anna")
    _candidate(need, last_name="Rossi", first_name="Bea")
    response = login(staff).get(reverse("matching:need_explain", args=[need.pk]), {"q": "rossi"})
    assert len(response.context["matches"]) == 2
    assert response.context["candidate"] is None


@pytest.mark.django_db
def test_compare_page_puts_two_candidates_side_by_side(login, staff, need, expert, neighbour):
    url = reverse("matching:compare", args=[need.pk])
    response = login(staff).get(f"{url}?c={neighbour.pk}&c={expert.pk}")

    columns = response.context["columns"]
    assert [c["candidate"] for c in columns] == [neighbour, expert]
    assert [c["row"].position for c in columns] == [2, 1]
    html = response.content.decode()
    assert html.count('data-testid="compare-column"') == 2
    assert "Key facts" in html


@pytest.mark.django_db
def test_staff_shortlist_from_the_comparison_and_come_back_to_it(
    login, staff, need, expert, neighbour
):
    client = login(staff)
    compare = f"{reverse('matching:compare', args=[need.pk])}?c={neighbour.pk}&c={expert.pk}"
    assert client.get(compare).content.decode().count('data-testid="add-to-shortlist"') == 2

    response = client.post(
        _rank_url(need), {"candidate": expert.pk, "note": "", "back": compare}, follow=True
    )

    assert response.redirect_chain[-1][0] == compare
    assert Entry.objects.filter(shortlist__need=need, candidate=expert).exists()
    assert response.context["on_list"] == {expert.pk}
    assert response.content.decode().count('data-testid="add-to-shortlist"') == 1


@pytest.mark.django_db
def test_a_back_address_outside_the_comparison_is_not_followed(login, staff, need, expert):
    response = login(staff).post(
        _rank_url(need), {"candidate": expert.pk, "back": "https://example.org/"}
    )
    assert response.url.endswith(f"#rank-{expert.pk}")


@pytest.mark.django_db
def test_compare_asks_for_two_or_three_candidates(login, staff, need, expert):
    url = reverse("matching:compare", args=[need.pk])
    response = login(staff).get(f"{url}?c={expert.pk}")
    assert response.context["columns"] == []
    assert "Choose two or three candidates" in response.content.decode()


@pytest.fixture
def shortlist(need, staff, expert, neighbour):
    services.shortlist_add(need=need, candidate=expert, actor=staff)
    services.shortlist_add(need=need, candidate=neighbour, actor=staff)
    return Shortlist.objects.get(need=need)


@pytest.mark.django_db
def test_sharing_emails_company_hr_and_leaves_out_who_withdrew_consent(
    login, staff, company_hr, shortlist, expert, neighbour, django_capture_on_commit_callbacks
):
    consent_set(candidate=neighbour, purpose=Consent.SHARE_PROFILE, granted=False, actor=staff)
    client = login(staff)
    detail = client.get(shortlist.get_absolute_url())
    assert 'data-testid="share-button"' in detail.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:shortlist_share", args=[shortlist.pk]))

    assert response.status_code == 302
    shortlist.refresh_from_db()
    assert shortlist.shared_at is not None
    assert [message.to for message in mail.outbox] == [[company_hr.email]]
    assert reverse("matching:shortlist_cards", args=[shortlist.pk]) in mail.outbox[0].body
    statuses = dict(shortlist.entries.values_list("candidate", "status"))
    assert statuses == {expert.pk: "proposed", neighbour.pk: "withdrawn"}
    expert.refresh_from_db()
    assert expert.status == Candidate.Status.SHORTLISTED


def _move(client, entry, **data):
    return client.post(reverse("matching:entry_move", args=[entry.pk]), data, follow=True)


@pytest.mark.django_db
def test_staff_move_entries_along_the_pipeline_with_an_event_each(
    login, staff, company_hr, shortlist, expert
):
    entry = shortlist.entries.get(candidate=expert)
    services.shortlist_share(shortlist=shortlist, actor=staff, portal_url="")
    services.entry_move(entry=entry, to="interview_requested", actor=company_hr)
    client = login(staff)

    refused = _move(client, entry, to="hired")  # not possible before the interview
    entry.refresh_from_db()
    assert entry.status == "interview_requested"
    assert "This step is not possible now." in refused.content.decode()

    response = _move(client, entry, to="interview_agreed", note="Martedì alle 10")
    entry.refresh_from_db()
    assert entry.status == "interview_agreed"
    events = list(entry.events.values_list("from_status", "to_status", "by"))
    assert events[-1] == ("interview_requested", "interview_agreed", staff.pk)
    assert len(events) == 3  # proposed, interview requested, interview agreed
    assert "Martedì alle 10" in response.content.decode()

    not_hired = _move(client, entry, to="not_hired")
    assert "Choose a reason." in not_hired.content.decode()


@pytest.mark.django_db
def test_a_step_taken_from_a_stale_page_or_twice_is_refused_and_recorded_once(
    staff, company_hr, shortlist, expert, neighbour
):
    consent_set(candidate=neighbour, purpose=Consent.SHARE_PROFILE, granted=False, actor=staff)
    opened = list(shortlist.entries.order_by("pk"))  # as a page loaded before the sharing
    services.shortlist_share(shortlist=shortlist, actor=staff, portal_url="")

    # The neighbour's withdrawal took their entry off at once: the stale copy still says
    # "proposed", and the company can no longer act on it.
    withdrawn = next(entry for entry in opened if entry.candidate_id == neighbour.pk)
    with translation.override("en"), pytest.raises(ValidationError, match="no longer available"):
        services.entry_move(entry=withdrawn, to="interview_requested", actor=company_hr)

    first = next(entry for entry in opened if entry.candidate_id == expert.pk)
    again = Entry.objects.get(pk=first.pk)  # the same form submitted twice
    services.entry_move(entry=first, to="interview_requested", actor=company_hr)
    with translation.override("en"), pytest.raises(ValidationError, match="not possible now"):
        services.entry_move(entry=again, to="interview_requested", actor=company_hr)

    assert list(
        PipelineEvent.objects.filter(entry__shortlist=shortlist)
        .order_by("pk")
        .values_list("entry__candidate", "to_status")
    ) == [
        (expert.pk, "proposed"),
        (neighbour.pk, "proposed"),
        (neighbour.pk, "withdrawn"),
        (expert.pk, "interview_requested"),
    ]


@pytest.mark.django_db
def test_a_hire_places_the_candidate_and_fills_the_need(
    login, staff, company_hr, shortlist, expert, need
):
    entry = shortlist.entries.get(candidate=expert)
    services.shortlist_share(shortlist=shortlist, actor=staff, portal_url="")
    services.entry_move(entry=entry, to="interview_requested", actor=company_hr)
    client = login(staff)
    _move(client, entry, to="interview_agreed")

    _move(client, entry, to="hired", contract="fixed_term", start_date="2027-02-01")

    entry.refresh_from_db()
    expert.refresh_from_db()
    need.refresh_from_db()
    assert (entry.status, entry.start_date) == ("hired", datetime.date(2027, 2, 1))
    assert expert.status == Candidate.Status.PLACED
    assert StatusChange.objects.filter(candidate=expert, to_status="placed").exists()
    assert need.status == Need.Status.FILLED


@pytest.mark.django_db
def test_shortlist_page_shows_entries_history_and_contact_visibility(
    login, staff, shortlist, expert
):
    response = login(staff).get(shortlist.get_absolute_url())
    html = response.content.decode()
    assert html.count('data-testid="entry"') == 2
    assert str(expert) in html
    assert html.count('data-testid="history"') == 2
    assert 'data-testid="contacts-visible"' not in html


@pytest.mark.django_db
def test_admin_saves_new_weights_and_the_ranking_follows(
    login, admin, staff, need, expert, neighbour
):
    client = login(admin)
    assert _ranked(client.get(_rank_url(need))) == [expert, neighbour]
    values = {
        "profile": 0,
        "skills": 10,
        "language": 10,
        "employability": 10,
        "commute": 100,
        "availability": 10,
        "max_km_with_car": 35,
        "max_km_without_car": 10,
        "ready_score": 60,
    }

    response = client.post(reverse("matching:weights"), values)

    assert response.status_code == 302
    weights = MatchingWeights.objects.current()
    assert (weights.version, weights.commute, weights.created_by) == (1, 100, admin)
    assert _ranked(client.get(_rank_url(need))) == [neighbour, expert]
    page = client.get(reverse("matching:weights")).content.decode()
    assert page.count('data-testid="weights-version"') == 1


@pytest.mark.django_db
def test_staff_read_the_weights_but_may_not_change_them(login, staff):
    client = login(staff)
    page = client.get(reverse("matching:weights"))
    assert page.status_code == 200
    assert page.context["form"].fields["profile"].disabled
    assert client.post(reverse("matching:weights"), {"profile": 50}).status_code == 403
    assert not MatchingWeights.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"), [("caseworker", 404), ("recruiter", 404), ("company_hr", 403)]
)
def test_other_roles_may_not_rank_or_manage(login, personas, role, expected, need, shortlist):
    client = login(personas[role])
    shortlist.shared_at = shortlist.created_at
    shortlist.save(update_fields=["shared_at"])
    entry = shortlist.entries.first()
    assert client.get(_rank_url(need)).status_code == expected
    assert client.get(reverse("matching:need_explain", args=[need.pk])).status_code == expected
    assert client.get(shortlist.get_absolute_url()).status_code == expected
    assert (
        client.post(
            reverse("matching:entry_move", args=[entry.pk]), {"to": "withdrawn"}
        ).status_code
        == expected
    )
    assert client.get(reverse("matching:weights")).status_code == 403
    entry.refresh_from_db()
    assert entry.status == "proposed"


@pytest.mark.django_db
def test_company_hr_of_another_company_get_404_on_the_ranking(login, other_company_hr, need):
    assert login(other_company_hr).get(_rank_url(need)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("pool", [5, 30])
def test_ranking_page_queries_do_not_grow_with_the_pool(
    login, staff, need, pool, django_assert_num_queries
):
    for number in range(pool):
        _candidate(need, expert=number % 2 == 0, own_car=number % 3 == 0)
    services.shortlist_add(need=need, candidate=Candidate.objects.first(), actor=staff)
    client = login(staff)
    # session, user, their second factor's device,
    # need (with company, campaign, profile, workplace),
    # rank(): current weights, skill requirements, certification requirements, the order
    #   of the pool (scored in the database) with the top rows' components and the eligible
    #   count, the top candidates, their years in the profile, their severe obstacles, the
    #   near misses (the skills and certifications of the top rows are read only when the
    #   need asks for some, and this one asks for none),
    # the need's shortlist, the candidates on it
    with django_assert_num_queries(14):
        response = client.get(_rank_url(need))
    assert len(response.context["ranking"].rows) == pool


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_the_shortlist_page_reads_a_fixed_number_of_queries(
    login, staff, company_hr, need, size, django_assert_num_queries
):
    for _ in range(size):
        entry = services.shortlist_add(need=need, candidate=_candidate(need), actor=staff)
    services.shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
    services.entry_move(entry=entry, to=Entry.Status.INTERESTED, actor=company_hr)
    client = login(staff)
    # session, user, their second factor's device, the shortlist with need, company,
    # organisation, campaign, profile and workplace, the entries with their candidates, their
    # moves with who made them
    with django_assert_num_queries(6):
        response = client.get(reverse("matching:shortlist_detail", args=[entry.shortlist_id]))
    assert response.text.count('data-testid="entry"') == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 3])
def test_the_shortlist_page_reads_when_contacts_expire_without_a_query_an_entry(
    login, staff, company_hr, need, size, django_assert_num_queries
):
    for _ in range(size):
        candidate = _candidate(need, consent_share_contacts=True)
        entry = services.shortlist_add(need=need, candidate=candidate, actor=staff)
        services.shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
        services.entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
        services.entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)
        services.entry_move(entry=entry, to=Entry.Status.NOT_HIRED, actor=staff, reason="other")
    client = login(staff)
    # as above: the outcome's date, which ends the released contacts, is read from the
    # moves already prefetched
    with django_assert_num_queries(6):
        response = client.get(reverse("matching:shortlist_detail", args=[entry.shortlist_id]))
    assert response.text.count('data-testid="contacts-visible"') == size


@pytest.mark.django_db
def test_the_ranking_shows_who_has_not_consented_to_share_a_profile(
    login, staff, need, expert, neighbour
):
    Candidate.objects.filter(pk=neighbour.pk).update(consent_share_profile=False)
    page = login(staff).get(_rank_url(need)).content.decode()
    rows = {
        candidate.pk: page.split(f'data-candidate="{candidate.pk}"')[1].split("</tr>")[0]
        for candidate in (expert, neighbour)
    }
    assert "No consent to share the profile" in rows[neighbour.pk]
    assert "No consent to share the profile" not in rows[expert.pk]


@pytest.mark.django_db
def test_the_ranking_suggests_a_shortlist_size_from_the_headcount(login, staff, company):
    need = NeedFactory(company=company, headcount=3)
    page = login(staff).get(_rank_url(need)).content.decode()
    assert "3 places: a shortlist of 6 to 9 people" in page


@pytest.mark.django_db
def test_sharing_a_shortlist_that_ends_up_empty_sends_no_email(
    login, staff, company_hr, need, neighbour, django_capture_on_commit_callbacks
):
    entry = services.shortlist_add(need=need, candidate=neighbour, actor=staff)
    Candidate.objects.filter(pk=neighbour.pk).update(consent_share_profile=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(staff).post(
            reverse("matching:shortlist_share", args=[entry.shortlist_id]), follow=True
        )
    assert callbacks == []  # nothing waits for the commit to tell anybody
    entry.refresh_from_db()
    assert entry.status == "withdrawn"
    assert Shortlist.objects.get(pk=entry.shortlist_id).shared_at is None
    assert mail.outbox == []
    assert "it was not shared" in response.content.decode()


# Adding from the ranking in place (htmx): the answer is the row's cell, not a page --------------

IN_PLACE = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.django_db
def test_an_add_answered_in_place_is_the_rows_cell_and_the_shortlists_new_size(
    login, staff, need, expert, neighbour
):
    response = login(staff).post(
        _rank_url(need), {"candidate": expert.pk, "note": "Molto motivata"}, **IN_PLACE
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, swapped into the row
    assert 'data-testid="on-shortlist"' in html
    assert f"{expert} added to the shortlist." in html
    assert 'role="status"' in html
    # the page's link to the shortlist, swapped out of band, counts the new entry
    assert 'id="shortlist-link" hx-swap-oob="true"' in html
    assert "Shortlist (1)" in html
    assert Entry.objects.get(shortlist__need=need).candidate == expert


@pytest.mark.django_db
def test_a_refused_add_in_place_keeps_the_form_and_the_note_and_says_why(
    login, staff, need, expert
):
    refused = _candidate(need, consent_matching=False)
    response = login(staff).post(
        _rank_url(need), {"candidate": refused.pk, "note": "Da richiamare"}, **IN_PLACE
    )

    html = response.content.decode()
    assert 'data-testid="add-to-shortlist"' in html
    assert 'value="Da richiamare"' in html
    assert 'role="alert"' in html
    assert "has not consented to matching" in html
    assert not Entry.objects.filter(candidate=refused).exists()


@pytest.mark.django_db
def test_an_add_in_place_of_no_one_the_user_may_see_is_not_found(login, staff, caseworker, need):
    missing = {"candidate": 999_999}
    assert login(staff).post(_rank_url(need), missing, **IN_PLACE).status_code == 404
    # and the ranking itself stays the matching officers' own
    assert login(caseworker).post(_rank_url(need), missing, **IN_PLACE).status_code in (403, 404)
    assert not Entry.objects.exists()
