"""The companies' admin corrects a company through the portal's own service."""

import pytest
from django.urls import reverse

from companies.models import Company
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _change(company: Company) -> str:
    return reverse("admin:companies_company_change", args=[company.pk])


def _posted(company: Company, **changes) -> dict:
    data = {
        "partita_iva": company.partita_iva,
        "ateco": company.ateco_id,
        "size": company.size,
        "address": company.address,
        "comune": company.comune_id,
        "contact_name": company.contact_name,
        "contact_email": company.contact_email,
        "contact_phone": company.contact_phone,
    }
    data.update(changes)
    return {key: "" if value is None else value for key, value in data.items()}


def test_an_admin_correction_is_saved_with_the_partita_iva_written_as_the_portal_writes_it(
    login, admin
):
    company = CompanyFactory()
    spaced = f"IT {company.partita_iva[:5]} {company.partita_iva[5:]}"

    response = login(admin).post(
        _change(company), _posted(company, partita_iva=spaced, contact_name="Maria Gotti")
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.contact_name == "Maria Gotti"
    assert company.partita_iva == spaced.replace("IT", "").replace(" ", "")


def test_an_invalid_partita_iva_is_refused_on_the_admin_form(login, admin):
    company = CompanyFactory()

    response = login(admin).post(_change(company), _posted(company, partita_iva="12345678901"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["partita_iva"]
    company.refresh_from_db()
    assert company.partita_iva != "12345678901"


def test_companies_are_not_added_from_the_admin(login, admin):
    response = login(admin).get(reverse("admin:companies_company_add"))

    assert response.status_code == 403


def test_the_partita_iva_of_another_company_is_refused_with_the_portals_words(login, admin):
    company, other = CompanyFactory(), CompanyFactory()

    response = login(admin).post(_change(company), _posted(company, partita_iva=other.partita_iva))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["partita_iva"] == [
        "È già registrata un'azienda con questa partita IVA."
    ]
