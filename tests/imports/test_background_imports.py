"""A workbook too large for a web request is imported by the task worker: its page follows
the progress and then shows the report the upload page would have shown; only the user who
started it sees it, and its file is deleted once it is over."""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from imports.models import ImportJob
from imports.services import import_job_run, import_jobs_stale_fail
from notifications.models import Notification
from tests.candidates.test_import import draft, sheet
from tests.companies.test_import import CAMPAIGN
from tests.factories import SurveyCampaignFactory


@pytest.fixture(autouse=True)
def _small_background(settings):
    settings.IMPORT_BACKGROUND_ROWS = 2


def drafts(n: int, **changes) -> list[dict]:
    return [draft(**{"Nome": f"Ion {i}", "Telefono": f"347 {i:07d}", **changes}) for i in range(n)]


def stored(job: ImportJob) -> str:
    from django.conf import settings

    return os.path.join(settings.PRIVATE_MEDIA_ROOT, job.file)


def kept_files() -> list[str]:
    from django.conf import settings

    folder = settings.PRIVATE_MEDIA_ROOT / "imports"
    return os.listdir(folder) if folder.exists() else []


@pytest.fixture
def caseworker_client(login, english_pages, caseworker):
    return login(caseworker)


def upload(client, *rows, key="k1"):
    return client.post(reverse("candidates:import"), {"file": sheet(*rows), "upload_key": key})


def test_a_large_workbook_is_queued_and_leads_to_the_page_of_its_import(
    caseworker_client, caseworker, centre
):
    response = upload(caseworker_client, *drafts(3))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:job_detail", args=[job.pk])
    assert (job.started_by, job.kind, job.status, job.rows_total) == (
        caseworker,
        "candidates",
        "queued",
        3,
    )
    assert job.params["centre"] == centre.pk
    assert os.path.exists(stored(job))
    assert str(job.file).startswith("imports/")
    assert not Candidate.objects.exists()


def test_a_small_workbook_is_still_imported_at_once(caseworker_client):
    response = upload(caseworker_client, *drafts(2))

    assert response.url == reverse("candidates:list")
    assert Candidate.objects.count() == 2
    assert not ImportJob.objects.exists()


