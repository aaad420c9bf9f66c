"""Candidates' documents: uploaded by their centre or the programme office, taken for what their
bytes say and never for their name, stored under random names outside the web root, downloaded
only by those whose scope holds them (company HR: the CV alone, once an interview is agreed and
the candidate consents), and gone with the candidate's erasure."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from candidates.models import Candidate, CandidateCertification, Consent
from candidates.rights import candidate_erase
from candidates.selectors import candidate_detail
from candidates.services import consents_apply
from catalog.models import Certification
from documents import panels
from documents.models import Document
from documents.services import document_upload
from matching.models import Entry, PipelineEvent
from matching.services import entry_move, shortlist_add, shortlist_share
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40) + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(40)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)


def _file(name: str, content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _upload(candidate, actor, *, name="cv.pdf", content=PDF, kind="cv", certification=None):
    return document_upload(
        candidate=candidate,
        upload=_file(name, content),
        kind=kind,
        actor=actor,
        certification=certification,
    )


def _post(client, candidate, name="cv.pdf", content=PDF, **data):
    url = reverse("documents:upload", args=[candidate.pk])
    return client.post(url, {"file": _file(name, content), "kind": "cv", **data})


def _stored(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _download(client, document):
    return client.get(reverse("documents:download", args=[document.pk]))


# Upload --------------------------------------------------------------------------------------


def test_a_caseworker_uploads_a_cv_from_the_candidates_page(login, caseworker, candidate):
    client = login(caseworker)
    page = client.get(candidate.get_absolute_url()).text
    assert 'data-testid="documents"' in page
    assert reverse("documents:upload", args=[candidate.pk]) in page

    response = _post(client, candidate, name="Curriculum Vitae 2026.pdf")

    assert response.status_code == 302
    assert response.url == candidate.get_absolute_url() + "#documents"
    document = Document.objects.get()
    assert (document.candidate, document.kind, document.uploaded_by) == (
        candidate,
        "cv",
        caseworker,
    )
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    assert document.original_name == "Curriculum Vitae 2026.pdf"
    assert len(document.sha256) == 64
    page = client.get(candidate.get_absolute_url()).text
    assert "Curriculum Vitae 2026.pdf" in page
    assert reverse("documents:download", args=[document.pk]) in page


def test_the_stored_path_is_random_outside_the_web_root_and_holds_nothing_of_the_name(
    caseworker, candidate, settings
):
    document = _upload(candidate, caseworker, name="../../Zenobia_Quartararo-permesso.pdf")

    stored = Path(document.file.path)
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert stored.read_bytes() == PDF
    assert stored.suffix == ".pdf"
    name = document.file.name.lower()
    assert not any(part in name for part in ("zenobia", "quartararo", "permesso", ".."))
    assert document.original_name == "Zenobia_Quartararo-permesso.pdf"  # kept as data
    with pytest.raises(ValueError, match="no address"):
        document.file.url  # noqa: B018 - no URL of the portal or of a web server names it


def test_an_executable_renamed_pdf_is_refused_with_a_clear_message(
    login, caseworker, candidate, settings
):
    response = _post(login(caseworker), candidate, name="curriculum.pdf", content=EXE)

    assert response.status_code == 200
    assert "Questo file è un programma, non un documento" in response.text
    assert not Document.objects.exists()
    assert _stored(settings) == []


@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", b"PK\x03\x04word/document.xml", b"GIF89a"],
    ids=["html", "office", "gif"],
)
def test_a_file_of_another_kind_is_refused_whatever_its_name(login, caseworker, candidate, content):
    response = _post(login(caseworker), candidate, name="cv.pdf", content=content)
    assert "Questo file non è un PDF, un JPEG, un PNG o un WebP" in response.text
    assert not Document.objects.exists()


def test_a_pdf_renamed_exe_is_accepted_as_a_pdf_and_downloads_as_one(login, caseworker, candidate):
    client = login(caseworker)
    _post(client, candidate, name="curriculum.exe")

    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    response = _download(client, document)
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="curriculum.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("content", "content_type", "suffix"),
    [(PNG, "image/png", ".png"), (JPEG, "image/jpeg", ".jpg"), (WEBP, "image/webp", ".webp")],
)
def test_images_are_taken_by_their_content(caseworker, candidate, content, content_type, suffix):
    document = _upload(candidate, caseworker, name="scansione", content=content, kind="permit")
    assert document.content_type == content_type
    assert document.file.name.endswith(suffix)
    assert document.download_name == f"scansione{suffix}"


def test_a_file_above_the_limit_is_refused_saying_the_limit(login, caseworker, candidate, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = _post(login(caseworker), candidate, content=PDF + bytes(2048))

    assert response.status_code == 200
    assert "Il file è di 2,1\xa0KB: il portale accetta documenti di al massimo 1,0\xa0KB" in (
        response.text
    )
    assert not Document.objects.exists()
    assert _stored(settings) == []


def test_a_body_past_the_upload_limit_is_answered_413_saying_the_documents_limit(
    login, caseworker, candidate, settings
):
    # The request limit leaves room for the largest document and its form; past it, 413.
    assert settings.UPLOAD_MAX_BYTES >= settings.DOCUMENT_MAX_BYTES + 64 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.DOCUMENT_MAX_BYTES
    settings.UPLOAD_MAX_BYTES = 4096
    response = _post(login(caseworker), candidate, content=PDF + bytes(8192))

    assert response.status_code == 413
    assert "documenti di al massimo 10,0\xa0MB" in response.text
    assert not Document.objects.exists()


def test_the_same_file_twice_for_one_person_is_refused(login, caseworker, candidate):
    client = login(caseworker)
    _post(client, candidate, name="cv.pdf")
    response = _post(client, candidate, name="copia.pdf")
    assert "Questo file è già stato caricato per il candidato" in response.text
    assert Document.objects.count() == 1


def test_a_certificate_is_linked_only_to_one_of_the_candidates_certifications(
    login, caseworker, candidate, other_candidate
):
    forklift = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    theirs = CandidateCertification.objects.create(candidate=candidate, certification=forklift)
    others = CandidateCertification.objects.create(
        candidate=other_candidate, certification=forklift
    )
    client = login(caseworker)

    refused = _post(client, candidate, kind="certificate", certification=others.pk)
    assert "Scegli un&#x27;opzione valida" in refused.text
    _post(client, candidate, kind="certificate", certification=theirs.pk)
    assert Document.objects.get().certification == theirs


# Download ------------------------------------------------------------------------------------


def test_the_download_is_an_attachment_not_cached_not_sniffed_of_the_detected_type(
    login, caseworker, candidate
):
    client = login(caseworker)
    # The browser that uploaded it said HTML: what is served is what the bytes are.
    url = reverse("documents:upload", args=[candidate.pk])
    client.post(url, {"file": _file("cv.pdf", content_type="text/html"), "kind": "cv"})
    document = Document.objects.get()

    response = _download(client, document)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    event = AuditEvent.objects.get(action="download")
    assert (event.object_type, event.object_id, event.candidate_id, event.actor) == (
        "documents.document",
        str(document.pk),
        candidate.pk,
        caseworker,
    )


def test_another_centres_caseworker_and_company_hr_get_404_for_every_page_of_a_document(
    login, caseworker, other_caseworker, company_hr, candidate
):
    document = _upload(candidate, caseworker)
    pages = [
        reverse("documents:download", args=[document.pk]),
        reverse("documents:delete", args=[document.pk]),
        reverse("documents:verify", args=[document.pk]),
        reverse("documents:candidate_list", args=[candidate.pk]),
        reverse("documents:upload", args=[candidate.pk]),
    ]
    for user in (other_caseworker, company_hr):
        client = login(user)
        assert [client.get(url).status_code for url in pages] == [404] * len(pages)
    assert not AuditEvent.objects.filter(action="download").exists()


def test_recruiters_read_the_cv_of_the_people_they_interview_and_nothing_else(
    login, caseworker, recruiter, candidate, centre
):
    InterviewFactory(candidate=candidate, recruiter=recruiter)
    cv = _upload(candidate, caseworker)
    permit = _upload(candidate, caseworker, name="permesso.pdf", content=PDF + b" ", kind="permit")
    stranger = CandidateFactory(centre=centre)
    strangers_cv = _upload(stranger, caseworker, content=PDF + b"  ")
    client = login(recruiter)

    assert _download(client, cv).status_code == 200
    assert _download(client, permit).status_code == 404
    assert _download(client, strangers_cv).status_code == 404
    page = client.get(candidate.get_absolute_url()).text
    assert reverse("documents:download", args=[cv.pk]) in page
    assert reverse("documents:download", args=[permit.pk]) not in page
    assert reverse("documents:upload", args=[candidate.pk]) not in page
    assert client.get(reverse("documents:upload", args=[candidate.pk])).status_code == 403


# Company HR: the CV, once an interview is agreed, with consent ----------------------------------


@pytest.fixture
def shortlisted(caseworker, staff, company_hr, company, centre):
    """A candidate consenting to share a profile on a shortlist shared with the company, with
    a CV and a residence permit uploaded; the interview not yet requested."""
    candidate = CandidateFactory(centre=centre, caseworker=caseworker, consent_share_profile=True)
    entry = shortlist_add(need=NeedFactory(company=company), candidate=candidate, actor=staff)
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="http://testserver")
    cv = _upload(candidate, caseworker, name="Zenobia Quartararo CV.pdf")
    permit = _upload(candidate, caseworker, name="permesso.pdf", content=PDF + b" ", kind="permit")
    return candidate, entry, cv, permit


def _agree(entry, staff, company_hr):
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)


def _share_cv(candidate, caseworker, granted=True):
    consents_apply(candidate=candidate, consents={Consent.SHARE_CV: granted}, actor=caseworker)


def test_company_hr_download_the_cv_only_once_the_interview_is_agreed_with_consent(
    login, shortlisted, staff, caseworker, company_hr
):
    candidate, entry, cv, permit = shortlisted
    client = login(company_hr)
    shared = reverse("documents:shared")

    _share_cv(candidate, caseworker)
    assert _download(client, cv).status_code == 404  # consent, but no interview agreed
    assert 'data-testid="shared-cv"' not in client.get(shared).text

    _share_cv(candidate, caseworker, granted=False)
    _agree(entry, staff, company_hr)
    assert _download(client, cv).status_code == 404  # interview agreed, but no consent

    _share_cv(candidate, caseworker)
    response = _download(client, cv)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # Named by kind and number: nothing typed reaches a company.
    assert f'filename="cv-{cv.pk}.pdf"' in response["Content-Disposition"]
    assert _download(client, permit).status_code == 404  # never anything but the CV
    page = client.get(shared).text
    assert entry.code in page
    assert reverse("documents:download", args=[cv.pk]) in page
    assert reverse("documents:download", args=[permit.pk]) not in page
    assert "Zenobia" not in page
    assert candidate.last_name not in page

    _share_cv(candidate, caseworker, granted=False)  # withdrawn: at once
    assert _download(client, cv).status_code == 404


def test_another_companys_hr_never_download_the_cv(
    login, shortlisted, staff, caseworker, company_hr, other_company_hr
):
    candidate, entry, cv, _permit = shortlisted
    _agree(entry, staff, company_hr)
    _share_cv(candidate, caseworker)
    assert _download(login(other_company_hr), cv).status_code == 404


def test_the_cv_is_no_longer_shared_a_while_after_the_outcome(
    login, shortlisted, staff, caseworker, company_hr, settings
):
    candidate, entry, cv, _permit = shortlisted
    _agree(entry, staff, company_hr)
    _share_cv(candidate, caseworker)
    entry_move(entry=entry, to=Entry.Status.NOT_HIRED, actor=company_hr, reason="profile")
    client = login(company_hr)
    assert _download(client, cv).status_code == 200

    PipelineEvent.objects.filter(entry=entry, to_status="not_hired").update(
        at=timezone.now() - datetime.timedelta(days=settings.HR_CONTACTS_DAYS + 1)
    )
    assert _download(client, cv).status_code == 404


def test_the_consent_to_share_the_cv_is_recorded_and_withdrawn_as_the_others(
    login, caseworker, candidate
):
    client = login(caseworker)
    client.post(
        reverse("candidates:set_consent", args=[candidate.pk]),
        {"purpose": "share_cv", "granted": "on"},
    )
    candidate.refresh_from_db()
    assert candidate.consent_share_cv
    assert candidate.consents.filter(purpose="share_cv", granted=True).exists()
    consents_apply(candidate=candidate, consents={Consent.PROGRAMME: False}, actor=caseworker)
    candidate.refresh_from_db()
    assert not candidate.consent_share_cv  # no consent stands without the programme's


# Verification, deletion ----------------------------------------------------------------------


def test_a_certificate_is_verified_against_its_document_with_its_expiry(
    login, caseworker, candidate
):
    forklift = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    link = CandidateCertification.objects.create(candidate=candidate, certification=forklift)
    document = _upload(candidate, caseworker, kind="certificate", certification=link)
    client = login(caseworker)
    assert (
        reverse("documents:verify", args=[document.pk])
        in client.get(candidate.get_absolute_url()).text
    )
    obtained = datetime.date(2025, 3, 1)

    response = client.post(
        reverse("documents:verify", args=[document.pk]),
        {"obtained_on": "2025-03-01", "expires_on": "2029-03-01"},
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.verified
    assert link.obtained_on == obtained
    # The validity of the certification caps what was given (forklift: five years).
    assert link.expires_on == min(datetime.date(2029, 3, 1), obtained.replace(year=2030))
    document.refresh_from_db()
    assert (document.verified_by, document.verified_at is not None) == (caseworker, True)
    assert 'data-testid="verified"' in client.get(candidate.get_absolute_url()).text


def test_an_expiry_before_the_date_obtained_is_refused_on_the_verify_page(
    login, caseworker, candidate
):
    forklift = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    link = CandidateCertification.objects.create(candidate=candidate, certification=forklift)
    document = _upload(candidate, caseworker, kind="certificate", certification=link)
    response = login(caseworker).post(
        reverse("documents:verify", args=[document.pk]),
        {"obtained_on": "2025-03-01", "expires_on": "2024-03-01"},
    )
    assert response.status_code == 200
    assert "La scadenza non può precedere la data di conseguimento" in response.text
    link.refresh_from_db()
    assert not link.verified


def test_a_document_is_deleted_once_confirmed_and_its_file_with_it(
    login, caseworker, candidate, settings, django_capture_on_commit_callbacks
):
    document = _upload(candidate, caseworker)
    client = login(caseworker)
    url = reverse("documents:delete", args=[document.pk])
    assert 'name="sure"' in client.get(url).text

    client.post(url)  # not confirmed
    assert Document.objects.filter(pk=document.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"sure": "1"})
    assert response.url == candidate.get_absolute_url() + "#documents"
    assert not Document.objects.exists()
    assert _stored(settings) == []
    assert AuditEvent.objects.filter(action="delete", object_type="documents.document").exists()


def test_nothing_is_uploaded_for_an_erased_candidate(login, staff, candidate):
    candidate_erase(candidate=candidate, actor=staff)
    assert login(staff).get(reverse("documents:upload", args=[candidate.pk])).status_code == 403


# Erasure and export --------------------------------------------------------------------------


def test_the_erasure_deletes_the_documents_and_their_files_from_disk(
    staff, caseworker, candidate, other_candidate, settings, django_capture_on_commit_callbacks
):
    mine = [_upload(candidate, caseworker), _upload(candidate, caseworker, content=PNG)]
    others = _upload(other_candidate, staff)
    paths = [Path(document.file.path) for document in mine]
    assert all(path.exists() for path in paths)

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=candidate, actor=staff)

    assert not any(path.exists() for path in paths)
    assert list(Document.objects.all()) == [others]
    assert Path(others.file.path).exists()


def test_the_json_export_lists_the_documents_without_their_bytes(
    login, staff, caseworker, candidate
):
    document = _upload(candidate, caseworker, name="Attestato carrello.pdf", kind="certificate")
    response = login(staff).get(reverse("candidates:data_json", args=[candidate.pk]))

    records = {section["model"]: section for section in json.loads(response.content)["records"]}
    (row,) = records["documents.document"]["rows"]
    assert row["original_name"] == "Attestato carrello.pdf"
    assert row["kind"] == "Certificato"
    assert row["content_type"] == "PDF"
    assert row["size"] == len(PDF)
    assert row["uploaded_at"].startswith(timezone.localdate().isoformat())
    assert "file" not in row
    assert document.file.name not in response.text
    assert PDF.decode() not in response.text


# Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 8])
def test_the_panel_reads_one_query_however_many_documents(
    caseworker, candidate, django_assert_num_queries, size
):
    for n in range(size):
        _upload(candidate, caseworker, content=PDF + bytes(n))
    request = RequestFactory().get(candidate.get_absolute_url())
    request.user = caseworker
    page_candidate = candidate_detail(actor=caseworker).get(pk=candidate.pk)
    list(page_candidate.certification_links.all())
    # The latest documents with who uploaded and verified them and the certificate each proves.
    with django_assert_num_queries(1):
        _template, context = panels.candidate_documents(request=request, candidate=page_candidate)
    assert len(context["rows"]) == min(size, panels.PANEL_ROWS)
    assert context["more"] == (size > panels.PANEL_ROWS)


@pytest.mark.parametrize("size", [1, 30])
def test_the_documents_list_runs_a_fixed_number_of_queries(
    login, caseworker, candidate, django_assert_num_queries, size
):
    for n in range(size):
        _upload(candidate, caseworker, content=PDF + bytes(n))
    client = login(caseworker)
    url = reverse("documents:candidate_list", args=[candidate.pk])
    client.get(url)  # warm the session
    # session, user, candidate, the audit trail's "view" event, the paginator's count, the
    # page of documents with who uploaded and verified them and their certificates
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.text.count('data-testid="document"') == min(size, 25)


@pytest.mark.parametrize("size", [1, 4])
def test_the_shared_cvs_list_runs_a_fixed_number_of_queries(
    login, staff, caseworker, company_hr, company, centre, django_assert_num_queries, size
):
    for n in range(size):
        candidate = CandidateFactory(
            centre=centre, consent_share_profile=True, consent_share_cv=True
        )
        entry = shortlist_add(need=NeedFactory(company=company), candidate=candidate, actor=staff)
        shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="http://testserver")
        _agree(entry, staff, company_hr)
        _upload(candidate, caseworker, content=PDF + bytes(n))
    client = login(company_hr)
    url = reverse("documents:shared")
    client.get(url)  # warm the session
    # session, user, the paginator's count, the page of CVs with their candidates, the
    # entries they are shared on with their needs' profiles and workplaces
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.text.count('data-testid="shared-cv"') == size


def test_candidate_model_has_the_consent_to_share_the_cv():
    assert Candidate._meta.get_field("consent_share_cv").default is False
