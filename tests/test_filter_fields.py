"""A list's filters (focus.filter_fields): each field labelled, what was typed kept, an error
tied to its field, a group of boxes in a fieldset named by its legend."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(login, staff):
    response = login(staff).get(
        reverse("candidates:list"),
        {"q": "Rossi", "date_from": "31/02/2026", "employability": ["B"]},
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert response.status_code == 200
    return response.text


def test_every_filter_has_a_label_for_its_field(page):
    form = page[page.index('<form method="get" class="mb-3" role="search">') :]
    form = form[: form.index("</form>")]
    ids = re.findall(r'<(?:input|select)\b[^>]*\bid="(id_[a-z_]+)"', form)
    assert "id_q" in ids
    assert "id_status" in ids
    boxes = {f"id_employability_{n}" for n in range(3)}
    for field_id in set(ids) - boxes:
        assert f'for="{field_id}"' in form, field_id


def test_what_was_typed_and_chosen_is_kept(page):
    assert re.search(r'<input type="text" name="q" value="Rossi" class="form-control"', page)
    checked = re.search(r'<input[^>]*value="B"[^>]*id="id_employability_1"[^>]*>', page).group()
    assert "checked" in checked
    unchecked = re.search(r'<input[^>]*value="A"[^>]*id="id_employability_0"[^>]*>', page).group()
    assert "checked" not in unchecked


def test_a_wrong_date_is_said_beside_its_field_and_tied_to_it(page):
    field = re.search(r'<input type="date" name="date_from"[^>]*>', page).group()
    assert 'aria-invalid="true"' in field
    assert "is-invalid" in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert re.search(rf'<div id="{described}" class="invalid-feedback[^"]*">\s*<strong>', page)
    assert "Inserisci una data valida" in page


def test_a_group_of_boxes_is_a_fieldset_named_by_its_legend(page):
    group = re.search(r"<fieldset><legend[^>]*>([^<]+)</legend>(.*?)</fieldset>", page, re.S)
    assert group.group(1) == "Classe di occupabilità"
    assert group.group(2).count('type="checkbox"') == 3
