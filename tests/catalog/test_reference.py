"""The reference data the portal loads from packages and from its own vocabulary.

The comuni's points are checked against independent facts written here: the town-centre
coordinates and cadastral codes of comuni of the province, as ISTAT and the comuni publish
them (coordinates to two decimals, about a kilometre).
"""

import math

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from catalog.models import AtecoCode, Certification, Comune, JobProfile, Skill
from catalog.services import skill_save
from matching.ranking import road_km

# ISTAT code: (name, cadastral code, latitude, longitude), from the plain to the valleys.
PROVINCE_FACTS = {
    "016024": ("Bergamo", "A794", 45.69, 9.67),
    "016219": ("Treviglio", "L400", 45.52, 9.59),
    "016091": ("Dalmine", "D245", 45.65, 9.60),
    "016183": ("Romano di Lombardia", "H509", 45.52, 9.75),
    "016053": ("Caravaggio", "B731", 45.50, 9.64),
    "016133": ("Martinengo", "E987", 45.57, 9.77),
    "016198": ("Seriate", "I628", 45.68, 9.72),
    "016170": ("Ponte San Pietro", "G856", 45.70, 9.59),
    "016207": ("Stezzano", "I951", 45.65, 9.65),
    "016008": ("Alzano Lombardo", "A246", 45.73, 9.73),
    "016004": ("Albino", "A163", 45.76, 9.80),
    "016246": ("Zogno", "M184", 45.79, 9.67),
    "016190": ("San Pellegrino Terme", "I079", 45.84, 9.66),
    "016164": ("Piazza Brembana", "G579", 45.94, 9.68),
    "016077": ("Clusone", "C800", 45.89, 9.95),
    "016064": ("Castione della Presolana", "C324", 45.91, 10.04),
    "016128": ("Lovere", "E704", 45.82, 10.08),
    "016193": ("Sarnico", "I437", 45.67, 9.96),
    "016195": ("Schilpario", "I530", 46.01, 10.15),
    "016103": ("Foppolo", "D688", 46.04, 9.76),
}

# The province's bounding box: (south, north), (west, east).
PROVINCE_BOX = ((45.4, 46.2), (9.3, 10.3))

# Comuni GeoNames lists under another name or through the places they were formed from, with
# neighbouring comuni: each must lie within a few kilometres of those.
UNDER_OTHER_NAMES = {
    "Capizzone": ("Bedulita", "Strozza", "Roncola"),
    "Caprino Bergamasco": ("Cisano Bergamasco", "Pontida"),
    "Cenate Sotto": ("Cenate Sopra", "Trescore Balneario", "San Paolo d'Argon"),
    "Cerete": ("Songavazzo", "Rovetta"),
    "Endine Gaiano": ("Ranzanico", "Monasterolo del Castello", "Sovere"),
    "Fara Olivana con Sola": ("Covo", "Isso"),
    "Scanzorosciate": ("Pedrengo", "Villa di Serio"),
    "Valbondione": ("Gandellino", "Vilminore di Scalve"),
    "Valbrembo": ("Paladina", "Mozzo", "Ponte San Pietro"),
    "Costa Serina": ("Algua", "Serina"),
    "Val Brembilla": ("Blello", "Berbenno", "Capizzone"),
}

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
def test_every_comune_of_the_province_is_there_with_its_codes():
    assert Comune.objects.filter(province="BG").count() == 243
    city = Comune.objects.get(name="Bergamo", province="BG")
    assert city.istat_code == "016024"
    assert city.belfiore_code == "A794"
    assert "24121" in city.cap_list
    assert "24129" in city.cap_list


@pytest.mark.django_db
def test_every_comune_of_the_province_of_bergamo_has_coordinates():
    (south, north), (west, east) = PROVINCE_BOX
    bergamo = list(Comune.objects.filter(province="BG"))
    assert len(bergamo) == 243
    for comune in bergamo:
        assert comune.has_coordinates, comune.name
        assert south < comune.latitude < north, comune.name
        assert west < comune.longitude < east, comune.name


