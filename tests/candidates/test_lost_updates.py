import pytest
from django.test import Client
from django.urls import reverse

from candidates import services
from candidates.models import Candidate
from tests.concurrency import at_once
from tests.posted import form_data

CASEWORKERS_PHONE = "+39 340 1112233"


def _open(client: Client, candidate: Candidate):
    return client.get(reverse("candidates:update", args=[candidate.pk]))


def _posted(page, **typed) -> dict:
    """What the browser posts from the edit form on `page`, with `typed` typed in."""
    return {
        "action": "register",
        **{f"{prefix}-{count}": "0" for prefix in ("languages", "experiences", "certifications")
           for count in ("TOTAL_FORMS", "INITIAL_FORMS")},
        **form_data(page.context["form"]),
        **typed,
    }  # fmt: skip


def _save(client: Client, candidate: Candidate, data: dict):
    return client.post(reverse("candidates:update", args=[candidate.pk]), data)


@pytest.fixture
def two_open_forms(login, client, caseworker, staff, candidate):
    """Staff open the candidate's form; the caseworker then saves a new phone number."""
    staff_client = login(staff, client=Client())
    staff_page = _open(staff_client, candidate)
    caseworker_client = login(caseworker, client=client)
    saved = _save(
        caseworker_client,
        candidate,
        _posted(_open(caseworker_client, candidate), phone=CASEWORKERS_PHONE),
    )
    assert saved.status_code == 302
    return staff_client, staff_page


@pytest.mark.django_db
def test_a_form_opened_before_someone_elses_save_does_not_undo_it(two_open_forms, candidate):
    staff_client, staff_page = two_open_forms

    refused = _save(staff_client, candidate, _posted(staff_page, notes="Disponibile da lunedì"))

    assert refused.status_code == 200
    candidate.refresh_from_db()
    assert (candidate.phone, candidate.notes) == (CASEWORKERS_PHONE, "")
    assert "Nel frattempo qualcun altro ha modificato questa scheda" in refused.text
    changes = refused.context["form"].stale_changes
    assert [(c.label, c.value, c.conflict) for c in changes] == [
        ("Telefono", CASEWORKERS_PHONE, False)
    ]
    assert "Disponibile da lunedì" in refused.text


@pytest.mark.django_db
def test_saving_again_after_the_refusal_keeps_both_changes(two_open_forms, candidate):
    staff_client, staff_page = two_open_forms
    refused = _save(staff_client, candidate, _posted(staff_page, notes="Disponibile da lunedì"))

    saved = _save(staff_client, candidate, _posted(refused))

    assert saved.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.phone, candidate.notes) == (CASEWORKERS_PHONE, "Disponibile da lunedì")


@pytest.mark.django_db
def test_a_value_both_users_changed_shows_the_current_one_and_keeps_the_typed_one(
    two_open_forms, candidate
):
    staff_client, staff_page = two_open_forms

    refused = _save(staff_client, candidate, _posted(staff_page, phone="+39 035 998877"))

    changes = refused.context["form"].stale_changes
    assert [(c.value, c.conflict) for c in changes] == [(CASEWORKERS_PHONE, True)]
    assert 'value="+39 035 998877"' in refused.text
    candidate.refresh_from_db()
    assert candidate.phone == CASEWORKERS_PHONE


@pytest.mark.django_db
def test_a_status_move_makes_a_form_opened_before_it_stale(login, staff, candidate):
    client = login(staff)
    page = _open(client, candidate)
    services.candidate_set_status(
        candidate=Candidate.objects.get(pk=candidate.pk),
        status=Candidate.Status.SUSPENDED,
        actor=staff,
        reason="Ricoverata",
    )

    refused = _save(client, candidate, _posted(page, notes="Nota"))

    assert "Nel frattempo qualcun altro ha modificato questa scheda" in refused.text
    candidate.refresh_from_db()
    assert (candidate.status, candidate.notes) == ("suspended", "")


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_saves_of_the_same_version_only_one_is_written(
    reference_data, caseworker, candidate
):
    def saving(phone: str):
        stored = Candidate.objects.get(pk=candidate.pk)
        stored.phone = phone
        return lambda: services.candidate_update(
            candidate=stored, actor=caseworker, register=False, expected_version=1
        )

    assert at_once(saving("+39 1"), saving("+39 2")) == ["refused", "saved"]
    stored = Candidate.objects.get(pk=candidate.pk)
    assert stored.version == 2
    assert stored.phone in {"+39 1", "+39 2"}
