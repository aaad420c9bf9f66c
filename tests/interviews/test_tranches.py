"""Staff plan the tranches of interviews: written by services that check them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews.models import Tranche
from interviews.services import tranche_update
from tests.factories import TrancheFactory


@pytest.mark.django_db
def test_staff_plan_a_tranche_and_its_dates_are_checked(login, staff):
    client = login(staff)
    data = {"name": "Terza tranche", "starts_on": "2027-03-01", "ends_on": "2027-01-31"}
    refused = client.post(reverse("interviews:tranche_create"), {**data, "target": "40"})
    assert refused.status_code == 200
    assert 'value="Terza tranche"' in refused.text
    assert not Tranche.objects.exists()

    created = client.post(
        reverse("interviews:tranche_create"), {**data, "ends_on": "2027-04-30", "target": "40"}
    )
    tranche = Tranche.objects.get()
    assert created.url == tranche.get_absolute_url()
    assert (tranche.name, tranche.target) == ("Terza tranche", 40)


@pytest.mark.django_db
def test_a_tranche_change_is_refused_by_field_and_writes_nothing():
    tranche = TrancheFactory(target=46)
    other = TrancheFactory()
    with pytest.raises(ValidationError) as refused:
        tranche_update(tranche=tranche, name=other.name, target=50)
    assert list(refused.value.message_dict) == ["name"]
    tranche.refresh_from_db()
    assert tranche.target == 46
    tranche_update(tranche=tranche, ends_on=datetime.date(2027, 1, 15))
    tranche.refresh_from_db()
    assert (tranche.ends_on, tranche.target) == (datetime.date(2027, 1, 15), 46)
