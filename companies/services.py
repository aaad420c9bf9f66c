"""Writes on companies, survey campaigns and needs."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation
from catalog.models import Certification, Skill
from catalog.versions import RecordGone, version_check
from companies.models import Company, Need, NeedCertification, NeedSkill, SurveyCampaign
from companies.validators import normalise_partita_iva

COMPANY_FIELDS = (
    "ateco",
    "size",
    "address",
    "comune",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def _unique_code(name: str) -> str:
    base = slugify(name)[:32] or "azienda"
    code, n = base, 1
    while Organisation.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def company_register(*, name: str, partita_iva: str, **details) -> Company:
    """Create a company and the organisation its HR users will belong to.

    `details` are the optional registry fields (COMPANY_FIELDS).
    """
    organisation = Organisation(name=name, code=_unique_code(name), kind=Organisation.Kind.COMPANY)
    organisation.full_clean()
    organisation.save()
    company = Company(
        organisation=organisation,
        partita_iva=normalise_partita_iva(partita_iva),
        **{field: value for field, value in details.items() if field in COMPANY_FIELDS},
    )
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def company_update(
    *,
    company: Company,
    name: str,
    partita_iva: str,
    expected_version: int | None = None,
    **details,
) -> Company:
    """Save the company's registry data. Given `expected_version` (the version its form was
    opened with), raises StaleEdit, writing nothing, when the company changed since."""
    if expected_version is not None:
        version_check(company, expected_version)
    if company.organisation.name != name:
        company.organisation.name = name
        company.organisation.full_clean()
        company.organisation.save(update_fields=["name"])
    company.partita_iva = normalise_partita_iva(partita_iva)
    changed = ["partita_iva", "updated_at"]
    for field, value in details.items():
        if field in COMPANY_FIELDS:
            setattr(company, field, value)
            changed.append(field)
    company.full_clean()
    company.save(update_fields=changed)
    return company


def need_requirements_set(
    *,
    need: Need,
    mandatory_skills: Iterable[Skill] = (),
    preferred_skills: Iterable[Skill] = (),
    mandatory_certifications: Iterable[Certification] = (),
    preferred_certifications: Iterable[Certification] = (),
) -> None:
    """Replace the need's skill and certification requirements."""
    need.skill_requirements.all().delete()
    need.certification_requirements.all().delete()
    NeedSkill.objects.bulk_create(
        [NeedSkill(need=need, skill=skill, mandatory=True) for skill in mandatory_skills]
        + [NeedSkill(need=need, skill=skill, mandatory=False) for skill in preferred_skills]
    )
    NeedCertification.objects.bulk_create(
        [
            NeedCertification(need=need, certification=c, mandatory=True)
            for c in mandatory_certifications
        ]
        + [
            NeedCertification(need=need, certification=c, mandatory=False)
            for c in preferred_certifications
        ]
    )


REQUIREMENT_FIELDS = (
    "mandatory_skills",
    "preferred_skills",
    "mandatory_certifications",
    "preferred_certifications",
)


@transaction.atomic
def campaign_answer_save(
    *,
    company: Company,
    campaign: SurveyCampaign,
    needs: Iterable[tuple[Need, dict]],
    removed: Iterable[Need] = (),
    expected_versions: Mapping[int, int] | None = None,
) -> list[Need]:
    """Save a company's answer to a campaign: its needs, each with its requirements.

    `needs` pairs each need (new or existing, with its fields already set) with its
    requirements; `removed` are the company's needs to delete. All or nothing.
    `expected_versions` maps each existing need, saved or removed, to the version its form
    was opened with: when any of them changed since, or is no longer there, StaleEdit
    (RecordGone) is raised and nothing is written. A campaign that no longer takes answers
    (closed since the page was opened) raises ValidationError, writing nothing.
    """
    if not campaign.accepts_answers:
        raise ValidationError(
            _("The campaign is closed: its answers can no longer change."), code="closed"
        )
    needs, removed = list(needs), list(removed)
    if expected_versions is not None:
        # One need at a time, in the order of their keys, so that two answers touching the
        # same needs lock them in the same order and never wait for each other.
        existing = [need for need, _requirements in needs if need.pk is not None] + removed
        for need in sorted(existing, key=lambda need: need.pk):
            try:
                version_check(need, expected_versions.get(need.pk))
            except RecordGone:
                if need not in removed:  # one to remove that somebody else removed: done
                    raise
    for need in removed:
        if need.company_id == company.pk and need.campaign_id == campaign.pk:
            need.delete()
    saved = []
    for need, requirements in needs:
        need.company, need.campaign = company, campaign
        need.full_clean()
        need.save()
        need_requirements_set(need=need, **requirements)
        saved.append(need)
    return saved
