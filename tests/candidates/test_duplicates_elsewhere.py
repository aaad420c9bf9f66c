"""A person who may already be a client of another centre: the caseworker's form and import
answer exactly as for anybody else, the programme office gets a review to merge the records
or keep them apart, and the lookups cannot be repeated at any pace."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from candidates.models import Candidate, CandidateSkill, ConsentRecord, DuplicateReview, Experience
from candidates.services import consent_set
from catalog.models import JobProfile, Skill
from tests.candidates.test_import import person, sheet
from tests.candidates.test_intake import CF_MARIO, _intake
from tests.factories import CandidateFactory, InterviewFactory

pytestmark = pytest.mark.django_db

SECRET = {"first_name": "Segreto", "last_name": "Altrove"}


def _neutral(html: str) -> str:
    """The page without what differs between two registrations: numbers, tokens."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"\d+", "#", html)


def _register(client, **values):
    response = client.post(reverse("candidates:create"), _intake(**values), follow=True)
    assert response.status_code == 200
    return response


def test_the_intake_form_answers_the_same_whether_another_centre_knows_the_person(
    login, caseworker, other_centre, staff, django_capture_on_commit_callbacks
):
    client = login(caseworker)
    without = _register(client, codice_fiscale=CF_MARIO, sex="M", birth_date="1985-03-15")
    Candidate.objects.all().delete()
    other = CandidateFactory(
        centre=other_centre, codice_fiscale=CF_MARIO, phone="+39 347 1234567", **SECRET
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        within = _register(client, codice_fiscale=CF_MARIO, sex="M", birth_date="1985-03-15")

    assert _neutral(within.text) == _neutral(without.text)
    for value in (*SECRET.values(), other_centre.name, other.get_absolute_url()):
        assert value not in within.text
    new = Candidate.objects.exclude(pk=other.pk).get()
    assert new.status == Candidate.Status.REGISTERED
    review = DuplicateReview.objects.get()
    assert (review.candidate, review.existing, review.status) == (new, other, "open")
    assert review.reasons == ["codice_fiscale", "phone"]
    # The programme office is told, the caseworker is not.
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert reverse("candidates:duplicate_list") in mail.outbox[0].body
    assert "Segreto" not in mail.outbox[0].body


def test_the_caseworker_still_sees_the_duplicates_of_their_own_centre(login, caseworker, centre):
    known = CandidateFactory(centre=centre, phone="+39 347 1234567")
    response = login(caseworker).post(
        reverse("candidates:create"), _intake(phone="+39 347 1234567")
    )
    assert response.status_code == 200
    assert known.get_absolute_url() in response.text
    assert not DuplicateReview.objects.exists()


def test_staff_see_every_centres_duplicates_in_the_form_and_open_no_review(
    login, staff, centre, other_centre
):
    known = CandidateFactory(centre=other_centre, phone="+39 347 1234567")
    client = login(staff)
    data = _intake(phone="+39 347 1234567", centre=centre.pk, caseworker="")
    first = client.post(reverse("candidates:create"), data)
    assert known.get_absolute_url() in first.text
    confirmed = client.post(reverse("candidates:create"), {**data, "confirm_duplicates": "on"})
    assert confirmed.status_code == 302
    assert not DuplicateReview.objects.exists()


def test_a_dry_run_import_reports_the_same_whether_another_centre_knows_the_people(
    centre, caseworker, other_centre
):
    from candidates.importing import import_candidates

    def dry_run():
        report = import_candidates(sheet(person()), centre=centre, actor=caseworker, dry_run=True)
        return report.ok, report.summary(), [(e.row, e.column, e.message) for e in report.errors]

    without = dry_run()
    CandidateFactory(centre=other_centre, phone="333 1234567", **SECRET)
    assert dry_run() == without
    assert not DuplicateReview.objects.exists()  # a dry run writes nothing

    report = import_candidates(sheet(person()), centre=centre, actor=caseworker, dry_run=False)
    assert report.ok, report.errors
    assert DuplicateReview.objects.get().reasons == ["phone"]


# The programme office's review ------------------------------------------------------------


@pytest.fixture
def review(caseworker, other_centre, centre):
    earlier = CandidateFactory(
        centre=other_centre, codice_fiscale=CF_MARIO, phone="+39 347 1234567", **SECRET
    )
    new = CandidateFactory(
        centre=centre,
        caseworker=caseworker,
        codice_fiscale=CF_MARIO,
        first_name="Segreto",
        last_name="Altrove",
        address="Via Nuova 1",
    )
    return DuplicateReview.objects.create(
        candidate=new, existing=earlier, reasons=["codice_fiscale", "name_birth"]
    )


def test_only_the_programme_office_reads_the_reviews(login, staff, caseworker, review):
    page = login(staff).get(reverse("candidates:duplicate_list"))
    assert page.status_code == 200
    assert review.get_absolute_url() in page.text
    assert "Stesso codice fiscale" in page.text
    assert login(staff).get(review.get_absolute_url()).status_code == 200
    assert login(caseworker).get(reverse("candidates:duplicate_list")).status_code == 403
    assert login(caseworker).get(review.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("more", [2, 31])
def test_the_review_list_reads_a_fixed_number_of_queries(
    login, staff, review, centre, other_centre, django_assert_num_queries, more
):
    for _ in range(more):
        DuplicateReview.objects.create(
            candidate=CandidateFactory(centre=centre),
            existing=CandidateFactory(centre=other_centre),
            reasons=["phone"],
        )
    client = login(staff)
    client.get(reverse("candidates:duplicate_list"))
    # session, user, their second factor, the count for the pages, the reviews with both
    # records and centres
    with django_assert_num_queries(5):
        response = client.get(reverse("candidates:duplicate_list"))
    assert response.text.count('data-testid="duplicate"') == min(1 + more, 30)
    if more > 30:  # the rest on the next page, numbered
        assert 'href="?page=2"' in response.text
        second = client.get(reverse("candidates:duplicate_list"), {"page": "2"})
        assert second.text.count('data-testid="duplicate"') == 2


def test_kept_apart_the_pair_is_not_proposed_again(login, staff, caseworker, review):
    response = login(staff).post(review.get_absolute_url(), {"decision": "apart"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.decided_by) == ("kept_apart", staff)

    # The caseworker saves the new record again: no second review of the same pair.
    from candidates.services import duplicate_reviews_open

    assert duplicate_reviews_open(candidate=review.candidate, actor=caseworker) == 0
    assert DuplicateReview.objects.count() == 1
    again = login(staff).post(review.get_absolute_url(), {"decision": "merge", "sure": "on"})
    assert again.status_code == 302
    assert Candidate.objects.filter(pk=review.candidate_id).exists()  # settled is settled


def test_a_merge_folds_the_new_record_into_the_earlier_one(login, staff, review):
    new, earlier = review.candidate, review.existing
    profile = JobProfile.objects.first()
    Experience.objects.create(candidate=new, profile=profile, years=2)
    skill = Skill.objects.first()
    CandidateSkill.objects.create(candidate=new, skill=skill)
    CandidateSkill.objects.create(candidate=earlier, skill=skill)  # the same fact, twice
    interview = InterviewFactory(candidate=new)
    consent_set(candidate=new, purpose="share_profile", granted=True, actor=staff)
    client = login(staff)

    refused = client.post(review.get_absolute_url(), {"decision": "merge"})
    assert refused.status_code == 302
    assert Candidate.objects.filter(pk=new.pk).exists()  # without the confirmation, nothing

    client.post(review.get_absolute_url(), {"decision": "merge", "sure": "on"})

    assert not Candidate.objects.filter(pk=new.pk).exists()
    earlier.refresh_from_db()
    assert earlier.address == "Via Nuova 1"  # an empty field takes the new record's value
    assert earlier.experiences.get().profile == profile
    assert earlier.skill_links.count() == 1
    interview.refresh_from_db()
    assert interview.candidate == earlier
    assert ConsentRecord.objects.filter(candidate=earlier, purpose="share_profile").exists()
    assert earlier.consent_share_profile  # the latest consent recorded, of either record
    review.refresh_from_db()
    assert (review.status, review.candidate, review.merged_number) == ("merged", None, new.pk)
    settled = client.get(reverse("candidates:duplicate_list") + "?show=settled").text
    assert f"n. {new.pk}" in settled


# Rate limits ------------------------------------------------------------------------------


def test_the_intake_form_refuses_too_many_checks_an_hour_and_keeps_what_was_typed(
    login, caseworker, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "intake_check": 3}
    client = login(caseworker)
    for n in range(3):
        client.post(reverse("candidates:create"), _intake(action="draft", first_name=f"P{n}"))
    before = Candidate.objects.count()

    response = client.post(reverse("candidates:create"), _intake(first_name="Quarta"))

    assert response.status_code == 429
    assert "Troppi tentativi" in response.text
    assert 'value="Quarta"' in response.text
    assert 'data-testid="duplicates"' not in response.text  # nothing was looked up
    assert Candidate.objects.count() == before


def test_imports_are_limited_per_user_and_hour(login, caseworker, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "candidate_import": 2}
    client = login(caseworker)
    for _ in range(2):
        client.post(reverse("candidates:import"), {"file": sheet(person()), "dry_run": "on"})
    response = client.post(reverse("candidates:import"), {"file": sheet(person())})
    assert response.status_code == 429
    assert "Troppi tentativi" in response.text
    assert not Candidate.objects.exists()


def test_the_limit_counts_the_last_hour_only(caseworker, settings):
    from accounts.models import RateEvent
    from accounts.ratelimit import rate_limited

    settings.RATE_LIMITS = {"intake_check": 1}
    assert not rate_limited(caseworker, "intake_check")
    assert rate_limited(caseworker, "intake_check")
    RateEvent.objects.update(at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert not rate_limited(caseworker, "intake_check")
