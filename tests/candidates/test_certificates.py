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


def _as_posted(response) -> dict:
    """The admin's change page as the browser would post it back, its inlines empty."""
    data = {}
    for bound in response.context["adminform"].form:
        value = bound.value()
        if value in (None, False):
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = "on" if value is True else str(value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({bound.html_name: bound.value() for bound in management})
    return data


def _admin_post(client, candidate, obtained: datetime.date, expires: datetime.date | None):
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    data = _as_posted(client.get(url))
    data.update(
        {
            "certification_links-TOTAL_FORMS": "1",
            "certification_links-0-certification": Certification.objects.get(code=FORKLIFT).pk,
            "certification_links-0-obtained_on": obtained.isoformat(),
            "certification_links-0-expires_on": expires.isoformat() if expires else "",
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
