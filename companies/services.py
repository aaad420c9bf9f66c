"""Writes on companies, survey campaigns and needs."""

import datetime
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
from focus.cache import touch
from focus.records import fields_save

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


def _name_check(name: str, company: Company | None) -> None:
    """One company for each name, whatever the case it is written in."""
    others = Organisation.objects.filter(kind=Organisation.Kind.COMPANY, name__iexact=name)
    if company is not None:
        others = others.exclude(pk=company.organisation_id)
    if others.exists():
        raise ValidationError(
            {"name": _("A company with this name is already registered.")}, code="name_taken"
        )


@transaction.atomic
def company_register(*, name: str, partita_iva: str, **details) -> Company:
    """Create a company and the organisation its HR users will belong to, from the
    companies' pages or the survey's import.

    `details` are the optional registry fields (COMPANY_FIELDS). Raises ValidationError
    keyed by field (a name another company has...), writing nothing.
    """
    _name_check(name, None)
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
    """Save the company's registry data: its name, partita IVA and the `details` given (the
    others keep their value). Given `expected_version` (the version its form was opened
    with), raises StaleEdit, writing nothing, when the company changed since. Raises
    ValidationError keyed by field, writing nothing."""
    if expected_version is not None:
        version_check(company, expected_version)
    _name_check(name, company)
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
    touch("ranking")  # bulk_create sends no signal


# What a need says, besides its company and campaign: the needs form's fields and the
# columns of the import's "Fabbisogni" sheet.
NEED_FIELDS = (
    "profile",
    "headcount",
    "workplace",
    "contract",
    "hours",
    "shifts",
    "nights",
    "weekends",
    "start_date",
    "italian_level",
    "driving_licence",
    "own_car_required",
    "duration_months",
    "min_experience_years",
    "notes",
    "status",
)
REQUIREMENT_FIELDS = (
    "mandatory_skills",
    "preferred_skills",
    "mandatory_certifications",
    "preferred_certifications",
)
# A need's references; one given as a record read from the database is not looked up again.
NEED_REFERENCES = ("company", "campaign", "profile", "workplace")


def _requirements_problems(requirements: Mapping[str, Iterable]) -> dict[str, list[str]]:
    """A skill or certification is either mandatory or preferred, not both."""
    problems = {}
    for kind in ("skills", "certifications"):
        both = set(requirements.get(f"mandatory_{kind}") or ()) & set(
            requirements.get(f"preferred_{kind}") or ()
        )
        if both:
            problems[f"preferred_{kind}"] = [
                _("%(names)s cannot be both mandatory and preferred.")
                % {"names": ", ".join(sorted(str(item) for item in both))}
            ]
    return problems


def _need_validate(need: Need) -> None:
    """Validate the need's fields, its own rules (`Need.clean`: a workplace in the
    programme's provinces) and its constraints (one need per company, campaign, profile and
    workplace). Its references given as records are not looked up again (a query each): only
    the constraints on them are checked. Raises ValidationError keyed by field."""
    read = [
        name
        for name in NEED_REFERENCES
        if Need._meta.get_field(name).is_cached(need) and getattr(need, name) is not None
    ]
    need.full_clean(exclude=read)
    others = [field.name for field in Need._meta.concrete_fields if field.name not in read]
    need.validate_constraints(exclude=others)


def _need_write(need: Need, values: Mapping[str, object], errors: dict) -> Need:
    """Set `values` on `need` and validate it, with the `errors` its caller found already;
    then save it and, when any requirement is given, replace all four (one left out is
    none). Raises ValidationError keyed by field, writing nothing."""
    unknown = set(values) - {*NEED_FIELDS, *REQUIREMENT_FIELDS}
    if unknown:
        raise TypeError(f"Not a field of a need: {', '.join(sorted(unknown))}")
    changed = [name for name in NEED_FIELDS if name in values]
    for name in changed:
        setattr(need, name, values[name])
    requirements = {name: list(values[name] or ()) for name in REQUIREMENT_FIELDS if name in values}
    try:
        _need_validate(need)
    except ValidationError as invalid:
        errors = invalid.update_error_dict(errors)
    for name, problems in _requirements_problems(requirements).items():
        errors.setdefault(name, []).extend(problems)
    if errors:
        raise ValidationError(errors)
    if need.pk is None:
        need.save()
    else:
        need.save(update_fields=[*changed, "updated_at"])
    if requirements:
        need_requirements_set(need=need, **requirements)
    return need


