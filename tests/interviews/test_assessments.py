import datetime
from unittest import mock

import pytest
from django.urls import reverse

from candidates.models import Candidate, StatusChange
from catalog.models import Certification, JobProfile, Skill
from interviews.models import Assessment, Interview, SuitableProfile
from interviews.services import ObstacleInput, assessment_record
from tests.factories import InterviewFactory, TrancheFactory


@pytest.fixture
def interview(recruiter, candidate):
    return InterviewFactory(candidate=candidate, recruiter=recruiter)


def _assessment(**overrides) -> dict:
    data = {
        "version": "0",  # the form opened before any assessment
        "employability": "B",
        "verified_italian_level": "B1",
        "verified_skills": [Skill.objects.get(code="conduzione-carrello").pk],
        "verified_certifications": [],
        "profile_1": JobProfile.objects.get(code="carrellista").pk,
        "profile_2": JobProfile.objects.get(code="addetto-magazzino").pk,
        "obstacle_transport": "3",
        "obstacle_transport_note": "Nessun autobus prima delle 6",
        "obstacle_care": "2",
        "confidential_notes": "Situazione familiare delicata",
        "next_review_on": "2027-02-01",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-kind": "training",
        "actions-0-certification": Certification.objects.get(
            code="abilitazione-carrelli-elevatori"
        ).pk,
        "actions-0-profile": JobProfile.objects.get(code="carrellista").pk,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_recruiter_records_an_assessment_and_the_candidate_moves_on(
    login, recruiter, interview, candidate
):
    response = login(recruiter).post(
        reverse("interviews:interview_assess", args=[interview.pk]), _assessment()
    )
    assert response.url == interview.get_absolute_url()
    assessment = Assessment.objects.get(interview=interview)
    assert assessment.employability == "B"
    assert "GOL" in assessment.pathway
    assert {(o.kind, o.severity) for o in assessment.obstacles.all()} == {
        ("transport", 3),
        ("care", 2),
    }
    assert [s.profile.code for s in assessment.suitable_profiles.all()] == [
        "carrellista",
        "addetto-magazzino",
    ]
    assert assessment.actions.get().certification.code == "abilitazione-carrelli-elevatori"
    interview.refresh_from_db()
    candidate.refresh_from_db()
    assert interview.status == "done"
    assert candidate.status == "interviewed"
    change = StatusChange.objects.get(candidate=candidate)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "registered",
        "interviewed",
        recruiter,
    )
    assert "B" in change.reason


@pytest.mark.django_db
def test_verified_data_take_precedence_over_what_was_declared(
    login, recruiter, interview, candidate
):
    candidate.skill_links.create(skill=Skill.objects.get(code="gestione-magazzino"))
    login(recruiter).post(
        reverse("interviews:interview_assess", args=[interview.pk]), _assessment()
    )
    candidate.refresh_from_db()
    assert (candidate.italian_level, candidate.italian_level_verified) == ("A2", "B1")
    links = {link.skill.code: link.verified for link in candidate.skill_links.all()}
    assert links == {"gestione-magazzino": False, "conduzione-carrello": True}


@pytest.mark.django_db
def test_verifying_a_declared_certificate_works_out_its_expiry(
    login, recruiter, interview, candidate
):
    forklift = Certification.objects.get(code="abilitazione-carrelli-elevatori")  # five years
    declared = candidate.certification_links.create(
        certification=forklift, obtained_on=datetime.date(2024, 2, 10)
    )
    login(recruiter).post(
        reverse("interviews:interview_assess", args=[interview.pk]),
        _assessment(verified_certifications=[forklift.pk]),
    )
    declared.refresh_from_db()
    assert (declared.verified, declared.expires_on) == (True, datetime.date(2029, 2, 10))


