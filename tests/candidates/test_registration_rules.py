"""Registration's rules are the services': the intake form and the import ask them, so a
person is registered, or not, the same way whatever the way in."""

import pytest
from django.urls import reverse

from candidates.models import Candidate
from candidates.services import REQUIRED_TO_REGISTER, consent_problems, registration_problems
from tests.candidates.test_import import draft, person, run, sheet  # noqa: F401 - fixture
from tests.candidates.test_intake import _intake


def test_registration_asks_the_matching_fields_a_contact_and_the_programme_consent():
    complete = {
        **dict.fromkeys(REQUIRED_TO_REGISTER, "x"),
        "phone": "+39 347 1234567",
        "consent_programme": True,
    }
    assert registration_problems(complete) == {}
    lacking = registration_problems({**complete, "nationality": "", "phone": ""})
    assert set(lacking) == {"nationality", "phone"}
    assert set(registration_problems({**complete, "consent_programme": False})) == {
        "consent_programme"
    }
    assert registration_problems({**complete, "phone": "", "email": "a@b.it"}) == {}


def test_no_other_consent_stands_without_the_programmes():
    assert consent_problems({"consent_programme": True, "consent_matching": True}) == {}
    assert set(consent_problems({"consent_matching": True, "consent_share_contacts": True})) == {
        "consent_matching",
        "consent_share_contacts",
    }


@pytest.mark.django_db
def test_the_form_and_the_import_refuse_a_consent_without_the_programmes_alike(
    login,
    caseworker,
    run,  # noqa: F811
):
    page = login(caseworker).post(
        reverse("candidates:create"), _intake(consent_programme=None, action="draft")
    )
    form_errors = page.context["form"].errors
    report = run(sheet(draft(**{"Consenso programma": "no", "Consenso matching": "sì"})))
    import_errors = [(error.column, error.message) for error in report.errors]

    message = "Senza il consenso al progetto non si può dare nessun altro consenso."
    assert form_errors["consent_matching"] == [message]
    assert import_errors == [("Consenso matching", message)]
    assert not Candidate.objects.exists()
