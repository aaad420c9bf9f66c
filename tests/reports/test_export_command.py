"""`manage.py export_report`: the workbook from the command line, with the same period, rules
and record as the download page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from reports.exporting import CandidateCodes
from reports.models import ExportRecord
from tests.reports import export_data


def _run(*arguments) -> str:
    output = io.StringIO()
    call_command("export_report", *map(str, arguments), stdout=output)
    return output.getvalue()


def _column(path, sheet: str, header: str) -> list:
    rows = load_workbook(path)[sheet].iter_rows(values_only=True)
    index = next(rows).index(header)
    return [row[index] for row in rows]


@pytest.fixture
def programme(staff):
    return export_data.build(staff=staff)


@pytest.mark.django_db
def test_the_command_writes_the_campaigns_workbook_and_records_it(tmp_path, staff, programme):
    path = tmp_path / "programma.xlsx"
    printed = _run(path, "--user", "staff", "--campaign", programme.other_campaign.pk)
    assert _column(path, "Fabbisogni", "Rilevazione") == ["Rilevazione 2025"]
    record = ExportRecord.objects.get()
    assert (record.user, record.source, record.kind) == (staff, "command", "pseudonymised")
    assert record.campaign == programme.other_campaign
    assert f"Recorded as export #{record.pk}" in printed
    assert "Fabbisogni 1" in printed


@pytest.mark.django_db
def test_the_command_restricts_the_candidates_to_the_dates(tmp_path, staff, programme):
    export_data.move_registration(programme.person, datetime.date(2025, 3, 10))
    path = tmp_path / "marzo.xlsx"
    _run(path, "--user", "staff", "--from", "2025-03-01", "--to", "2025-03-31")
    assert _column(path, "Candidati", "Codice") == [CandidateCodes()(programme.person.pk)]
    record = ExportRecord.objects.get()
    assert (record.date_from, record.date_to) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 3, 31),
    )


@pytest.mark.django_db
def test_full_data_from_the_command_need_an_admin_and_a_reason(tmp_path, admin, staff, programme):
    path = tmp_path / "completo.xlsx"
    with pytest.raises(CommandError, match="may not export the full data"):
        _run(path, "--user", "staff", "--full", "--reason", "Calls")
    with pytest.raises(CommandError, match="Indica perché"):
        _run(path, "--user", "admin", "--full")
    assert not path.exists()
    assert not ExportRecord.objects.exists()
    _run(path, "--user", "admin", "--full", "--reason", "Calls for the second tranche")
    assert "Quattrocchi" in _column(path, "Candidati", "Cognome")
    assert ExportRecord.objects.get().reason == "Calls for the second tranche"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--user", "nobody"], "no active user 'nobody'"),
        (["--user", "caseworker"], "caseworker may not export the programme workbook"),
        (["--user", "staff", "--campaign", "999999"], "no survey campaign with id 999999"),
        (["--user", "staff", "--from", "01/03/2025"], "is not a date"),
        (["--user", "staff", "--from", "2025-03-31", "--to", "2025-03-01"], "--to comes before"),
        (["--user", "staff", "--reason", "why not"], "--reason goes with --full"),
    ],
)
def test_the_command_explains_what_is_wrong(tmp_path, personas, arguments, message):
    path = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match=message):
        _run(path, *arguments)
    assert not path.exists()
    assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_the_command_wants_an_xlsx_in_an_existing_folder(tmp_path, staff):
    with pytest.raises(CommandError, match=r"not an \.xlsx"):
        _run(tmp_path / "programma.csv", "--user", "staff")
    with pytest.raises(CommandError, match="no folder"):
        _run(tmp_path / "missing" / "programma.xlsx", "--user", "staff")
    with pytest.raises(CommandError, match="--user"):
        _run(tmp_path / "programma.xlsx")


@pytest.mark.django_db
def test_a_failed_export_leaves_the_previous_workbook_as_it_was(tmp_path, staff, monkeypatch):
    path = tmp_path / "programma.xlsx"
    path.write_bytes(b"the previous workbook")

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("reports.services.workbook_write", broken)
    with pytest.raises(RuntimeError):
        _run(path, "--user", "staff")
    assert path.read_bytes() == b"the previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["programma.xlsx"]
