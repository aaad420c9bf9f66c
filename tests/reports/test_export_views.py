"""The workbook's download page: who may ask for it, the full version with its recorded
reason, and what the browser receives once the task worker has written it (here the task
runs when the request's transaction commits: the tests' immediate backend)."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.models import ExportRecord
from tests.reports import export_data

URL = reverse("reports:export")


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def export(django_capture_on_commit_callbacks):
    """POST the export form as `client`, let the worker write the workbook, and download it
    from the export's page: the download's response."""

    def exported(client, data):
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(URL, data)
        assert asked.status_code == 302
        page = client.get(asked["Location"])
        assert page.status_code == 200
        return client.get(reverse("reports:export_download", args=[page.context["record"].pk]))

    return exported


def _texts(workbook) -> list[str]:
    return [
        cell.value
        for worksheet in workbook
        for row in worksheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


@pytest.fixture
def programme(staff):
    return export_data.build(staff=staff)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "company_hr", "recruiter", "other_company_hr"])
def test_people_outside_the_programme_office_cannot_download_the_workbook(login, personas, role):
    client = login(personas[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"full": "on", "reason": "curiosity"}).status_code == 403
    assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_staff_download_the_pseudonymised_workbook_and_the_export_is_recorded(
    login, staff, programme, export
):
    response = export(login(staff), {"campaign": programme.campaign.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    today = timezone.localdate()
    assert f'filename="focus-programma-{today:%Y-%m-%d}.xlsx"' in response["Content-Disposition"]
    workbook = _workbook(response)
    assert workbook.sheetnames[0] == "Riepilogo"
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.source) == (staff, "pseudonymised", "web")
    assert record.status == ExportRecord.Status.DONE
    assert record.campaign == programme.campaign
    assert record.rows["Fabbisogni"] == 2  # the campaign's needs not cancelled


@pytest.mark.django_db
def test_staff_are_not_offered_the_full_data_and_cannot_force_it(login, staff, programme, export):
    client = login(staff)
    assert "reason" not in client.get(URL).context["form"].fields
    response = export(client, {"full": "on", "reason": "I want the names"})
    assert "Quattrocchi" not in _texts(_workbook(response))
    assert ExportRecord.objects.get().kind == ExportRecord.Kind.PSEUDONYMISED


@pytest.mark.django_db
def test_admin_full_export_records_the_reason(login, admin, programme, export):
    response = export(login(admin), {"full": "on", "reason": "  Calls for the second tranche  "})
    assert response.status_code == 200
    assert "dati-completi" in response["Content-Disposition"]
    assert "Quattrocchi" in _texts(_workbook(response))
    record = ExportRecord.objects.get()
    assert record.kind == ExportRecord.Kind.FULL
    assert record.reason == "Calls for the second tranche"
    assert record.user == admin
    assert record.rows["Candidati"] == 6


@pytest.mark.django_db
def test_full_export_without_a_reason_is_refused_keeping_what_was_typed(login, admin, programme):
    response = login(admin).post(
        URL,
        {
            "full": "on",
            "reason": "   ",
            "campaign": programme.campaign.pk,
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "reason" in response.context["form"].errors
    assert 'value="2026-01-01"' in response.text
    assert 'value="2026-12-31"' in response.text
    assert f'value="{programme.campaign.pk}" selected' in response.text
    assert re.search(r'<input type="checkbox" name="full"[^>]* checked', response.text)
    assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused(login, staff):
    response = login(staff).post(URL, {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert "date_to" in response.context["form"].errors
    assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_the_form_starts_from_the_dashboards_period(login, staff, programme):
    query = {"campaign": programme.campaign.pk, "date_from": "2026-02-01"}
    response = login(staff).get(URL, query)
    assert f'value="{programme.campaign.pk}" selected' in response.text
    assert 'value="2026-02-01"' in response.text


@pytest.mark.django_db
def test_a_double_submit_prepares_one_workbook(
    login, staff, programme, django_capture_on_commit_callbacks
):
    client = login(staff)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first, second = client.post(URL, {}), client.post(URL, {})
    assert first["Location"] == second["Location"]
    assert ExportRecord.objects.count() == 1
    assert len(queued) == 1  # one task for the worker


@pytest.mark.django_db
def test_the_export_log_can_be_read_in_the_admin_site_but_not_changed(login, admin, programme):
    client = login(admin)
    client.post(URL, {"full": "on", "reason": "Calls"})
    record = ExportRecord.objects.get()
    assert client.get("/django-admin/reports/exportrecord/").status_code == 200
    page = client.get(f"/django-admin/reports/exportrecord/{record.pk}/change/")
    assert page.status_code == 200
    assert "Calls" in page.text
    assert 'name="reason"' not in page.text
    assert client.get("/django-admin/reports/exportrecord/add/").status_code == 403
    delete = f"/django-admin/reports/exportrecord/{record.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ExportRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_admin_reads_who_exported_what_and_why(
    login, admin, staff, programme, size, django_assert_num_queries
):
    login(staff).post(reverse("reports:export"), {})
    for number in range(size):
        login(admin).post(
            reverse("reports:export"), {"full": "on", "reason": f"Convocazioni, lotto {number}"}
        )
    client = login(admin)
    # session, user, their second factor's device, the page count, the records with their users and
    # campaigns (sorted by when they were exported, the latest first)
    with django_assert_num_queries(5):
        page = client.get(reverse("reports:export_log"), {"sort": "-at"})
    rows = page.context["records"]
    assert len(rows) == size + 1
    assert [record.kind for record in rows] == ["full"] * size + ["pseudonymised"]
    text = page.text
    assert f"Convocazioni, lotto {size - 1}" in text
    assert staff.get_full_name() in text


@pytest.mark.django_db
def test_staff_may_export_but_not_read_the_log(login, staff):
    assert login(staff).get(reverse("reports:export_log")).status_code == 403
