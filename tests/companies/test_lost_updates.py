import pytest
from django.test import Client
from django.urls import reverse

from companies.models import Company


def _posted(page, **typed) -> dict:
    """What the browser posts from the company form on `page`, with `typed` typed in."""
    form = page.context["form"]
    data = {field.html_name: "" if field.value() is None else field.value() for field in form}
    data.update(typed)
    return data


@pytest.mark.django_db
def test_a_company_form_opened_before_someone_elses_save_does_not_undo_it(
    login, client, company_hr, staff, company
):
    url = reverse("companies:update", args=[company.pk])
    staff_client = login(staff, client=Client())
    staff_page = staff_client.get(url)
    hr_client = login(company_hr, client=client)
    saved = hr_client.post(url, _posted(hr_client.get(url), contact_phone="035 123456"))
    assert saved.status_code == 302

    refused = staff_client.post(url, _posted(staff_page, contact_name="Giulia Locatelli"))

    company.refresh_from_db()
    assert (company.contact_phone, company.contact_name) == ("035 123456", "")
    assert "Nel frattempo qualcun altro ha modificato questa scheda" in refused.text
    changes = refused.context["form"].stale_changes
    assert [(c.label, c.value) for c in changes] == [("Telefono del referente", "035 123456")]
    assert 'value="Giulia Locatelli"' in refused.text

    again = staff_client.post(url, _posted(refused))

    assert again.status_code == 302
    company = Company.objects.get(pk=company.pk)
    assert (company.contact_phone, company.contact_name) == ("035 123456", "Giulia Locatelli")