def test_the_task_writes_the_people_and_the_page_shows_the_counts(
    caseworker_client, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(caseworker_client, *drafts(3))
    job = ImportJob.objects.get()

    assert (job.status, job.rows_done, job.rows_total) == ("done", 3, 3)
    assert job.finished_at is not None
    assert Candidate.objects.filter(status="draft").count() == 3
    assert kept_files() == []
    assert job.file == ""
    page = caseworker_client.get(response.url)
    assert "Candidati: 3 created, 0 updated. Registered: 0; drafts: 3." in page.text
    assert 'data-testid="job-progress"' not in page.text
    told = Notification.objects.get(recipient=caseworker)
    assert (told.kind, told.link) == ("import_over", job.get_absolute_url())


def test_a_bad_row_ends_the_job_with_the_problem_by_row_and_column_and_nothing_written(
    caseworker_client,
):
    upload(caseworker_client, *drafts(3), draft(**{"Nome": "Ana", "Sesso": "X"}))
    job = ImportJob.objects.get()
    name = stored(job)

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "done"
    assert [error[:3] for error in job.result["fields"]["errors"]] == [["Candidati", 5, "Sesso"]]
    assert not Candidate.objects.exists()
    assert not os.path.exists(name)
    page = caseworker_client.get(job.get_absolute_url())
    assert "1 problem: nothing was imported" in page.text
    row = page.context["errors_shown"][0]
    assert (row.sheet, row.row, row.column) == ("Candidati", 5, "Sesso")


def test_a_file_refused_as_a_whole_ends_the_job_refused_and_its_file_deleted(caseworker_client):
    upload(caseworker_client, *drafts(3))
    job = ImportJob.objects.get()
    name = stored(job)
    with open(name, "wb") as file:
        file.write(b"not a workbook any more")

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "refused"
    assert job.result["refused"]
    assert not os.path.exists(name)
    assert job.file == ""
    page = caseworker_client.get(job.get_absolute_url())
    assert "The file was refused and nothing was imported" in page.text


def test_a_running_import_shows_its_progress_as_a_bar_with_its_numbers(caseworker_client):
    upload(caseworker_client, *drafts(3))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", stage="writing", rows_done=1200, rows_total=5000
    )

    page = caseworker_client.get(job.get_absolute_url())
    assert 'role="progressbar"' in page.text
    assert 'aria-valuenow="1200"' in page.text
    assert 'aria-valuemax="5000"' in page.text
    assert "Row 1,200 of 5,000" in page.text
    assert 'hx-trigger="every 2s"' in page.text
    assert "Writing the rows" in page.text

    poll = caseworker_client.get(
        reverse("imports:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 2s"' in poll.text
    assert "HX-Refresh" not in poll.headers


def test_the_progress_stops_polling_and_reloads_the_page_once_the_import_is_over(
    caseworker_client,
):
    upload(caseworker_client, *drafts(3))
    job = ImportJob.objects.get()
    import_job_run(job_id=job.pk)

    poll = caseworker_client.get(
        reverse("imports:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert poll.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in poll.text


def test_the_progress_is_told_to_the_job_every_few_hundred_rows_not_each_row(
    caseworker_client, monkeypatch
):
    from imports import services

    upload(caseworker_client, *drafts(7))
    job = ImportJob.objects.get()
    told = []
    original = services._Progress.__call__

    def spy(self, stage, done, total):
        told.append((stage, done, total))
        original(self, stage, done, total)

    monkeypatch.setattr(services, "PROGRESS_EVERY", 3)
    monkeypatch.setattr(services._Progress, "__call__", spy)
    import_job_run(job_id=job.pk)

    assert told == [
        ("checking", 0, 7),
        ("checking", 3, 7),
        ("checking", 6, 7),
        ("checking", 7, 7),
        ("writing", 0, 7),
        ("writing", 3, 7),
        ("writing", 6, 7),
        ("writing", 7, 7),
    ]


def test_a_double_submit_starts_one_import(caseworker_client):
    first = upload(caseworker_client, *drafts(3), key="same")
    second = upload(caseworker_client, *drafts(3), key="same")

    assert ImportJob.objects.count() == 1
    assert first.url == second.url


@pytest.mark.parametrize("who", ["other_caseworker", "company_hr", "staff"])
def test_an_import_is_seen_only_by_who_started_it(caseworker_client, login, personas, who):
    upload(caseworker_client, *drafts(3))
    job = ImportJob.objects.get()

    other = login(personas[who])
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(reverse("imports:job_progress", args=[job.pk])).status_code == 404
    assert job.get_absolute_url() not in other.get(reverse("imports:job_list")).text


def test_my_imports_lists_the_users_own_jobs_newest_first_linked_from_the_import_page(
    caseworker_client,
):
    upload(caseworker_client, *drafts(3), key="a")
    upload(caseworker_client, *drafts(4), key="b")
    older, newer = ImportJob.objects.order_by("pk")

    assert reverse("imports:job_list") in caseworker_client.get(reverse("candidates:import")).text
    page = caseworker_client.get(reverse("imports:job_list"))
    assert list(page.context["page"].object_list) == [newer, older]
    assert page.text.index(newer.get_absolute_url()) < page.text.index(older.get_absolute_url())


def test_an_import_whose_worker_died_is_failed_and_its_file_deleted_by_the_next_run(
    caseworker_client,
):
    upload(caseworker_client, *drafts(3), key="dead")
    dead = ImportJob.objects.get()
    name = stored(dead)
    ImportJob.objects.filter(pk=dead.pk).update(
        status="running", created_at=timezone.now() - datetime.timedelta(hours=7)
    )
    upload(caseworker_client, *drafts(3), key="next")
    following = ImportJob.objects.exclude(pk=dead.pk).get()

    import_job_run(job_id=following.pk)

    dead.refresh_from_db()
    assert (dead.status, dead.file) == ("failed", "")
    assert not os.path.exists(name)
    assert import_jobs_stale_fail() == 0


def test_the_needs_import_runs_in_the_background_too(
    login, english_pages, staff, django_capture_on_commit_callbacks
):
    from companies.models import Company
    from tests.companies.test_import import LOGISTICA, company_row, partita_iva, survey

    SurveyCampaignFactory(name=CAMPAIGN)
    rows = [company_row(), company_row(**{"Partita IVA": LOGISTICA, "Ragione sociale": "B"})]
    rows.append(company_row(**{"Partita IVA": partita_iva(13), "Ragione sociale": "C"}))
    client = login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("companies:import"), {"file": survey(companies=rows), "upload_key": "n"}
        )

    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.status) == ("needs", "done")
    assert Company.objects.count() == 3
    assert "Aziende: 3 created, 0 updated" in client.get(response.url).text
