"""The programme workbook written by the task worker: asked for on the download page, followed
on the export's own page, downloaded from there by the person who asked and nobody else, and
deleted after EXPORT_FILE_HOURS or with its record."""

import datetime
import io
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from audit.models import AuditEvent
from notifications.models import Notification
from reports.models import ExportRecord
from reports.services import export_files_expire
from reports.tasks import report_export_task
from tests.factories import UserFactory
from tests.reports import export_data

URL = reverse("reports:export")


@pytest.fixture
def programme(staff):
    return export_data.build(staff=staff)


@pytest.fixture
def asked(login, staff, programme, django_capture_on_commit_callbacks):
    """Staff's export of the campaign, asked for and still queued (the worker has not run)."""
    with django_capture_on_commit_callbacks(execute=False):
        response = login(staff).post(URL, {"campaign": programme.campaign.pk})
    return response, ExportRecord.objects.get()


@pytest.fixture
def written(asked, django_capture_on_commit_callbacks):
    """That export, written by the worker."""
    _response, record = asked
    with django_capture_on_commit_callbacks(execute=True):
        report_export_task.call(record_id=record.pk)
    record.refresh_from_db()
    return record


def _page(client, record, **headers):
    return client.get(reverse("reports:export_detail", args=[record.pk]), headers=headers)


def _download(client, record):
    return client.get(reverse("reports:export_download", args=[record.pk]))


def _files(settings) -> list:
    folder = settings.PRIVATE_MEDIA_ROOT / "exports"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.django_db
def test_asking_for_the_workbook_queues_it_and_leads_to_its_page(
    login, staff, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = login(staff).post(URL, {"campaign": programme.campaign.pk})
    record = ExportRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_detail", args=[record.pk])
    assert (record.status, record.user, record.campaign) == ("queued", staff, programme.campaign)
    assert (record.file, record.finished_at, record.rows) == ("", None, {})
    assert len(queued) == 1  # the worker's task, once the request commits


@pytest.mark.django_db
def test_the_page_shows_the_bar_and_asks_again_every_two_seconds_while_queued(login, staff, asked):
    _response, record = asked
    page = _page(login(staff), record)
    assert "In preparazione…" in page.text
    assert 'data-testid="export-progress"' in page.text
    assert 'hx-trigger="every 2s"' in page.text
    assert 'data-testid="export-download"' not in page.text


@pytest.mark.django_db
def test_the_worker_writes_the_workbook_and_the_page_offers_it(login, staff, written, settings):
    assert written.status == ExportRecord.Status.DONE
    assert written.finished_at is not None
    assert written.rows["Fabbisogni"] == 2  # the campaign's needs not cancelled
    assert len(_files(settings)) == 1
    client = login(staff)
    # What the page asks every two seconds: the status alone, and no more asking once ready.
    status = _page(client, written, HX_Request="true")
    assert "<html" not in status.text
    assert 'data-testid="export-download"' in status.text
    assert "every 2s" not in status.text
    assert 'data-testid="export-progress"' not in _page(client, written).text


@pytest.mark.django_db
def test_the_download_is_the_workbook_private_and_audited(login, staff, written):
    response = _download(login(staff), written)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    today = timezone.localdate()
    assert f'filename="focus-programma-{today:%Y-%m-%d}.xlsx"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[:3] == ["Riepilogo", "Fabbisogni", "Candidati"]
    assert workbook["Fabbisogni"].max_row == 3  # the header and the campaign's two needs
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.actor, event.object_id) == (staff, str(written.pk))


@pytest.mark.django_db
def test_the_person_who_asked_is_told_when_it_is_ready(staff, written):
    notification = Notification.objects.get(recipient=staff)
    assert notification.kind == Notification.Kind.EXPORT_READY
    assert notification.link == written.get_absolute_url()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_admin", "other_staff", "company_hr", "admin"])
def test_nobody_else_reaches_the_export_or_its_file(login, personas, written, who):
    if who.startswith("other_"):
        role = User.Role.ADMIN if who == "other_admin" else User.Role.STAFF
        user = UserFactory(role=role, organisation=personas["staff"].organisation)
    else:
        user = personas[who]
    client = login(user)
    assert _page(client, written).status_code == 404
    assert _download(client, written).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


