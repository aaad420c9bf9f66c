"""The catalogue's three lists, drawn by one template: each pages, sorts by its columns and
searches names and codes (their query pins at two sizes are in test_reference.py)."""

import pytest
from django.conf import settings
from django.urls import reverse

from catalog.models import Certification, JobProfile, Skill

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    return [entry.code for entry in response.context["page"]]


def test_profiles_sort_by_family_and_by_name_in_the_users_language(login, staff):
    client = login(staff)
    by_name = _codes(client.get(reverse("catalog:profile_list")))
    names = [JobProfile.objects.get(code=code).name_it for code in by_name]
    assert names == sorted(names)
    by_family = client.get(reverse("catalog:profile_list"), {"sort": "family"})
    families = [profile.family.name_it for profile in by_family.context["page"]]
    assert families == sorted(families)
    assert by_family.context["page"].paginator.count == JobProfile.objects.count()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = [p.name_en for p in client.get(reverse("catalog:profile_list")).context["page"]]
    assert english == sorted(english)
    assert english[0] != names[0]  # Assembly worker in English, Addetto... in Italian


def test_certifications_sort_by_validity_those_that_never_expire_last(login, staff):
    client = login(staff)
    page = client.get(reverse("catalog:certification_list"), {"sort": "validity"})
    years = [cert.validity_years for cert in page.context["page"]]
    known = [value for value in years if value is not None]
    assert years == known + [None] * (len(years) - len(known))
    assert known == sorted(known)
    assert 'aria-sort="ascending"' in page.text


def test_skills_page_by_number_and_sort_by_code(login, staff):
    Skill.objects.bulk_create(
        Skill(code=f"voce-{n:02d}", name_it=f"Voce {n:02d}", name_en=f"Entry {n:02d}")
        for n in range(60)
    )
    client = login(staff)
    total = Skill.objects.count()
    second = client.get(reverse("catalog:skill_list"), {"sort": "-code", "page": "2"})
    everything = sorted(Skill.objects.values_list("code", flat=True), reverse=True)
    assert _codes(second) == everything[50:100]
    assert second.context["page"].paginator.count == total
    assert 'aria-current="page"' in second.text


def test_the_search_narrows_each_list_to_names_and_codes(login, staff):
    client = login(staff)
    assert _codes(client.get(reverse("catalog:profile_list"), {"q": "forklift"})) == ["carrellista"]
    found = _codes(client.get(reverse("catalog:skill_list"), {"q": "saldatura tig"}))
    assert found == ["saldatura-tig"]
    certifications = client.get(reverse("catalog:certification_list"), {"q": "9606"})
    assert _codes(certifications) == list(
        Certification.objects.filter(code__contains="9606").values_list("code", flat=True)
    )
    assert "Nessun risultato." in client.get(reverse("catalog:skill_list"), {"q": "zzz"}).text


def test_the_tabs_keep_one_skeleton_and_caseworkers_may_not_list(login, staff, caseworker):
    client = login(staff)
    for kind in ("profile", "skill", "certification"):
        html = client.get(reverse(f"catalog:{kind}_list")).text
        assert 'data-testid="catalogue"' in html
        assert 'role="search"' in html
        assert 'aria-current="page" href="' + reverse(f"catalog:{kind}_list") in html
    assert login(caseworker).get(reverse("catalog:skill_list")).status_code == 403
