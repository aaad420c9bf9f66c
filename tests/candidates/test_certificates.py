"""A candidate's certificates: their expiry follows the certification's validity, never goes
beyond it, and the candidate's page says which have expired and which cannot be known."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import CandidateCertification
from candidates.services import certificate_expiry
from catalog.models import Certification
from tests.posted import admin_posted

pytestmark = pytest.mark.django_db

FORKLIFT = "abilitazione-carrelli-elevatori"  # lasts five years
GENERAL_SAFETY = "sicurezza-generale"  # never expires
D = datetime.date


@pytest.mark.parametrize(
    ("code", "obtained", "expires", "expected"),
    [
        (FORKLIFT, D(2024, 2, 10), None, D(2029, 2, 10)),  # worked out from the validity
        (FORKLIFT, D(2024, 2, 10), D(2027, 6, 30), D(2027, 6, 30)),  # a shorter one stands
        (FORKLIFT, D(2024, 2, 10), D(2031, 1, 1), D(2029, 2, 10)),  # never beyond the validity
        (FORKLIFT, D(2024, 2, 29), None, D(2029, 2, 28)),
        (FORKLIFT, None, D(2027, 6, 30), D(2027, 6, 30)),  # nothing to measure it against
        (FORKLIFT, None, None, None),  # unknown: the candidate's page asks to check it
        (GENERAL_SAFETY, D(2024, 2, 10), None, None),
        (GENERAL_SAFETY, D(2024, 2, 10), D(2030, 1, 1), D(2030, 1, 1)),
    ],
)
def test_a_certificates_expiry_follows_its_validity_and_never_goes_beyond_it(
    code, obtained, expires, expected
):
    certification = Certification.objects.get(code=code)
    assert certificate_expiry(certification, obtained, expires) == expected


def _certificates(page: str) -> dict[str, str]:
    """The candidate page's certificates: the text of each line, by certification."""
    lines = re.findall(r'<li data-testid="certification">(.*?)</li>', page, flags=re.S)
    text = [re.sub(r"<[^>]+>", "", line) for line in lines]
    return {line.split(" · ")[0].split(" → ")[0]: line for line in text}


def _link(candidate, code: str, **dates) -> Certification:
    certification = Certification.objects.get(code=code)
    CandidateCertification.objects.create(candidate=candidate, certification=certification, **dates)
    return certification


def test_a_certificate_past_its_expiry_shows_as_expired_on_the_candidate_page(
    login, caseworker, candidate
):
    today = timezone.localdate()
    yesterday, next_month = today - datetime.timedelta(days=1), today + datetime.timedelta(30)
    expired = _link(candidate, FORKLIFT, expires_on=yesterday)
    valid = _link(candidate, "patente-b", expires_on=next_month)

    lines = _certificates(login(caseworker).get(candidate.get_absolute_url()).text)

    assert f"scaduto il {yesterday:%d/%m/%Y}" in lines[expired.name_it]
    assert "scaduto" not in lines[valid.name_it]
    assert f"→ {next_month:%d/%m/%Y}" in lines[valid.name_it]


def test_a_certificate_whose_validity_cannot_be_known_shows_as_to_be_checked(
    login, caseworker, candidate
):
    undated = _link(candidate, FORKLIFT)
    lasting = _link(candidate, GENERAL_SAFETY)

    lines = _certificates(login(caseworker).get(candidate.get_absolute_url()).text)

    assert "scadenza da verificare" in lines[undated.name_it]
    assert "da verificare" not in lines[lasting.name_it]


# The Django admin -------------------------------------------------------------------------


def _admin_post(
    client, candidate, obtained: datetime.date, expires: datetime.date | None, link=None
):
    """The candidate's change page posted back with one certificate: a new forklift licence
    with the dates typed, or `link`, saved, with its new dates."""
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    data = admin_posted(client.get(url))
    data.update(
        {
            "certification_links-TOTAL_FORMS": "1",
            "certification_links-0-certification": Certification.objects.get(code=FORKLIFT).pk,
            "certification_links-0-obtained_on": obtained.isoformat(),
            "certification_links-0-expires_on": expires.isoformat() if expires else "",
        }
    )
    if link is not None:
        data.update(
            {
                "certification_links-INITIAL_FORMS": "1",
                "certification_links-0-id": link.pk,
                "certification_links-0-candidate": candidate.pk,
            }
        )
    return client.post(url, data, follow=True)


