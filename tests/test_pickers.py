"""The searchable pickers: what the page carries, and what the on-demand options answer."""

import json

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from catalog.models import Skill
from companies.models import Company
from focus.pickers import MultiPicker, Picker, options_response
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_a_picker_of_a_short_list_carries_every_option_and_the_texts_in_italian():
    class Form(forms.Form):
        skills = forms.ModelMultipleChoiceField(
            queryset=Skill.objects.all(), widget=MultiPicker, required=False
        )

    with translation.override("it"):
        html = str(Form()["skills"])

    assert 'data-picker="multiple"' in html
    assert html.count("<option") == Skill.objects.count()
    assert 'data-picker-no-results="Nessun risultato"' in html


def test_an_on_demand_picker_carries_only_the_chosen_option():
    chosen, *others = CompanyFactory.create_batch(5)

    class Form(forms.Form):
        company = forms.ModelChoiceField(
            queryset=Company.objects.all(),
            widget=Picker(source="companies:company_options"),
            required=False,
        )

    html = str(Form(initial={"company": chosen.pk})["company"])

    assert 'data-picker-source="/companies/options/"' in html
    assert f'value="{chosen.pk}" selected' in html
    assert all(str(other) not in html for other in others)
    assert html.count("<option") == 2  # the empty choice and the chosen company


def test_an_on_demand_picker_still_accepts_any_row_of_its_queryset():
    company = CompanyFactory()

    class Form(forms.Form):
        company = forms.ModelChoiceField(
            queryset=Company.objects.all(), widget=Picker(source="companies:company_options")
        )

    form = Form(data={"company": str(company.pk)})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["company"] == company


def _options(typed: str, queryset, **kwargs) -> list[dict]:
    request = RequestFactory().get("/", {"q": typed})
    return json.loads(options_response(request, queryset, **kwargs).content)["results"]


def test_the_options_answer_what_was_typed_word_by_word_from_the_given_rows_only():
    wanted = CompanyFactory(organisation__name="Meccanica Brembana Srl")
    CompanyFactory(organisation__name="Meccanica Seriana Srl")
    hidden = CompanyFactory(organisation__name="Brembana Plastica Srl")

    results = _options(
        "brembana mecc", Company.objects.exclude(pk=hidden.pk), search=["organisation__name"]
    )

    assert results == [{"value": wanted.pk, "text": str(wanted)}]


def test_one_letter_answers_no_options():
    CompanyFactory(organisation__name="Acme Srl")

    assert _options("a", Company.objects.all(), search=["organisation__name"]) == []


def test_the_user_form_offers_organisations_as_the_administrator_types(login, admin, centre):
    client = login(admin)
    page = client.get(reverse("accounts:user_create"))
    assert 'data-picker-source="/accounts/organisations/options/"' in page.text
    assert f">{centre.name}" not in page.text  # no organisation is rendered in the page

    typed = client.get(reverse("accounts:organisation_options"), {"q": centre.name[:5]})

    assert {"value": centre.pk, "text": f"{centre.name} ({centre.get_kind_display()})"} in (
        typed.json()["results"]
    )