@pytest.mark.django_db
def test_a_failure_while_recording_leaves_status_and_history_unchanged(
    recruiter, interview, candidate
):
    with (
        mock.patch(
            "interviews.services.candidate_set_status", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        assessment_record(
            interview=interview,
            actor=recruiter,
            employability="A",
            obstacles=[ObstacleInput("transport", 2)],
            verified_italian_level="B2",
        )
    interview.refresh_from_db()
    candidate.refresh_from_db()
    assert not Assessment.objects.exists()
    assert interview.status == "scheduled"
    assert (candidate.status, candidate.italian_level_verified) == ("registered", "")
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_correcting_an_assessment_replaces_it_without_a_second_history_line(
    login, recruiter, interview, candidate
):
    client = login(recruiter)
    url = reverse("interviews:interview_assess", args=[interview.pk])
    client.post(url, _assessment())
    page = client.get(url)
    assert page.context["form"].initial["employability"] == "B"
    version = page.context["form"].initial["version"]
    client.post(url, _assessment(employability="A", obstacle_care="", version=version))
    assessment = Assessment.objects.get(interview=interview)
    assert assessment.employability == "A"
    assert [o.kind for o in assessment.obstacles.all()] == ["transport"]
    assert StatusChange.objects.filter(candidate=candidate).count() == 1


@pytest.mark.django_db
def test_correcting_an_assessment_keeps_the_actions_left_as_they_were(login, recruiter, interview):
    client = login(recruiter)
    url = reverse("interviews:interview_assess", args=[interview.pk])
    client.post(url, _assessment())
    page = client.get(url)
    version = page.context["form"].initial["version"]
    assert page.context["actions"].initial_form_count() == 1  # shown as the first row

    client.post(url, _assessment(version=version, confidential_notes="Corretta"))

    assessment = Assessment.objects.get(interview=interview)
    assert assessment.confidential_notes == "Corretta"
    assert [a.kind for a in assessment.actions.all()] == ["training"]


@pytest.mark.django_db
def test_an_incomplete_assessment_keeps_what_was_typed(login, recruiter, interview):
    response = login(recruiter).post(
        reverse("interviews:interview_assess", args=[interview.pk]),
        _assessment(employability=""),
    )
    assert response.status_code == 200
    assert "Nessun autobus prima delle 6" in response.text
    assert "Situazione familiare delicata" in response.text
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_a_recruiter_cannot_assess_another_recruiters_candidate(login, personas, other_candidate):
    other = InterviewFactory(candidate=other_candidate)
    client = login(personas["recruiter"])
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(other_candidate.get_absolute_url()).status_code == 404
    response = client.post(reverse("interviews:interview_assess", args=[other.pk]), _assessment())
    assert response.status_code == 404
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_caseworker_sees_the_outcome_but_not_the_confidential_notes(
    login, recruiter, caseworker, interview, candidate
):
    login(recruiter).post(
        reverse("interviews:interview_assess", args=[interview.pk]), _assessment()
    )
    client = login(caseworker)
    for url in (interview.get_absolute_url(), candidate.get_absolute_url()):
        page = client.get(url)
        assert page.status_code == 200
        assert "Situazione familiare delicata" not in page.text, url
    candidate_page = client.get(candidate.get_absolute_url())
    assert 'data-testid="assessment-summary"' in candidate_page.text
    detail = client.get(interview.get_absolute_url())
    assert 'data-testid="assessment-summary"' in detail.text
    assert 'data-testid="confidential"' not in detail.text
    assert "Nessun autobus prima delle 6" in detail.text  # the obstacle's note


@pytest.mark.django_db
def test_recruiter_and_staff_see_the_confidential_notes(login, recruiter, staff, interview):
    login(recruiter).post(
        reverse("interviews:interview_assess", args=[interview.pk]), _assessment()
    )
    for user in (recruiter, staff):
        page = login(user).get(interview.get_absolute_url())
        assert "Situazione familiare delicata" in page.text


@pytest.mark.django_db
def test_company_hr_reach_nothing_of_interviews(login, company_hr, interview, candidate):
    client = login(company_hr)
    for url in (
        interview.get_absolute_url(),
        reverse("interviews:interview_assess", args=[interview.pk]),
        candidate.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404
    assert client.get(reverse("interviews:tranche_list")).status_code == 403


@pytest.mark.django_db
def test_recruiter_sees_only_candidates_of_their_interviews(login, recruiter, interview, centre):
    from tests.factories import CandidateFactory

    CandidateFactory(centre=centre)
    page = login(recruiter).get(reverse("candidates:list")).context["page"]
    assert list(page) == [interview.candidate]
    detail = login(recruiter).get(interview.candidate.get_absolute_url())
    assert detail.context["show_sensitive"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_agenda_lists_only_the_recruiters_interviews_in_a_fixed_number_of_queries(
    login, recruiter, django_assert_num_queries, size
):
    mine = InterviewFactory.create_batch(size, recruiter=recruiter)
    InterviewFactory.create_batch(3)
    client = login(recruiter)
    # session, user with organisation, their second factor's device, count for the paginator, the
    # page of interviews with candidate, comune, recruiter, agency, tranche and assessment
    with django_assert_num_queries(5):
        response = client.get(reverse("interviews:agenda"))
    assert set(response.context["page"]) == set(mine)


@pytest.mark.django_db
def test_no_show_is_recorded(login, recruiter, interview):
    login(recruiter).post(
        reverse("interviews:interview_set_status", args=[interview.pk]), {"status": "no_show"}
    )
    interview.refresh_from_db()
    assert interview.status == Interview.Status.NO_SHOW
    assert Candidate.objects.get(pk=interview.candidate_id).status == "registered"


@pytest.mark.django_db
def test_recording_sets_the_class_of_the_latest_assessment_on_the_candidate(recruiter, candidate):
    def interview_on(day: int) -> Interview:
        when = datetime.datetime(2027, 1, day, 9, tzinfo=datetime.UTC)
        return InterviewFactory(
            candidate=candidate, recruiter=recruiter, tranche=TrancheFactory(), scheduled_at=when
        )

    earlier, later = interview_on(5), interview_on(20)
    assert candidate.employability == ""
    assessment_record(interview=earlier, actor=recruiter, employability="C")
    candidate.refresh_from_db()
    assert candidate.employability == "C"
    assessment_record(interview=later, actor=recruiter, employability="A")
    candidate.refresh_from_db()
    assert candidate.employability == "A"
    # Correcting the earlier interview's assessment leaves the later one's class.
    assessment_record(interview=earlier, actor=recruiter, employability="B")
    candidate.refresh_from_db()
    assert candidate.employability == "A"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 20])
def test_interview_list_runs_a_fixed_number_of_queries(
    login, staff, django_assert_num_queries, count
):
    InterviewFactory.create_batch(count)
    client = login(staff)
    # session, user with organisation, their second factor's device, the tranches of the filter,
    # count for the paginator, the page of interviews with candidate, comune, recruiter, agency,
    # tranche, assessment (sorted by class)
    with django_assert_num_queries(6):
        response = client.get(reverse("interviews:interview_list"), {"sort": "-class"})
    assert response.context["page"].paginator.count == count


@pytest.mark.django_db
def test_a_suitable_profile_belongs_to_the_interviewed_candidate(recruiter, interview, candidate):
    # Matching reads "who is suitable for this profile" from the copy on the suitable profile.
    assessment_record(
        interview=interview,
        actor=recruiter,
        employability="B",
        suitable_profiles=[JobProfile.objects.get(code="carrellista")],
    )
    added = SuitableProfile.objects.get(profile__code="carrellista")
    assert added.candidate == candidate