@transaction.atomic
def need_declare(*, company: Company, campaign: SurveyCampaign, **values) -> Need:
    """Declare a company's need in a campaign, whatever the way in (the company's answer, the
    survey's import). `values` are its fields (NEED_FIELDS: profile, workplace, headcount and
    contract at least) and its requirements (REQUIREMENT_FIELDS).

    Only an open campaign takes new needs. Raises ValidationError keyed by field (the
    campaign, a workplace outside the programme's provinces, the same profile twice at one
    workplace, a skill both mandatory and preferred...), writing nothing."""
    errors = {}
    if not campaign.accepts_answers:
        errors["campaign"] = [
            ValidationError(
                _("%(campaign)s is not open: new needs are declared only in an open campaign.")
                % {"campaign": campaign},
                code="campaign_not_open",
            )
        ]
    return _need_write(Need(company=company, campaign=campaign), values, errors)


@transaction.atomic
def need_update(*, need: Need, **values) -> Need:
    """Change what a need says: the fields in `values` (NEED_FIELDS; the others keep their
    value) and, when any is given, its requirements (REQUIREMENT_FIELDS). Validated as
    `need_declare` validates. Who may change a need, and when, is the policy's
    (`Need.permits`): company HR while its campaign is open, staff also after it closed (a
    need filled or cancelled since). Raises ValidationError keyed by field, writing nothing."""
    return _need_write(need, values, {})


class AnswerRefused(ValidationError):
    """Some needs of a company's answer were refused: `problems` maps the position of each of
    them in the answer's `needs` to its ValidationError, keyed by field."""

    def __init__(self, problems: Mapping[int, ValidationError]):
        self.problems = dict(problems)
        super().__init__(list(self.problems.values()))


@transaction.atomic
def campaign_answer_save(
    *,
    company: Company,
    campaign: SurveyCampaign,
    needs: Iterable[tuple[Need | None, Mapping[str, object]]],
    removed: Iterable[Need] = (),
    expected_versions: Mapping[int, int] | None = None,
) -> list[Need]:
    """Save a company's answer to a campaign: its needs, each with its requirements.

    `needs` pairs each need of the answer, None for a new one, with what the answer says of
    it (`need_declare`'s values); `removed` are the company's needs to delete. All or
    nothing: when some needs are refused, AnswerRefused says which and why.
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
    ours = (company.pk, campaign.pk)
    if any(need and (need.company_id, need.campaign_id) != ours for need, _values in needs):
        raise ValueError("An answer changes its own company's needs in its campaign only.")
    if expected_versions is not None:
        # One need at a time, in the order of their keys, so that two answers touching the
        # same needs lock them in the same order and never wait for each other.
        existing = [need for need, _values in needs if need is not None] + removed
        for need in sorted(existing, key=lambda need: need.pk):
            try:
                version_check(need, expected_versions.get(need.pk))
            except RecordGone:
                if need not in removed:  # one to remove that somebody else removed: done
                    raise
    for need in removed:
        if need.company_id == company.pk and need.campaign_id == campaign.pk:
            need.delete()
    saved, problems = [], {}
    for index, (need, values) in enumerate(needs):
        try:
            if need is None:
                saved.append(need_declare(company=company, campaign=campaign, **values))
            else:
                saved.append(need_update(need=need, **values))
        except ValidationError as refused:
            problems[index] = refused  # the others are still checked, to say all at once
    if problems:
        raise AnswerRefused(problems)
    return saved


CAMPAIGN_FIELDS = ("name", "opens_on", "closes_on", "status")


@transaction.atomic
def campaign_create(
    *, name: str, opens_on: datetime.date, closes_on: datetime.date, status: str
) -> SurveyCampaign:
    """Open a survey campaign (or prepare it, as a draft). Raises ValidationError keyed by
    field (a name already taken, a campaign closing before it opens), writing nothing."""
    values = {"name": name, "opens_on": opens_on, "closes_on": closes_on, "status": status}
    return fields_save(SurveyCampaign(), values, allowed=CAMPAIGN_FIELDS)


@transaction.atomic
def campaign_update(*, campaign: SurveyCampaign, **changes) -> SurveyCampaign:
    """Change a campaign's name, dates or status (CAMPAIGN_FIELDS; the others keep their
    value). Closed, it takes no more answers nor new needs (`SurveyCampaign.accepts_answers`);
    its needs stay, for staff to follow. Raises ValidationError keyed by field, writing
    nothing."""
    return fields_save(campaign, changes, allowed=CAMPAIGN_FIELDS)