@pytest.mark.django_db
def test_scanzorosciate_is_within_10_km_of_bergamo():
    scanzorosciate = Comune.objects.get(istat_code="016194")
    bergamo = Comune.objects.get(istat_code="016024")
    assert scanzorosciate.name == "Scanzorosciate"
    assert 2 < road_km(scanzorosciate, bergamo) < 10


@pytest.mark.django_db
def test_comuni_geonames_names_otherwise_lie_next_to_their_neighbours():
    names = set(UNDER_OTHER_NAMES).union(*UNDER_OTHER_NAMES.values())
    ours = {c.name: c for c in Comune.objects.filter(province="BG", name__in=names)}
    assert set(ours) == names
    for name, neighbours in UNDER_OTHER_NAMES.items():
        for neighbour in neighbours:
            assert road_km(ours[name], ours[neighbour]) < 13, (name, neighbour)  # by road


@pytest.mark.django_db
def test_comuni_lie_where_independent_facts_place_them():
    ours = Comune.objects.in_bulk(list(PROVINCE_FACTS), field_name="istat_code")
    assert set(ours) == set(PROVINCE_FACTS)
    for code, (name, cadastral, latitude, longitude) in PROVINCE_FACTS.items():
        comune = ours[code]
        assert (comune.name, comune.belfiore_code, comune.province) == (name, cadastral, "BG")
        assert comune.has_coordinates, name
        assert _km(comune.latitude, comune.longitude, latitude, longitude) < 5, name


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
@pytest.mark.parametrize("more", [3, 60])
def test_catalogue_list_runs_a_fixed_number_of_queries(
    login, staff, django_assert_num_queries, more
):
    family = JobProfile.objects.exclude(family=None).first().family
    skill, certification = Skill.objects.first(), Certification.objects.first()
    for n in range(more):
        profile = JobProfile.objects.create(
            code=f"profilo-{n}", name_it=f"Profilo {n}", name_en=f"Profile {n}", family=family
        )
        profile.skills.add(skill)
        profile.certifications.add(certification)
    client = login(staff)
    # session, user with organisation, their second factor's device, the count for the
    # paginator, the page of profiles with family (searched, sorted by family), their skills,
    # their certifications
    with django_assert_num_queries(7):
        response = client.get(reverse("catalog:profile_list"), {"q": "profil", "sort": "family"})
    assert response.text.count("Profilo ") == min(more, 50)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["skill", "certification"])
@pytest.mark.parametrize("more", [3, 60])
def test_skill_and_certification_lists_run_a_fixed_number_of_queries(
    login, staff, django_assert_num_queries, kind, more
):
    model = {"skill": Skill, "certification": Certification}[kind]
    for n in range(more):
        model.objects.create(code=f"voce-{n}", name_it=f"Voce {n}", name_en=f"Entry {n}")
    client = login(staff)
    # session, user with organisation, their second factor's device, the count for the
    # paginator, the page of entries (searched, sorted by name, the last first)
    sort = {"skill": "-name_it", "certification": "-name"}[kind]
    with django_assert_num_queries(5):
        response = client.get(reverse(f"catalog:{kind}_list"), {"q": "voce", "sort": sort})
    assert response.text.count("Voce ") == min(more, 50)


@pytest.mark.django_db
def test_catalogue_entries_are_saved_by_a_service_that_checks_them(login, admin):
    skill = skill_save(code="saldatura-laser", name_it="Saldatura laser", name_en="Laser welding")
    assert Skill.objects.get(code="saldatura-laser") == skill
    with pytest.raises(ValidationError) as refused:
        skill_save(code="saldatura-laser", name_it="Altra", name_en="Other")
    assert list(refused.value.message_dict) == ["code"]
    response = login(admin).post(
        reverse("catalog:skill_create"),
        {
            "code": "saldatura-laser",
            "name_it": "Saldatura",
            "name_en": "Welding",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert Skill.objects.filter(code="saldatura-laser").count() == 1
