import pytest
from django.urls import reverse

from companies.models import Company
from tests.factories import CompanyFactory


@pytest.mark.django_db
def test_company_hr_edits_their_own_company(login, company_hr, company):
    response = login(company_hr).post(
        reverse("companies:update", args=[company.pk]),
        {
            "name": "Meccanica Orobica S.p.A. Società Benefit",
            "partita_iva": company.partita_iva,
            "version": company.version,
        },
    )
    assert response.url == company.get_absolute_url()
    company.refresh_from_db()
    assert company.name == "Meccanica Orobica S.p.A. Società Benefit"


@pytest.mark.django_db
def test_company_hr_cannot_edit_another_company(login, company_hr, other_company):
    name = other_company.name
    response = login(company_hr).post(
        reverse("companies:update", args=[other_company.pk]),
        {"name": "Presa", "partita_iva": other_company.partita_iva},
    )
    assert response.status_code == 404
    other_company.refresh_from_db()
    assert other_company.name == name


@pytest.mark.django_db
def test_my_company_takes_company_hr_to_their_company(login, company_hr, company):
    assert login(company_hr).get(reverse("companies:mine")).url == company.get_absolute_url()


@pytest.mark.django_db
def test_staff_registers_a_company_with_a_pasted_partita_iva(login, staff):
    response = login(staff).post(
        reverse("companies:create"),
        {"name": "Fonderie Brembane S.r.l.", "partita_iva": "IT 00743110157"},
    )
    company = Company.objects.get(partita_iva="00743110157")
    assert response.url == company.get_absolute_url()
    assert company.organisation.kind == "company"


@pytest.mark.django_db
def test_a_wrong_partita_iva_is_explained_and_the_input_kept(login, staff):
    response = login(staff).post(
        reverse("companies:create"),
        {"name": "Fonderie Brembane S.r.l.", "partita_iva": "00743110158"},
    )
    assert response.status_code == 200
    assert "non è una partita IVA valida" in response.text
    assert 'value="Fonderie Brembane S.r.l."' in response.text
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_a_partita_iva_already_registered_is_refused(login, staff, company):
    response = login(staff).post(
        reverse("companies:create"), {"name": "Altra S.r.l.", "partita_iva": company.partita_iva}
    )
    assert response.status_code == 200
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_a_name_another_company_has_is_refused_on_the_name_as_the_import_refuses_it(
    login, staff, company
):
    response = login(staff).post(
        reverse("companies:create"),
        {"name": company.name.upper(), "partita_iva": "00743110157"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "È già registrata un'azienda con questa ragione sociale."
    ]
    assert 'value="00743110157"' in response.text
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_company_list_searches_by_name_and_partita_iva(login, staff, company, other_company):
    client = login(staff)
    by_name = client.get(reverse("companies:list"), {"q": "orobica"}).context["page"]
    by_vat = client.get(reverse("companies:list"), {"q": other_company.partita_iva}).context["page"]
    assert list(by_name) == [company]
    assert list(by_vat) == [other_company]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_company_list_runs_a_fixed_number_of_queries(login, staff, django_assert_num_queries, size):
    CompanyFactory.create_batch(size)
    client = login(staff)
    # session, user with organisation, their second factor's device, count for the paginator,
    # the sector (those in use, in one query) and campaign choices of the filters, the page of
    # companies with their HR users counted (searched, sorted by them); the comuni are asked
    # for as staff type
    with django_assert_num_queries(7):
        response = client.get(reverse("companies:list"), {"q": "officine", "sort": "-hr"})
    assert len(response.context["page"]) == min(size, 25)