def test_the_admin_works_out_the_expiry_of_a_certificate(login, admin, candidate):
    response = _admin_post(login(admin), candidate, D(2024, 2, 10), None)

    assert response.redirect_chain, response.context["adminform"].form.errors
    assert candidate.certification_links.get().expires_on == D(2029, 2, 10)


def test_the_admin_cannot_extend_a_certificate_beyond_its_validity(login, admin, candidate):
    response = _admin_post(login(admin), candidate, D(2024, 2, 10), D(2031, 1, 1))

    assert response.redirect_chain
    assert candidate.certification_links.get().expires_on == D(2029, 2, 10)
    assert "scade il 10/02/2029, non il 01/01/2031" in response.text


def test_an_undated_certificate_entered_in_the_admin_expires_after_its_validity(
    login, admin, candidate
):
    """Entered without an expiry, the expiry is worked out by the services; a renewal date
    entered later, the expiry left as it was, works it out again from the new date."""
    client = login(admin)
    _admin_post(client, candidate, D(2024, 2, 10), None)
    link = candidate.certification_links.get()
    assert link.expires_on == D(2029, 2, 10)

    response = _admin_post(client, candidate, D(2026, 1, 20), D(2029, 2, 10), link=link)

    assert response.redirect_chain
    link.refresh_from_db()
    assert (link.obtained_on, link.expires_on) == (D(2026, 1, 20), D(2031, 1, 20))


def test_the_admin_says_on_the_form_that_a_certificate_cannot_expire_before_it_was_obtained(
    login, admin, candidate
):
    response = _admin_post(login(admin), candidate, D(2025, 3, 15), D(2025, 1, 10))

    assert response.status_code == 200
    assert not response.redirect_chain
    assert "La scadenza non può precedere la data di conseguimento." in response.text
    assert not candidate.certification_links.exists()


def test_the_admin_refuses_to_save_a_registered_candidate_without_the_programme_consent(
    login, admin, candidate
):
    """The consents are given on the portal, with their log: the admin site cannot keep a
    registered candidate without the programme's, and says so on the form."""
    type(candidate).objects.filter(pk=candidate.pk).update(
        consent_programme=False, consent_matching=False
    )
    client = login(admin)
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    data = {**admin_posted(client.get(url)), "notes": "Visto in sede"}

    response = client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    message = "Senza questo consenso la persona non può essere registrata nel progetto."
    assert form.non_field_errors() == [message]
    assert message in response.text
    candidate.refresh_from_db()
    assert candidate.notes == ""


def test_a_candidate_added_in_the_admin_is_a_draft_written_by_the_services(login, admin, centre):
    client = login(admin)
    url = reverse("admin:candidates_candidate_add")
    data = admin_posted(client.get(url))
    data.update(
        {
            "first_name": "Ion",
            "last_name": "Popescu",
            "centre": centre.pk,
            "certification_links-TOTAL_FORMS": "1",
            "certification_links-0-certification": Certification.objects.get(code=FORKLIFT).pk,
            "certification_links-0-obtained_on": "2024-02-10",
        }
    )

    response = client.post(url, data, follow=True)

    assert response.redirect_chain, response.context["adminform"].form.errors
    candidate = centre.candidates.get()
    assert (candidate.status, candidate.created_by) == ("draft", admin)
    assert list(candidate.status_changes.values_list("to_status", "changed_by")) == [
        ("draft", admin.pk)
    ]
    assert candidate.certification_links.get().expires_on == D(2029, 2, 10)


def test_an_erased_persons_record_is_only_read_in_the_admin(login, admin, candidate):
    type(candidate).objects.filter(pk=candidate.pk).update(erased_at=timezone.now())
    client = login(admin)
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])

    assert 'name="_save"' not in client.get(url).text
    assert client.post(url, {"notes": "Visto in sede"}).status_code == 403
