import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, ConsentRecord, StatusChange
from catalog.models import Certification, Comune, JobProfile
from tests.factories import CandidateFactory

# Mario Rossi, born in Bergamo on 15/03/1985: a valid personal code.
CF_MARIO = "RSSMRA85C15A794G"


def _intake(**overrides) -> dict:
    data = {
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "sex": "F",
        "birth_date": "1990-04-12",
        "birth_country": "MA",
        "nationality": "MA",
        "codice_fiscale": "",
        "residence_comune": Comune.objects.get(istat_code="016024").pk,
        "address": "Via Quarenghi 12",
        "phone": "+39 347 1234567",
        "email": "",
        "italian_level": "A2",
        "hours": "either",
        "shifts": "day",
        "max_commute_km": "10",
        "permit_type": "family",
        "permit_expiry": "2027-06-30",
        "health_notes": "Non può sollevare pesi oltre 10 kg",
        "consent_programme": "on",
        "consent_matching": "on",
        "action": "register",
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": "fr",
        "languages-0-level": "B1",
        "experiences-TOTAL_FORMS": "1",
        "experiences-INITIAL_FORMS": "0",
        "experiences-0-profile": JobProfile.objects.get(code="operatore-pulizie").pk,
        "experiences-0-years": "3",
        "experiences-0-country": "MA",
        "certifications-TOTAL_FORMS": "0",
        "certifications-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_caseworker_registers_a_candidate_of_their_centre(login, caseworker, centre):
    response = login(caseworker).post(reverse("candidates:create"), _intake())
    candidate = Candidate.objects.get(last_name="El Idrissi")
    assert response.url == candidate.get_absolute_url()
    assert (candidate.status, candidate.centre, candidate.caseworker) == (
        "registered",
        centre,
        caseworker,
    )
    assert [str(language) for language in candidate.languages.all()] == ["Francese B1"]
    assert candidate.experiences.get().profile.code == "operatore-pulizie"
    history = list(candidate.status_changes.order_by("pk").values_list("from_status", "to_status"))
    assert history == [("", "draft"), ("draft", "registered")]
    consents = candidate.consents.order_by("pk")
    assert [(c.purpose, c.granted) for c in consents] == [
        ("programme", True),
        ("matching", True),
    ]
    assert all(c.recorded_by == caseworker and c.notice_version for c in consents)


@pytest.mark.django_db
def test_a_draft_needs_only_the_name_and_is_completed_later(login, caseworker):
    client = login(caseworker)
    client.post(
        reverse("candidates:create"),
        _intake(
            sex="",
            birth_date="",
            nationality="",
            phone="",
            consent_programme=None,
            consent_matching=None,
            action="draft",
        ),
    )
    draft = Candidate.objects.get(last_name="El Idrissi")
    assert draft.status == "draft"
    assert draft not in Candidate.objects.matchable()
    client.post(reverse("candidates:update", args=[draft.pk]), _intake(version=draft.version))
    draft.refresh_from_db()
    assert draft.status == "registered"


@pytest.mark.django_db
def test_registering_without_what_matching_needs_explains_and_keeps_the_input(login, caseworker):
    response = login(caseworker).post(
        reverse("candidates:create"),
        _intake(birth_date="", phone="", consent_programme=None, address="Via Moroni 7"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"birth_date", "phone", "consent_programme"} <= set(form.errors)
    assert 'value="Via Moroni 7"' in response.text
    assert "Non può sollevare pesi oltre 10 kg" in response.text
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_a_field_typed_wrong_and_what_registration_lacks_are_said_in_one_round(login, caseworker):
    response = login(caseworker).post(
        reverse("candidates:create"),
        _intake(birth_date="31/02/1990", phone="", consent_programme=None),
    )

    form = response.context["form"]
    assert {"birth_date", "phone", "consent_programme"} <= set(form.errors)
    assert len(form.errors["birth_date"]) == 1  # its own message, not "needed" as well
    assert not Candidate.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("RSSMRA85C15A794V", "codice_fiscale"),  # wrong check character
        ("12345678901", "codice_fiscale"),  # a temporary numeric code is not personal
    ],
)
def test_an_invalid_codice_fiscale_is_refused(login, caseworker, code, field):
    response = login(caseworker).post(reverse("candidates:create"), _intake(codice_fiscale=code))
    assert field in response.context["form"].errors
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_the_codice_fiscale_must_agree_with_birth_date_and_sex(login, caseworker):
    client = login(caseworker)
    wrong = client.post(
        reverse("candidates:create"),
        _intake(first_name="Mario", last_name="Rossi", codice_fiscale=CF_MARIO, sex="F"),
    )
    errors = wrong.context["form"].errors
    assert {"birth_date", "sex"} <= set(errors)
    right = client.post(
        reverse("candidates:create"),
        _intake(
            first_name="Mario",
            last_name="Rossi",
            codice_fiscale=CF_MARIO.lower(),
            sex="M",
            birth_date="1985-03-15",
            nationality="IT",
        ),
    )
    assert right.status_code == 302
    assert Candidate.objects.get().codice_fiscale == CF_MARIO


