import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from catalog.models import JobProfile
from companies import services
from companies.models import Company, Need
from tests.concurrency import at_once, meanwhile
from tests.factories import NeedFactory, SurveyCampaignFactory, UserFactory
from tests.posted import form_data


def _posted(page, **typed) -> dict:
    """What the browser posts from the company form on `page`, with `typed` typed in."""
    return {**form_data(page.context["form"]), **typed}


@pytest.mark.django_db
def test_a_company_form_opened_before_someone_elses_save_does_not_undo_it(
    login, client, company_hr, staff, company
):
    url = reverse("companies:update", args=[company.pk])
    staff_client = login(staff, client=Client())
    staff_page = staff_client.get(url)
    hr_client = login(company_hr, client=client)
    saved = hr_client.post(url, _posted(hr_client.get(url), contact_phone="035 123456"))
    assert saved.status_code == 302

    refused = staff_client.post(url, _posted(staff_page, contact_name="Giulia Locatelli"))

    company.refresh_from_db()
    assert (company.contact_phone, company.contact_name) == ("035 123456", "")
    assert "Nel frattempo qualcun altro ha modificato questa scheda" in refused.text
    changes = refused.context["form"].stale_changes
    assert [(c.label, c.value) for c in changes] == [("Telefono del referente", "035 123456")]
    assert 'value="Giulia Locatelli"' in refused.text

    again = staff_client.post(url, _posted(refused))

    assert again.status_code == 302
    company = Company.objects.get(pk=company.pk)
    assert (company.contact_phone, company.contact_name) == ("035 123456", "Giulia Locatelli")


# The needs of a company's answer to a campaign, several in one page.


@pytest.fixture
def campaign(db):
    return SurveyCampaignFactory(name="Rilevazione 2026", status="open")


@pytest.fixture
def two_needs(company, campaign):
    welding = JobProfile.objects.get(code="addetto-saldatura")
    return (
        NeedFactory(company=company, campaign=campaign, headcount=2),
        NeedFactory(company=company, campaign=campaign, profile=welding, headcount=1),
    )


@pytest.fixture
def second_hr(company):
    return UserFactory(role=User.Role.COMPANY_HR, organisation=company.organisation)


def _answer_url(campaign) -> str:
    return reverse("companies:campaign_answer", args=[campaign.pk])


def _answer_posted(page, typed: dict[int, dict]) -> dict:
    """What the browser posts from the answer page: each card as drawn (a disabled field is
    not sent), with `typed` typed in, by card."""
    formset = page.context["formset"]
    data = form_data(formset.management_form, *formset.forms)
    for index, form in enumerate(formset.forms):
        data.update({form.add_prefix(name): value for name, value in typed.get(index, {}).items()})
    return data


def _cards(page) -> list[str]:
    return re.findall(r'<fieldset class="card mb-3" data-testid="need-form">.*?</fieldset>',
                      page.text, re.DOTALL)  # fmt: skip


def _colleague_saves(login, colleague, campaign, typed: dict[int, dict]) -> None:
    """`colleague` opens the answer page and saves it with `typed` typed in, by card."""
    client = login(colleague, client=Client())
    page = client.get(_answer_url(campaign))
    assert client.post(_answer_url(campaign), _answer_posted(page, typed)).status_code == 302


@pytest.fixture
def answer_opened_before_a_colleagues_save(
    login, client, company_hr, second_hr, campaign, two_needs
):
    """The HR user opens the answer page; a colleague then raises the first need's headcount."""
    page = login(company_hr, client=client).get(_answer_url(campaign))
    _colleague_saves(login, second_hr, campaign, {0: {"headcount": "5"}})
    return page


@pytest.mark.django_db
def test_an_answer_opened_before_a_colleagues_save_does_not_undo_it(
    client, campaign, two_needs, answer_opened_before_a_colleagues_save
):
    page = answer_opened_before_a_colleagues_save
    first, second = two_needs

    refused = client.post(
        _answer_url(campaign),
        _answer_posted(page, {0: {"notes": "Turno notturno a rotazione"}, 1: {"headcount": "7"}}),
    )

    assert refused.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.headcount, first.notes, second.headcount) == (5, "", 1)  # nothing written
    assert "qualcun altro ha modificato o eliminato alcuni di questi fabbisogni" in refused.text
    forms = refused.context["formset"].forms
    assert [(c.label, c.value, c.conflict) for c in forms[0].stale_changes] == [
        ("Persone richieste", "5", False)
    ]
    assert forms[1].stale_changes is None  # unchanged meanwhile: nothing to say
    cards = _cards(refused)
    assert "Nel frattempo qualcun altro ha modificato questa scheda" in cards[0]
    assert "Nel frattempo qualcun altro" not in cards[1]
    assert "Turno notturno a rotazione" in cards[0]
    assert 'value="7"' in cards[1]

    again = client.post(_answer_url(campaign), _answer_posted(refused, {}))

    assert again.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.headcount, first.notes, second.headcount) == (5, "Turno notturno a rotazione", 7)


