import pytest

from catalog.models import Certification, JobProfile


@pytest.fixture
def forklift() -> Certification:
    """The forklift operator's licence, which the courses of these tests grant."""
    return Certification.objects.get(code="abilitazione-carrelli-elevatori")


@pytest.fixture
def profile() -> JobProfile:
    """The forklift driver, the profile those courses prepare for."""
    return JobProfile.objects.get(code="carrellista")
