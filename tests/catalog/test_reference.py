"""The reference data the portal loads from packages and from its own vocabulary.

The comuni are checked against an independent extract kept for tests in
../shared/data/comuni_bg.csv (never used by the portal itself).
"""

import csv
import math
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import AtecoCode, Comune, JobProfile

SHARED_DATA = Path(
    os.environ.get("FOCUS_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)

TEN_PROFILES = {
    "addetto-assemblaggio": "8211, 8219",
    "operatore-robot": "3139",
    "operatore-cnc": "7223",
    "addetto-saldatura": "7212",
    "operatore-pulizie": "9112",
    "addetto-magazzino": "9333, 4321",
    "carrellista": "8344",
    "manutentore-meccanico": "7233",
    "elettricista": "7411, 7412",
    "operatore-materie-plastiche": "8142",
}


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.mark.django_db
def test_the_ten_most_requested_profiles_are_loaded_with_their_codes():
    profiles = {p.code: p for p in JobProfile.objects.prefetch_related("skills", "certifications")}
    assert {code: profiles[code].isco_codes for code in TEN_PROFILES} == TEN_PROFILES
    for profile in profiles.values():
        assert profile.cp2021_codes, profile.code
        assert profile.skills.exists(), profile.code
        assert profile.name_it
        assert profile.name_en
    forklift = profiles["carrellista"].certifications.get(code="abilitazione-carrelli-elevatori")
    assert "art. 73 D.Lgs. 81/08" in forklift.reference
    assert forklift.validity_years == 5


@pytest.mark.django_db
def test_every_comune_of_the_province_is_there_most_with_coordinates():
    bergamo = Comune.objects.filter(province="BG")
    assert bergamo.count() == 243
    assert bergamo.exclude(latitude=None).count() >= 0.9 * 243
    city = Comune.objects.get(name="Bergamo", province="BG")
    assert city.istat_code == "016024"
    assert city.belfiore_code == "A794"
    assert "24121" in city.cap_list
    assert "24129" in city.cap_list


@pytest.mark.django_db
def test_comuni_match_an_independent_extract():
    with (SHARED_DATA / "comuni_bg.csv").open(encoding="utf-8") as handle:
        reference = {row["codice_istat"]: row for row in csv.DictReader(handle)}
    ours = {c.istat_code: c for c in Comune.objects.filter(province="BG")}
    assert set(ours) == set(reference)
    placed = [c for c in ours.values() if c.has_coordinates]
    close = [
        c
        for c in placed
        if _km(
            c.latitude,
            c.longitude,
            float(reference[c.istat_code]["lat"]),
            float(reference[c.istat_code]["lon"]),
        )
        < 5
    ]
    assert len(close) >= 0.95 * len(placed)
    assert all(
        ours[code].belfiore_code == row["codice_belfiore"] for code, row in reference.items()
    )


@pytest.mark.django_db
def test_ateco_2025_is_loaded_with_its_hierarchy():
    assert AtecoCode.objects.filter(level="section").count() == 22
    code = AtecoCode.objects.select_related("parent").get(code="25.11.00")
    assert code.section == "C"
    assert "strutture metalliche" in code.title
    assert code.parent.code.startswith("25.11")


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_keeps_edited_names():
    profile = JobProfile.objects.get(code="carrellista")
    profile.name_it = "Carrellista (mulettista)"
    profile.save()
    counts = {model: model.objects.count() for model in (JobProfile, Comune, AtecoCode)}
    call_command("load_reference", verbosity=0)
    assert {model: model.objects.count() for model in counts} == counts
    profile.refresh_from_db()
    assert profile.name_it == "Carrellista (mulettista)"


@pytest.mark.django_db
def test_admin_edits_a_profile_in_the_portal(login, admin):
    profile = JobProfile.objects.get(code="operatore-cnc")
    response = login(admin).post(
        reverse("catalog:profile_update", args=[profile.pk]),
        {
            "code": profile.code,
            "name_it": "Operatore CNC",
            "name_en": "CNC operator",
            "isco_codes": "7223",
            "cp2021_codes": profile.cp2021_codes,
            "family": profile.family_id,
            "skills": list(profile.skills.values_list("pk", flat=True)),
            "is_active": "on",
        },
    )
    assert response.url == reverse("catalog:profile_list")
    profile.refresh_from_db()
    assert profile.name_it == "Operatore CNC"
    assert not profile.certifications.exists()


@pytest.mark.django_db
def test_profile_names_follow_the_language(login, staff, client):
    client = login(staff)
    assert "Carrellista" in client.get(reverse("catalog:profile_list")).text
    client.post(reverse("set_language"), {"language": "en"})
    assert "Forklift operator" in client.get(reverse("catalog:profile_list")).text


@pytest.mark.django_db
def test_catalogue_list_runs_a_fixed_number_of_queries(login, staff, django_assert_num_queries):
    client = login(staff)
    # session, user with organisation, profiles with family, their skills, their certifications
    with django_assert_num_queries(5):
        client.get(reverse("catalog:profile_list"))