@pytest.mark.django_db
def test_the_same_codice_fiscale_links_to_the_record_in_scope(login, caseworker, centre):
    existing = CandidateFactory(
        centre=centre, codice_fiscale=CF_MARIO, sex="M", birth_date="1985-03-15"
    )
    response = login(caseworker).post(
        reverse("candidates:create"),
        _intake(codice_fiscale=CF_MARIO, sex="M", birth_date="1985-03-15"),
    )
    assert existing.get_absolute_url() in str(response.context["form"].errors["codice_fiscale"])
    assert Candidate.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "same",
    [
        {"phone": "+39 347 1234567"},
        {"email": "amina@example.org"},
        {"first_name": "Amina", "last_name": "El Idrissi", "birth_date": "1990-04-12"},
    ],
)
def test_a_possible_duplicate_asks_for_confirmation(login, caseworker, centre, same):
    CandidateFactory(centre=centre, **same)
    client = login(caseworker)
    data = _intake(email="amina@example.org")
    first = client.post(reverse("candidates:create"), data)
    assert first.status_code == 200
    assert first.context["form"].duplicates
    assert Candidate.objects.count() == 1
    confirmed = client.post(reverse("candidates:create"), {**data, "confirm_duplicates": "on"})
    assert confirmed.status_code == 302
    assert Candidate.objects.count() == 2


@pytest.mark.django_db
def test_withdrawing_matching_consent_takes_the_candidate_out_of_matching_at_once(
    login, caseworker, candidate
):
    assert candidate in Candidate.objects.matchable()
    response = login(caseworker).post(
        reverse("candidates:set_consent", args=[candidate.pk]),
        {"purpose": "matching", "confirmed": "on"},
        follow=True,
    )
    assert candidate not in Candidate.objects.matchable()
    assert "Consenso revocato" in response.text
    assert "non è più in graduatoria" in response.text
    record = ConsentRecord.objects.get(candidate=candidate)
    assert (record.purpose, record.granted, record.recorded_by) == ("matching", False, caseworker)


@pytest.mark.django_db
def test_withdrawing_the_programme_consent_withdraws_every_other(login, caseworker, candidate):
    login(caseworker).post(
        reverse("candidates:set_consent", args=[candidate.pk]),
        {"purpose": "programme", "confirmed": "on"},
    )
    candidate.refresh_from_db()
    assert not candidate.consent_programme
    assert not candidate.consent_matching
    assert candidate not in Candidate.objects.matchable()


@pytest.mark.django_db
def test_a_withdrawal_is_first_explained_and_only_done_once_confirmed(login, caseworker, candidate):
    client = login(caseworker)
    detail = client.get(candidate.get_absolute_url())
    withdraw = reverse("candidates:consent_withdraw", args=[candidate.pk])
    assert f'href="{withdraw}?purpose=matching"' in detail.text

    unconfirmed = client.post(
        reverse("candidates:set_consent", args=[candidate.pk]), {"purpose": "matching"}
    )
    assert unconfirmed.url == f"{withdraw}?purpose=matching"
    candidate.refresh_from_db()
    assert candidate.consent_matching  # nothing withdrawn by one stray click

    page = client.get(withdraw, {"purpose": "matching"})
    [row] = page.context["rows"]
    assert row[0] == "matching"
    assert "non è più in graduatoria" in page.text
    assert "ne è informato via e-mail" in page.text


@pytest.mark.django_db
def test_every_status_change_is_recorded_with_who_when_and_why(login, caseworker, candidate):
    client = login(caseworker)
    client.post(
        reverse("candidates:set_status", args=[candidate.pk]),
        {"status": "suspended", "reason": "Ricoverata, riprende a gennaio"},
    )
    client.post(
        reverse("candidates:set_status", args=[candidate.pk]),
        {"status": "registered", "reason": "Di nuovo disponibile"},
    )
    changes = StatusChange.objects.filter(candidate=candidate).order_by("pk")
    assert [(c.from_status, c.to_status, c.reason) for c in changes] == [
        ("registered", "suspended", "Ricoverata, riprende a gennaio"),
        ("suspended", "registered", "Di nuovo disponibile"),
    ]
    assert all(c.changed_by == caseworker for c in changes)
    page = client.get(candidate.get_absolute_url())
    assert "Ricoverata, riprende a gennaio" in page.text


