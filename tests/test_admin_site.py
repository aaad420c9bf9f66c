"""Django's admin site: only the administrator role enters it, and what the portal's services
keep records of (roles, organisations, consents, statuses) is only read there; an assessment's
corrections there go through the services that keep the candidate's class."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Organisation, User
from candidates.models import ConsentRecord, StatusChange
from candidates.services import candidate_set_status, consent_set
from catalog.models import JobProfile
from interviews.models import Assessment, Obstacle, RecommendedAction
from interviews.services import ActionInput, ObstacleInput, assessment_record
from tests.factories import PASSWORD, InterviewFactory, OrganisationFactory
from tests.posted import admin_change_url, admin_posted

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["staff", "recruiter", "caseworker", "company_hr"]


def _made_staff(user: User) -> User:
    """The user with the staff and superuser flags forced on, whatever their role."""
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def assessment(candidate, recruiter):
    interview = InterviewFactory(candidate=candidate, recruiter=recruiter)
    return assessment_record(
        interview=interview,
        actor=recruiter,
        employability="B",
        obstacles=[ObstacleInput(kind=Obstacle.Kind.TRANSPORT, severity=Obstacle.Severity.HIGH)],
    )


# Who enters


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_a_user_of_another_role_is_sent_to_the_admin_login_even_when_made_staff(
    login, personas, role
):
    client = login(_made_staff(personas[role]))
    for url in ["/django-admin/", "/django-admin/candidates/candidate/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_a_user_of_another_role_cannot_log_in_through_the_admin_login_form(client, personas, role):
    user = _made_staff(personas[role])
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert "_auth_user_id" not in client.session


def test_an_administrator_logs_in_through_the_admin_login_form(client, admin):
    response = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_an_administrator_enters_the_admin_site(login, admin):
    response = login(admin).get("/django-admin/")

    assert response.status_code == 200
    assert "Focus" in response.text


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_list_of_the_admin_site_opens_for_the_administrator(login, admin, assessment, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert login(admin).get(url).status_code == 200


# Users


def test_the_user_form_offers_no_superuser_staff_groups_or_permissions(login, admin, company_hr):
    page = login(admin).get(admin_change_url(company_hr))

    assert page.status_code == 200
    for name in ["is_superuser", "is_staff", "groups", "user_permissions"]:
        assert f'name="{name}"' not in page.text
    assert 'name="first_name"' in page.text


def test_posting_superuser_to_the_user_form_does_not_make_a_superuser(login, admin, company_hr):
    client = login(admin)
    url = admin_change_url(company_hr)
    data = admin_posted(client.get(url))
    data.update({"first_name": "Giulia", "is_superuser": "on", "is_staff": "on"})

    response = client.post(url, data)

    assert response.status_code == 302
    company_hr.refresh_from_db()
    assert company_hr.first_name == "Giulia"
    assert not company_hr.is_superuser
    assert not company_hr.is_staff


def test_the_admin_sets_a_password_only_within_the_portals_password_rules(login, admin, company_hr):
    client = login(admin)
    url = reverse("admin:auth_user_password_change", args=[company_hr.pk])
    short = {"password1": "corto", "password2": "corto", "usable_password": "true"}

    assert client.post(url, short).status_code == 200
    company_hr.refresh_from_db()
    assert company_hr.check_password(PASSWORD)

    good = "Bergamo alta al tramonto"
    client.post(url, {"password1": good, "password2": good, "usable_password": "true"})
    company_hr.refresh_from_db()
    assert company_hr.check_password(good)


def test_groups_of_permissions_are_not_in_the_admin_site(login, admin):
    assert login(admin).get("/django-admin/auth/group/").status_code == 404


# Organisations


def test_an_organisation_is_read_but_not_changed_added_or_deleted_in_the_admin_site(
    login, admin, centre
):
    client = login(admin)
    url = admin_change_url(centre)

    page = client.get(url)
    assert page.status_code == 200
    assert "Diakonia Bergamo" in page.text
    assert 'name="name"' not in page.text

    posted = {"name": "Altro nome", "code": "altro", "kind": "company", "is_active": ""}
    assert client.post(url, posted).status_code == 403
    assert client.post(reverse("admin:accounts_organisation_add"), posted).status_code == 403
    delete = reverse("admin:accounts_organisation_delete", args=[centre.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    centre.refresh_from_db()
    assert (centre.name, centre.code, centre.kind, centre.is_active) == (
        "Diakonia Bergamo",
        "diakonia",
        Organisation.Kind.CENTRE,
        True,
    )
    assert not Organisation.objects.filter(code="altro").exists()


def test_a_companys_organisation_is_not_changed_in_the_admin_site(login, admin, company):
    client = login(admin)
    url = admin_change_url(company)
    data = admin_posted(client.get(url))
    data.update({"organisation": OrganisationFactory(kind=Organisation.Kind.COMPANY).pk})

    assert client.post(url, data).status_code == 302
    company.refresh_from_db()
    assert company.organisation.name == "Meccanica Orobica S.p.A."


# Candidates' status and consents


def test_a_candidates_status_and_consents_are_not_changed_in_the_admin_site(
    login, admin, candidate
):
    consent_set(candidate=candidate, purpose="share_profile", granted=True, actor=admin)
    candidate_set_status(candidate=candidate, status="interviewed", actor=admin)
    client = login(admin)
    url = admin_change_url(candidate)
    page = client.get(url)
    for name in ["status", "consent_programme", "consent_matching", "consent_share_profile"]:
        assert f'name="{name}"' not in page.text
    data = admin_posted(page)
    data.update({"notes": "Visto in sede", "status": "withdrawn", "consent_share_contacts": "on"})
    data.pop("consent_share_profile", None)

    response = client.post(url, data)

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.notes == "Visto in sede"
    assert candidate.status == "interviewed"
    assert candidate.consent_share_profile
    assert not candidate.consent_share_contacts
    assert ConsentRecord.objects.filter(candidate=candidate).count() == 1
    assert StatusChange.objects.filter(candidate=candidate).count() == 1


def test_the_candidate_page_shows_the_consent_log_and_status_history_to_read(
    login, admin, candidate
):
    consent_set(candidate=candidate, purpose="share_profile", granted=True, actor=admin)
    candidate_set_status(candidate=candidate, status="suspended", actor=admin, reason="Malattia")

    page = login(admin).get(admin_change_url(candidate))

    assert "Malattia" in page.text
    assert 'name="consents-0-granted"' not in page.text
    assert 'name="status_changes-0-reason"' not in page.text


# Assessments and what gives the class


def test_an_assessment_is_corrected_in_the_admin_site_but_its_profiles_and_actions_only_read(
    login, admin, assessment
):
    # Corrections refresh the candidate's class (tests/interviews/test_candidate_facts.py).
    assessment_record(
        interview=assessment.interview,
        actor=assessment.recorded_by,
        employability="B",
        obstacles=[ObstacleInput(kind=Obstacle.Kind.TRANSPORT, severity=Obstacle.Severity.HIGH)],
        suitable_profiles=[JobProfile.objects.get(code="carrellista")],
        actions=[ActionInput(kind=RecommendedAction.Kind.TRANSPORT)],
    )
    page = login(admin).get(admin_change_url(assessment))

    assert page.status_code == 200
    assert 'name="employability"' in page.text
    assert 'name="obstacles-0-severity"' in page.text
    assert 'name="suitable_profiles-TOTAL_FORMS"' in page.text
    assert assessment.suitable_profiles.exists()
    assert assessment.actions.exists()
    assert 'name="suitable_profiles-0-profile"' not in page.text
    assert 'name="actions-0-kind"' not in page.text
    assert 'name="interview"' not in page.text


def test_an_assessed_interview_keeps_its_candidate_and_date_and_is_not_deleted(
    login, admin, candidate, assessment, other_candidate
):
    interview = assessment.interview
    client = login(admin)
    url = admin_change_url(interview)
    data = admin_posted(client.get(url))
    data.update(
        {
            "candidate": other_candidate.pk,
            "scheduled_at_0": "2020-01-01",
            "scheduled_at_1": "09:00",
            "place": "Sede Diakonia",
        }
    )

    assert client.post(url, data).status_code == 302
    delete = reverse("admin:interviews_interview_delete", args=[interview.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    scheduled_at = interview.scheduled_at
    interview.refresh_from_db()
    assert interview.place == "Sede Diakonia"
    assert interview.candidate_id == candidate.pk
    assert interview.scheduled_at == scheduled_at
    assert Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.django_db
def test_the_administrator_cannot_deactivate_themselves_in_the_admin_site(login, admin):
    url = reverse("admin:accounts_user_change", args=[admin.pk])
    page = login(admin).get(url)
    assert 'name="is_active"' not in page.text
    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.django_db
def test_an_interview_changed_in_the_admin_site_keeps_to_the_calendar_s_rule(
    login, admin, recruiter, candidate, other_candidate
):
    """No recruiter in two places at once here either: moving an interview onto another
    recruiter who is busy then is refused with the calendar's message, and nothing changes."""
    busy = InterviewFactory(recruiter=recruiter, candidate=other_candidate, duration=60)
    other_recruiter = InterviewFactory().recruiter
    interview = InterviewFactory(
        recruiter=other_recruiter,
        agency=other_recruiter.organisation,
        candidate=candidate,
        scheduled_at=busy.scheduled_at,
        duration=60,
    )
    client = login(admin)
    url = admin_change_url(interview)
    data = admin_posted(client.get(url))
    data["recruiter"] = recruiter.pk

    page = client.post(url, data)

    assert page.status_code == 200
    assert "Il selezionatore ha già un colloquio" in page.text
    interview.refresh_from_db()
    assert interview.recruiter_id == other_recruiter.pk
