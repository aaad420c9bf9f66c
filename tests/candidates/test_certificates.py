"""A candidate's certificates: their expiry follows the certification's validity and never goes
beyond it."""

import datetime

import pytest

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
