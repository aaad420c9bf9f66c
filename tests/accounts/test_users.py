import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.services import organisation_create, organisation_update
from tests.factories import PASSWORD, OrganisationFactory, UserFactory


@pytest.fixture
def new_user_data(centre):
    return {
        "username": "giulia.bianchi",
        "first_name": "Giulia",
        "last_name": "Bianchi",
        "email": "giulia.bianchi@diakonia.example.org",
        "role": User.Role.CASEWORKER,
        "organisation": centre.pk,
    }


@pytest.mark.django_db
def test_admin_creates_a_user_who_chooses_their_own_password(
    login, admin, new_user_data, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin).post(reverse("accounts:user_create"), new_user_data)
    assert response.url == reverse("accounts:user_list")
    user = User.objects.get(username="giulia.bianchi")
    assert (user.role, user.organisation.code) == (User.Role.CASEWORKER, "diakonia")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [new_user_data["email"]]
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)

    client.logout()
    form_page = client.get(link, follow=True)
    password = "scelta-da-giulia-2026"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    logged_in = client.post(
        reverse("accounts:login"), {"username": "giulia.bianchi", "password": password}
    )
    assert logged_in.url == reverse("reports:home")


@pytest.mark.django_db
def test_a_role_that_does_not_fit_the_organisation_is_explained_and_the_input_kept(
    login, admin, new_user_data, company
):
    new_user_data["organisation"] = company.organisation.pk
    response = login(admin).post(reverse("accounts:user_create"), new_user_data)
    assert response.status_code == 200
    assert "Centro di ascolto" in response.text  # the kind of organisation a caseworker needs
    assert 'value="giulia.bianchi@diakonia.example.org"' in response.text
    assert 'value="Giulia"' in response.text
    assert not User.objects.filter(username="giulia.bianchi").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_email_already_in_use_is_refused_whatever_its_case(login, admin, staff, new_user_data):
    new_user_data["email"] = staff.email.upper()
    response = login(admin).post(reverse("accounts:user_create"), new_user_data)
    assert response.status_code == 200
    assert not User.objects.filter(username="giulia.bianchi").exists()


@pytest.mark.django_db
def test_admin_changes_role_and_organisation(login, admin, caseworker, agency):
    response = login(admin).post(
        reverse("accounts:user_update", args=[caseworker.pk]),
        {
            "first_name": caseworker.first_name,
            "last_name": caseworker.last_name,
            "email": caseworker.email,
            "role": User.Role.RECRUITER,
            "organisation": agency.pk,
        },
    )
    assert response.url == reverse("accounts:user_list")
    caseworker.refresh_from_db()
    assert (caseworker.role, caseworker.organisation_kind) == ("recruiter", "agency")


@pytest.mark.django_db
def test_admin_cannot_change_their_own_role(login, admin, agency):
    login(admin).post(
        reverse("accounts:user_update", args=[admin.pk]),
        {
            "first_name": "A",
            "last_name": "B",
            "email": admin.email,
            "role": User.Role.STAFF,
            "organisation": agency.pk,
        },
    )
    admin.refresh_from_db()
    assert admin.role == User.Role.ADMIN


@pytest.mark.django_db
def test_a_deactivated_user_is_logged_out_at_their_next_request(login, admin, caseworker):
    from django.test import Client

    caseworker_client = Client()
    caseworker_client.force_login(caseworker)
    assert caseworker_client.get(reverse("reports:home")).status_code == 200

    client = login(admin)
    client.post(reverse("accounts:user_set_active", args=[caseworker.pk]), {"active": "0"})
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    assert caseworker_client.get(reverse("reports:home")).status_code == 302

    client.post(reverse("accounts:user_set_active", args=[caseworker.pk]), {"active": "1"})
    again = Client()
    again.post(reverse("accounts:login"), {"username": "caseworker", "password": PASSWORD})
    assert again.session["_auth_user_id"] == str(caseworker.pk)


