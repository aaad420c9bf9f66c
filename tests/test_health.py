from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse


@pytest.mark.django_db
def test_health_answers_ok_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"db": "ok"}


@pytest.mark.django_db
def test_health_answers_503_when_the_database_does_not(client):
    with mock.patch("accounts.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"db": "error"}