@pytest.mark.django_db
def test_a_status_change_without_a_reason_changes_nothing(login, caseworker, candidate):
    login(caseworker).post(
        reverse("candidates:set_status", args=[candidate.pk]), {"status": "withdrawn"}
    )
    candidate.refresh_from_db()
    assert candidate.status == "registered"
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_a_caseworker_cannot_edit_another_centres_candidate(login, other_caseworker, candidate):
    response = login(other_caseworker).post(
        reverse("candidates:update", args=[candidate.pk]), _intake(first_name="Cambiato")
    )
    assert response.status_code == 404
    candidate.refresh_from_db()
    assert candidate.first_name != "Cambiato"


SECRETS = {
    "health_notes": "Segreto sanitario 4471",
    "care_notes": "Segreto di cura 4472",
    "social_service_notes": "Segreto sociale 4473",
}


@pytest.mark.django_db
def test_sensitive_fields_are_shown_to_the_centre_and_staff(login, caseworker, staff, candidate):
    Candidate.objects.filter(pk=candidate.pk).update(**SECRETS, permit_type="special")
    for user in (caseworker, staff):
        page = login(user).get(candidate.get_absolute_url())
        assert all(secret in page.text for secret in SECRETS.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["recruiter", "company_hr"])
def test_sensitive_fields_never_reach_roles_that_may_not_see_them(login, personas, candidate, role):
    Candidate.objects.filter(pk=candidate.pk).update(**SECRETS)
    client = login(personas[role])
    for url in (
        reverse("reports:home"),
        reverse("candidates:list"),
        candidate.get_absolute_url(),
        reverse("candidates:update", args=[candidate.pk]),
    ):
        text = client.get(url).content.decode()
        assert not any(secret in text for secret in SECRETS.values()), url


@pytest.mark.django_db
def test_sensitive_fields_never_reach_the_logs(login, caseworker, caplog):
    caplog.set_level(logging.DEBUG)
    login(caseworker).post(reverse("candidates:create"), _intake(birth_date=""))
    login(caseworker).post(reverse("candidates:create"), _intake())
    assert "Non può sollevare pesi" not in caplog.text


@pytest.mark.django_db
def test_candidate_list_searches_by_name_cf_status_profile_and_comune(login, staff, centre):
    treviglio = Comune.objects.get(istat_code="016219")
    welder = CandidateFactory(
        centre=centre, first_name="Ion", last_name="Popescu", residence_comune=treviglio
    )
    welder.experiences.create(profile=JobProfile.objects.get(code="addetto-saldatura"), years=4)
    mario = CandidateFactory(
        centre=centre, first_name="Mario", last_name="Rossi", codice_fiscale=CF_MARIO, sex="M",
        birth_date="1985-03-15", status="placed",
    )  # fmt: skip
    client = login(staff)

    def found(**query):
        return list(client.get(reverse("candidates:list"), query).context["page"])

    assert found(q="ion popescu") == [welder]
    assert found(codice_fiscale="rssmra85") == [mario]
    assert found(status="placed") == [mario]
    assert found(profile=JobProfile.objects.get(code="addetto-saldatura").pk) == [welder]
    assert found(comune=treviglio.pk) == [welder]


@pytest.mark.django_db
@pytest.mark.parametrize("experiences", [1, 5])
def test_candidate_page_runs_a_fixed_number_of_queries(
    login, caseworker, candidate, django_assert_num_queries, experiences
):
    for _ in range(experiences):
        candidate.experiences.create(profile=JobProfile.objects.get(code="carrellista"), years=2)
    client = login(caseworker)
    # session, user with organisation, candidate with centre, caseworker, comune and creator,
    # languages, experiences with profiles and sectors, skills, certifications, consents with
    # recorders,
    # status changes with their authors, travel arrangements, the candidate's interviews
    # (none here), their support actions (none here), their course enrolments with the
    # course, the courses still enrolling they could be proposed for, their documents (none
    # here); and the audit trail's "view" event (one insert)
    with django_assert_num_queries(16):
        client.get(candidate.get_absolute_url())


@pytest.mark.django_db
def test_staff_register_a_candidate_for_any_centre(login, staff, caseworker, other_centre):
    response = login(staff).post(
        reverse("candidates:create"), _intake(centre=other_centre.pk, caseworker="")
    )
    candidate = Candidate.objects.get()
    assert response.url == candidate.get_absolute_url()
    assert candidate.centre == other_centre