@pytest.mark.django_db
def test_the_file_is_deleted_after_the_bound_and_the_page_offers_to_ask_again(
    login, staff, written, settings
):
    settings.EXPORT_FILE_HOURS = 24
    assert export_files_expire(now=written.finished_at + datetime.timedelta(hours=23)) == 0
    assert len(_files(settings)) == 1
    assert export_files_expire(now=written.finished_at + datetime.timedelta(hours=25)) == 1
    assert _files(settings) == []
    written.refresh_from_db()
    assert (written.status, written.file) == ("done", "")
    client = login(staff)
    assert _download(client, written).status_code == 404
    page = _page(client, written)
    assert 'data-testid="export-expired"' in page.text
    assert 'data-testid="export-again"' in page.text


@pytest.mark.django_db
def test_the_daily_reminders_run_deletes_the_expired_workbooks(written, settings):
    ExportRecord.objects.filter(pk=written.pk).update(
        finished_at=timezone.now() - datetime.timedelta(hours=settings.EXPORT_FILE_HOURS + 1)
    )
    call_command("reminders_send")
    assert _files(settings) == []
    assert ExportRecord.objects.get(pk=written.pk).file == ""


@pytest.mark.django_db
def test_erasing_an_export_deletes_its_file_at_once(
    written, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ExportRecord.objects.filter(pk=written.pk).delete()
    assert _files(settings) == []


@pytest.mark.django_db
def test_a_failing_export_ends_failed_with_the_message_and_no_file(
    login, staff, programme, monkeypatch, settings, django_capture_on_commit_callbacks
):
    def broken(target, **kwargs):
        target.write(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.services.workbook_write", broken)
    client = login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"campaign": programme.campaign.pk})
    record = ExportRecord.objects.get()
    assert (record.status, record.file) == ("failed", "")
    assert record.finished_at is not None
    assert _files(settings) == []
    page = client.get(response["Location"])
    assert "Non è stato possibile preparare la cartella di lavoro" in page.text
    assert 'data-testid="export-failed"' in page.text
    assert 'data-testid="export-download"' not in page.text
    assert f'name="campaign" value="{programme.campaign.pk}"' in page.text  # ask again
    assert _download(client, record).status_code == 404


@pytest.mark.django_db
def test_asking_again_after_a_failure_prepares_a_new_workbook(
    login, staff, programme, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(target, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr("reports.services.workbook_write", broken)
        with django_capture_on_commit_callbacks(execute=True):
            login(staff).post(URL, {"campaign": programme.campaign.pk})
    with django_capture_on_commit_callbacks(execute=True):
        again = login(staff).post(URL, {"campaign": programme.campaign.pk})
    latest = ExportRecord.objects.order_by("-pk").first()
    assert again["Location"] == latest.get_absolute_url()
    assert [record.status for record in ExportRecord.objects.order_by("pk")] == ["failed", "done"]


@pytest.mark.django_db
def test_my_exports_lists_mine_with_their_status(
    login, staff, admin, written, django_assert_num_queries
):
    ExportRecord.objects.create(user=admin, kind="pseudonymised", source="web")
    client = login(staff)
    # session, user, their second factor's device, the page count, the exports with their
    # campaigns
    with django_assert_num_queries(5):
        page = client.get(reverse("reports:export_mine"))
    assert list(page.context["records"]) == [written]
    assert written.get_absolute_url() in page.text
    assert "Pronto" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "recruiter", "company_hr"])
def test_people_outside_the_programme_office_have_no_exports_list(login, personas, role):
    assert login(personas[role]).get(reverse("reports:export_mine")).status_code == 403


@pytest.mark.django_db
def test_an_expired_session_loses_no_export(login, staff, client, asked):
    _response, record = asked
    client.logout()  # the session expired while the page was asking for its status
    status = _page(client, record, HX_Request="true")
    assert status.status_code == 302
    login_url = status["Location"]
    assert login_url.startswith(reverse("accounts:login"))
    assert unquote(login_url).endswith(f"next={record.get_absolute_url()}")  # back to the page
    assert client.post(URL, {}).status_code == 302  # to the login page, recording nothing
    assert ExportRecord.objects.count() == 1
    assert "In preparazione…" in _page(login(staff), record).text


@pytest.mark.django_db
def test_a_failure_is_tried_once_more_later_before_the_export_fails(asked, monkeypatch, settings):
    _response, record = asked
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr("reports.services.workbook_write", lambda target, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        report_export_task.call(record_id=record.pk)
    record.refresh_from_db()
    assert record.status == ExportRecord.Status.QUEUED  # the page still shows it in preparation
    (later,) = report_export_task.get_backend().results
    assert later.kwargs == {"record_id": record.pk, "attempt": 2}
    assert later.task.run_after > timezone.now()
    with pytest.raises(ZeroDivisionError):
        report_export_task.call(**later.kwargs)
    record.refresh_from_db()
    assert (record.status, record.file) == ("failed", "")