@pytest.mark.django_db
def test_a_need_both_changed_keeps_the_typed_value_and_shows_the_current_one(
    client, campaign, two_needs, answer_opened_before_a_colleagues_save
):
    page = answer_opened_before_a_colleagues_save

    refused = client.post(_answer_url(campaign), _answer_posted(page, {0: {"headcount": "9"}}))

    changes = refused.context["formset"].forms[0].stale_changes
    assert [(c.value, c.conflict) for c in changes] == [("5", True)]
    assert 'value="9"' in _cards(refused)[0]
    two_needs[0].refresh_from_db()
    assert two_needs[0].headcount == 5


@pytest.fixture
def answer_opened_before_a_removal(login, client, company_hr, second_hr, campaign, two_needs):
    """The HR user opens the answer page; a colleague then removes the second need."""
    page = login(company_hr, client=client).get(_answer_url(campaign))
    _colleague_saves(login, second_hr, campaign, {1: {"DELETE": "on"}})
    assert not Need.objects.filter(pk=two_needs[1].pk).exists()
    return page


@pytest.mark.django_db
def test_a_need_removed_meanwhile_is_said_and_nothing_is_written(
    client, campaign, two_needs, answer_opened_before_a_removal
):
    page = answer_opened_before_a_removal

    refused = client.post(
        _answer_url(campaign),
        _answer_posted(page, {0: {"headcount": "4"}, 1: {"notes": "Saldatura TIG"}}),
    )

    assert refused.status_code == 200
    assert list(Need.objects.values_list("pk", "headcount")) == [(two_needs[0].pk, 2)]
    cards = _cards(refused)
    assert "Nel frattempo qualcun altro ha eliminato questo fabbisogno" in cards[1]
    assert "Saldatura TIG" in cards[1]
    assert 'value="4"' in cards[0]

    again = client.post(_answer_url(campaign), _answer_posted(refused, {}))

    assert again.status_code == 302  # the removed need is added back, as typed
    needs = Need.objects.filter(campaign=campaign).order_by("pk")
    assert [(n.pk == two_needs[0].pk, n.headcount, n.notes) for n in needs] == [
        (True, 4, ""),
        (False, 1, "Saldatura TIG"),
    ]


@pytest.mark.django_db
def test_a_need_removed_meanwhile_can_be_left_out(
    client, campaign, two_needs, answer_opened_before_a_removal
):
    page = answer_opened_before_a_removal
    refused = client.post(_answer_url(campaign), _answer_posted(page, {1: {"notes": "Saldatura"}}))
    assert 'name="needs-1-DELETE"' in _cards(refused)[1]

    again = client.post(_answer_url(campaign), _answer_posted(refused, {1: {"DELETE": "on"}}))

    assert again.status_code == 302
    assert list(Need.objects.values_list("pk", flat=True)) == [two_needs[0].pk]


@pytest.mark.django_db
def test_a_need_removed_while_the_answer_is_being_saved_writes_nothing(
    login, client, company_hr, campaign, two_needs
):
    page = login(company_hr, client=client).get(_answer_url(campaign))

    def removed(**kwargs):
        Need.objects.filter(pk=two_needs[1].pk).delete()

    with meanwhile(services, "campaign_answer_save", removed):
        refused = client.post(
            _answer_url(campaign),
            _answer_posted(page, {0: {"headcount": "4"}, 1: {"notes": "TIG"}}),
        )

    assert refused.status_code == 200
    two_needs[0].refresh_from_db()
    assert two_needs[0].headcount == 2
    assert "Nel frattempo qualcun altro ha eliminato questo fabbisogno" in _cards(refused)[1]
    again = client.post(_answer_url(campaign), _answer_posted(refused, {}))
    assert again.status_code == 302
    assert set(Need.objects.values_list("headcount", "notes")) == {(4, ""), (1, "TIG")}


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_answers_on_the_same_version_of_a_need_only_one_is_written(
    reference_data, company, campaign
):
    need = NeedFactory(company=company, campaign=campaign, headcount=2)

    def answering(headcount: int):
        stored = Need.objects.get(pk=need.pk)
        return lambda: services.campaign_answer_save(
            company=company,
            campaign=campaign,
            needs=[(stored, {"headcount": headcount})],
            expected_versions={need.pk: 1},
        )

    assert at_once(answering(5), answering(8)) == ["refused", "saved"]
    stored = Need.objects.get(pk=need.pk)
    assert stored.version == 2
    assert stored.headcount in {5, 8}


@pytest.mark.django_db
def test_a_campaign_closed_while_the_answer_is_being_saved_says_so_and_keeps_the_answer(
    login, client, company_hr, campaign, two_needs
):
    page = login(company_hr, client=client).get(_answer_url(campaign))

    def closed(**kwargs):
        type(campaign).objects.filter(pk=campaign.pk).update(status="closed")
        kwargs["campaign"].refresh_from_db()

    with meanwhile(services, "campaign_answer_save", closed):
        refused = client.post(_answer_url(campaign), _answer_posted(page, {0: {"headcount": "7"}}))

    assert refused.status_code == 200  # a message, not a server error
    assert "La rilevazione è chiusa" in refused.text
    assert 'value="7"' in refused.text  # what was typed is still there
    two_needs[0].refresh_from_db()
    assert two_needs[0].headcount == 2