@pytest.mark.django_db
def test_the_did_is_recorded_at_intake_and_shown_on_the_candidates_page(login, caseworker):
    """Active-labour-policy funds (GOL) pay for a course only for people who made the DID."""
    client = login(caseworker)
    client.post(
        reverse("candidates:create"), _intake(did_on="2026-10-05", did_cpi="CPI di Bergamo")
    )
    candidate = Candidate.objects.get(last_name="El Idrissi")
    assert (candidate.did_on, candidate.did_cpi) == (datetime.date(2026, 10, 5), "CPI di Bergamo")
    page = client.get(candidate.get_absolute_url()).content.decode()
    assert "05/10/2026 · CPI di Bergamo" in page


FORKLIFT = "abilitazione-carrelli-elevatori"  # lasts five years


def _certificate(obtained: datetime.date | None, expires: datetime.date | None = None) -> dict:
    """The intake's certification row: the forklift licence with the dates typed."""
    return {
        "certifications-TOTAL_FORMS": "1",
        "certifications-0-certification": Certification.objects.get(code=FORKLIFT).pk,
        "certifications-0-obtained_on": obtained.isoformat() if obtained else "",
        "certifications-0-expires_on": expires.isoformat() if expires else "",
    }


def _last_march(years: int = 0) -> datetime.date:
    """15 March of last year, `years` later: dates the candidate's page shows as they are,
    whatever year the tests run in."""
    return datetime.date(timezone.localdate().year - 1 + years, 3, 15)


@pytest.mark.django_db
def test_a_certificate_entered_at_intake_without_expiry_expires_after_its_validity(
    login, caseworker
):
    response = login(caseworker).post(
        reverse("candidates:create"), _intake(**_certificate(_last_march())), follow=True
    )
    link = Candidate.objects.get().certification_links.get()
    assert link.expires_on == _last_march(5)
    assert f"{_last_march():%d/%m/%Y} → {_last_march(5):%d/%m/%Y}" in response.text


@pytest.mark.django_db
def test_an_expiry_typed_within_the_validity_is_kept(login, caseworker):
    login(caseworker).post(
        reverse("candidates:create"), _intake(**_certificate(_last_march(), _last_march(2)))
    )
    assert Candidate.objects.get().certification_links.get().expires_on == _last_march(2)


@pytest.mark.django_db
def test_an_expiry_beyond_the_validity_is_brought_back_to_it_and_the_caseworker_is_told(
    login, caseworker
):
    beyond = _last_march(7)
    response = login(caseworker).post(
        reverse("candidates:create"), _intake(**_certificate(_last_march(), beyond)), follow=True
    )
    assert Candidate.objects.get().certification_links.get().expires_on == _last_march(5)
    assert (
        "“Abilitazione alla conduzione di carrelli elevatori” vale 5 anni dal conseguimento: "
        f"scade il {_last_march(5):%d/%m/%Y}, non il {beyond:%d/%m/%Y}."
    ) in response.text
    assert f"→ {_last_march(5):%d/%m/%Y}" in response.text


@pytest.mark.django_db
def test_an_expiry_before_the_date_obtained_is_refused_and_what_was_typed_is_kept(
    login, caseworker
):
    response = login(caseworker).post(
        reverse("candidates:create"),
        _intake(**_certificate(datetime.date(2025, 3, 15), datetime.date(2025, 1, 10))),
    )
    assert response.status_code == 200
    assert "La scadenza non può precedere la data di conseguimento." in response.text
    assert 'value="2025-03-15"' in response.text
    assert 'value="2025-01-10"' in response.text
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_a_renewal_date_entered_later_works_the_expiry_out_again(login, caseworker, candidate):
    """The expiry shown was worked out from the old date: left as it was, it follows the new."""
    link = candidate.certification_links.create(
        certification=Certification.objects.get(code=FORKLIFT),
        obtained_on=_last_march(-4),
        expires_on=_last_march(1),
    )
    data = _intake(**_certificate(_last_march(), expires=_last_march(1)), version=1)
    data.update({"certifications-INITIAL_FORMS": "1", "certifications-0-id": link.pk})
    response = login(caseworker).post(reverse("candidates:update", args=[candidate.pk]), data)
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.obtained_on, link.expires_on) == (_last_march(), _last_march(5))


@pytest.mark.django_db
def test_the_intake_form_gives_the_privacy_notice_the_consents_are_recorded_with(
    login, caseworker, settings
):
    page = login(caseworker).get(reverse("candidates:create")).text
    assert reverse("privacy:notice") in page
    assert f"versione {settings.PRIVACY_NOTICE_VERSION}" in page