@pytest.mark.django_db
def test_admin_cannot_deactivate_themselves(login, admin):
    response = login(admin).post(
        reverse("accounts:user_set_active", args=[admin.pk]), {"active": "0"}
    )
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.django_db
def test_user_list_filters_by_role_and_search(login, admin, personas):
    client = login(admin)
    response = client.get(reverse("accounts:user_list"), {"role": "caseworker"})
    assert {u.username for u in response.context["page"]} == {"caseworker", "caseworker2"}
    response = client.get(reverse("accounts:user_list"), {"q": personas["company_hr"].email})
    assert [u.username for u in response.context["page"]] == ["hr"]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_user_list_runs_a_fixed_number_of_queries(login, admin, django_assert_num_queries, size):
    for _ in range(size):
        UserFactory()
    client = login(admin)
    # session, user, their second factor's device, count for the paginator, the page of users with
    # their organisations (searched, sorted by last login); the filter's organisations are asked
    # for as the administrator types
    with django_assert_num_queries(5):
        client.get(reverse("accounts:user_list"), {"q": "utente", "sort": "-login"})


@pytest.mark.django_db
def test_new_organisations_cannot_be_companies_and_kinds_never_change(login, admin, centre):
    client = login(admin)
    form = client.get(reverse("accounts:organisation_create")).context["form"]
    assert Organisation.Kind.COMPANY not in dict(form.fields["kind"].choices)
    client.post(
        reverse("accounts:organisation_update", args=[centre.pk]),
        {
            "name": "Diakonia Bergamo centro",
            "code": "diakonia",
            "kind": "agency",
            "is_active": "on",
        },
    )
    centre.refresh_from_db()
    assert (centre.name, centre.kind) == ("Diakonia Bergamo centro", "centre")


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_organisation_list_runs_a_fixed_number_of_queries(
    login, admin, django_assert_num_queries, size
):
    for _ in range(size):
        UserFactory(
            organisation=OrganisationFactory(kind=Organisation.Kind.CENTRE),
            role=User.Role.CASEWORKER,
        )
    client = login(admin)
    # session, user, their second factor's device, the count for the paginator, the page of
    # organisations with their active users counted (searched, sorted by them)
    with django_assert_num_queries(5):
        response = client.get(
            reverse("accounts:organisation_list"), {"q": "organizzazione", "sort": "-members"}
        )
    # the new ones, the programme office of the administrator left out by the search
    page = response.context["page"]
    assert (page.paginator.count, len(page)) == (size, min(size, 25))
    assert all(o.active_members == 1 for o in page)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_lockout_list_runs_a_fixed_number_of_queries(
    login, admin, settings, django_assert_num_queries, size
):
    for n in range(size):
        AccessAttempt.objects.create(
            username=f"utente{n}",
            ip_address="198.51.100.7",
            user_agent="browser",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
        )
    client = login(admin)
    # session, user, their second factor's device, the count for the paginator, the page of
    # locked-out usernames
    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:lockout_list"))
    assert len(response.context["page"]) == size


@pytest.mark.django_db
def test_the_organisation_services_refuse_a_company_and_a_change_of_kind(centre):
    with pytest.raises(ValidationError) as refused:
        organisation_create(name="Officine Rota", code="officine-rota", kind="company")
    assert list(refused.value.message_dict) == ["kind"]
    with pytest.raises(ValidationError) as refused:
        organisation_update(
            organisation=centre, name="Altro nome", code="altro", is_active=True, kind="agency"
        )
    assert list(refused.value.message_dict) == ["kind"]
    centre.refresh_from_db()
    assert (centre.name, centre.code, centre.kind) == ("Diakonia Bergamo", "diakonia", "centre")
    assert not Organisation.objects.filter(code__in=["officine-rota", "altro"]).exists()


@pytest.mark.django_db
def test_a_code_already_taken_is_said_on_the_organisation_form(login, admin, centre):
    response = login(admin).post(
        reverse("accounts:organisation_create"),
        {"name": "Caritas Dalmine", "code": centre.code, "kind": "centre", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert 'value="Caritas Dalmine"' in response.text
