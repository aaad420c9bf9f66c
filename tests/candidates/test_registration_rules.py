"""Registration's rules are the services': the intake form and the import ask them, so a
person is registered, or not, the same way whatever the way in."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import strip_tags

from candidates.models import Candidate, CandidateCertification, DuplicateReview
from candidates.services import (
    REQUIRED_TO_REGISTER,
    candidate_register,
    candidate_update,
    consent_problems,
    registration_problems,
)
from catalog.models import Certification, Comune
from tests.candidates.test_import import (  # noqa: F401 - run is a fixture
    FATIMA_CF,
    draft,
    person,
    run,
    sheet,
)
from tests.candidates.test_intake import CF_MARIO, _intake
from tests.factories import CandidateFactory


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


# The services' refusals: one ValidationError, each problem by field -------------------------


def _person(centre, **fields) -> Candidate:
    """A new person with everything registration needs but the consents."""
    values = {
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "sex": "F",
        "birth_date": datetime.date(1990, 4, 12),
        "nationality": "MA",
        "residence_comune": Comune.objects.get(istat_code="016024"),
        "italian_level": "A2",
        "phone": "+39 347 1234567",
        **fields,
    }
    return Candidate(centre=centre, **values)


def _refused(write, **arguments) -> ValidationError:
    with pytest.raises(ValidationError) as refusal:
        write(**arguments)
    return refusal.value


PROGRAMME = {"programme": True}


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_service_refuses_a_consent_without_the_programmes(centre, caseworker):
    refusal = _refused(
        candidate_register,
        candidate=_person(centre),
        actor=caseworker,
        register=False,
        consents={"programme": False, "matching": True},
    )
    assert refusal.message_dict == {
        "consent_matching": ["Without the consent to the programme no other consent can be given."]
    }
    assert not Candidate.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_service_refuses_to_register_a_person_without_what_registration_needs(
    centre, caseworker
):
    lacking = _person(centre, nationality="", phone="")
    refusal = _refused(candidate_register, candidate=lacking, actor=caseworker)
    assert refusal.message_dict == {
        "nationality": ["Needed to register the candidate (a draft can do without)."],
        "phone": ["Give a phone number or an e-mail address."],
        "consent_programme": [
            "Without this consent the person cannot be registered in the programme."
        ],
    }
    assert not Candidate.objects.exists()

    draft = candidate_register(candidate=lacking, actor=caseworker, register=False)
    assert (draft.status, draft.caseworker) == ("draft", caseworker)  # who registers follows


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_service_refuses_a_codice_fiscale_registered_among_the_people_the_user_sees(
    centre, other_centre, caseworker, other_caseworker
):
    existing = CandidateFactory(
        centre=centre, codice_fiscale=CF_MARIO, sex="M", birth_date=datetime.date(1985, 3, 15)
    )
    mario = {"codice_fiscale": CF_MARIO, "sex": "M", "birth_date": datetime.date(1985, 3, 15)}
    refusal = _refused(
        candidate_register,
        candidate=_person(centre, **mario),
        actor=caseworker,
        consents=PROGRAMME,
    )
    assert refusal.message_dict["codice_fiscale"] == [
        f"This codice fiscale is already registered: {existing}."
    ]
    assert refusal.error_dict["codice_fiscale"][0].params["name"] == existing  # to link to

    # Another centre's caseworker does not see that person: the office reviews the pair.
    other = candidate_register(
        candidate=_person(other_centre, **mario), actor=other_caseworker, consents=PROGRAMME
    )
    assert DuplicateReview.objects.get().candidate == other


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_service_refuses_a_possible_duplicate_unless_confirmed(centre, caseworker):
    known = CandidateFactory(centre=centre, phone="+39 347 1234567")
    refusal = _refused(
        candidate_register, candidate=_person(centre), actor=caseworker, consents=PROGRAMME
    )
    assert refusal.message_dict == {"phone": [f"Same phone as {known}, already in the portal."]}
    assert refusal.error_dict["phone"][0].params["name"] == known  # to list

    confirmed = candidate_register(
        candidate=_person(centre), actor=caseworker, consents=PROGRAMME, confirm_duplicates=True
    )
    assert confirmed.status == "registered"
    # Saved again, what was confirmed is not asked again.
    confirmed.notes = "Disponibile da lunedì"
    candidate_update(candidate=confirmed, actor=caseworker)


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_service_refuses_a_certificate_expiring_before_it_was_obtained(caseworker, candidate):
    link = CandidateCertification(
        certification=Certification.objects.get(code="abilitazione-carrelli-elevatori"),
        obtained_on=datetime.date(2025, 3, 15),
        expires_on=datetime.date(2025, 1, 10),
    )
    refusal = _refused(
        candidate_update, candidate=candidate, actor=caseworker, certifications=[link]
    )
    assert refusal.message_dict == {"certifications": ["It cannot expire before it was obtained."]}
    assert refusal.error_dict["certifications"][0].params["certificate"] is link  # its row
    assert not candidate.certification_links.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_service_refuses_a_comune_outside_the_programmes_provinces(centre, caseworker):
    milano = Comune.objects.filter(province="MI").first()
    refusal = _refused(
        candidate_register,
        candidate=_person(centre, residence_comune=milano),
        actor=caseworker,
        consents=PROGRAMME,
    )
    assert refusal.message_dict == {
        "residence_comune": [f"{milano} is outside the provinces of the programme (BG)."]
    }


@pytest.mark.django_db
def test_the_service_registers_people_only_into_a_centre_the_user_may(
    centre, other_centre, caseworker, staff
):
    with pytest.raises(PermissionDenied):
        candidate_register(candidate=_person(other_centre), actor=caseworker, consents=PROGRAMME)
    registered = candidate_register(
        candidate=_person(other_centre), actor=staff, consents=PROGRAMME
    )
    assert (registered.centre, registered.caseworker) == (other_centre, None)


@pytest.mark.django_db
def test_the_form_and_the_import_refuse_a_codice_fiscale_already_registered_alike(
    login,
    staff,
    centre,
    other_centre,
    run,  # noqa: F811
):
    existing = CandidateFactory(
        centre=other_centre, first_name="Nadia", last_name="Kettani", codice_fiscale=FATIMA_CF
    )
    page = login(staff).post(
        reverse("candidates:create"),
        _intake(codice_fiscale=FATIMA_CF, birth_date="1990-01-15", centre=centre.pk),
    )
    form_errors = page.context["form"].errors["codice_fiscale"]
    report = run(sheet(person()), actor=staff)
    import_errors = [(error.column, error.message) for error in report.errors]

    message = f"Questo codice fiscale è già registrato: {existing}."
    assert [strip_tags(error) for error in form_errors] == [message]
    assert existing.get_absolute_url() in form_errors[0]  # the form links to the person
    assert import_errors == [("Codice fiscale", message)]
    assert Candidate.objects.count() == 1
